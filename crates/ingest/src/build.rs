//! Writing a static collection (`lectern index`, native builds only).
//!
//! 1. **Read**: every source file is parsed and sanitised once, on all cores
//!    (an unchanged file, by content hash, is read back from the previous
//!    build instead). Its article file is written at once; its card (entry and
//!    text) goes to a spill file. Memory keeps only a few numbers per article.
//! 2. **Index**: articles are put in slot order (oldest first); their cards are
//!    read back in order, written, and tokenised (on all cores) into posting
//!    lists with token positions; list pages and document blocks are written.
//! 3. **Write the index**: terms sorted and cut into shards, the typo index,
//!    `index.bin`, `manifest.json`, the build record; files of the previous
//!    build that are not part of this one are removed.
//!
//! A file is written only when its bytes changed, and the output depends only
//! on the sources, so a build over a previous one equals a fresh build.

use lectern_core::static_collection::format::{self, encode_dates, encode_ids, encode_index, encode_meta, header, DocMeta, FrontCoder, IndexMeta, Kind, StoredFacets, YearSpan};
use lectern_core::static_collection::{article_path, card_path, dates_path, ids_path, list_path, meta_path, positions_path, terms_path, typos_path, Card, Manifest, Skipped};
use lectern_core::static_collection::{DOC_BLOCK, ID_SHARD, INDEX_PATH, LIST_PAGE, MANIFEST_FORMAT, SOURCES_PATH};
use crate::article::{parse_article, Article, ParseOptions};
use lectern_core::Summary;
use lectern_core::search::facets::year_of;
use lectern_core::search::index::{date_seconds, for_each_term, TermKind, AUTHOR, CATEGORIES, TEXT, TITLE};
use lectern_core::search::persist::fnv1a;
use lectern_core::search::postings::{read_varint, write_varint, FieldCounts, PostingList, FIELD_COUNT};
use lectern_core::search::strings::StringTable;
use hashbrown::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Bytes of posting lists per term shard (before compression) before a new shard starts.
const TERM_SHARD_BYTES: usize = 8 * 1024;
/// Bytes of positions per positions shard before a new shard starts.
const POSITION_SHARD_BYTES: usize = 96 * 1024;
/// Bytes per typo shard.
const TYPO_SHARD_BYTES: usize = 8 * 1024;
/// Skipped files the manifest names (the count says how many in all).
const MAX_LISTED_SKIPPED: usize = 100;
/// Files parsed per batch (the progress moves per batch).
const READ_BATCH: usize = 256;
/// Articles tokenised per batch.
const INDEX_BATCH: usize = 512;
/// Folders of the collection this build owns (stale files in them are removed).
const OWNED_FOLDERS: &[&str] = &["list", "terms", "pos", "typos", "meta", "dates", "ids", "docs", "cards", "articles"];

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Folders of article files.
    pub sources: Vec<PathBuf>,
    /// The site folder to write (the collection goes to `OUT/collection/`).
    pub out: PathBuf,
    /// Base URL for relative links of articles without a `link`. A base that
    /// ends with `/` is the address of the source folder: each file's base is
    /// then its own address under it (`base` + its path), as when the page
    /// reads the files from there.
    pub base: Option<String>,
    /// The built web page to copy into `OUT` (none: only the collection).
    pub web: Option<PathBuf>,
    /// Bytes of posting lists held in memory before they are written to a
    /// run on disk (merged at the end); 0 for [`DEFAULT_MEMORY_BUDGET`].
    pub memory_budget: usize,
}

/// Default bytes of posting lists held in memory while indexing.
pub const DEFAULT_MEMORY_BUDGET: usize = 64 * 1024 * 1024;

/// Reports progress of a long build.
pub trait Progress: Sync {
    /// A new phase of `total` steps begins.
    fn phase(&self, name: &str, total: u64);
    /// `steps` more are done.
    fn advance(&self, steps: u64);
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// A source file that could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file on disk (as found under its source folder).
    pub path: String,
    /// Its name in the collection (its path within the source folders), as the
    /// manifest lists it.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Articles in the collection.
    pub articles: u32,
    /// Files that could not be read (skipped).
    pub failures: Vec<Failure>,
    /// Articles parsed now.
    pub parsed: u32,
    /// Articles read back from the previous build (their file had not changed).
    pub reused: u32,
    /// Files written (new or changed).
    pub files_written: u64,
    /// Bytes of the files written.
    pub bytes_written: u64,
    /// Files left as they were (same bytes).
    pub files_unchanged: u64,
    /// Files of the previous build removed.
    pub files_removed: u64,
    /// Bytes of the whole collection.
    pub bytes_total: u64,
    /// Term shards.
    pub term_shards: usize,
    /// Runs of posting lists written to disk and merged (memory bound).
    pub runs: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// Why a build failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The options cannot work.
    #[error("{0}")]
    Invalid(String),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io { path: path.display().to_string(), source }
}

/// gzip, deterministic (no time or name in the header).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).operating_system(255).write(Vec::with_capacity(bytes.len() / 3 + 64), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Reverses [`gzip`] (bytes that are not gzip are returned as they are).
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::with_capacity(bytes.len() * 3);
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// Reads a file of a collection (under its `collection/` folder), decompressed.
pub fn read_collection_file(collection: &Path, path: &str) -> Result<Vec<u8>, BuildError> {
    let full = collection.join(path);
    let bytes = std::fs::read(&full).map_err(io(&full))?;
    gunzip(&bytes).map_err(io(&full))
}

fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// The files of the output, written only when changed.
struct Output {
    root: PathBuf,
    /// Path within the collection → content hash.
    files: BTreeMap<String, u64>,
    written: u64,
    bytes_written: u64,
    unchanged: u64,
    bytes_total: u64,
}

impl Output {
    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), BuildError> {
        let full = self.root.join(path);
        self.files.insert(path.to_owned(), fnv1a(bytes));
        self.bytes_total += bytes.len() as u64;
        if std::fs::read(&full).is_ok_and(|old| old == bytes) {
            self.unchanged += 1;
            return Ok(());
        }
        write_replacing(&full, bytes)?;
        self.written += 1;
        self.bytes_written += bytes.len() as u64;
        Ok(())
    }
}

/// Writes `bytes` to `path` through a new file renamed over it: a reader never
/// sees half a file, and a file hard-linked into another folder (an earlier
/// build that is still being served) keeps its old content.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes).map_err(io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        BuildError::Io { path: path.display().to_string(), source }
    })
}

/// The build record (`sources.bin`): for each source file, its content hash,
/// so the next build reads unchanged files back instead of parsing them.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    generator: String,
    base: Option<String>,
    /// Article name → (source hash, id, slot).
    files: BTreeMap<String, (String, String, u32)>,
}

/// A source file to read.
struct Source {
    name: String,
    full: PathBuf,
}

/// What stays in memory of an article between reading and indexing.
struct Pending {
    id: String,
    name: String,
    date: Option<i64>,
    source_hash: String,
    spill_at: u64,
    spill_len: u32,
}

/// One term's postings with positions while building: entries of
/// `varint(delta << 4 | fields)`, a tf per field, then that field's positions.
#[derive(Default)]
struct Building {
    bytes: SmallVec<[u8; 24]>,
    last: u32,
    len: u32,
}

/// Terms of one article: counts and positions per field.
type ArticleTerms = Vec<(String, FieldCounts, [Vec<u32>; FIELD_COUNT])>;

/// Tokenises an article as [`lectern_core::search::SearchIndex::add`] does, with positions.
fn article_terms(card: &Card) -> (ArticleTerms, FieldCounts) {
    let mut terms: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: ArticleTerms = Vec::new();
    let mut lens = [0u32; FIELD_COUNT];
    let entry = &card.entry;
    let mut segments: Vec<(usize, &str)> = vec![(TITLE, entry.title.as_str())];
    segments.extend(entry.categories.iter().map(|c| (CATEGORIES, c.as_str())));
    if let Some(author) = &entry.author {
        segments.push((AUTHOR, author.as_str()));
    }
    segments.push((TEXT, card.text.as_str()));
    let mut next_position = [0u32; FIELD_COUNT];
    for (field, text) in segments {
        let counter = &mut next_position[field];
        let length = &mut lens[field];
        for_each_term(text, |term, kind| {
            let position = if kind == TermKind::Pair {
                counter.saturating_sub(2)
            } else {
                *length = length.saturating_add(1);
                let p = *counter;
                *counter += 1;
                p
            };
            let i = *terms.entry(term.to_owned()).or_insert_with(|| {
                out.push((term.to_owned(), [0; FIELD_COUNT], Default::default()));
                out.len() - 1
            });
            let (_, counts, positions) = &mut out[i];
            counts[field] = counts[field].saturating_add(1);
            positions[field].push(position);
        });
        // A gap, so that no phrase spans two strings of a field.
        *counter += 1;
    }
    (out, lens)
}

/// The columns of a block of documents being written.
#[derive(Default)]
struct DocBlock {
    meta: Vec<DocMeta>,
    dates: Vec<Option<i64>>,
}

impl DocBlock {
    /// Writes block `number` (`meta/`, `dates/`), notes its first and last dates, and empties it.
    fn write(&mut self, output: &mut Output, number: u32, block_dates: &mut Vec<(Option<i64>, Option<i64>)>) -> Result<(), BuildError> {
        output.put(&meta_path(number), &gzip(&encode_meta(&self.meta)))?;
        output.put(&dates_path(number), &gzip(&encode_dates(&self.dates)))?;
        block_dates.push((self.dates.first().copied().flatten(), self.dates.last().copied().flatten()));
        self.meta.clear();
        self.dates.clear();
        Ok(())
    }
}

/// The sort key of a slot: oldest first (undated first), ties by id, descending.
fn slot_order(a: &Pending, b: &Pending) -> std::cmp::Ordering {
    a.date.cmp(&b.date).then_with(|| b.id.cmp(&a.id))
}

fn article_file_bytes(article: &Article) -> Vec<u8> {
    let mut value = serde_json::to_value(article).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.remove("text");
    }
    serde_json::to_vec(&value).unwrap_or_default()
}

/// Names the article files of the source folders: the path within the
/// folder, prefixed with the folder's name when there are several.
fn list_sources(roots: &[PathBuf], failures: &mut Vec<Failure>) -> Result<Vec<Source>, BuildError> {
    let mut names = BTreeSet::new();
    let prefixes: Vec<String> = if roots.len() > 1 {
        let names: Vec<String> = roots.iter().map(|r| r.canonicalize().unwrap_or_else(|_| r.clone()).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() || names[..i].contains(name) {
                return Err(BuildError::Invalid(format!(
                    "the source folders need different names when several are given (articles are named <folder>/<path>): '{}' repeats one",
                    roots[i].display()
                )));
            }
        }
        names.into_iter().map(|n| format!("{n}/")).collect()
    } else {
        vec![String::new()]
    };
    let mut out = Vec::new();
    for (root, prefix) in roots.iter().zip(&prefixes) {
        if !root.is_dir() {
            return Err(BuildError::Invalid(format!("'{}' is not a folder of articles", root.display())));
        }
        let (files, errors) = crate::collection::walk(root);
        failures.extend(errors.into_iter().map(|error| Failure {
            path: root.join(&error.path).display().to_string(),
            name: format!("{prefix}{}", error.path),
            reason: error.reason,
        }));
        for file in files {
            let name = format!("{prefix}{}", file.path);
            if names.insert(name.clone()) {
                out.push(Source { name, full: file.full_path });
            }
        }
    }
    Ok(out)
}

/// Checks that `out` may be written: new, empty, or a collection built before.
fn check_output(out: &Path, sources: &[PathBuf]) -> Result<(), BuildError> {
    let out_abs = out.canonicalize().ok();
    for source in sources {
        let source_abs = source.canonicalize().unwrap_or_else(|_| source.clone());
        if out_abs.as_ref().is_some_and(|o| o.starts_with(&source_abs)) {
            return Err(BuildError::Invalid(format!(
                "the output '{}' is inside the source folder '{}': its page would be read as articles next time; write it elsewhere",
                out.display(),
                source.display()
            )));
        }
    }
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(BuildError::Invalid(format!("'{}' exists and is not a folder", out.display())));
    }
    let manifest = out.join("collection").join("manifest.json");
    let is_collection = std::fs::read_to_string(&manifest).ok().and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok()).is_some_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(MANIFEST_FORMAT));
    let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
    if !is_collection && !empty {
        return Err(BuildError::Invalid(format!(
            "'{}' is not empty and holds no Lectern collection: choose a new or empty folder (a folder built by `lectern index` before is updated)",
            out.display()
        )));
    }
    Ok(())
}

/// Builds (or updates) a static collection.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    if options.sources.is_empty() {
        return Err(BuildError::Invalid("no source folder given".into()));
    }
    check_output(&options.out, &options.sources)?;
    let collection = options.out.join("collection");
    std::fs::create_dir_all(&collection).map_err(io(&collection))?;
    let generator = format!("lectern {}", env!("CARGO_PKG_VERSION"));
    let mut report = BuildReport::default();
    let sources = list_sources(&options.sources, &mut report.failures)?;

    let previous: Record = read_collection_file(&collection, SOURCES_PATH)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
        .filter(|r| r.generator == generator && r.base == options.base)
        .unwrap_or_default();
    let mut output = Output { root: collection.clone(), files: BTreeMap::new(), written: 0, bytes_written: 0, unchanged: 0, bytes_total: 0 };

    // 1. Read.
    let spill_path = collection.join(format!(".spill-{}", std::process::id()));
    let _spill_guard = RemoveOnDrop(spill_path.clone());
    let mut spill = std::fs::File::create(&spill_path).map_err(io(&spill_path))?;
    let mut spill_at = 0u64;
    let mut pending: Vec<Pending> = Vec::with_capacity(sources.len());
    let mut ids: HashMap<String, String> = HashMap::new();
    progress.phase("reading", sources.len() as u64);
    for batch in sources.chunks(READ_BATCH) {
        let results: Vec<Result<(Article, String, bool), Failure>> = batch
            .par_iter()
            .map(|source| {
                let fail = |reason: String| Failure { path: source.full.display().to_string(), name: source.name.clone(), reason };
                let bytes = std::fs::read(&source.full).map_err(|e| fail(format!("cannot read: {e}")))?;
                let hash = hex(fnv1a(&bytes));
                if let Some((old_hash, id, slot)) = previous.files.get(&source.name) {
                    if *old_hash == hash {
                        if let Some(article) = read_back(&collection, id, *slot) {
                            return Ok((article, hash, true));
                        }
                    }
                }
                let parse_options = ParseOptions { base: file_base(options.base.as_deref(), &source.name) };
                parse_article(&source.name, &bytes, &parse_options).map(|a| (a, hash, false)).map_err(|e| fail(e.to_string()))
            })
            .collect();
        for (result, source) in results.into_iter().zip(batch) {
            progress.advance(1);
            let (article, source_hash, reused) = match result {
                Ok(done) => done,
                Err(failure) => {
                    report.failures.push(failure);
                    continue;
                }
            };
            if let Some(other) = ids.get(&article.id) {
                report.failures.push(Failure {
                    path: source.full.display().to_string(),
                    name: source.name.clone(),
                    reason: format!("its id {} is also the id of '{other}'", article.id),
                });
                continue;
            }
            ids.insert(article.id.clone(), source.name.clone());
            if reused {
                report.reused += 1;
            } else {
                report.parsed += 1;
            }
            let file = article_file_bytes(&article);
            let v = hex(fnv1a(&file));
            output.put(&article_path(&article.id), &gzip(&file))?;
            let card = Card { entry: Summary::of(&article, v), text: article.text };
            let card_bytes = gzip(&serde_json::to_vec(&card).unwrap_or_default());
            spill.write_all(&card_bytes).map_err(io(&spill_path))?;
            pending.push(Pending {
                id: article.id,
                name: source.name.clone(),
                date: article.date.as_deref().and_then(date_seconds),
                source_hash,
                spill_at,
                spill_len: card_bytes.len() as u32,
            });
            spill_at += card_bytes.len() as u64;
        }
    }
    spill.flush().map_err(io(&spill_path))?;
    drop(spill);

    // 2. Index, in slot order.
    pending.sort_by(slot_order);
    let n = u32::try_from(pending.len()).map_err(|_| BuildError::Invalid("more than 4 billion articles".into()))?;
    report.articles = n;
    progress.phase("indexing", u64::from(n));
    let mut spill = std::fs::File::open(&spill_path).map_err(io(&spill_path))?;
    let budget = if options.memory_budget == 0 { DEFAULT_MEMORY_BUDGET } else { options.memory_budget };
    let mut runs: Vec<PathBuf> = Vec::new();
    let mut run_terms = 0u64;
    let mut _run_guards: Vec<RemoveOnDrop> = Vec::new();
    let mut terms = StringTable::default();
    let mut postings: Vec<Building> = Vec::new();
    let mut held = 0usize;
    let mut tables = [StringTable::default(), StringTable::default(), StringTable::default()]; // categories, authors, sources
    let mut len_sums = [0u64; FIELD_COUNT];
    let mut list: Vec<Summary> = Vec::with_capacity(LIST_PAGE as usize);
    let mut block = DocBlock::default();
    // Token counts per field of every slot (16 bytes each), written with the postings.
    let mut slot_lens: Vec<FieldCounts> = Vec::with_capacity(n as usize);
    let mut block_dates: Vec<(Option<i64>, Option<i64>)> = Vec::new();
    let mut facet_categories: Vec<u32> = Vec::new();
    let mut facet_sources: Vec<u32> = Vec::new();
    let mut years: Vec<YearSpan> = Vec::new();
    let mut record = Record { generator: generator.clone(), base: options.base.clone(), files: BTreeMap::new() };
    for (batch_number, batch) in pending.chunks(INDEX_BATCH).enumerate() {
        let mut raw: Vec<Vec<u8>> = Vec::with_capacity(batch.len());
        for p in batch {
            let mut bytes = vec![0u8; p.spill_len as usize];
            spill.seek(SeekFrom::Start(p.spill_at)).map_err(io(&spill_path))?;
            spill.read_exact(&mut bytes).map_err(io(&spill_path))?;
            raw.push(bytes);
        }
        let decoded: Vec<Result<(Card, ArticleTerms, FieldCounts), BuildError>> = raw
            .par_iter()
            .map(|bytes| {
                let json = gunzip(bytes).map_err(io(&spill_path))?;
                let card: Card = serde_json::from_slice(&json).map_err(|e| BuildError::Invalid(format!("the spill file is damaged: {e}")))?;
                let (article_terms, lens) = article_terms(&card);
                Ok((card, article_terms, lens))
            })
            .collect();
        for (i, (item, bytes)) in decoded.into_iter().zip(&raw).enumerate() {
            let (card, article_terms, lens) = item?;
            let slot = (batch_number * INDEX_BATCH + i) as u32;
            let p = &batch[i];
            output.put(&card_path(slot), bytes)?;
            record.files.insert(p.name.clone(), (p.source_hash.clone(), p.id.clone(), slot));
            for (sum, len) in len_sums.iter_mut().zip(lens) {
                *sum += u64::from(len);
            }
            for (term, counts, positions) in article_terms {
                let id = terms.intern(&term);
                if id as usize == postings.len() {
                    postings.push(Building::default());
                    held += term.len() + 64;
                }
                let list = &mut postings[id as usize];
                let before = list.bytes.len();
                let delta = if list.len == 0 { slot } else { slot - list.last };
                let mut fields = 0u64;
                for (f, &c) in counts.iter().enumerate() {
                    if c > 0 {
                        fields |= 1 << f;
                    }
                }
                write_varint(&mut list.bytes, (u64::from(delta) << 4) | fields);
                for f in 0..FIELD_COUNT {
                    if counts[f] > 0 {
                        write_varint(&mut list.bytes, u64::from(counts[f]));
                        let mut previous = 0u32;
                        for (k, &position) in positions[f].iter().enumerate() {
                            write_varint(&mut list.bytes, u64::from(if k == 0 { position } else { position - previous }));
                            previous = position;
                        }
                    }
                }
                list.last = slot;
                list.len += 1;
                held += list.bytes.len() - before;
            }
            if held >= budget {
                run_terms += terms.len() as u64;
                runs.push(write_run(&collection, runs.len(), &terms, &postings)?);
                _run_guards.push(RemoveOnDrop(runs[runs.len() - 1].clone()));
                terms = StringTable::default();
                postings = Vec::new();
                held = 0;
            }
            let entry = &card.entry;
            let categories: Vec<u32> = entry.categories.iter().map(|c| tables[0].intern(c)).collect();
            let author = entry.author.as_deref().map(|a| tables[1].intern(a));
            let source = entry.source.as_deref().map(|s| tables[2].intern(s));
            for &c in &categories {
                if c as usize == facet_categories.len() {
                    facet_categories.push(0);
                }
                facet_categories[c as usize] += 1;
            }
            if let Some(s) = source {
                if s as usize == facet_sources.len() {
                    facet_sources.push(0);
                }
                facet_sources[s as usize] += 1;
            }
            if let Some(year) = p.date.and_then(year_of) {
                // Slots are in date order: a year's articles are consecutive.
                match years.last_mut() {
                    Some(span) if span.year == year => span.count += 1,
                    _ => years.push(YearSpan { year, first: slot, count: 1 }),
                }
            }
            slot_lens.push(lens);
            block.meta.push(DocMeta { source, author, categories });
            block.dates.push(p.date);
            if block.meta.len() == DOC_BLOCK as usize {
                block.write(&mut output, slot / DOC_BLOCK, &mut block_dates)?;
            }
            list.push(card.entry);
            if list.len() == LIST_PAGE as usize {
                output.put(&list_path(slot / LIST_PAGE), &gzip(&serde_json::to_vec(&list).unwrap_or_default()))?;
                list.clear();
            }
            progress.advance(1);
        }
    }
    if !block.meta.is_empty() {
        block.write(&mut output, (n - 1) / DOC_BLOCK, &mut block_dates)?;
    }
    if !list.is_empty() {
        output.put(&list_path((n - 1) / LIST_PAGE), &gzip(&serde_json::to_vec(&list).unwrap_or_default()))?;
    }
    drop(spill);

    // 3. The index: the runs merged, term by term, in term order.
    run_terms += terms.len() as u64;
    runs.push(write_run(&collection, runs.len(), &terms, &postings)?);
    _run_guards.push(RemoveOnDrop(runs[runs.len() - 1].clone()));
    drop(postings);
    drop(terms);
    report.runs = runs.len();
    let mut merger = Merger::open(&runs, run_terms)?;
    progress.phase("writing the index", merger.terms_left());
    let mut term_firsts: Vec<String> = Vec::new();
    let mut shard = ShardWriter::new(Kind::Terms);
    let mut positions_shard = ShardWriter::new(Kind::Positions);
    // Words of the typo index, and (word, deleted letter or u8::MAX for none).
    let mut typo_words = StringTable::default();
    let mut typo_pairs: Vec<(u32, u8)> = Vec::new();
    let mut merged = 0u64;
    while let Some((term, list, pieces)) = merger.next()? {
        merged += pieces;
        let (counts, positions, lens) = split_postings(&list, &slot_lens);
        if shard.count == 0 {
            term_firsts.push(term.clone());
        }
        shard.coder.push(&mut shard.body, &term);
        write_varint(&mut shard.body, u64::from(list.len));
        write_varint(&mut shard.body, counts.len() as u64);
        shard.body.extend_from_slice(&counts);
        write_varint(&mut shard.body, lens.len() as u64);
        shard.body.extend_from_slice(&lens);
        shard.count += 1;
        write_varint(&mut positions_shard.body, positions.len() as u64);
        positions_shard.body.extend_from_slice(&positions);
        positions_shard.count += 1;
        if format::in_typo_index(&term) && term.len() < usize::from(u8::MAX) {
            let word = typo_words.intern(&term);
            typo_pairs.push((word, u8::MAX));
            if term.len() >= 5 {
                typo_pairs.extend((0..term.len() as u8).map(|i| (word, i)));
            }
        }
        if shard.body.len() >= TERM_SHARD_BYTES || positions_shard.body.len() >= POSITION_SHARD_BYTES {
            let number = term_firsts.len() - 1;
            output.put(&terms_path(number), &gzip(&shard.finish()))?;
            output.put(&positions_path(number), &gzip(&positions_shard.finish()))?;
        }
        progress.advance(pieces);
    }
    if shard.count > 0 {
        let number = term_firsts.len() - 1;
        output.put(&terms_path(number), &gzip(&shard.finish()))?;
        output.put(&positions_path(number), &gzip(&positions_shard.finish()))?;
    }
    report.term_shards = term_firsts.len();
    progress.advance(run_terms.saturating_sub(merged));
    drop(merger);
    drop(_run_guards);

    // The typo index: keys sorted, each with its words in order.
    let key_of = |&(word, deleted): &(u32, u8)| {
        let text = typo_words.get(word).as_bytes();
        text.iter().enumerate().filter(move |(i, _)| *i != usize::from(deleted)).map(|(_, &b)| b)
    };
    typo_pairs.sort_unstable_by(|a, b| key_of(a).cmp(key_of(b)).then_with(|| a.0.cmp(&b.0)));
    typo_pairs.dedup_by(|a, b| a.0 == b.0 && key_of(a).eq(key_of(b)));
    let mut typo_firsts: Vec<String> = Vec::new();
    let mut typo_shard = ShardWriter::new(Kind::Typos);
    let mut i = 0;
    while i < typo_pairs.len() {
        let mut j = i;
        while j < typo_pairs.len() && key_of(&typo_pairs[j]).eq(key_of(&typo_pairs[i])) {
            j += 1;
        }
        let key = String::from_utf8(key_of(&typo_pairs[i]).collect()).unwrap_or_default();
        if typo_shard.count == 0 {
            typo_firsts.push(key.clone());
        }
        typo_shard.coder.push(&mut typo_shard.body, &key);
        write_varint(&mut typo_shard.body, (j - i) as u64);
        for (word, _) in &typo_pairs[i..j] {
            lectern_core::search::persist::write_str(&mut typo_shard.body, typo_words.get(*word));
        }
        typo_shard.count += 1;
        if typo_shard.body.len() >= TYPO_SHARD_BYTES {
            output.put(&typos_path(typo_firsts.len() - 1), &gzip(&typo_shard.finish()))?;
        }
        i = j;
    }
    if typo_shard.count > 0 {
        output.put(&typos_path(typo_firsts.len() - 1), &gzip(&typo_shard.finish()))?;
    }
    drop(typo_pairs);

    let facet_order = |counts: &[u32], table: &StringTable| {
        let mut list: Vec<(u32, u32)> = counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(id, &c)| (id as u32, c)).collect();
        list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| table.get(a.0).cmp(table.get(b.0))));
        list
    };
    // Which slot each id is in, sorted by id, in shards.
    let mut id_slots: Vec<(String, u32)> = pending.iter().enumerate().map(|(slot, p)| (p.id.clone(), slot as u32)).collect();
    id_slots.sort_unstable();
    let mut id_firsts = Vec::new();
    for (number, chunk) in id_slots.chunks(ID_SHARD).enumerate() {
        id_firsts.push(chunk[0].0.clone());
        output.put(&ids_path(number), &gzip(&encode_ids(chunk)))?;
    }
    drop(id_slots);

    let strings = |table: &StringTable| table.iter().map(str::to_owned).collect::<Vec<_>>();
    let meta = IndexMeta {
        documents: n,
        len_sums,
        categories: strings(&tables[0]),
        authors: strings(&tables[1]),
        sources: strings(&tables[2]),
        term_shards: term_firsts,
        typo_shards: typo_firsts,
        facets: StoredFacets {
            categories: facet_order(&facet_categories, &tables[0]),
            sources: facet_order(&facet_sources, &tables[2]),
        },
        years,
        block_dates,
        id_shards: id_firsts,
    };
    output.put(INDEX_PATH, &gzip(&encode_index(&meta)))?;
    output.put(SOURCES_PATH, &gzip(&serde_json::to_vec(&record).unwrap_or_default()))?;

    // The build id: a hash of every file's path and content hash.
    let mut all = Vec::new();
    for (path, hash) in &output.files {
        all.extend_from_slice(path.as_bytes());
        all.extend_from_slice(&hash.to_le_bytes());
    }
    let manifest_bytes_total = output.bytes_total;
    let manifest = Manifest {
        format: MANIFEST_FORMAT.to_owned(),
        version: u32::from(format::FORMAT_VERSION),
        generator,
        build: hex(fnv1a(&all)),
        articles: n,
        skipped: report.failures.len() as u32,
        skipped_files: report.failures.iter().take(MAX_LISTED_SKIPPED).map(|f| Skipped { name: f.name.clone(), reason: f.reason.clone() }).collect(),
        sources: options.sources.iter().map(|s| s.display().to_string()).collect(),
        list_page: LIST_PAGE,
        doc_block: DOC_BLOCK,
        bytes: manifest_bytes_total,
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    manifest_json.push(b'\n');
    output.put("manifest.json", &manifest_json)?;
    report.files_removed = remove_stale(&collection, &output.files)?;
    if let Some(web) = &options.web {
        copy_page(web, &options.out, &mut output)?;
    }
    report.files_written = output.written;
    report.bytes_written = output.bytes_written;
    report.files_unchanged = output.unchanged;
    report.bytes_total = output.bytes_total;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads an article of the previous build back (its file and its card's text).
/// The base URL of one source file (see [`BuildOptions::base`]).
fn file_base(base: Option<&str>, name: &str) -> Option<String> {
    let base = base?;
    if !base.ends_with('/') {
        return Some(base.to_owned());
    }
    let encoded: Vec<String> = name.split('/').map(|segment| url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>().replace('+', "%20")).collect();
    Some(format!("{base}{}", encoded.join("/")))
}

fn read_back(collection: &Path, id: &str, slot: u32) -> Option<Article> {
    let file = read_collection_file(collection, &article_path(id)).ok()?;
    let card: Card = serde_json::from_slice(&read_collection_file(collection, &card_path(slot)).ok()?).ok()?;
    if card.entry.id != id {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_slice(&file).ok()?;
    value.as_object_mut()?.insert("text".into(), serde_json::Value::String(card.text));
    serde_json::from_value(value).ok()
}

/// Splits a building posting list into the posting list proper, the positions,
/// and the token counts of each entry's document in the fields the term is in.
fn split_postings(list: &Building, slot_lens: &[FieldCounts]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut counts = PostingList::default();
    let mut positions = Vec::new();
    let mut lens = Vec::new();
    let bytes = &list.bytes[..];
    let mut at = 0usize;
    let mut slot = 0u32;
    for k in 0..list.len {
        let Some(head) = read_varint(bytes, &mut at) else { break };
        let delta = (head >> 4) as u32;
        slot = if k == 0 { delta } else { slot + delta };
        let fields = head & 0xF;
        let mut tf = [0u32; FIELD_COUNT];
        for (f, count) in tf.iter_mut().enumerate() {
            if fields & (1 << f) != 0 {
                *count = read_varint(bytes, &mut at).unwrap_or(0) as u32;
                for _ in 0..*count {
                    let step = read_varint(bytes, &mut at).unwrap_or(0);
                    write_varint(&mut positions, step);
                }
            }
        }
        counts.push(slot, &tf);
        let of_slot = slot_lens.get(slot as usize).copied().unwrap_or_default();
        for f in 0..FIELD_COUNT {
            if tf[f] > 0 {
                write_varint(&mut lens, u64::from(of_slot[f]));
            }
        }
    }
    (counts.bytes().to_vec(), positions, lens)
}

struct ShardWriter {
    kind: Kind,
    body: Vec<u8>,
    count: usize,
    coder: FrontCoder,
}

impl ShardWriter {
    fn new(kind: Kind) -> ShardWriter {
        ShardWriter { kind, body: Vec::new(), count: 0, coder: FrontCoder::new() }
    }

    fn finish(&mut self) -> Vec<u8> {
        let mut out = header(self.kind);
        write_varint(&mut out, self.count as u64);
        out.append(&mut self.body);
        self.count = 0;
        self.coder = FrontCoder::new();
        out
    }
}

/// Removes files of the collection's own folders that this build did not write.
fn remove_stale(collection: &Path, keep: &BTreeMap<String, u64>) -> Result<u64, BuildError> {
    let mut removed = 0;
    for folder in OWNED_FOLDERS {
        let root = collection.join(folder);
        if !root.is_dir() {
            continue;
        }
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&root).contents_first(true) {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if entry.file_type().is_dir() {
                dirs.push(path.to_path_buf());
                continue;
            }
            let Ok(relative) = path.strip_prefix(collection) else { continue };
            let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if !keep.contains_key(&name) && name.ends_with(".bin") {
                std::fs::remove_file(path).map_err(io(path))?;
                removed += 1;
            }
        }
        for dir in dirs {
            // Only empty folders go; others stay.
            let _ = std::fs::remove_dir(&dir);
        }
    }
    Ok(removed)
}

/// Copies the built web page into the site folder (its `collection/` aside).
fn copy_page(web: &Path, out: &Path, output: &mut Output) -> Result<(), BuildError> {
    for entry in walkdir::WalkDir::new(web).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(web) else { continue };
        if relative.starts_with("collection") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(io(entry.path()))?;
        let target = out.join(relative);
        if std::fs::read(&target).is_ok_and(|old| old == bytes) {
            output.unchanged += 1;
            continue;
        }
        write_replacing(&target, &bytes)?;
        output.written += 1;
        output.bytes_written += bytes.len() as u64;
    }
    Ok(())
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes the posting lists held in memory as a run: terms in order, each
/// `string term, varint len, varint last slot, varint byte length, entries`
/// (the first entry's slot absolute).
fn write_run(collection: &Path, number: usize, terms: &StringTable, postings: &[Building]) -> Result<PathBuf, BuildError> {
    let path = collection.join(format!(".run-{}-{number}", std::process::id()));
    let file = std::fs::File::create(&path).map_err(io(&path))?;
    let mut out = BufWriter::new(file);
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    terms.sort_ids(&mut order);
    let mut record = Vec::new();
    for id in order {
        let list = &postings[id as usize];
        record.clear();
        lectern_core::search::persist::write_str(&mut record, terms.get(id));
        write_varint(&mut record, u64::from(list.len));
        write_varint(&mut record, u64::from(list.last));
        write_varint(&mut record, list.bytes.len() as u64);
        record.extend_from_slice(&list.bytes);
        out.write_all(&record).map_err(io(&path))?;
    }
    out.flush().map_err(io(&path))?;
    Ok(path)
}

/// Reads one run back, a term at a time.
struct RunReader {
    path: PathBuf,
    input: BufReader<std::fs::File>,
    /// The next record: term, and its list.
    head: Option<(String, Building)>,
}

fn read_run_varint(input: &mut impl BufRead) -> std::io::Result<Option<u64>> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let mut byte = [0u8; 1];
        if input.read(&mut byte)? == 0 {
            return if shift == 0 { Ok(None) } else { Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "cut short")) };
        }
        value |= u64::from(byte[0] & 0x7F) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(Some(value));
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "a number is too long"))
}

impl RunReader {
    fn advance(&mut self) -> Result<(), BuildError> {
        let path = self.path.clone();
        let fail = io(&path);
        let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the run is cut short");
        let Some(length) = read_run_varint(&mut self.input).map_err(&fail)? else {
            self.head = None;
            return Ok(());
        };
        let mut term = vec![0u8; length as usize];
        self.input.read_exact(&mut term).map_err(&fail)?;
        let len = read_run_varint(&mut self.input).map_err(&fail)?.ok_or_else(eof).map_err(&fail)? as u32;
        let last = read_run_varint(&mut self.input).map_err(&fail)?.ok_or_else(eof).map_err(&fail)? as u32;
        let size = read_run_varint(&mut self.input).map_err(&fail)?.ok_or_else(eof).map_err(&fail)? as usize;
        let mut bytes = SmallVec::from_elem(0u8, size);
        self.input.read_exact(&mut bytes).map_err(&fail)?;
        let term = String::from_utf8(term).map_err(|_| BuildError::Invalid(format!("{}: a term is not UTF-8", path.display())))?;
        self.head = Some((term, Building { bytes, last, len }));
        Ok(())
    }
}

/// Merges runs: each term once, in order, its lists joined in run (slot) order.
struct Merger {
    runs: Vec<RunReader>,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(String, usize)>>,
    terms: u64,
}

impl Merger {
    fn open(paths: &[PathBuf], terms: u64) -> Result<Merger, BuildError> {
        let mut merger = Merger { runs: Vec::new(), heap: std::collections::BinaryHeap::new(), terms };
        for (i, path) in paths.iter().enumerate() {
            let file = std::fs::File::open(path).map_err(io(path))?;
            let mut run = RunReader { path: path.clone(), input: BufReader::with_capacity(256 * 1024, file), head: None };
            run.advance()?;
            if let Some((term, _)) = &run.head {
                merger.heap.push(std::cmp::Reverse((term.clone(), i)));
            }
            merger.runs.push(run);
        }
        Ok(merger)
    }

    /// The terms of all runs, counting a term once per run (for progress).
    fn terms_left(&self) -> u64 {
        self.terms
    }

    /// The next term, its joined list, and from how many runs.
    fn next(&mut self) -> Result<Option<(String, Building, u64)>, BuildError> {
        let Some(std::cmp::Reverse((term, _))) = self.heap.peek().cloned() else { return Ok(None) };
        let mut joined = Building::default();
        let mut pieces = 0u64;
        while let Some(std::cmp::Reverse((next, i))) = self.heap.peek().cloned() {
            if next != term {
                break;
            }
            self.heap.pop();
            pieces += 1;
            let run = &mut self.runs[i];
            if let Some((_, list)) = run.head.take() {
                append_list(&mut joined, &list);
            }
            run.advance()?;
            if let Some((t, _)) = &run.head {
                self.heap.push(std::cmp::Reverse((t.clone(), i)));
            }
        }
        Ok(Some((term, joined, pieces)))
    }
}

/// Appends a run's list (its first slot absolute) to a list of earlier slots.
fn append_list(joined: &mut Building, list: &Building) {
    if list.len == 0 {
        return;
    }
    if joined.len == 0 {
        *joined = Building { bytes: list.bytes.clone(), last: list.last, len: list.len };
        return;
    }
    let mut at = 0usize;
    let Some(head) = read_varint(&list.bytes, &mut at) else { return };
    let first = (head >> 4) as u32;
    write_varint(&mut joined.bytes, (u64::from(first - joined.last) << 4) | (head & 0xF));
    joined.bytes.extend_from_slice(&list.bytes[at..]);
    joined.last = list.last;
    joined.len += list.len;
}
