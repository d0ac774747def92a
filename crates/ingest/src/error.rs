//! Errors that stop a file from becoming an article. Anything milder is
//! recovered and reported in the article's `warnings`.

use lectern_core::limits::MAX_ARTICLE_BYTES;

/// Why a file could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// The file has no bytes at all, or only whitespace.
    #[error("article '{name}': the file is empty")]
    Empty {
        /// File name as given.
        name: String,
    },
    /// The file is larger than [`MAX_ARTICLE_BYTES`].
    #[error("article '{name}': the file is {size} bytes, over the limit of {limit} bytes (8 MiB)", limit = MAX_ARTICLE_BYTES)]
    TooLarge {
        /// File name as given.
        name: String,
        /// Size of the file in bytes.
        size: usize,
    },
    /// The file holds binary data (NUL bytes or mostly control characters).
    #[error("article '{name}': this looks like a binary file, not text ({reason})")]
    Binary {
        /// File name as given.
        name: String,
        /// What gave it away.
        reason: String,
    },
}
