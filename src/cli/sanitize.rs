//! `lectern sanitize [--json]`

use anyhow::{Context, Result};
use lectern_ingest::sanitize_document;
use lectern_ingest::url_policy::parse_base;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Instant;

/// The sanitised HTML alone: what the WASM `sanitize` export computes.
fn sanitize_html(html: &str, base: Option<&url::Url>) -> String {
    match base {
        Some(base) => sanitize_document(html, Some(base)).html,
        None => lectern_ingest::sanitize(html),
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read a JSON array of HTML strings and write a JSON array of sanitised strings, in the same order.
    #[arg(long)]
    json: bool,
    /// Base URL to resolve relative URLs against (they are dropped without one).
    #[arg(long, value_name = "URL")]
    base: Option<String>,
    /// With --json: print to standard error the bytes of HTML read and the seconds spent
    /// sanitising them (parsing JSON and writing output not included), as JSON. For the benchmark.
    #[arg(long, requires = "json", hide = true)]
    stats: bool,
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
        let started = Instant::now();
        let cleaned: Vec<String> = items.iter().map(|html| sanitize_html(html, base.as_ref())).collect();
        let seconds = started.elapsed().as_secs_f64();
        serde_json::to_writer(&mut out, &cleaned)?;
        writeln!(out)?;
        out.flush()?;
        if args.stats {
            let bytes: usize = items.iter().map(String::len).sum();
            eprintln!("{}", serde_json::json!({ "documents": items.len(), "bytes": bytes, "seconds": seconds }));
        }
    } else {
        out.write_all(sanitize_html(&input, base.as_ref()).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
