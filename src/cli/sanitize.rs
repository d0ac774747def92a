//! `lectern sanitize [--json]`

use anyhow::{Context, Result};
use lectern::sanitize_document;
use lectern::url_policy::parse_base;
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read a JSON array of HTML strings and write a JSON array of sanitised strings, in the same order.
    #[arg(long)]
    json: bool,
    /// Base URL to resolve relative URLs against (they are dropped without one).
    #[arg(long, value_name = "URL")]
    base: Option<String>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let base = match args.base.as_deref() {
        Some(raw) => Some(parse_base(raw).with_context(|| format!("--base '{raw}' is not an absolute http(s) URL"))?),
        None => None,
    };
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
    let input = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            eprintln!(
                "lectern sanitize: warning: invalid UTF-8 from byte {}; invalid sequences were replaced with U+FFFD",
                err.utf8_error().valid_up_to()
            );
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let items: Vec<String> = serde_json::from_str(&input)
            .context("standard input is not a JSON array of strings (expected --json input like [\"<p>a</p>\", ...])")?;
        let cleaned: Vec<String> = items.iter().map(|html| sanitize_document(html, base.as_ref()).html).collect();
        serde_json::to_writer(&mut out, &cleaned)?;
        writeln!(out)?;
    } else {
        out.write_all(sanitize_document(&input, base.as_ref()).html.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
