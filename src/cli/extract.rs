//! `lectern extract FILE.html --url URL`

use anyhow::{Context, Result};
use lectern_ingest::readable::extract_article;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved web page (its whole HTML), or `-` for standard input.
    #[arg(value_name = "FILE.html")]
    file: PathBuf,
    /// The page's address: the base for its relative links and images, the
    /// article's `link`, and the source of its `id`.
    #[arg(long, value_name = "URL")]
    url: String,
    /// Print the article on one line instead of indented.
    #[arg(long)]
    compact: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let bytes = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
        bytes
    } else {
        std::fs::read(&args.file).with_context(|| format!("cannot read '{}'", args.file.display()))?
    };
    let html = match String::from_utf8(bytes) {
        Ok(html) => html,
        Err(err) => {
            eprintln!(
                "lectern extract: '{}' is not valid UTF-8 (from byte {}); invalid sequences were replaced with U+FFFD",
                args.file.display(),
                err.utf8_error().valid_up_to()
            );
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    };
    match extract_article(&html, &args.url) {
        Ok(article) => {
            let json =
                if args.compact { serde_json::to_string(&article)? } else { serde_json::to_string_pretty(&article)? };
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}")?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("lectern extract: '{}': {err}", args.file.display());
            Ok(ExitCode::from(1))
        }
    }
}
