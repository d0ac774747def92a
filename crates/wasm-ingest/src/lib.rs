//! The ingest WebAssembly module's boundary: `#[wasm_bindgen]` exports only,
//! over `lectern-ingest`. It reads article files and web pages into sanitised
//! articles, and is fetched only when something must be parsed in the browser:
//! a page runs it in a Web Worker ([`run_worker`], driven by `www/js/ingest.js`),
//! so the page stays responsive while it parses; the extension's background
//! calls its functions directly.
//!
//! Strings come in; plain JS objects (camelCase) go out through
//! serde-wasm-bindgen; errors become JS `Error`s.
#![forbid(unsafe_code)]

mod worker;

use lectern_core::limits::MAX_BATCH_ARTICLES;
use lectern_ingest::files::{parse_file, Failure, InputFile};
use lectern_ingest::{Article, ParseOptions};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use worker::run_worker;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("converting the result to JavaScript failed: {e}")))
}

fn options_from(options: JsValue) -> Result<ParseOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(ParseOptions::default());
    }
    serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&format!("options: expected {{ base?: string }}: {e}")))
}

/// The crate version: articles parsed by another version are parsed again.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Sanitises an HTML fragment with Lectern's policy.
#[wasm_bindgen]
pub fn sanitize(html: &str) -> String {
    lectern_ingest::sanitize(html)
}

/// Parses one article file. `options.base` is the URL the file was loaded
/// from, used to resolve relative URLs when the article has no `link`.
#[wasm_bindgen(js_name = parseArticle)]
pub fn parse_article(name: &str, text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options = options_from(options)?;
    let article = lectern_ingest::parse_article(name, text.as_bytes(), &options).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&article)
}

/// One item of [`parse_articles`]'s answer: an article, or why a file is not one.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Parsed {
    Article(Article),
    Failed(Failure),
}

/// Reads the files of a batch, in order.
pub(crate) fn parse_batch(files: Vec<InputFile>) -> impl Iterator<Item = Parsed> {
    files.into_iter().map(|file| match parse_file(file) {
        Ok(article) => Parsed::Article(article),
        Err(failure) => Parsed::Failed(failure),
    })
}

/// Parses many article files in one call: `files` is an array of
/// `{ name, text, base? }`. Returns an array in the same order, each item an
/// article, or `{ name, error }` for a file that could not be read.
#[wasm_bindgen(js_name = parseArticles)]
pub fn parse_articles(files: JsValue) -> Result<JsValue, JsError> {
    let files: Vec<InputFile> = serde_wasm_bindgen::from_value(files)
        .map_err(|e| JsError::new(&format!("parseArticles: expected an array of {{ name, text, base? }}: {e}")))?;
    if files.len() > MAX_BATCH_ARTICLES {
        return Err(JsError::new(&format!("parseArticles: {} files is over the limit of {MAX_BATCH_ARTICLES} per call", files.len())));
    }
    to_js(&parse_batch(files).collect::<Vec<_>>())
}

/// Extracts the main article of a web page (its whole HTML, as
/// `document.documentElement.outerHTML`, and its URL) as an article, sanitised
/// with the same policy. Its `link` is `url` (without `#fragment`) and its `id`
/// is derived from it, so saving a page again replaces the earlier copy.
/// Throws "no article found on this page: ..." for a page without an article.
#[wasm_bindgen(js_name = extractArticle)]
pub fn extract_article(html: &str, url: &str) -> Result<JsValue, JsError> {
    let article = lectern_ingest::extract_article(html, url).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&article)
}
