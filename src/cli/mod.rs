//! Command-line interface: argument parsing and dispatch to one module per command.

mod extract;
mod feed;
mod index;
mod parse;
mod progress;
mod sanitize;
mod search;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Lectern: read, sanitise and serve collections of Hexo-style articles.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse article files (or folders of them) and print one JSON object per article, one per line.
    ///
    /// Each line holds the article's fields and `file`. A file that cannot be read as an
    /// article prints `{"file": ..., "error": ...}` instead; the exit status is then 1.
    Parse(parse::Args),
    /// Sanitise HTML from standard input with Lectern's policy and write it to standard output.
    Sanitize(sanitize::Args),
    /// Extract the main article of a saved web page and print it as JSON (an article, like `parse` prints).
    ///
    /// A page without an article (a home page, a search form) prints "no article found on this
    /// page: ..." and exits with status 1.
    Extract(extract::Args),
    /// Serve the reading list with the articles of a folder on 127.0.0.1.
    Serve(serve::Args),
    /// Print the listing (collection/manifest.json) of a folder of articles, for static hosting.
    Manifest(ManifestArgs),
    /// Build a static collection (the page and its data, for any static host) from folders of articles.
    ///
    /// Files that cannot be read are reported (path and reason) and skipped; the exit status is
    /// then 1 and the collection is still usable. Run it again on the same OUT after the sources
    /// changed: unchanged files are not parsed again and only changed output files are rewritten.
    Index(index::Args),
    /// Search a folder of articles, a static collection (built by `lectern index`), or an index saved with --save-index, and print the hits as a JSON array.
    ///
    /// Each hit has `file`, `id`, `title`, `score` and `snippet` (`text`, and `ranges`: matched
    /// stretches as [start, end) Unicode code point offsets into `text`).
    Search(search::Args),
    /// Keep a folder of posts up to date with feeds (RSS, Atom, JSON Feed) or OPML lists of them.
    ///
    /// Each new or changed item becomes one post file (YAML front matter and HTML, as `lectern
    /// parse` reads it); fetching again asks only for what changed. One failing feed is reported
    /// with its URL and reason and the others are still fetched; the exit status is then 1.
    Feed(feed::Args),
}

/// Runs the command line and returns the process exit status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Sanitize(args) => sanitize::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Manifest(args) => manifest(args),
        Command::Search(args) => search::run(args),
        Command::Index(args) => index::run(args),
        Command::Feed(args) => feed::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lectern: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[derive(Debug, clap::Args)]
struct ManifestArgs {
    /// Folder of article files.
    dir: PathBuf,
}

fn manifest(args: ManifestArgs) -> anyhow::Result<ExitCode> {
    if !args.dir.is_dir() {
        anyhow::bail!("'{}' is not a folder", args.dir.display());
    }
    println!("{}", serde_json::to_string_pretty(&lectern_ingest::collection::files_manifest(&args.dir))?);
    Ok(ExitCode::SUCCESS)
}

/// The built web page: `web`, or this project's `www/` (built by `./build.sh`).
/// An error says how to build it (`how`) when its reader module is missing.
pub fn built_web(web: Option<PathBuf>, how: &str) -> anyhow::Result<PathBuf> {
    let web = web.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www"));
    let reader = web.join("pkg").join("reader_bg.wasm");
    if !reader.is_file() {
        anyhow::bail!("the web page is not built: '{}' is missing ({how})", reader.display());
    }
    Ok(web)
}

/// The project's own sample articles, the default collection.
pub fn default_samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}
