//! The feeds WebAssembly module's boundary: `#[wasm_bindgen]` exports only,
//! over `lectern-feeds`. It reads feed documents into post files (the same
//! files `lectern feed` writes, which the ingest module then parses like any
//! article file) and reads and writes OPML lists. It is fetched only when a
//! feed is read: by the ingest worker when the reader adds a feed file, and
//! by the extension's background when it refreshes subscriptions.
//!
//! Plain JS objects (camelCase) go out through serde-wasm-bindgen; errors
//! become JS `Error`s whose message says why.
#![forbid(unsafe_code)]

use chrono::{DateTime, SecondsFormat, Utc};
use lectern_feeds::opml::Subscription;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("converting the result to JavaScript failed: {e}")))
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// What a fetched document is: `"feed"`, `"opml"` or `"webPage"`.
#[wasm_bindgen]
pub fn sniff(bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&lectern_feeds::sniff(bytes))
}

/// A feed read into post files.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReadFeed {
    address: String,
    title: String,
    site: Option<String>,
    notes: Vec<String>,
    posts: Vec<PostFile>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PostFile {
    /// The file name (`{16 hex}.md`).
    name: String,
    /// The id of the article the file reads as: what was kept of it can be found before parsing.
    id: String,
    key: String,
    text: String,
    /// RFC 3339: the date given to the item when it has none (keep it for the next read).
    first_seen: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ReadOptions {
    /// RFC 3339 first-seen dates of items read before, by key.
    first_seen: HashMap<String, String>,
}

/// Reads a feed document fetched from `address` into post files, one per
/// item. `options.firstSeen` gives the first-seen dates of items read
/// before (by key), so an undated item keeps its date; new ones get now.
#[wasm_bindgen(js_name = readFeed)]
pub fn read_feed(bytes: &[u8], address: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options: ReadOptions = if options.is_undefined() || options.is_null() {
        ReadOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&format!("readFeed options: expected {{ firstSeen?: {{key: date}} }}: {e}")))?
    };
    let feed = lectern_feeds::read_feed(bytes, address).map_err(|e| JsError::new(&e.to_string()))?;
    let now = now();
    let posts = feed
        .items
        .iter()
        .map(|item| {
            let first_seen = options
                .first_seen
                .get(&item.key)
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map_or(now, |d| d.with_timezone(&Utc));
            let post = lectern_feeds::write_post(&feed, item, first_seen);
            PostFile { name: post.file_name, id: post.id, key: post.key, text: post.text, first_seen: first_seen.to_rfc3339_opts(SecondsFormat::Secs, true) }
        })
        .collect();
    to_js(&ReadFeed { address: feed.address, title: feed.title, site: feed.site, notes: feed.notes, posts })
}

fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// The feeds an OPML document lists: `[{ url, title?, site?, category? }]`.
#[wasm_bindgen(js_name = readOpml)]
pub fn read_opml(text: &str) -> Result<JsValue, JsError> {
    to_js(&lectern_feeds::opml::read_opml(text).map_err(|e| JsError::new(&e.to_string()))?)
}

/// An OPML 2.0 document listing `subscriptions` (`[{ url, title?, site?, category? }]`).
#[wasm_bindgen(js_name = writeOpml)]
pub fn write_opml(title: &str, subscriptions: JsValue) -> Result<String, JsError> {
    let list: Vec<Subscription> = serde_wasm_bindgen::from_value(subscriptions)
        .map_err(|e| JsError::new(&format!("writeOpml: expected an array of {{ url, title?, site?, category? }}: {e}")))?;
    lectern_feeds::opml::write_opml(title, &list).map_err(|e| JsError::new(&e.to_string()))
}
