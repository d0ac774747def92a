//! Full-text search over articles, CJK-aware, in plain Rust (used natively by
//! the CLI and in the browser through `src/wasm.rs`).
//!
//! # What matches
//!
//! The title, each category, the author and the body text of every article are
//! searched (each on its own: a match never spans two of them). Index and query
//! share one tokeniser ([`tokenize`]): text is folded (case, full width, Latin
//! accents, Arabic tashkeel, Hebrew niqqud, see [`tokenize::fold_char`]), split
//! into words for spaced scripts, and into single letters for Han, Kana and
//! Hangul, indexed as letters and overlapping bigrams.
//!
//! A document matches a query when **every term** matches ([`query`]):
//!
//! - a **CJK run** (adjacent Han/Kana/Hangul letters) matches exactly the
//!   documents where the folded run is a substring of a folded field: one
//!   letter or two use the posting list of that letter or bigram; longer runs
//!   take the documents holding all their bigrams and verify each against the
//!   stored text, so there are no false positives;
//! - a **word** matches the same word; the last word of the query also matches
//!   longer words it starts (while typing); a word of 5 or more letters `a`–`z`
//!   also matches words one edit away, ranked below exact matches;
//! - a **quoted phrase** matches its words and letters in order ([`query`]).
//!
//! Ranking is BM25 with field boosts and a recency tie-break ([`rank`]).
//! Snippets mark matches with code point ranges ([`snippet`]). Facets and
//! filters are in [`facets`]; the saved format in [`persist`].
//!
//! ```
//! use lectern_core::search::{Document, SearchIndex, SearchOptions};
//! let mut index = SearchIndex::new();
//! index.add(Document { id: "1".into(), title: "东京的夜班巴士".into(), text: "新的夜班巴士线路今天开通。".into(), ..Default::default() });
//! index.add(Document { id: "2".into(), title: "Night buses".into(), text: "New night bus routes open today.".into(), ..Default::default() });
//! let results = index.search("夜班巴士", &SearchOptions::default()).unwrap();
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].id, "1");
//! assert_eq!(results.hits[0].snippet.ranges, [[2, 6]]);
//! let results = index.search("nigth", &SearchOptions::default()).unwrap(); // one typo
//! assert_eq!(results.hits[0].id, "2");
//! ```

pub mod accents;
pub mod corpus;
pub mod facets;
pub mod index;
pub mod persist;
pub mod postings;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod strings;
pub mod tokenize;

pub use corpus::{Corpus, DocInfo, Postings, Table};
pub use facets::{FacetCount, Facets, Filters};
pub use index::{Document, SearchIndex};
pub use persist::PersistError;
pub use snippet::{Snippet, SNIPPET_CHARS};

use facets::CompiledFilters;
use rank::Matched;
use serde::{Deserialize, Serialize};

/// Default number of hits per page.
pub const DEFAULT_LIMIT: usize = 20;
/// Default number of values per facet.
pub const DEFAULT_FACET_LIMIT: usize = 100;

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// A date filter is not a date.
    #[error("filters.{field}: '{value}' is not a date (expected RFC 3339 such as 2024-05-01T08:00:00Z, or YYYY-MM-DD)")]
    BadDate {
        /// `from` or `to`.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// `from` is after `to`.
    #[error("filters: from ({from}) is after to ({to})")]
    EmptyDateRange {
        /// The `from` value.
        from: String,
        /// The `to` value.
        to: String,
    },
}

/// How to search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SearchOptions {
    /// Most hits returned (default 20).
    pub limit: usize,
    /// Hits to skip, for paging (default 0).
    pub offset: usize,
    /// Restrictions on the results.
    pub filters: Filters,
    /// Match the last word as a prefix too (default true).
    pub prefix: bool,
    /// Match words of 5+ letters with one typo too (default true).
    pub typos: bool,
    /// Most values per facet (default 100).
    pub facet_limit: usize,
    /// Most characters of text in a snippet (default 160; 0 for no snippets).
    pub snippet_chars: usize,
    /// Order of the hits (default: relevance).
    pub sort: Sort,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: DEFAULT_LIMIT,
            offset: 0,
            filters: Filters::default(),
            prefix: true,
            typos: true,
            facet_limit: DEFAULT_FACET_LIMIT,
            snippet_chars: SNIPPET_CHARS,
            sort: Sort::Relevance,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The document's id.
    pub id: String,
    /// Its score (0 when listing without a query).
    pub score: f32,
    /// Text around the best match.
    pub snippet: Snippet,
}

/// The answer to a search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents (all pages).
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching documents.
    pub facets: Facets,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sort {
    /// Fewer typo matches, then higher score, then newest (the default).
    #[default]
    Relevance,
    /// Newest first (undated last), then by id.
    Newest,
    /// Oldest first (undated first), then by id, descending.
    Oldest,
}

/// Orders matches for `sort` (ties: newest first, then by id).
pub(crate) fn order(corpus: &dyn Corpus, sort: Sort, a: &Matched, b: &Matched) -> std::cmp::Ordering {
    match sort {
        Sort::Relevance => a
            .typos
            .cmp(&b.typos)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| corpus.tie_order(a.slot, b.slot)),
        Sort::Newest => corpus.tie_order(a.slot, b.slot),
        Sort::Oldest => corpus.tie_order(b.slot, a.slot),
    }
}

/// The matches of a query that pass its filters, scored, before ordering:
/// every document for an empty query.
pub(crate) fn matches(corpus: &dyn Corpus, parsed: &query::Query, filters: &CompiledFilters) -> Vec<Matched> {
    if parsed.is_empty() {
        return corpus
            .slots()
            .into_iter()
            .filter(|&slot| corpus.doc(slot).is_some_and(|d| filters.accepts(slot, &d)))
            .map(|slot| Matched { slot, score: 0.0, typos: 0 })
            .collect();
    }
    let found = rank::candidates(corpus, parsed);
    rank::score(corpus, parsed, &found, filters)
}

/// Orders `matches` and keeps the requested page of them.
pub(crate) fn page_of(corpus: &dyn Corpus, mut matches: Vec<Matched>, options: &SearchOptions) -> Vec<Matched> {
    let total = matches.len();
    let order = |a: &Matched, b: &Matched| order(corpus, options.sort, a, b);
    let wanted = options.offset.saturating_add(options.limit).min(total);
    if wanted < total && wanted > 0 {
        matches.select_nth_unstable_by(wanted - 1, order);
        matches.truncate(wanted);
    }
    matches.sort_unstable_by(order);
    matches.into_iter().skip(options.offset).take(options.limit).collect()
}

/// The hits of a page of matches: ids and snippets (the documents' ids and text must be present).
pub(crate) fn hits(corpus: &dyn Corpus, page: &[Matched], parsed: &query::Query, options: &SearchOptions) -> Vec<Hit> {
    page.iter()
        .filter_map(|m| {
            Some(Hit {
                id: corpus.id(m.slot)?.to_owned(),
                score: m.score,
                snippet: match options.snippet_chars {
                    0 => Snippet::default(),
                    chars => snippet::snippet(corpus.text(m.slot)?, parsed, chars),
                },
            })
        })
        .collect()
}

/// Searches any [`Corpus`] holding everything the query needs. An empty query
/// (or one of only punctuation) lists the documents that pass the filters,
/// newest first.
pub fn search_corpus(corpus: &dyn Corpus, query: &str, options: &SearchOptions) -> Result<SearchResults, SearchError> {
    let filters = CompiledFilters::new(corpus, &options.filters)?;
    let parsed = query::parse(query, options.prefix, options.typos);
    let matches = matches(corpus, &parsed, &filters);
    let total = matches.len();
    let facets = facets::count(corpus, matches.iter().map(|m| m.slot), options.facet_limit);
    let page = page_of(corpus, matches, options);
    Ok(SearchResults { total, hits: hits(corpus, &page, &parsed, options), facets })
}

impl SearchIndex {
    /// Searches. An empty query (or one of only punctuation) lists the
    /// documents that pass the filters, newest first.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResults, SearchError> {
        search_corpus(self, query, options)
    }

    /// Facet counts over the documents that pass `filters`.
    pub fn facets(&self, filters: &Filters, limit: usize) -> Result<Facets, SearchError> {
        facets_of(self, filters, limit)
    }
}

/// Facet counts over the documents of `corpus` that pass `filters`.
pub fn facets_of(corpus: &dyn Corpus, filters: &Filters, limit: usize) -> Result<Facets, SearchError> {
    let compiled = CompiledFilters::new(corpus, filters)?;
    let slots = corpus.slots().into_iter().filter(|&slot| corpus.doc(slot).is_some_and(|d| compiled.is_empty() || compiled.accepts(slot, &d)));
    Ok(facets::count(corpus, slots, limit))
}
