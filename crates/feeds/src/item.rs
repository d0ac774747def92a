//! One feed item, as Lectern keeps it: the fields a post file has.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A feed item with what a post file needs, every URL absolute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// What makes the item one article wherever and whenever it is fetched:
    /// its GUID when that is a URI, the feed's identity and the GUID when it
    /// is a bare token, else its link.
    pub key: String,
    /// Plain text (an HTML title's tags dropped); made from the item's text
    /// when it has none.
    pub title: String,
    /// The item's page (its `alternate` link).
    pub link: Option<String>,
    /// When it was published (or last updated when only that is given).
    pub date: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    /// The lead image: a media thumbnail, an image enclosure or media
    /// content, or JSON Feed's `image`/`banner_image`.
    pub image: Option<String>,
    /// The item's HTML as the feed gives it (not sanitised here: the post
    /// reader sanitises it with the one policy), with its attachments.
    pub html: String,
    /// The URL relative URLs in the item resolve against (its `xml:base`,
    /// its link, or the feed's).
    pub base: Option<String>,
    pub language: Option<String>,
}
