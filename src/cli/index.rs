//! `lectern index SRC... -o OUT`: build a static collection (the page and its
//! data, for any static host) from folders of articles.

use super::progress::{print_summary, Report};
use anyhow::Result;
use lectern_ingest::build::{build, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders of article files (several: each article is named <folder name>/<path>).
    #[arg(required = true, value_name = "SRC")]
    sources: Vec<PathBuf>,
    /// The site folder to write: the page, and the collection under OUT/collection/.
    /// A folder built before is updated (only what changed is rewritten).
    #[arg(short, long, value_name = "OUT")]
    out: PathBuf,
    /// Base URL for relative links and images in articles without a `link`.
    #[arg(long, value_name = "URL")]
    base: Option<String>,
    /// Folder holding the built web page to copy into OUT (default: this project's www/).
    #[arg(long, env = "LECTERN_WEB", value_name = "DIR")]
    web: Option<PathBuf>,
    /// Write only the collection (OUT/collection/), not the page.
    #[arg(long)]
    no_page: bool,
    /// MiB of posting lists held in memory before a run is written to disk (and merged at the end).
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    memory_mib: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let web = if args.no_page { None } else { Some(super::built_web(args.web, "run ./build.sh wasm, pass --web DIR, or --no-page to write only the collection")?) };
    let options = BuildOptions { sources: args.sources, out: args.out.clone(), base: args.base, web, memory_budget: args.memory_mib.saturating_mul(1024 * 1024) };
    let progress = Report::new("lectern index");
    let result = build(&options, &progress);
    progress.finish();
    let report = result?;
    print_summary("lectern index", &report);
    println!("{}", args.out.display());
    Ok(if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
