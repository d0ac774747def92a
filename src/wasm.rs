//! The WebAssembly boundary: `#[wasm_bindgen]` exports only. Strings come in;
//! plain JS objects (camelCase) or strings go out; errors become JS `Error`s.

use crate::article::{parse_article as parse_core, Article, ParseOptions};
use crate::limits::MAX_BATCH_ARTICLES;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("converting the result to JavaScript failed: {e}")))
}

fn options_from(options: JsValue) -> Result<ParseOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(ParseOptions::default());
    }
    serde_wasm_bindgen::from_value(options)
        .map_err(|e| JsError::new(&format!("options: expected {{ base?: string }}: {e}")))
}

/// The crate version, to check that the page and the WASM match.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Sanitises an HTML fragment with Lectern's policy.
#[wasm_bindgen]
pub fn sanitize(html: &str) -> String {
    crate::sanitize(html)
}

/// Parses one article file. `options.base` is the URL the file was loaded
/// from, used to resolve relative URLs when the article has no `link`.
#[wasm_bindgen(js_name = parseArticle)]
pub fn parse_article(name: &str, text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options = options_from(options)?;
    let article = parse_core(name, text.as_bytes(), &options).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&article)
}

#[derive(Deserialize)]
struct InputFile {
    name: String,
    text: String,
    #[serde(default)]
    base: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum BatchItem {
    Parsed(Article),
    Failed { name: String, error: String },
}

/// Parses many article files in one call: `files` is an array of
/// `{ name, text, base? }`. Returns an array in the same order, each item an
/// article, or `{ name, error }` for a file that could not be read.
#[wasm_bindgen(js_name = parseArticles)]
pub fn parse_articles(files: JsValue) -> Result<JsValue, JsError> {
    let files: Vec<InputFile> = serde_wasm_bindgen::from_value(files)
        .map_err(|e| JsError::new(&format!("parseArticles: expected an array of {{ name, text, base? }}: {e}")))?;
    if files.len() > MAX_BATCH_ARTICLES {
        return Err(JsError::new(&format!(
            "parseArticles: {} files is over the limit of {MAX_BATCH_ARTICLES} per call",
            files.len()
        )));
    }
    let items: Vec<BatchItem> = files
        .into_iter()
        .map(|file| {
            let options = ParseOptions { base: file.base };
            match parse_core(&file.name, file.text.as_bytes(), &options) {
                Ok(article) => BatchItem::Parsed(article),
                Err(err) => BatchItem::Failed { name: file.name, error: err.to_string() },
            }
        })
        .collect();
    to_js(&items)
}

/// Extracts the main article of a web page (its whole HTML, as
/// `document.documentElement.outerHTML`, and its URL) as an article, sanitised
/// with the same policy. Its `link` is `url` (without `#fragment`) and its `id`
/// is derived from it, so saving a page again replaces the earlier copy.
/// Throws "no article found on this page: ..." for a page without an article.
#[wasm_bindgen(js_name = extractArticle)]
pub fn extract_article(html: &str, url: &str) -> Result<JsValue, JsError> {
    let article = crate::readable::extract_article(html, url).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&article)
}
