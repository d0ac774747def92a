//! A quick test of whether a page holds an article at all (Mozilla's
//! `isProbablyReaderable`): enough long, visible paragraphs outside page furniture.

use super::dom::{class_and_id, descendants, has_ancestor_tag, key, parent};
use super::patterns::is_unlikely_for_readerable;
use super::text::{js_len, js_trim};
use super::visibility::is_node_visible;
use ammonia::rcdom::Handle;

/// Paragraphs shorter than this (in characters) do not count.
pub const MIN_PARAGRAPH_LENGTH: usize = 140;
/// The score (sum of the square roots of the paragraphs' extra length) a page needs.
pub const MIN_SCORE: f64 = 20.0;

/// True when the page has enough long, visible paragraphs to be an article.
pub fn is_probably_readerable(document: &Handle) -> bool {
    let mut nodes = descendants(document, &["p", "pre", "article"]);
    let mut seen: std::collections::HashSet<_> = nodes.iter().map(key).collect();
    for br in descendants(document, &["br"]) {
        if let Some(parent) = parent(&br).filter(|p| super::dom::is_tag(p, "div")) {
            if seen.insert(key(&parent)) {
                nodes.push(parent);
            }
        }
    }
    let mut score = 0.0;
    for node in &nodes {
        if !is_node_visible(node) || is_unlikely_for_readerable(&class_and_id(node)) {
            continue;
        }
        if super::dom::is_tag(node, "p") && has_ancestor_tag(node, "li", 0, |_| true) {
            continue;
        }
        let length = js_len(js_trim(&super::dom::text_content(node)));
        if length < MIN_PARAGRAPH_LENGTH {
            continue;
        }
        score += ((length - MIN_PARAGRAPH_LENGTH) as f64).sqrt();
        if score > MIN_SCORE {
            return true;
        }
    }
    false
}
