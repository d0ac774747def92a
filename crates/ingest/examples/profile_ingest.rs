//! Where ingest time goes, natively: `lectern_ingest::files::add_files` on the article files
//! of the shared corpora (the ingest benchmark's 2,207 files), split into its
//! stages: parsing each article (front matter, Markdown, sanitising, text,
//! metadata) and indexing the parsed articles.
//!
//! ```sh
//! cargo run --release --example profile_ingest -- ../shared/corpus [ROUNDS] [STAGE]
//! ```
//!
//! `STAGE` runs only the stages whose label contains it (for `perf record` or
//! `valgrind --tool=cachegrind` on one stage).

use lectern_ingest::article::{parse_article, ParseOptions};
use lectern_core::library::Library;
use lectern_ingest::files::{add_files, InputFile};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The corpora of the ingest benchmark (bench/lib/corpus.mjs).
const CORPORA: &[&str] = &["rsshub", "rust-blog", "i2p-blog", "kriheli-blog"];

fn is_article(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") && !["readme", "license", "licence", "changelog"].iter().any(|p| lower.starts_with(p))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if is_article(&name) {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: profile_ingest CORPUS_DIR [ROUNDS] [STAGE]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let only = args.next();
    let root = PathBuf::from(root);
    let mut paths = Vec::new();
    for corpus in CORPORA {
        walk(&root.join(corpus), &mut paths);
    }
    let files: Vec<InputFile> = paths
        .iter()
        .map(|p| InputFile {
            name: p.strip_prefix(&root).unwrap_or(p).to_string_lossy().into_owned(),
            text: std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display())),
            base: None,
        })
        .collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    println!("{} files, {:.1} MB, best of {rounds} rounds", files.len(), bytes as f64 / 1e6);

    let stage = |label: &str, run: &dyn Fn() -> usize| {
        if only.as_deref().is_some_and(|only| !label.contains(only)) {
            return;
        }
        let mut best = f64::INFINITY;
        for _ in 0..rounds {
            let started = Instant::now();
            black_box(run());
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("{label:<44} {:>8.0} articles/s  {:>8.1} ms", files.len() as f64 / best, best * 1000.0);
    };

    let parsed: Vec<_> = files
        .iter()
        .filter_map(|f| parse_article(&f.name, f.text.as_bytes(), &ParseOptions::default()).ok())
        .collect();
    stage("parse_article (front matter .. metadata)", &|| {
        files
            .iter()
            .filter_map(|f| parse_article(&f.name, f.text.as_bytes(), &ParseOptions::default()).ok())
            .count()
    });
    stage("index parsed articles (add_articles)", &|| {
        let mut library = Library::new();
        library.add_articles(parsed.clone())
    });
    stage("whole add_files (in batches of 512)", &|| {
        let mut library = Library::new();
        for batch in files.chunks(512) {
            add_files(&mut library, batch.to_vec());
        }
        library.len()
    });
}
