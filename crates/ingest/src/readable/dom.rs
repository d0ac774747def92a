//! Tree edits and queries over ammonia's DOM (`ammonia::rcdom`) in the terms
//! the extraction algorithm uses (`textContent`, `nextElementSibling`,
//! `replaceChild`, ...). Every walk is iterative: a page may nest elements
//! thousands deep.

use ammonia::rcdom::{Handle, Node, NodeData};
use html5ever::{ns, Attribute, LocalName, QualName};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

pub use crate::sanitize::dom::{attr, tag};

/// True for an HTML element (not text, comment, or an SVG/MathML element's name clash).
pub fn is_element(node: &Handle) -> bool {
    matches!(node.data, NodeData::Element { .. })
}

/// True for an element with this (lowercase) local name.
pub fn is_tag(node: &Handle, name: &str) -> bool {
    tag(node) == Some(name)
}

/// True for a text node.
pub fn is_text(node: &Handle) -> bool {
    matches!(node.data, NodeData::Text { .. })
}

/// The parent of a node, if it is attached.
pub fn parent(node: &Handle) -> Option<Handle> {
    let weak = node.parent.take();
    let parent = weak.as_ref().and_then(Weak::upgrade);
    node.parent.set(weak);
    parent
}

/// The parent element (not the document node).
pub fn parent_element(node: &Handle) -> Option<Handle> {
    parent(node).filter(is_element)
}

/// The position of `node` among its parent's children.
fn position(parent: &Handle, node: &Handle) -> Option<usize> {
    parent.children.borrow().iter().position(|c| Rc::ptr_eq(c, node))
}

/// Detaches `node` from its parent (`node.remove()`).
pub fn remove(node: &Handle) {
    if let Some(parent) = parent(node) {
        if let Some(i) = position(&parent, node) {
            parent.children.borrow_mut().remove(i);
        }
    }
    node.parent.set(None);
}

/// Appends `child` to `parent`, detaching it from where it was.
pub fn append(parent: &Handle, child: &Handle) {
    remove(child);
    child.parent.set(Some(Rc::downgrade(parent)));
    parent.children.borrow_mut().push(child.clone());
}

/// Puts `new` where `old` is (`old.replaceWith(new)`); `old` is detached.
pub fn replace(old: &Handle, new: &Handle) {
    let Some(parent) = parent(old) else { return };
    remove(new);
    if let Some(i) = position(&parent, old) {
        new.parent.set(Some(Rc::downgrade(&parent)));
        parent.children.borrow_mut()[i] = new.clone();
    }
    old.parent.set(None);
}

/// The children of a node, as a snapshot.
pub fn children(node: &Handle) -> Vec<Handle> {
    node.children.borrow().clone()
}

/// The element children of a node (`node.children`).
pub fn element_children(node: &Handle) -> Vec<Handle> {
    node.children.borrow().iter().filter(|c| is_element(c)).cloned().collect()
}

/// The first element child.
pub fn first_element_child(node: &Handle) -> Option<Handle> {
    node.children.borrow().iter().find(|c| is_element(c)).cloned()
}

/// The sibling after `node` (any kind of node).
pub fn next_sibling(node: &Handle) -> Option<Handle> {
    let parent = parent(node)?;
    let i = position(&parent, node)?;
    let sibling = parent.children.borrow().get(i + 1).cloned();
    sibling
}

/// The element after `node` among its siblings.
pub fn next_element_sibling(node: &Handle) -> Option<Handle> {
    let parent = parent(node)?;
    let i = position(&parent, node)?;
    let sibling = parent.children.borrow()[i + 1..].iter().find(|c| is_element(c)).cloned();
    sibling
}

/// The element before `node` among its siblings.
pub fn previous_element_sibling(node: &Handle) -> Option<Handle> {
    let parent = parent(node)?;
    let i = position(&parent, node)?;
    let sibling = parent.children.borrow()[..i].iter().rev().find(|c| is_element(c)).cloned();
    sibling
}

/// The next element in document order, skipping `node`'s descendants when
/// `skip_children` is set; `None` at the end of the tree.
pub fn next_node(node: &Handle, skip_children: bool) -> Option<Handle> {
    if !skip_children {
        if let Some(child) = first_element_child(node) {
            return Some(child);
        }
    }
    let mut current = node.clone();
    loop {
        if let Some(sibling) = next_element_sibling(&current) {
            return Some(sibling);
        }
        current = parent_element(&current)?;
    }
}

/// Removes `node` and returns the element that followed it in document order.
pub fn remove_and_get_next(node: &Handle) -> Option<Handle> {
    let next = next_node(node, true);
    remove(node);
    next
}

/// A new, detached HTML element.
pub fn create_element(name: &str) -> Handle {
    Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), LocalName::from(name)),
        attrs: RefCell::new(Vec::new()),
        template_contents: RefCell::new(None),
        mathml_annotation_xml_integration_point: false,
    })
}

/// Replaces `node` by an element named `name` with the same attributes and
/// children (`setNodeTag`), and returns the new element.
pub fn rename(node: &Handle, name: &str) -> Handle {
    let attrs = match &node.data {
        NodeData::Element { attrs, .. } => attrs.borrow().clone(),
        _ => Vec::new(),
    };
    let renamed = Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), LocalName::from(name)),
        attrs: RefCell::new(attrs),
        template_contents: RefCell::new(None),
        mathml_annotation_xml_integration_point: false,
    });
    move_children(node, &renamed);
    replace(node, &renamed);
    renamed
}

/// Moves every child of `from` to the end of `to`.
pub fn move_children(from: &Handle, to: &Handle) {
    let moved: Vec<Handle> = std::mem::take(&mut *from.children.borrow_mut());
    let mut target = to.children.borrow_mut();
    for child in moved {
        child.parent.set(Some(Rc::downgrade(to)));
        target.push(child);
    }
}

/// Sets an attribute on an element.
pub fn set_attr(node: &Handle, name: &str, value: &str) {
    crate::sanitize::dom::set_attr(node, name, value);
}

/// Removes an attribute from an element.
pub fn remove_attr(node: &Handle, name: &str) {
    crate::sanitize::dom::remove_attr(node, name);
}

/// The attributes of an element as (name, value) pairs.
pub fn attributes(node: &Handle) -> Vec<(String, String)> {
    match &node.data {
        NodeData::Element { attrs, .. } => {
            attrs.borrow().iter().map(|a: &Attribute| (a.name.local.to_string(), a.value.to_string())).collect()
        }
        _ => Vec::new(),
    }
}

/// `className + " " + id`, the string the class/id heuristics match on.
pub fn class_and_id(node: &Handle) -> String {
    format!("{} {}", attr(node, "class").unwrap_or_default(), attr(node, "id").unwrap_or_default())
}

/// The text of every text node under `node`, in order (`textContent`).
pub fn text_content(node: &Handle) -> String {
    let mut out = String::new();
    let mut stack = vec![node.clone()];
    while let Some(current) = stack.pop() {
        match &current.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { .. } | NodeData::Document => {
                stack.extend(current.children.borrow().iter().rev().cloned());
            }
            _ => {}
        }
    }
    out
}

/// The elements under `node` (not `node` itself) whose name is in `names`, in
/// document order (`getElementsByTagName`). An empty `names` matches every element.
pub fn descendants(node: &Handle, names: &[&str]) -> Vec<Handle> {
    let mut out = Vec::new();
    let mut stack: Vec<Handle> = node.children.borrow().iter().rev().cloned().collect();
    while let Some(current) = stack.pop() {
        if let Some(name) = tag(&current) {
            if names.is_empty() || names.contains(&name) {
                out.push(current.clone());
            }
            stack.extend(current.children.borrow().iter().rev().cloned());
        }
    }
    out
}

/// True when some element under `node` is named `name`.
pub fn has_descendant(node: &Handle, name: &str) -> bool {
    let mut stack: Vec<Handle> = node.children.borrow().clone();
    while let Some(current) = stack.pop() {
        if let Some(found) = tag(&current) {
            if found == name {
                return true;
            }
            stack.extend(current.children.borrow().iter().cloned());
        }
    }
    false
}

/// The ancestors of `node`, nearest first, at most `max_depth` of them (0: all).
pub fn ancestors(node: &Handle, max_depth: usize) -> Vec<Handle> {
    let mut out = Vec::new();
    let mut current = node.clone();
    while let Some(parent) = parent(&current) {
        out.push(parent.clone());
        if max_depth > 0 && out.len() == max_depth {
            break;
        }
        current = parent;
    }
    out
}

/// True when an ancestor within `max_depth` levels (0: any) is named `name`
/// and passes `filter`.
pub fn has_ancestor_tag(node: &Handle, name: &str, max_depth: usize, filter: impl Fn(&Handle) -> bool) -> bool {
    let mut depth = 0;
    let mut current = node.clone();
    while let Some(parent) = parent(&current) {
        if max_depth > 0 && depth > max_depth {
            return false;
        }
        if is_tag(&parent, name) && filter(&parent) {
            return true;
        }
        current = parent;
        depth += 1;
    }
    false
}

/// The `<body>` of a parsed document.
pub fn body(document: &Handle) -> Option<Handle> {
    let html = document_element(document)?;
    element_children(&html).into_iter().find(|c| is_tag(c, "body"))
}

/// The root element (`<html>`) of a parsed document.
pub fn document_element(document: &Handle) -> Option<Handle> {
    first_element_child(document)
}

/// A key identifying a node while it is alive (callers keep the handle).
pub fn key(node: &Handle) -> *const Node {
    Rc::as_ptr(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::parse::parse_page;

    #[test]
    fn next_node_walks_elements_in_document_order() {
        let page = parse_page("<div id=a><p id=b>x</p></div><p id=c>y</p>");
        let a = descendants(&page.document, &["div"])[0].clone();
        let order: Vec<String> = std::iter::successors(Some(a), |n| next_node(n, false))
            .map(|n| attr(&n, "id").unwrap_or_default())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
    }

    #[test]
    fn rename_keeps_attributes_children_and_position() {
        let page = parse_page("<div><font color=red>a<b>b</b></font>c</div>");
        let font = descendants(&page.document, &["font"])[0].clone();
        let span = rename(&font, "span");
        assert_eq!(attr(&span, "color").as_deref(), Some("red"));
        assert_eq!(text_content(&span), "ab");
        let div = parent(&span).unwrap();
        assert_eq!(text_content(&div), "abc");
        assert!(descendants(&page.document, &["font"]).is_empty());
    }

    #[test]
    fn text_content_survives_deep_nesting() {
        let html = format!("{}deep{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        let page = parse_page(&html);
        assert_eq!(text_content(&page.document).trim(), "deep");
    }
}
