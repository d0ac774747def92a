//! An independent check of sanitised HTML against [the policy](super::policy):
//! the output is parsed again (html5ever, as a `<div>` fragment, the way a
//! browser's `innerHTML` parses it) and every element, attribute and URL is
//! checked, and the re-parsed tree must serialise back to the same text.
//!
//! The sanitiser never needs this; tests, fuzz targets and `lectern` tooling
//! use it to prove what the sanitiser promises. It is not in the WASM build.
//!
//! ```
//! use lectern_ingest::sanitize::audit::audit;
//! assert!(audit(&lectern_ingest::sanitize("<a href='javascript:x'>a</a><img src=x onerror=alert(1)>")).is_empty());
//! let found = audit("<p onclick=\"x()\"><script>y()</script><a href=\"javascript:z()\">a</a></p>");
//! assert_eq!(found.len(), 3, "{found:?}");
//! ```

use super::dom::tag;
use super::policy::{ADDED_ATTRIBUTES, ALLOWED_TAGS, GENERIC_ATTRIBUTES, NEVER_IN_OUTPUT, TAG_ATTRIBUTES};
use crate::url_policy::{check, check_srcset, UrlUse};
use ammonia::rcdom::{Handle, NodeData, RcDom, SerializableHandle};
use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};

/// One way an HTML fragment breaks the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// An element the policy does not allow (or not in the HTML namespace).
    Element(String),
    /// An attribute the policy does not allow on this element.
    Attribute {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// A URL attribute whose value the URL policy would not keep as it is.
    Url {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
        /// The value.
        value: String,
    },
    /// A comment, doctype or processing instruction.
    NonElementNode(String),
    /// The fragment does not survive parse + serialise unchanged: a browser
    /// would build a different tree from it (the mechanism of mutation XSS).
    Unstable {
        /// What the fragment serialises to after one more parse.
        reparsed: String,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Element(name) => write!(f, "element <{name}> is not allowed"),
            Violation::Attribute { element, attribute } => write!(f, "attribute {attribute} is not allowed on <{element}>"),
            Violation::Url { element, attribute, value } => {
                write!(f, "<{element} {attribute}=\"{value}\">: URL not allowed by the URL policy")
            }
            Violation::NonElementNode(kind) => write!(f, "a {kind} node"),
            Violation::Unstable { reparsed } => write!(f, "re-parses differently, as: {reparsed}"),
        }
    }
}

/// A parsed HTML fragment. It owns the tree: dropping it empties every node.
pub struct Fragment {
    dom: RcDom,
}

impl Fragment {
    /// Parses `html` as a `<div>` fragment (scripting enabled, like `innerHTML`).
    pub fn parse(html: &str) -> Fragment {
        let context = QualName::new(None, ns!(html), local_name!("div"));
        Fragment { dom: parse_fragment(RcDom::default(), ParseOpts::default(), context, vec![], false).one(html) }
    }

    /// The node whose children are the fragment's nodes.
    pub fn root(&self) -> Handle {
        // The fragment parser puts the nodes under an <html> element in the document.
        let first = self.dom.document.children.borrow().first().cloned();
        first.unwrap_or_else(|| self.dom.document.clone())
    }
}

/// Serialises the children of `node`.
pub fn serialize_children(node: &Handle) -> String {
    let mut out = Vec::new();
    let opts = SerializeOpts { traversal_scope: TraversalScope::ChildrenOnly(None), ..Default::default() };
    match serialize(&mut out, &SerializableHandle::from(node.clone()), opts) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(_) => String::new(),
    }
}

fn allowed_attribute(element: &str, attribute: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attribute)
        || TAG_ATTRIBUTES.iter().chain(ADDED_ATTRIBUTES).any(|(t, attrs)| *t == element && attrs.contains(&attribute))
}

fn check_url(attribute: &str, value: &str) -> bool {
    match attribute {
        "srcset" => check_srcset(value, None).as_deref() == Some(value),
        "href" => check(value, UrlUse::Link, None).as_deref() == Some(value),
        "src" | "poster" | "cite" => check(value, UrlUse::Resource, None).as_deref() == Some(value),
        _ => true,
    }
}

/// Every way `html` breaks the policy; empty when it complies.
pub fn audit(html: &str) -> Vec<Violation> {
    let fragment = Fragment::parse(html);
    let root = fragment.root();
    let mut found = Vec::new();
    let mut stack: Vec<Handle> = root.children.borrow().iter().cloned().collect();
    let mut pres = Vec::new();
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Element { name, attrs, .. } => {
                let element = tag(&node).unwrap_or_default().to_owned();
                if name.ns != ns!(html) {
                    let space = if name.ns == ns!(svg) { "svg" } else if name.ns == ns!(mathml) { "math" } else { "foreign" };
                    found.push(Violation::Element(format!("{space}:{element}")));
                } else if !ALLOWED_TAGS.contains(&element.as_str()) || NEVER_IN_OUTPUT.contains(&element.as_str()) {
                    found.push(Violation::Element(element.clone()));
                }
                for attr in attrs.borrow().iter() {
                    let attribute = &*attr.name.local;
                    if attr.name.ns != ns!() || !allowed_attribute(&element, attribute) {
                        found.push(Violation::Attribute { element: element.clone(), attribute: attribute.to_owned() });
                    } else if !check_url(attribute, &attr.value) {
                        found.push(Violation::Url {
                            element: element.clone(),
                            attribute: attribute.to_owned(),
                            value: attr.value.to_string(),
                        });
                    }
                }
                if element == "pre" {
                    pres.push(node.clone());
                }
                stack.extend(node.children.borrow().iter().cloned());
            }
            NodeData::Text { .. } => {}
            NodeData::Comment { .. } => found.push(Violation::NonElementNode("comment".into())),
            NodeData::Doctype { .. } => found.push(Violation::NonElementNode("doctype".into())),
            NodeData::ProcessingInstruction { .. } => found.push(Violation::NonElementNode("processing instruction".into())),
            NodeData::Document => {}
        }
    }
    // Serialised as Lectern serialises: a `pre` whose text starts with a
    // newline gets one more (the parser drops the first).
    for pre in pres {
        if let Some(NodeData::Text { contents }) = pre.children.borrow().first().map(|c| &c.data) {
            let mut text = contents.borrow_mut();
            if text.starts_with('\n') {
                *text = format!("\n{}", &**text).into();
            }
        }
    }
    let reparsed = serialize_children(&root);
    if reparsed != html {
        found.push(Violation::Unstable { reparsed });
    }
    found
}

/// The sanitiser's promises for one input, as the fuzz targets and their
/// regression tests check them: the output complies with the policy and is
/// stable, with and without a base URL, and sanitising it again changes
/// nothing. Returns what broke.
pub fn check_sanitizer_promises(input: &str) -> Result<(), String> {
    let base = crate::url_policy::parse_base("https://fuzz.example/dir/page.html");
    for base in [None, base.as_ref()] {
        let once = super::sanitize_document(input, base).html;
        let violations = audit(&once);
        if !violations.is_empty() {
            return Err(format!("policy violations {violations:?}\ninput: {input:?}\noutput: {once:?}"));
        }
        let twice = super::sanitize(&once);
        if twice != once {
            return Err(format!("sanitising is not idempotent\ninput: {input:?}\nonce:  {once:?}\ntwice: {twice:?}"));
        }
    }
    Ok(())
}
