//! Bounds on what one feed may cost.

/// The largest feed document read (bytes). A larger response is refused
/// before it is parsed: feeds this big are archives, not feeds.
pub const MAX_FEED_BYTES: usize = 16 * 1024 * 1024;

/// The most items taken from one feed, in the feed's order (newest first in
/// nearly every feed); the rest are counted and reported.
pub const MAX_ITEMS: usize = 1000;

/// The most subscriptions read from one OPML file.
pub const MAX_OPML_OUTLINES: usize = 10_000;

/// The most characters of a title made from an item's text when it has none.
pub const DERIVED_TITLE_CHARS: usize = 80;
