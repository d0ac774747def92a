//! Why a document could not be read as a feed or a subscription list.

/// A feed or OPML document that could not be read. Each message says what
/// the document was and why it was refused, in words a reader can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("the document is empty")]
    Empty,
    #[error("the document is {size} bytes, over the limit of {limit} bytes for one feed")]
    TooLarge { size: usize, limit: usize },
    #[error("this is a web page (HTML), not a feed{}", hint.as_ref().map(|h| format!("; the page names its feed: {h}")).unwrap_or_default())]
    WebPage { hint: Option<String> },
    #[error("this is not a feed (RSS, Atom or JSON Feed): {reason}")]
    NotAFeed { reason: String },
    #[error("the feed could not be read: {reason}")]
    Malformed { reason: String },
    #[error("the subscription list (OPML) could not be read: {reason}")]
    Opml { reason: String },
}
