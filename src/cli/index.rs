//! `lectern index SRC... -o OUT`: build a static collection (the page and its
//! data, for any static host) from folders of articles.

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lectern_ingest::build::{build, BuildOptions, Progress};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// A progress bar on a terminal, plain lines every few seconds otherwise.
struct Report {
    bar: Option<ProgressBar>,
    plain: Mutex<(String, u64, Instant, Instant)>,
    done: AtomicU64,
}

impl Report {
    fn new() -> Report {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{prefix:>18} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        Report { bar, plain: Mutex::new((String::new(), 0, Instant::now(), Instant::now())), done: AtomicU64::new(0) }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Report {
    fn phase(&self, name: &str, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_length(total);
                bar.set_position(0);
                bar.reset_eta();
                bar.set_prefix(name.to_owned());
            }
            None => {
                if let Ok(mut plain) = self.plain.lock() {
                    *plain = (name.to_owned(), total, Instant::now(), Instant::now());
                }
                eprintln!("lectern index: {name}: {total}");
            }
        }
    }

    fn advance(&self, steps: u64) {
        let done = self.done.fetch_add(steps, Ordering::Relaxed) + steps;
        match &self.bar {
            Some(bar) => bar.inc(steps),
            None => {
                let Ok(mut plain) = self.plain.lock() else { return };
                let (name, total, started, last) = &mut *plain;
                if last.elapsed() >= Duration::from_secs(5) || done == *total {
                    let secs = started.elapsed().as_secs_f64().max(0.001);
                    let rate = done as f64 / secs;
                    let left = if rate > 0.0 { (*total - done.min(*total)) as f64 / rate } else { 0.0 };
                    eprintln!("lectern index: {name}: {done}/{total} ({rate:.0}/s, {left:.0} s left)");
                    *last = Instant::now();
                }
            }
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let web = if args.no_page {
        None
    } else {
        let web = args.web.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www"));
        if !web.join("pkg").join("lectern_bg.wasm").is_file() {
            bail!(
                "the web page is not built: '{}' is missing (run ./build.sh wasm, pass --web DIR, or --no-page to write only the collection)",
                web.join("pkg").join("lectern_bg.wasm").display()
            );
        }
        Some(web)
    };
    let options = BuildOptions { sources: args.sources, out: args.out.clone(), base: args.base, web, memory_budget: args.memory_mib.saturating_mul(1024 * 1024) };
    let progress = Report::new();
    let result = build(&options, &progress);
    progress.finish();
    let report = result?;
    for failure in &report.failures {
        eprintln!("lectern index: skipped {}: {}", failure.path, failure.reason);
    }
    eprintln!(
        "lectern index: {} articles ({} parsed, {} unchanged and reused), {} error(s); {} files written ({:.1} MiB), {} unchanged, {} removed; collection {:.1} MiB in {} term shards ({} run(s) merged); {:.1} s",
        report.articles,
        report.parsed,
        report.reused,
        report.failures.len(),
        report.files_written,
        report.bytes_written as f64 / 1048576.0,
        report.files_unchanged,
        report.files_removed,
        report.bytes_total as f64 / 1048576.0,
        report.term_shards,
        report.runs,
        report.elapsed.as_secs_f64()
    );
    println!("{}", args.out.display());
    Ok(if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
