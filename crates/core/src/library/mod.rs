//! A library: parsed articles and their search index, kept together so that
//! adding, replacing and removing an article updates both.
//!
//! Each article's plain text is stored once, in the index (searching and
//! snippets need it there); the library keeps the rest of the article and puts
//! the text back when the article is asked for.
//!
//! ```
//! use lectern_core::{library::Library, Article};
//! let mut library = Library::new();
//! let id = library.add_article(Article { id: "1".into(), title: "東京の夜".into(), text: "夜行バスが出発した。".into(), ..Default::default() });
//! let results = library.search("夜行バス", &Default::default()).unwrap();
//! assert_eq!(results.hits[0].id, id);
//! assert_eq!(library.article(&id).unwrap().text, "夜行バスが出発した。");
//! ```

mod payload;

use crate::article::{Article, Summary};
use crate::search::persist::{self, PersistError};
use crate::search::{Document, Facets, Filters, SearchError, SearchIndex, SearchOptions, SearchResults, DEFAULT_FACET_LIMIT};
use serde_json::Map;
use std::collections::HashMap;

/// Why saved library bytes could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The index part is not readable.
    #[error(transparent)]
    Index(#[from] PersistError),
    /// The articles stored with the index are not readable.
    #[error("the saved library is damaged: its articles cannot be read ({0})")]
    Articles(String),
}

/// Parsed articles and their search index.
#[derive(Debug, Default)]
pub struct Library {
    /// Articles by id, their `text` moved into the index.
    articles: HashMap<String, Article>,
    index: SearchIndex,
    /// The folder the library was read from, when there is one (saved with it).
    root: String,
}

impl Library {
    /// An empty library.
    pub fn new() -> Library {
        Library::default()
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when the library holds no article.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The folder the articles were read from ("" when unknown).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Records the folder the articles were read from (saved with the library).
    pub fn set_root(&mut self, root: &str) {
        root.clone_into(&mut self.root);
    }

    /// The search index.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Adds parsed articles (replacing those with the same id); returns how many.
    pub fn add_articles(&mut self, articles: Vec<Article>) -> usize {
        let count = articles.len();
        for article in articles {
            self.add_article(article);
        }
        self.index.settle_words();
        count
    }

    /// Adds one parsed article (replacing one with the same id); returns its id.
    /// [`Library::compact`] after many releases spare memory.
    pub fn add_article(&mut self, mut article: Article) -> String {
        // The text moves into the index (the article keeps none), not copied.
        let text = std::mem::take(&mut article.text);
        self.index.add(Document { text, ..Document::from_article(&article) });
        let id = article.id.clone();
        self.articles.insert(id.clone(), article);
        id
    }

    /// Releases spare memory once a collection is read (not after every batch:
    /// the index grows again with the next one).
    pub fn compact(&mut self) {
        self.index.compact();
        self.articles.shrink_to_fit();
    }

    /// Removes an article; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        self.index.remove(id);
        self.articles.remove(id).is_some()
    }

    /// The whole article (with its HTML and text).
    pub fn article(&self, id: &str) -> Option<Article> {
        let mut article = self.articles.get(id)?.clone();
        article.text = self.index.text(id).unwrap_or_default().to_owned();
        Some(article)
    }

    /// The summary of one article.
    pub fn summary(&self, id: &str) -> Option<Summary> {
        self.articles.get(id).map(|article| Summary::of(article, String::new()))
    }

    /// Summaries of all articles, newest first (then by id).
    pub fn summaries(&self) -> Vec<Summary> {
        self.newest_first().into_iter().map(|article| Summary::of(article, String::new())).collect()
    }

    /// All articles, newest first (then by id).
    fn newest_first(&self) -> Vec<&Article> {
        let mut list: Vec<&Article> = self.articles.values().collect();
        list.sort_unstable_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        list
    }

    /// Searches (see [`SearchIndex::search`]).
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResults, SearchError> {
        self.index.search(query, options)
    }

    /// Facet counts over the articles that pass `filters`.
    pub fn facets(&self, filters: &Filters) -> Result<Facets, SearchError> {
        self.index.facets(filters, DEFAULT_FACET_LIMIT)
    }

    /// Saves the library (index and articles) in the format of [`persist`],
    /// the articles as its payload, without their text (see `payload.rs`).
    pub fn save(&self) -> Vec<u8> {
        let payload = payload::encode(&self.newest_first());
        persist::save(&self.index, &self.root, &payload)
    }

    /// Loads bytes written by [`Library::save`]. Bytes of a bare index (no
    /// articles stored with it) give articles rebuilt from the index: their
    /// metadata and text, without HTML.
    pub fn load(bytes: &[u8]) -> Result<Library, LoadError> {
        let loaded = persist::load(bytes)?;
        let index = loaded.index;
        let mut articles: HashMap<String, Article> = HashMap::with_capacity(index.len());
        if loaded.payload.is_empty() {
            for id in index.ids() {
                if let Some(article) = article_from_index(&index, id) {
                    articles.insert(id.to_owned(), article);
                }
            }
        } else {
            let list = payload::decode(&loaded.payload).map_err(|e| {
                LoadError::Articles(match e {
                    PersistError::Corrupt { what, at } => format!("{what} at byte {at} of the articles"),
                    other => other.to_string(),
                })
            })?;
            for article in list {
                if !index.contains(&article.id) {
                    return Err(LoadError::Articles(format!("article '{}' is not in the index", article.id)));
                }
                articles.insert(article.id.clone(), article);
            }
            if let Some(missing) = index.ids().find(|id| !articles.contains_key(*id)) {
                return Err(LoadError::Articles(format!("the index has article '{missing}' but the articles do not")));
            }
        }
        Ok(Library { articles, index, root: loaded.root })
    }

    /// Bytes held on the heap by the search index (see [`SearchIndex::heap_bytes`]).
    pub fn index_heap_bytes(&self) -> usize {
        self.index.heap_bytes()
    }
}

/// An article rebuilt from what the index stores (no HTML, outline or image).
fn article_from_index(index: &SearchIndex, id: &str) -> Option<Article> {
    let doc = index.doc(index.slot_of(id)?)?;
    let text = doc.text.to_string();
    let count = crate::metrics::WordCount::of(&text);
    Some(Article {
        id: doc.id.to_string(),
        name: doc.name.to_string(),
        title: doc.title.to_string(),
        date: doc.date.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        author: doc.author.map(|a| index.authors.get(a).to_owned()),
        source: doc.source.map(|s| index.sources.get(s).to_owned()),
        site_name: None,
        categories: doc.categories.iter().map(|&c| index.categories.get(c).to_owned()).collect(),
        tags: Vec::new(),
        image: None,
        link: None,
        lang: crate::lang::detect(&text).map(str::to_owned),
        dir: crate::lang::detect(&text).map(crate::lang::direction).unwrap_or("ltr").to_owned(),
        excerpt: crate::metrics::excerpt(&text, crate::limits::EXCERPT_CHARS),
        words: count.total(),
        reading_minutes: count.reading_minutes(),
        outline: Vec::new(),
        html: String::new(),
        text: String::new(),
        warnings: vec!["loaded from a search index saved without the article's HTML".to_owned()],
        extra: Map::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::testing::article;

    #[test]
    fn adding_the_same_id_again_replaces_the_article() {
        let mut library = Library::new();
        library.add_articles(vec![article("a.md", "Old", "sourdough", None)]);
        library.add_articles(vec![article("a.md", "New", "starter", None)]);
        assert_eq!(library.len(), 1);
        assert_eq!(library.search("sourdough", &SearchOptions::default()).unwrap().total, 0);
        assert_eq!(library.search("starter", &SearchOptions::default()).unwrap().total, 1);
        assert_eq!(library.summaries()[0].title, "New");
    }

    #[test]
    fn keeps_text_once_and_gives_it_back_with_the_article() {
        let mut library = Library::new();
        let id = library.add_article(article("a.md", "T", "body text here", None));
        assert!(library.articles[&id].text.is_empty());
        assert_eq!(library.article(&id).unwrap().text, "body text here");
        assert!(library.remove(&id));
        assert!(library.article(&id).is_none());
        assert!(!library.remove(&id));
    }

    #[test]
    fn saves_and_loads_articles_with_the_index() {
        let mut library = Library::new();
        library.set_root("posts");
        let id = library.add_article(article("a.md", "Café", "Le café du coin", Some("2021-03-04T00:00:00Z")));
        let loaded = Library::load(&library.save()).unwrap();
        assert_eq!(loaded.root(), "posts");
        assert_eq!(loaded.article(&id), library.article(&id));
        assert_eq!(loaded.search("cafe", &SearchOptions::default()).unwrap().total, 1);
    }

    #[test]
    fn a_bare_index_loads_with_articles_rebuilt_from_it() {
        let mut library = Library::new();
        library.add_article(article("a.md", "Night buses", "New routes", Some("2021-03-04T00:00:00Z")));
        let bytes = persist::save(library.index(), "", b"");
        let loaded = Library::load(&bytes).unwrap();
        let summary = &loaded.summaries()[0];
        assert_eq!((summary.title.as_str(), summary.date.as_deref()), ("Night buses", Some("2021-03-04T00:00:00Z")));
        assert_eq!(loaded.article(&summary.id).unwrap().text, "New routes");
    }
}
