//! `lectern search SOURCE [QUERY]`: search a folder of articles, or an index
//! saved with `--save-index`, and print the hits as a JSON array.

use anyhow::{bail, Context, Result};
use lectern_core::library::Library;
use lectern_core::search::{Filters, SearchOptions, Snippet};
use lectern_ingest::{collection, parse_article, Article, ParseOptions};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of article files, or an index file written with --save-index.
    #[arg(value_name = "DIR_OR_INDEX")]
    input: PathBuf,
    /// What to search for (words, CJK text, "quoted phrases"). Without it, the
    /// articles are listed newest first.
    query: Option<String>,
    /// Most hits to print.
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Only articles in this category (repeat for any of several).
    #[arg(long = "category", value_name = "CATEGORY")]
    categories: Vec<String>,
    /// Only articles from this source (the author, else the link's host; repeatable).
    #[arg(long = "source", value_name = "SOURCE")]
    sources: Vec<String>,
    /// Only articles by this author (repeatable).
    #[arg(long = "author", value_name = "AUTHOR")]
    authors: Vec<String>,
    /// Only articles dated on or after this (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only articles dated on or before this (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Do not match the last word as a prefix.
    #[arg(long)]
    no_prefix: bool,
    /// Do not match words with a typo.
    #[arg(long)]
    no_typos: bool,
    /// Read the folder, save its library (articles and index) to FILE, for later
    /// `lectern search FILE QUERY`; then search when a query is given.
    #[arg(long, value_name = "FILE")]
    save_index: Option<PathBuf>,
    /// Base URL for relative links and images in articles without a `link`.
    #[arg(long, value_name = "URL")]
    base: Option<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    file: String,
    id: &'a str,
    title: &'a str,
    score: f32,
    snippet: &'a Snippet,
}

/// The `collection/` folder of a static collection at `input` (the site
/// folder or the collection folder itself), if it is one.
pub fn static_collection_dir(input: &Path) -> Option<PathBuf> {
    [input.join("collection"), input.to_path_buf()].into_iter().find(|dir| {
        std::fs::read_to_string(dir.join("manifest.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(lectern_core::static_collection::MANIFEST_FORMAT))
    })
}

fn options_of(args: &Args) -> SearchOptions {
    SearchOptions {
        limit: args.limit,
        offset: args.offset,
        prefix: !args.no_prefix,
        typos: !args.no_typos,
        filters: Filters {
            categories: args.categories.clone(),
            sources: args.sources.clone(),
            authors: args.authors.clone(),
            from: args.from.clone(),
            to: args.to.clone(),
            ..Filters::default()
        },
        // It prints hits only: on a static collection, counting facets would read every match's block of facet values.
        facet_limit: 0,
        ..SearchOptions::default()
    }
}

fn print_lines(lines: &[Line<'_>]) -> Result<()> {
    // A JSON array with one hit per line: valid JSON, and easy to read and grep.
    let mut out = String::from("[");
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&serde_json::to_string(line)?);
    }
    out.push_str(if lines.is_empty() { "]" } else { "\n]" });
    println!("{out}");
    Ok(())
}

/// Searches a static collection, reading only the files the search needs.
fn search_static(dir: &Path, args: &Args) -> Result<ExitCode> {
    use lectern_core::static_collection::{StaticCollection, Step};
    use lectern_ingest::build::read_collection_file;
    if args.save_index.is_some() {
        bail!("--save-index needs a folder of articles, and '{}' is a static collection", dir.display());
    }
    let started = Instant::now();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).with_context(|| format!("cannot read '{}'", dir.join("manifest.json").display()))?;
    let mut collection = StaticCollection::new(&manifest).with_context(|| format!("'{}' is not a usable collection", dir.display()))?;
    let options = options_of(args);
    let query = args.query.as_deref().unwrap_or("");
    let (mut files, mut bytes) = (0usize, 0u64);
    let results = loop {
        match collection.search(query, &options)? {
            Step::Done(results) => break results,
            Step::Need(paths) => {
                for path in paths {
                    bytes += std::fs::metadata(dir.join(&path)).map(|m| m.len()).unwrap_or(0);
                    let data = read_collection_file(dir, &path)?;
                    collection.feed(&path, &data).with_context(|| format!("'{}'", dir.display()))?;
                    files += 1;
                }
            }
        }
    };
    let sources = &collection.manifest().sources;
    let file_of = |name: &str| -> String {
        if sources.len() == 1 {
            return Path::new(&sources[0]).join(name).display().to_string();
        }
        for source in sources {
            let base = Path::new(source).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(rest) = name.strip_prefix(&format!("{base}/")) {
                return Path::new(source).join(rest).display().to_string();
            }
        }
        name.to_owned()
    };
    let lines: Vec<Line<'_>> = results
        .hits
        .iter()
        .map(|hit| Line { file: file_of(&hit.entry.name), id: &hit.id, title: &hit.entry.title, score: hit.score, snippet: &hit.snippet })
        .collect();
    print_lines(&lines)?;
    eprintln!(
        "lectern search: {} of {} articles match; read {files} files ({bytes} bytes) of the collection in {:.3} s",
        results.total,
        collection.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(dir) = args.input.is_dir().then(|| static_collection_dir(&args.input)).flatten() {
        return search_static(&dir, &args);
    }
    let library = if args.input.is_dir() {
        let library = read_folder(&args.input, args.base.clone())?;
        if let Some(out) = &args.save_index {
            let bytes = library.save();
            std::fs::write(out, &bytes).with_context(|| format!("cannot write the index to '{}'", out.display()))?;
            eprintln!("lectern search: saved {} articles ({} bytes) to {}", library.len(), bytes.len(), out.display());
            if args.query.is_none() {
                return Ok(ExitCode::SUCCESS);
            }
        }
        library
    } else if args.input.is_file() {
        if args.save_index.is_some() {
            bail!("--save-index needs a folder of articles, and '{}' is a file", args.input.display());
        }
        let bytes = std::fs::read(&args.input).with_context(|| format!("cannot read '{}'", args.input.display()))?;
        Library::load(&bytes).with_context(|| format!("'{}' is not a usable index", args.input.display()))?
    } else {
        bail!("'{}' is neither a folder of articles nor an index file", args.input.display());
    };

    let options = options_of(&args);
    let query = args.query.as_deref().unwrap_or("");
    let results = library.search(query, &options)?;
    let root = library.root();
    let lines: Vec<Line<'_>> = results
        .hits
        .iter()
        .filter_map(|hit| {
            let (title, name) = library.index().title_and_name(&hit.id)?;
            let file = if root.is_empty() { name.to_owned() } else { Path::new(root).join(name).display().to_string() };
            Some(Line { file, id: &hit.id, title, score: hit.score, snippet: &hit.snippet })
        })
        .collect();
    print_lines(&lines)?;
    eprintln!("lectern search: {} of {} articles match", results.total, library.len());
    Ok(ExitCode::SUCCESS)
}

/// Parses every article file under `dir` (in parallel) into a library.
fn read_folder(dir: &Path, base: Option<String>) -> Result<Library> {
    let started = Instant::now();
    let (files, walk_errors) = collection::walk(dir);
    for error in &walk_errors {
        eprintln!("lectern search: {error}");
    }
    if files.is_empty() {
        bail!("'{}' holds no article files (.md, .markdown, .html, .htm, .txt)", dir.display());
    }
    let options = ParseOptions { base };
    let parsed: Vec<Result<Article, String>> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(&file.full_path).map_err(|e| format!("{}: cannot read: {e}", file.full_path.display()))?;
            parse_article(&file.path, &bytes, &options).map_err(|e| format!("{}: {e}", file.full_path.display()))
        })
        .collect();
    let parse_time = started.elapsed();
    let mut library = Library::new();
    library.set_root(&dir.display().to_string());
    let mut failures = 0usize;
    for item in parsed {
        match item {
            Ok(article) => {
                library.add_article(article);
            }
            Err(error) => {
                failures += 1;
                eprintln!("lectern search: skipped {error}");
            }
        }
    }
    library.compact();
    eprintln!(
        "lectern search: read {} articles from {} in {:.2} s (parsing {:.2} s, indexing {:.2} s); index {:.1} MiB in memory, of which terms and postings {:.1} MiB{}",
        library.len(),
        dir.display(),
        started.elapsed().as_secs_f64(),
        parse_time.as_secs_f64(),
        (started.elapsed() - parse_time).as_secs_f64(),
        mib(library.index_heap_bytes()),
        mib(library.index().postings_heap_bytes()),
        if failures > 0 { format!("; {failures} file(s) could not be read") } else { String::new() }
    );
    Ok(library)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
