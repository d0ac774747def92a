//! Lectern's core: read a Hexo-style article file once, sanitise its HTML with one
//! policy, and describe it (title, date, language, text, outline, ...).
//!
//! The core is plain Rust: the native CLI (`src/main.rs`, `src/cli/`) and the
//! WebAssembly boundary (`src/wasm.rs`) are thin wrappers around it.
//!
//! ```
//! let file = "---\ntitle: Hello\ndate: 2024-05-01\n---\n\n<p>Hi <b>there</b></p>";
//! let article = lectern::parse_article("hello.md", file.as_bytes(), &Default::default()).unwrap();
//! assert_eq!(article.title, "Hello");
//! assert_eq!(article.date.as_deref(), Some("2024-05-01T00:00:00Z"));
//! assert_eq!(article.text, "Hi there");
//! ```
#![forbid(unsafe_code)]

pub mod article;
pub mod body;
#[cfg(not(target_arch = "wasm32"))]
pub mod collection;
pub mod date;
pub mod entities;
pub mod error;
pub mod front_matter;
pub mod lang;
pub mod library;
pub mod limits;
pub mod metrics;
pub mod readable;
pub mod sanitize;
pub mod search;
pub mod url_policy;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use article::{parse_article, Article, Heading, ParseOptions};
pub use error::ArticleError;
pub use readable::{extract_article, ExtractError};
pub use sanitize::{sanitize, sanitize_document, Sanitized};
