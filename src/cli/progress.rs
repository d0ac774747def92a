//! Progress and summaries of collection builds (`lectern index`, `lectern serve`).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lectern_ingest::build::{BuildReport, Progress};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A progress bar on a terminal, plain lines every few seconds otherwise.
pub struct Report {
    /// What the lines start with (`lectern index`).
    who: &'static str,
    bar: Option<ProgressBar>,
    plain: Mutex<(String, u64, Instant, Instant)>,
    done: AtomicU64,
}

impl Report {
    /// A report for the command `who`.
    pub fn new(who: &'static str) -> Report {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{prefix:>18} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        Report { who, bar, plain: Mutex::new((String::new(), 0, Instant::now(), Instant::now())), done: AtomicU64::new(0) }
    }

    /// Clears the bar.
    pub fn finish(&self) {
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
                eprintln!("{}: {name}: {total}", self.who);
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
                    eprintln!("{}: {name}: {done}/{total} ({rate:.0}/s, {left:.0} s left)", self.who);
                    *last = Instant::now();
                }
            }
        }
    }
}

/// Prints what a build did: each skipped file with its reason, then one line of totals.
pub fn print_summary(who: &str, report: &BuildReport) {
    for failure in &report.failures {
        eprintln!("{who}: skipped {}: {}", failure.path, failure.reason);
    }
    eprintln!(
        "{who}: {} articles ({} parsed, {} unchanged and reused), {} error(s); {} files written ({:.1} MiB), {} unchanged, {} removed; collection {:.1} MiB in {} term shards ({} run(s) merged); {:.1} s",
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
}
