//! Parsing a whole web page into ammonia's DOM, with the HTML parser the
//! sanitiser already carries (html5ever), so extraction adds no second parser.

use lectern_core::limits::MAX_HTML_DEPTH;
use ammonia::rcdom::{Handle, NodeData, RcDom};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::ParseOpts;
use std::rc::Rc;

/// A parsed page. The `RcDom` is kept with the document node: the tree lives
/// as long as this value.
pub struct Page {
    /// The document node.
    pub document: Handle,
    _dom: RcDom,
}

/// Parses a whole page as a browser does with scripting disabled, so the
/// contents of `<noscript>` are elements (their images can be recovered).
/// Elements nested deeper than [`MAX_HTML_DEPTH`] are unwrapped (their text
/// is kept), which bounds the work of every later pass.
pub fn parse_page(html: &str) -> Page {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts { scripting_enabled: false, ..Default::default() },
        ..Default::default()
    };
    let dom = html5ever::parse_document(RcDom::default(), opts).one(html);
    limit_depth(&dom.document, MAX_HTML_DEPTH);
    Page { document: dom.document.clone(), _dom: dom }
}

/// Unwraps the elements below `max` levels of nesting.
fn limit_depth(document: &Handle, max: usize) {
    let mut stack = vec![(document.clone(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= max {
            flatten(&node);
            continue;
        }
        for child in node.children.borrow().iter() {
            if matches!(child.data, NodeData::Element { .. }) {
                stack.push((child.clone(), depth + 1));
            }
        }
    }
}

/// Replaces the children of `node` by the nodes of its subtree that have no
/// children (text, images, line breaks), in document order.
fn flatten(node: &Handle) {
    let mut leaves = Vec::new();
    let mut stack: Vec<Handle> = std::mem::take(&mut *node.children.borrow_mut()).into_iter().rev().collect();
    while let Some(current) = stack.pop() {
        let children = std::mem::take(&mut *current.children.borrow_mut());
        if children.is_empty() {
            leaves.push(current);
        } else {
            stack.extend(children.into_iter().rev());
        }
    }
    for leaf in &leaves {
        leaf.parent.set(Some(Rc::downgrade(node)));
    }
    *node.children.borrow_mut() = leaves;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::dom::{descendants, text_content};

    #[test]
    fn unwraps_elements_nested_too_deep_and_keeps_their_text() {
        let html = format!("{}<b>deep</b> text<img src=a.png>{}", "<div>".repeat(1000), "</div>".repeat(1000));
        let page = parse_page(&html);
        // html, body, then divs up to the limit.
        assert_eq!(descendants(&page.document, &["div"]).len(), MAX_HTML_DEPTH - 2);
        assert!(descendants(&page.document, &["b"]).is_empty());
        assert_eq!(descendants(&page.document, &["img"]).len(), 1);
        assert_eq!(text_content(&page.document), "deep text");
    }
}
