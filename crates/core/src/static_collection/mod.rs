//! Static collections: a whole collection written once by `lectern index` as
//! plain files for any static host, read back a piece at a time.
//!
//! The page (through `src/wasm.rs`) and `lectern search` read a collection
//! with [`StaticCollection`]: it is fed the files a search asks for and answers
//! with the same query engine as the in-memory index ([`crate::search`]), so
//! results, snippets and facets are the same as with every article in memory.
//!
//! # Layout (under `collection/`)
//!
//! | file | what | fetched |
//! |---|---|---|
//! | `manifest.json` | format, version, counts, build id, list page size (plain JSON) | always |
//! | `index.bin` | term and typo shard tables, facet value tables, facets of all articles, the slots of each year, each block's first and last dates | first search or filter |
//! | `list/N.bin` | list page N: [`Summary`] JSON array, [`LIST_PAGE`] articles, oldest first | the pages on screen |
//! | `terms/N.bin`, `pos/N.bin` | term shard N (posting lists, with the token counts of the fields each document has the term in), and the token positions of its terms | shards of the query's terms; positions only for CJK runs of 3+ letters and phrases |
//! | `typos/N.bin` | words by one-letter deletions, for typo matching | for words of 5+ letters |
//! | `meta/N.bin` | [`DOC_BLOCK`] articles' source, author, categories | blocks of the matches, when filtered by them or counting facets |
//! | `dates/N.bin` | [`DOC_BLOCK`] articles' dates | only the blocks where a date filter's ends fall |
//! | `cards/K/S.bin` | the article in slot S: `{ entry: Summary, text }` (JSON) | the hits shown (snippets) |
//! | `articles/XX/ID.bin` | the whole article without its text (JSON) | opening it |
//! | `ids/N.bin` | [`ID_SHARD`] articles' ids, sorted, with their slots | the shards of the ids a search filters by (a reader's read or starred articles, the articles it added) |
//! | `sources.bin` | the build's record of its source files (for the next build) | never |
//!
//! Every `.bin` file is gzip-compressed. Articles sit in *slots* numbered
//! oldest first (undated first, ties by id, descending), so the list newest
//! first is the slots from the last down, and an article added after the
//! others gets the next slot. Binary formats are in [`format`].
//!
//! Since slot order is date order, the newest/oldest sort needs no dates, a
//! year's facet count is a range of slots, and a date filter is a range found
//! from `index.bin` (and at most two blocks of `dates/`): a query without
//! filters fetches only its term shards (whose postings carry the field
//! lengths BM25 needs), the facet values of its matches' blocks when facets
//! are asked for (`facet_limit` above 0), and the cards of the hits shown.

pub mod format;
mod overlay;
mod reader;


pub use format::FormatError;
pub use reader::{StaticCollection, StaticError, StaticHit, StaticResults, Step};

use crate::article::Summary;
use serde::{Deserialize, Serialize};

/// Format name in `manifest.json`.
pub const MANIFEST_FORMAT: &str = "lectern-collection";
/// Articles per list page.
pub const LIST_PAGE: u32 = 50;
/// Articles per block of `meta/` and `dates/`.
pub const DOC_BLOCK: u32 = 1024;
/// Ids per shard of `ids/`.
pub const ID_SHARD: usize = 2048;
/// Cards per folder of `cards/`.
pub const CARDS_PER_FOLDER: u32 = 1000;

/// `manifest.json`: what a reader needs first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// [`format::FORMAT_VERSION`] of the writer.
    pub version: u32,
    /// The program that wrote it (`lectern 0.1.0`).
    pub generator: String,
    /// A hash of every file of the collection: changes whenever one does
    /// (added to addresses, so no cache serves a file of another build).
    pub build: String,
    /// Number of articles.
    pub articles: u32,
    /// Source files that could not be read (skipped).
    pub skipped: u32,
    /// The first of them (at most 100), with the reason each was skipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_files: Vec<Skipped>,
    /// The folders it was built from, as given to `lectern index`.
    pub sources: Vec<String>,
    /// Articles per list page.
    pub list_page: u32,
    /// Articles per block of `meta/` and `dates/`.
    pub doc_block: u32,
    /// Bytes of all the files of the collection.
    pub bytes: u64,
}

/// A source file a build skipped, as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Its path within the source folders.
    pub name: String,
    /// Why it was skipped.
    pub reason: String,
}

/// The format and version of a manifest, read before the rest (so another
/// version is named, not reported as a shape it does not have).
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestHead {
    /// Should be [`MANIFEST_FORMAT`].
    #[serde(default)]
    pub format: String,
    /// Should be [`format::FORMAT_VERSION`].
    #[serde(default)]
    pub version: u64,
}

impl ManifestHead {
    /// Checks the format and version.
    pub fn check(&self) -> Result<(), FormatError> {
        if self.format != MANIFEST_FORMAT {
            return Err(FormatError::NotOurs { path: "manifest.json".into(), what: "manifest" });
        }
        if self.version != u64::from(format::FORMAT_VERSION) {
            return Err(FormatError::Version {
                path: "manifest.json".into(),
                found: u32::try_from(self.version).unwrap_or(u32::MAX),
                expected: u32::from(format::FORMAT_VERSION),
            });
        }
        Ok(())
    }
}

impl Manifest {
    /// Reads `manifest.json`, checking its format and version.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(text: &str) -> Result<Manifest, FormatError> {
        let damaged = |e: serde_json::Error| FormatError::Damaged { path: "manifest.json".into(), detail: e.to_string() };
        serde_json::from_str::<ManifestHead>(text).map_err(damaged)?.check()?;
        serde_json::from_str::<Manifest>(text).map_err(damaged)?.checked()
    }

    /// Checks the values a reader relies on.
    pub fn checked(self) -> Result<Manifest, FormatError> {
        ManifestHead { format: self.format.clone(), version: u64::from(self.version) }.check()?;
        if self.list_page == 0 || self.doc_block == 0 {
            return Err(FormatError::Damaged { path: "manifest.json".into(), detail: "listPage and docBlock must be positive".into() });
        }
        Ok(self)
    }

    /// Number of list pages.
    pub fn list_pages(&self) -> u32 {
        self.articles.div_ceil(self.list_page)
    }
}

/// `cards/K/S.bin`: what a search hit needs (its entry, and the text for the snippet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The article as the list shows it.
    pub entry: Summary,
    /// The article's plain text.
    pub text: String,
}

/// Path of `index.bin`.
pub const INDEX_PATH: &str = "index.bin";
/// Path of the build record.
pub const SOURCES_PATH: &str = "sources.bin";

/// Path of list page `page`.
pub fn list_path(page: u32) -> String {
    format!("list/{page}.bin")
}
/// Path of term shard `shard`.
pub fn terms_path(shard: usize) -> String {
    format!("terms/{shard}.bin")
}
/// Path of the positions of term shard `shard`.
pub fn positions_path(shard: usize) -> String {
    format!("pos/{shard}.bin")
}
/// Path of typo shard `shard`.
pub fn typos_path(shard: usize) -> String {
    format!("typos/{shard}.bin")
}
/// Path of the facet values (sources, authors, categories) of document block `block`.
pub fn meta_path(block: u32) -> String {
    format!("meta/{block}.bin")
}
/// Path of the dates of document block `block`.
pub fn dates_path(block: u32) -> String {
    format!("dates/{block}.bin")
}
/// Path of id shard `shard`.
pub fn ids_path(shard: usize) -> String {
    format!("ids/{shard}.bin")
}
/// Path of the card of `slot`.
pub fn card_path(slot: u32) -> String {
    format!("cards/{}/{slot}.bin", slot / CARDS_PER_FOLDER)
}
/// Path of the article file of `id`.
pub fn article_path(id: &str) -> String {
    let folder: String = id.chars().take(2).collect();
    format!("articles/{folder}/{id}.bin")
}
