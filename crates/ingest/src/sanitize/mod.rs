//! Sanitising article HTML with one policy ([`policy`]), and reading text,
//! outline and lead image from the same parse ([`extract`]).
//!
//! ammonia parses and applies the allow-list; [`rewrite`] then applies the
//! context-dependent parts (URL resolution, lazy images, referrer policy,
//! frames to links, stability) on the same DOM, which is serialised once.

#[cfg(not(target_arch = "wasm32"))]
pub mod audit;
pub mod bounds;
pub mod dom;
pub mod extract;
pub mod policy;
pub mod rewrite;

use lectern_core::limits::MAX_ARTICLE_BYTES;
use ammonia::rcdom::{Handle, SerializableHandle};
use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use url::Url;

pub use extract::Heading;

/// Sanitised HTML and what was read from it.
#[derive(Debug, Default)]
pub struct Sanitized {
    /// The sanitised HTML, safe to insert into a document.
    pub html: String,
    /// Plain text of the content.
    pub text: String,
    /// Headings in document order.
    pub outline: Vec<Heading>,
    /// The first image's URL.
    pub first_image: Option<String>,
    /// What the sanitiser changed beyond removing disallowed markup.
    pub warnings: Vec<String>,
}

/// Sanitises an HTML fragment with Lectern's policy. Relative URLs are dropped
/// (there is no base to resolve them against).
///
/// The same HTML as [`sanitize_document`] gives, without reading text and
/// outline (so it is faster when only the HTML is wanted).
///
/// ```
/// let out = lectern_ingest::sanitize(r#"<p onclick="x()">Hi<script>alert(1)</script><img src="https://e.com/a.png"></p>"#);
/// assert_eq!(out, r#"<p>Hi<img src="https://e.com/a.png" referrerpolicy="no-referrer" loading="lazy" decoding="async"></p>"#);
/// ```
pub fn sanitize(html: &str) -> String {
    let mut warnings = Vec::new();
    let cleaned = clean(html, None, &mut warnings);
    rewrite::finish(&cleaned.rewritten);
    serialize_children(&cleaned.root)
}

/// Sanitises an HTML fragment, resolving relative URLs against `base`, and
/// reads its text, outline and first image from the same parse.
pub fn sanitize_document(html: &str, base: Option<&Url>) -> Sanitized {
    let mut warnings = Vec::new();
    let cleaned = clean(html, base, &mut warnings);
    let extracted = extract::extract(&cleaned.root);
    rewrite::finish(&cleaned.rewritten);
    Sanitized {
        html: serialize_children(&cleaned.root),
        text: extracted.text,
        outline: extracted.outline,
        first_image: extracted.first_image,
        warnings,
    }
}

/// A cleaned and rewritten tree.
struct Cleaned {
    /// Owns the tree: dropping it empties every node below the root, so it
    /// lives as long as `root` is used.
    _document: ammonia::Document,
    /// The root element: its children are the content.
    root: Handle,
    /// What the rewrite pass leaves for [`rewrite::finish`].
    rewritten: rewrite::Rewritten,
}

/// The cleaned and rewritten tree of `html`, with what was changed added to `warnings`.
fn clean(html: &str, base: Option<&Url>, warnings: &mut Vec<String>) -> Cleaned {
    let html = if html.len() > MAX_ARTICLE_BYTES {
        warnings.push(format!("html: {} bytes is over the limit of {MAX_ARTICLE_BYTES}; the rest was cut", html.len()));
        cut_at_char(html, MAX_ARTICLE_BYTES)
    } else {
        html
    };
    let bounded = bounds::bound(html);
    warnings.extend(bounded.describe());
    let document = policy::BUILDER.clean(&bounded.html);
    let root = document.to_dom_node();
    let rewritten = rewrite::rewrite(&root, base);
    warnings.extend(rewritten.changes.describe());
    Cleaned { _document: document, root, rewritten }
}

/// The HTML of the root's children, without leading or trailing white space.
fn serialize_children(root: &Handle) -> String {
    let mut out = Vec::new();
    let opts = SerializeOpts { traversal_scope: TraversalScope::ChildrenOnly(None), ..Default::default() };
    if serialize(&mut out, &SerializableHandle::from(root.clone()), opts).is_err() {
        return String::new();
    }
    let Ok(mut html) = String::from_utf8(out) else { return String::new() };
    // Trimmed in place: no copy of the whole output.
    let end = html.trim_end_matches(is_html_space).len();
    html.truncate(end);
    let start = html.len() - html.trim_start_matches(is_html_space).len();
    html.drain(..start);
    html
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn cut_at_char(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
