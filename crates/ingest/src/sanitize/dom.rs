//! Small helpers over ammonia's DOM (`ammonia::rcdom`), so the rewrite and
//! extraction passes read like the policy they apply.

use ammonia::rcdom::{Handle, Node, NodeData};
use html5ever::{ns, Attribute, LocalName, QualName};
use std::rc::Rc;

/// The local name of an element, or `None` for other nodes.
pub fn tag(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// The value of an attribute.
pub fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => {
            attrs.borrow().iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string())
        }
        _ => None,
    }
}

/// Sets an attribute, replacing any value it had.
pub fn set_attr(node: &Handle, name: &str, value: &str) {
    if let NodeData::Element { attrs, .. } = &node.data {
        let mut attrs = attrs.borrow_mut();
        match attrs.iter_mut().find(|a| &*a.name.local == name) {
            Some(existing) => existing.value = value.into(),
            None => attrs.push(Attribute { name: QualName::new(None, ns!(), LocalName::from(name)), value: value.into() }),
        }
    }
}

/// Removes an attribute if present.
pub fn remove_attr(node: &Handle, name: &str) {
    if let NodeData::Element { attrs, .. } = &node.data {
        attrs.borrow_mut().retain(|a| &*a.name.local != name);
    }
}

/// A new HTML element with the given attributes and one text child.
pub fn element_with_text(name: &str, attrs: &[(&str, &str)], text: &str) -> Handle {
    let element = Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), LocalName::from(name)),
        attrs: attrs
            .iter()
            .map(|(n, v)| Attribute { name: QualName::new(None, ns!(), LocalName::from(*n)), value: (*v).into() })
            .collect::<Vec<_>>()
            .into(),
        template_contents: None.into(),
        mathml_annotation_xml_integration_point: false,
    });
    let text = Node::new(NodeData::Text { contents: std::cell::RefCell::new(text.into()) });
    adopt(&element, text);
    element
}

/// Appends `child` to `parent`, setting its parent pointer.
pub fn adopt(parent: &Handle, child: Handle) {
    child.parent.set(Some(Rc::downgrade(parent)));
    parent.children.borrow_mut().push(child);
}

/// Replaces `node` in its parent by an HTML element named `name` with the same
/// attributes and children. Returns false when `node` has no parent (it was
/// already replaced).
pub fn rename(node: &Handle, name: &str) -> bool {
    let NodeData::Element { attrs, .. } = &node.data else { return false };
    let Some(parent) = node.parent.take().and_then(|weak| weak.upgrade()) else { return false };
    let renamed = Node::new(NodeData::Element {
        name: QualName::new(None, ns!(html), LocalName::from(name)),
        attrs: attrs.borrow().clone().into(),
        template_contents: None.into(),
        mathml_annotation_xml_integration_point: false,
    });
    let children = std::mem::take(&mut *node.children.borrow_mut());
    for child in &children {
        child.parent.set(Some(Rc::downgrade(&renamed)));
    }
    *renamed.children.borrow_mut() = children;
    let mut siblings = parent.children.borrow_mut();
    match siblings.iter().position(|sibling| Rc::ptr_eq(sibling, node)) {
        Some(index) => {
            renamed.parent.set(Some(Rc::downgrade(&parent)));
            siblings[index] = renamed;
            true
        }
        None => false,
    }
}
