//! A feed item as a Hexo-style post file, in the seed's format: YAML front
//! matter (`title`, `categories`, `author`, `date` as RFC 2822, `headimg` and
//! `thumbnail`, `link`), then the item's HTML in a `<div>`.

use crate::document::Feed;
use crate::item::Item;
use crate::text;
use chrono::{DateTime, Utc};
use serde::Serialize;
use yaml_rust2::yaml::Hash;
use yaml_rust2::{Yaml, YamlEmitter};

/// A post file for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    /// `{16 hex digits}.md`, from the item's key: the same item always has
    /// the same file (and so the same article id).
    pub file_name: String,
    /// The id of the article the file reads as (from its name).
    pub id: String,
    /// The item's key ([`Item::key`]).
    pub key: String,
    /// The file's text.
    pub text: String,
}

/// The file name of the item with `key`.
pub fn file_name(key: &str) -> String {
    format!("{:016x}.md", lectern_core::search::persist::fnv1a(key.as_bytes()))
}

/// Writes `item` of `feed` as a post. `first_seen` is the date of an item
/// that has none (the caller keeps it, so the file does not change each
/// time the feed is fetched).
pub fn write_post(feed: &Feed, item: &Item, first_seen: DateTime<Utc>) -> Post {
    let mut front = Hash::new();
    let mut put = |key: &str, value: Yaml| {
        front.insert(Yaml::String(key.to_owned()), value);
    };
    let string = |s: &str| Yaml::String(s.to_owned());
    put("title", string(&item.title));
    put("categories", Yaml::Array(item.categories.iter().map(|c| string(c)).collect()));
    if !item.authors.is_empty() {
        put("author", string(&item.authors.join(", ")));
    }
    put("date", string(&rfc2822_gmt(item.date.unwrap_or(first_seen))));
    if let Some(image) = &item.image {
        put("headimg", string(image));
        put("thumbnail", string(image));
    }
    if let Some(link) = &item.link {
        put("link", string(link));
    }
    if item.base.is_some() && item.base != item.link {
        put("base", string(item.base.as_deref().unwrap_or_default()));
    }
    if let Some(lang) = item.language.as_ref().or(feed.language.as_ref()) {
        put("lang", string(lang));
    }
    // Where the feed is fetched (an OPML list of the feeds a folder holds is made from these).
    let fetched = Some(feed.address.as_str()).filter(|a| a.starts_with("http://") || a.starts_with("https://"));
    put("feed", string(fetched.or(feed.self_url.as_deref()).unwrap_or(&feed.address)));
    put("guid", string(&item.key));

    let mut yaml = String::new();
    // Writing to a String cannot fail, and every value here is a string or a list of strings.
    YamlEmitter::new(&mut yaml).dump(&Yaml::Hash(front)).expect("front matter of strings");
    let body = if item.html.trim().is_empty() {
        item.link.as_deref().map(|l| format!("<p><a href=\"{0}\">{0}</a></p>", text::escape_html(l))).unwrap_or_default()
    } else {
        item.html.trim().to_owned()
    };
    let name = file_name(&item.key);
    Post { id: lectern_core::article::article_id(&name), file_name: name, key: item.key.clone(), text: format!("{yaml}\n---\n\n<div>\n{body}\n</div>\n") }
}

/// `Tue, 28 Jun 2022 05:37:57 GMT`, as the seed's dates are written.
pub fn rfc2822_gmt(date: DateTime<Utc>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
