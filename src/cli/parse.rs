//! `lectern parse FILE...`

use anyhow::Result;
use lectern_ingest::collection;
use lectern_ingest::{parse_article, Article, ParseOptions};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Article files, or folders to read every article file from.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Base URL for relative links and images in articles without a `link`.
    #[arg(long, value_name = "URL")]
    base: Option<String>,
}

#[derive(Serialize)]
struct ParsedLine<'a> {
    file: &'a str,
    #[serde(flatten)]
    article: &'a Article,
}

#[derive(Serialize)]
struct FailedLine<'a> {
    file: &'a str,
    error: String,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let options = ParseOptions { base: args.base };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0usize;
    for input in &args.files {
        for (file, path) in expand(input) {
            let line = match std::fs::read(&path) {
                Ok(bytes) => {
                    let name = article_name(input, &file);
                    match parse_article(&name, &bytes, &options) {
                        Ok(article) => serde_json::to_string(&ParsedLine { file: &file, article: &article })?,
                        Err(err) => {
                            failures += 1;
                            serde_json::to_string(&FailedLine { file: &file, error: err.to_string() })?
                        }
                    }
                }
                Err(err) => {
                    failures += 1;
                    serde_json::to_string(&FailedLine { file: &file, error: format!("cannot read '{file}': {err}") })?
                }
            };
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    if failures > 0 {
        eprintln!("lectern parse: {failures} file(s) could not be read as articles");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A file stands for itself; a folder for the article files under it.
/// Returns (the path as printed, the path on disk).
fn expand(input: &Path) -> Vec<(String, PathBuf)> {
    if input.is_dir() {
        let (files, _) = collection::walk(input);
        files.into_iter().map(|f| (f.full_path.display().to_string(), f.full_path)).collect()
    } else {
        vec![(input.display().to_string(), input.to_path_buf())]
    }
}

/// The name given to the core: the path within the folder when reading a
/// folder (so ids match the web page's), else the path as given.
fn article_name(input: &Path, file: &str) -> String {
    if input.is_dir() {
        Path::new(file)
            .strip_prefix(input)
            .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
            .unwrap_or_else(|_| file.to_owned())
    } else {
        file.to_owned()
    }
}
