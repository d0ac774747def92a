//! Lectern's reading core: what every target needs to show and search a
//! collection that is already read. The article record ([`Article`]), the
//! CJK-aware search engine ([`search`]), a library of articles held in memory
//! ([`library`]) and the reader of static collections built by `lectern index`
//! ([`static_collection`]).
//!
//! Nothing here parses HTML, front matter or Markdown, or sanitises: reading
//! article files is `lectern-ingest`'s job. That keeps this crate, and the
//! reader WebAssembly module built from it (`crates/wasm-reader`), small.
//!
//! ```
//! use lectern_core::search::{Document, SearchIndex, SearchOptions};
//! let mut index = SearchIndex::new();
//! index.add(Document { id: "1".into(), title: "东京的夜班巴士".into(), ..Default::default() });
//! assert_eq!(index.search("夜班", &SearchOptions::default()).unwrap().total, 1);
//! ```
#![forbid(unsafe_code)]

pub mod article;
pub mod lang;
pub mod library;
pub mod limits;
pub mod metrics;
pub mod policy;
pub mod search;
pub mod static_collection;

pub use article::{Article, Heading, Summary};
