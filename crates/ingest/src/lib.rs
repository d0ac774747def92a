//! Lectern's ingest: read a Hexo-style article file once, sanitise its HTML
//! with one policy, and describe it (title, date, language, text, outline, ...);
//! find the main article of a saved web page; and, natively, build static
//! collections (`lectern index`).
//!
//! Everything here produces the records of [`lectern_core`], which reads them
//! back, searches and shows them without this crate. The native CLI (`src/`)
//! and the ingest WebAssembly module (`crates/wasm-ingest`, run in a Web
//! Worker) are thin wrappers around it.
//!
//! ```
//! let file = "---\ntitle: Hello\ndate: 2024-05-01\n---\n\n<p>Hi <b>there</b></p>";
//! let article = lectern_ingest::parse_article("hello.md", file.as_bytes(), &Default::default()).unwrap();
//! assert_eq!(article.title, "Hello");
//! assert_eq!(article.date.as_deref(), Some("2024-05-01T00:00:00Z"));
//! assert_eq!(article.text, "Hi there");
//! ```
#![forbid(unsafe_code)]

pub mod article;
pub mod body;
#[cfg(not(target_arch = "wasm32"))]
pub mod build;
#[cfg(not(target_arch = "wasm32"))]
pub mod collection;
pub mod date;
pub mod entities;
pub mod error;
pub mod files;
pub mod front_matter;
pub mod readable;
pub mod sanitize;
pub mod url_policy;

pub use article::{parse_article, ParseOptions};
pub use error::ArticleError;
pub use lectern_core::{Article, Heading};
pub use readable::{extract_article, ExtractError};
pub use sanitize::{sanitize, sanitize_document, Sanitized};
