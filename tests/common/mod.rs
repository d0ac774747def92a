//! Helpers shared by the data-driven suites (`tests/corpus.rs`, `tests/xss_suites.rs`):
//! where the shared corpus is, and the invariants every sanitised output must hold.
//!
//! The invariants are checked on a re-parse of the output with html5ever (the
//! parser a browser's fragment parsing follows), so attribute checks are exact:
//! what is tested is the tree a page would build from the output, not its text.
#![allow(dead_code)] // each test binary uses a different part of this module

use ammonia::rcdom::{Handle, NodeData, RcDom};
use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, ParseOpts, QualName};
use lectern_ingest::sanitize::policy::{ALLOWED_TAGS, GENERIC_ATTRIBUTES, TAG_ATTRIBUTES};
use std::path::{Path, PathBuf};

/// The shared corpus: `$LECTERN_SHARED`, else `../shared` beside the repo.
/// Panics (failing the test) when it is missing: these tests never pass silently.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("LECTERN_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    assert!(
        dir.is_dir(),
        "../shared not found: tests read the shared corpus in place; set LECTERN_SHARED (looked at {})",
        dir.display()
    );
    dir.canonicalize().unwrap_or(dir)
}

/// Reads a file of the shared corpus, failing with its path.
pub fn read_shared(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Elements that must never be in sanitised output: they run script, load
/// documents or plugins, restyle the page, submit data, or change how the
/// page resolves URLs.
pub const UNSAFE_ELEMENTS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "form", "base",
    "meta", "link", "template", "portal", "noscript",
];

/// Attributes that must never be in sanitised output besides `on*`: styling and
/// DOM clobbering (`id`, `name`), inline documents (`srcdoc`), form wiring.
pub const FORBIDDEN_ATTRIBUTES: &[&str] =
    &["style", "class", "id", "name", "srcdoc", "form", "formaction", "action", "xmlns", "is"];

/// Attributes whose value a browser loads or navigates to.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "cite",
    "xlink:href",
    "action",
    "formaction",
    "data",
    "background",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "icon",
    "codebase",
    "archive",
    "usemap",
    "itemtype",
];

/// Attributes holding a list of image candidates (`url descriptor, ...`).
pub const SRCSET_ATTRIBUTES: &[&str] = &["srcset", "imagesrcset"];

/// Attributes the rewrite pass adds on top of the allow-list (documented in
/// `src/sanitize/rewrite.rs`): link targets and media controls.
const ADDED_ATTRIBUTES: &[(&str, &[&str])] =
    &[("a", &["target", "rel"]), ("video", &["controls", "preload"]), ("audio", &["controls", "preload"])];

/// What is wrong with one sanitised output.
#[derive(Debug, Default, Clone)]
pub struct Findings {
    /// Script-capable or otherwise dangerous markup: must never happen.
    pub unsafe_: Vec<String>,
    /// Markup outside Lectern's documented allow-list (`lectern_ingest::sanitize::policy`).
    pub outside_policy: Vec<String>,
}

impl Findings {
    /// True when nothing was found.
    pub fn is_clean(&self) -> bool {
        self.unsafe_.is_empty() && self.outside_policy.is_empty()
    }
}

/// A parsed fragment. The DOM must stay alive while its nodes are walked:
/// dropping an rcdom node empties the child lists of all its descendants.
pub struct Fragment {
    dom: RcDom,
}

impl Fragment {
    /// Parses `html` as the children of a `<div>` (as a page inserting it
    /// would, and as ammonia does).
    pub fn parse(html: &str) -> Self {
        let dom = html5ever::parse_fragment(
            RcDom::default(),
            ParseOpts::default(),
            QualName::new(None, ns!(html), local_name!("div")),
            vec![],
            false,
        )
        .one(html);
        Fragment { dom }
    }

    /// The top-level nodes of the fragment (the parser puts them under a
    /// synthetic `<html>` element).
    pub fn nodes(&self) -> Vec<Handle> {
        let root = self.dom.document.children.borrow().first().cloned();
        match root {
            Some(root) => root.children.borrow().clone(),
            None => Vec::new(),
        }
    }

    /// All elements in document order (template contents included).
    pub fn elements(&self) -> Vec<Handle> {
        let mut out = Vec::new();
        let mut stack: Vec<Handle> = self.nodes().into_iter().rev().collect();
        while let Some(node) = stack.pop() {
            if let NodeData::Element { template_contents, .. } = &node.data {
                out.push(node.clone());
                if let Some(contents) = template_contents.borrow().as_ref() {
                    stack.push(contents.clone());
                }
            }
            stack.extend(node.children.borrow().iter().rev().cloned());
        }
        out
    }
}

/// The local tag name of an element.
pub fn tag_of(node: &Handle) -> String {
    match &node.data {
        NodeData::Element { name, .. } => name.local.to_string(),
        _ => String::new(),
    }
}

/// The attributes of an element as (name, value); a namespaced name is written `prefix:local`.
pub fn attributes_of(node: &Handle) -> Vec<(String, String)> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .map(|a| {
                let name = match &a.name.prefix {
                    Some(prefix) => format!("{prefix}:{}", a.name.local),
                    None => a.name.local.to_string(),
                };
                (name, a.value.to_string())
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks one sanitised output against the invariants.
pub fn check_output(html: &str) -> Findings {
    let mut findings = Findings::default();
    let fragment = Fragment::parse(html);
    for node in fragment.elements() {
        let NodeData::Element { name, .. } = &node.data else { continue };
        let tag = name.local.to_string();
        if name.ns != ns!(html) {
            findings.unsafe_.push(format!("<{tag}> in a foreign namespace ({})", name.ns));
        }
        if UNSAFE_ELEMENTS.contains(&tag.as_str()) {
            findings.unsafe_.push(format!("<{tag}> element"));
        } else if !ALLOWED_TAGS.contains(&tag.as_str()) || tag == "iframe" {
            findings.outside_policy.push(format!("<{tag}> is not an allowed element"));
        }
        for (attr, value) in attributes_of(&node) {
            let lower = attr.to_ascii_lowercase();
            if lower.starts_with("on") {
                findings.unsafe_.push(format!("<{tag} {attr}={value:?}>: event handler"));
            } else if FORBIDDEN_ATTRIBUTES.contains(&lower.as_str()) {
                findings.unsafe_.push(format!("<{tag} {attr}={value:?}>: forbidden attribute"));
            } else if !allowed_attribute(&tag, &lower) {
                findings.outside_policy.push(format!("<{tag} {attr}={value:?}>: attribute not in the policy"));
            }
            let mut urls = Vec::new();
            if URL_ATTRIBUTES.contains(&lower.as_str()) {
                urls.push(value.clone());
            }
            if SRCSET_ATTRIBUTES.contains(&lower.as_str()) {
                urls.extend(srcset_urls(&value));
            }
            for url in urls {
                if let Err(why) = check_url(&url, lower == "href") {
                    let finding = format!("<{tag} {attr}={value:?}>: {url:?}: {why}");
                    // `mailto:` runs no script: outside the policy (links only), not unsafe.
                    if url::Url::parse(&url).is_ok_and(|u| u.scheme() == "mailto") {
                        findings.outside_policy.push(finding);
                    } else {
                        findings.unsafe_.push(finding);
                    }
                }
            }
        }
    }
    findings
}

fn allowed_attribute(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || TAG_ATTRIBUTES.iter().chain(ADDED_ATTRIBUTES).any(|(t, list)| *t == tag && list.contains(&attr))
}

/// A URL attribute value must be an absolute `http(s)` URL (or `mailto:` for
/// links), read the way a browser reads it (WHATWG URL parsing).
pub fn check_url(value: &str, is_link: bool) -> Result<(), String> {
    match url::Url::parse(value) {
        Ok(url) => match url.scheme() {
            "http" | "https" => Ok(()),
            "mailto" if is_link => Ok(()),
            other => Err(format!("scheme '{other}' is not allowed")),
        },
        Err(err) => Err(format!("not an absolute URL ({err})")),
    }
}

/// The URLs of a `srcset`, split as the HTML standard's "parse a srcset
/// attribute" algorithm does (URL up to whitespace; trailing commas end it;
/// descriptors up to the next comma outside parentheses).
pub fn srcset_urls(srcset: &str) -> Vec<String> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| is_space(c) || c == ',');
        if rest.is_empty() {
            break;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        let trimmed = url.trim_end_matches(',');
        if trimmed.len() == url.len() {
            // Skip the descriptors, up to a comma outside parentheses.
            let mut depth = 0usize;
            let mut cut = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => {
                        cut = i;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[cut..];
        }
        if !trimmed.is_empty() {
            urls.push(trimmed.to_owned());
        }
    }
    urls
}

/// Sanitises `html` again and returns the second output when it differs.
pub fn restabilise(html: &str) -> Option<String> {
    let again = lectern_ingest::sanitize(html);
    (again != html).then_some(again)
}

/// A short view of where two strings first differ.
pub fn diff_context(first: &str, second: &str) -> String {
    let at = first.bytes().zip(second.bytes()).position(|(a, b)| a != b).unwrap_or(first.len().min(second.len()));
    let window = |s: &str| {
        let mut start = at.saturating_sub(60);
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 60).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        format!("{}{:?}{}", if start > 0 { "…" } else { "" }, &s[start..end], if end < s.len() { "…" } else { "" })
    };
    format!("first difference at byte {at}\n      once:  {}\n      twice: {}", window(first), window(second))
}

/// Shortens text for a message.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}… ({} bytes)", text.len())
}
