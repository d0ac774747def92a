//! The reader WebAssembly module's boundary: `#[wasm_bindgen]` exports only,
//! over `lectern-core`. Every target loads this module first: it shows and
//! searches collections that are already read (a saved library, a static
//! collection built by `lectern index`), and parses nothing. Reading article
//! files is the ingest module's job (`crates/wasm-ingest`).
//!
//! Plain JS objects (camelCase) come in and go out through serde-wasm-bindgen,
//! saved libraries as bytes; errors become JS `Error`s.
#![forbid(unsafe_code)]

use lectern_core::library::Library as CoreLibrary;
use lectern_core::limits::MAX_BATCH_ARTICLES;
use lectern_core::search::{Filters, SearchOptions};
use lectern_core::Article;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("converting the result to JavaScript failed: {e}")))
}

/// The crate version, to check that the page and the WASM match.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The sanitiser's policy as a configuration of the browser's Sanitizer API
/// (`{ elements: [{ name, attributes }], attributes, comments, dataAttributes }`):
/// the page's one HTML sink hands it to `Element.setHTML` as a second check of
/// article HTML the sanitiser already cleaned.
#[wasm_bindgen(js_name = sanitizerConfig)]
pub fn sanitizer_config() -> Result<JsValue, JsError> {
    to_js(&lectern_core::policy::sanitizer_config())
}

/// A collection of parsed articles and their search index, owned by the WASM
/// side so that JavaScript never has to hold every article's HTML.
///
/// ```js
/// const lib = new Library();
/// lib.addArticles(articles);                  // as the ingest module's parseArticles gives them
/// const { total, hits, facets } = lib.search('夜班巴士', { limit: 20, filters: { categories: ['News'] } });
/// const article = lib.article(hits[0].id);   // with html
/// const bytes = lib.saveIndex();              // Uint8Array; Library.loadIndex(bytes) restores it
/// ```
///
/// Snippet ranges are Unicode code point offsets into `snippet.text`: index
/// `Array.from(snippet.text)` to apply them.
#[wasm_bindgen(js_name = Library)]
pub struct Library {
    inner: CoreLibrary,
}

fn search_options_from(options: JsValue) -> Result<SearchOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(SearchOptions::default());
    }
    serde_wasm_bindgen::from_value(options).map_err(|e| {
        JsError::new(&format!(
            "search options: expected {{ limit?, offset?, filters?: {{ categories?, sources?, authors?, from?, to?, ids?, exceptIds? }}, prefix?, typos?, facetLimit?, snippetChars?, sort? }}: {e}"
        ))
    })
}

fn filters_from(filters: JsValue) -> Result<Filters, JsError> {
    if filters.is_undefined() || filters.is_null() {
        return Ok(Filters::default());
    }
    serde_wasm_bindgen::from_value(filters)
        .map_err(|e| JsError::new(&format!("filters: expected {{ categories?, sources?, authors?, from?, to?, ids?, exceptIds? }}: {e}")))
}

impl Default for Library {
    fn default() -> Self {
        Library::new()
    }
}

#[wasm_bindgen(js_class = Library)]
impl Library {
    /// An empty library.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Library {
        Library { inner: CoreLibrary::new() }
    }

    /// Adds already-parsed articles (as `article()` returns them, e.g. restored
    /// from IndexedDB), replacing those with the same id. Returns how many.
    #[wasm_bindgen(js_name = addArticles)]
    pub fn add_articles(&mut self, articles: JsValue) -> Result<u32, JsError> {
        let articles: Vec<Article> = serde_wasm_bindgen::from_value(articles)
            .map_err(|e| JsError::new(&format!("addArticles: expected an array of articles (as article() returns them): {e}")))?;
        if articles.len() > MAX_BATCH_ARTICLES {
            return Err(JsError::new(&format!("addArticles: {} articles is over the limit of {MAX_BATCH_ARTICLES} per call", articles.len())));
        }
        Ok(self.inner.add_articles(articles) as u32)
    }

    /// Removes an article; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        self.inner.remove(id)
    }

    /// The whole article (with `html` and `text`), or `undefined`.
    pub fn article(&self, id: &str) -> Result<JsValue, JsError> {
        match self.inner.article(id) {
            Some(article) => to_js(&article),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Every article without `html`, `text` and `outline`, newest first.
    pub fn summaries(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.summaries())
    }

    /// Searches: `{ total, hits: [{ id, score, snippet: { text, ranges } }], facets }`.
    /// `options`: `{ limit = 20, offset = 0, filters: { categories?, sources?,
    /// authors?, from?, to? }, prefix = true, typos = true, facetLimit = 100 (0: none),
    /// snippetChars = 160 }`. An empty query lists the filtered articles, newest first.
    pub fn search(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let options = search_options_from(options)?;
        let results = self.inner.search(query, &options).map_err(|e| JsError::new(&format!("search: {e}")))?;
        to_js(&results)
    }

    /// Facet counts (`{ categories, sources, years }`) over the articles that pass `filters`.
    pub fn facets(&self, filters: JsValue) -> Result<JsValue, JsError> {
        let filters = filters_from(filters)?;
        let facets = self.inner.facets(&filters).map_err(|e| JsError::new(&format!("facets: {e}")))?;
        to_js(&facets)
    }

    /// The library (index and articles) as bytes, for caching.
    #[wasm_bindgen(js_name = saveIndex)]
    pub fn save_index(&self) -> Vec<u8> {
        self.inner.save()
    }

    /// A library from bytes written by `saveIndex` (an error names a version
    /// mismatch or damage, so the caller can rebuild).
    #[wasm_bindgen(js_name = loadIndex)]
    pub fn load_index(bytes: &[u8]) -> Result<Library, JsError> {
        CoreLibrary::load(bytes).map(|inner| Library { inner }).map_err(|e| JsError::new(&format!("loadIndex: {e}")))
    }

    /// Number of articles.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Bytes the search index holds (postings, terms, stored text and metadata).
    #[wasm_bindgen(getter = indexBytes)]
    pub fn index_bytes(&self) -> f64 {
        self.inner.index_heap_bytes() as f64
    }
}

/// A static collection (built by `lectern index`), read a piece at a time:
/// `search` answers `{ needs: [path, ...] }` until the files it needs were
/// fed (fetch each from the collection folder, decompress, `feed` it), then the
/// results, the same as the in-memory `Library` gives for the same articles.
///
/// ```js
/// const collection = new StaticCollection(manifestText);
/// let step;
/// while ((step = collection.search('夜班巴士', { limit: 20 })).needs) {
///   for (const path of step.needs) collection.feed(path, await fetchDecompressed(path));
/// }
/// const { total, hits, facets } = step;   // hits: [{ id, score, snippet, slot, entry }]
/// ```
#[wasm_bindgen(js_name = StaticCollection)]
pub struct StaticCollection {
    inner: lectern_core::static_collection::StaticCollection,
}

#[derive(Serialize)]
struct Needs {
    needs: Vec<String>,
}

fn step_to_js(step: Result<lectern_core::static_collection::Step, lectern_core::static_collection::StaticError>) -> Result<JsValue, JsError> {
    match step.map_err(|e| JsError::new(&format!("search: {e}")))? {
        lectern_core::static_collection::Step::Need(needs) => to_js(&Needs { needs }),
        lectern_core::static_collection::Step::Done(results) => to_js(&results),
    }
}

#[wasm_bindgen(js_class = StaticCollection)]
impl StaticCollection {
    /// A collection from its parsed `manifest.json` (throws on another format or version).
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: JsValue) -> Result<StaticCollection, JsError> {
        use lectern_core::static_collection::{Manifest, ManifestHead};
        let fail = |e: String| JsError::new(&format!("static collection: {e}"));
        let head: ManifestHead = serde_wasm_bindgen::from_value(manifest.clone()).map_err(|e| fail(format!("manifest.json: {e}")))?;
        head.check().map_err(|e| fail(e.to_string()))?;
        let manifest: Manifest = serde_wasm_bindgen::from_value(manifest).map_err(|e| fail(format!("manifest.json: {e}")))?;
        lectern_core::static_collection::StaticCollection::with_manifest(manifest).map(|inner| StaticCollection { inner }).map_err(|e| fail(e.to_string()))
    }

    /// Takes a binary file a search asked for: its path within the collection, and its bytes, decompressed.
    pub fn feed(&mut self, path: &str, bytes: &[u8]) -> Result<(), JsError> {
        self.inner.feed(path, bytes).map_err(|e| JsError::new(&format!("static collection: {e}")))
    }

    /// Takes a card (`cards/K/S.bin`, parsed from JSON) a search asked for.
    #[wasm_bindgen(js_name = feedCard)]
    pub fn feed_card(&mut self, slot: u32, card: JsValue) -> Result<(), JsError> {
        let card: lectern_core::static_collection::Card =
            serde_wasm_bindgen::from_value(card).map_err(|e| JsError::new(&format!("static collection: cards/{slot}: {e}")))?;
        self.inner.feed_card(slot, card).map_err(|e| JsError::new(&format!("static collection: {e}")))
    }

    /// Notes the ids of a list page (`list/N.bin`) the page fetched: `ids[i]`
    /// is in slot `first + i`, so filters by these ids need no id shard.
    #[wasm_bindgen(js_name = noteSlots)]
    pub fn note_slots(&mut self, first: u32, ids: JsValue) -> Result<(), JsError> {
        let ids: Vec<String> = serde_wasm_bindgen::from_value(ids).map_err(|e| JsError::new(&format!("noteSlots: expected an array of ids: {e}")))?;
        self.inner.note_slots(first, ids).map_err(|e| JsError::new(&format!("static collection: {e}")))
    }

    /// Searches (options as `Library.search`, plus `sort`: 'relevance' | 'newest' | 'oldest';
    /// `filters.ids` / `filters.exceptIds` keep only / leave out articles by id).
    /// Returns `{ needs }` or `{ total, hits, facets }`.
    pub fn search(&mut self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let options = search_options_from(options)?;
        step_to_js(self.inner.search(query, &options))
    }

    /// Searches the collection and the reader's own articles (`added`, a
    /// `Library`) as one: one list, one ranking and one set of facets; an
    /// added article replaces a collection article of the same id. Hits of
    /// added articles carry `added: true`. Returns `{ needs }` or
    /// `{ total, hits, facets }`.
    #[wasm_bindgen(js_name = searchWith)]
    pub fn search_with(&mut self, query: &str, options: JsValue, added: &Library) -> Result<JsValue, JsError> {
        let options = search_options_from(options)?;
        step_to_js(self.inner.search_with(query, &options, Some(&added.inner)))
    }

    /// Facets over the whole collection (`undefined` until `index.bin` was fed).
    pub fn facets(&self, limit: u32) -> Result<JsValue, JsError> {
        match self.inner.facets(limit as usize) {
            Some(facets) => to_js(&facets),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Number of articles.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len()
    }
}
