//! The rewrite pass over ammonia's cleaned DOM: the parts of the policy that
//! need the article's context or more than an allow-list.
//!
//! - URLs in `href`, `src`, `srcset`, `poster`, `cite` go through
//!   [`crate::url_policy`] (resolved against the base, or dropped);
//! - lazy images are promoted (`data-src` → `src`), images get
//!   `referrerpolicy` (default `no-referrer`), `loading=lazy`, `decoding=async`,
//!   and images with no usable source are removed;
//! - an `<iframe>` becomes a plain link to what it embedded (inside a link, it
//!   is removed: a link in a link does not survive a re-parse);
//! - links get `target=_blank`; media get `controls` and `preload=none`;
//! - shapes that an HTML parser would build differently from the serialised
//!   output are made stable ([`nesting`](#nesting)), so the tree a browser
//!   builds from the output is the tree that was checked.
//!
//! # Nesting
//!
//! A parser builds some trees only with help from elements the policy removes
//! or unwraps (`<marquee>`, `<center>`, `<object>`, `<svg>`, ...) or from the
//! table and formatting-element algorithms. Serialised without that help, the
//! output would re-parse as a different tree: the mechanism behind mutation
//! XSS. Each such shape is flattened here, following the HTML parsing rules:
//!
//! | shape | why it is unstable | what Lectern does |
//! |---|---|---|
//! | `a` inside `a` | a new `<a>` closes the open one | inner link unwrapped |
//! | heading inside heading | kept simple | inner heading unwrapped |
//! | `li` in `li`, `dd`/`dt` in `dd`/`dt`, with no list or other block between | a new item closes the open one | inner item unwrapped |
//! | a block (`div`, `ul`, `table`, `hr`, ...) inside `p` | a block start tag closes the paragraph | the `p` becomes a `div` |
//! | `rt`/`rp` directly in `p`, `li`, `dd`, `dt`, `rt`, `rp` inside `ruby` | implied end tags close the parent | unwrapped |
//! | table parts out of place (`tr` outside a table section, text in a `tr`, ...) | ignored or foster-parented | unwrapped / removed |
//! | nesting deeper than [`MAX_HTML_DEPTH`] | browsers stop nesting at 512 | deeper elements unwrapped; tables that would not fit are unwrapped |
//! | a `pre` whose text starts with a newline | the parser drops the first newline after `<pre>` | a newline is added before serialising |
//! | a carriage return (from `&#13;`) in text or attributes | the parser turns it into a line feed | written as a line feed |

use super::dom::{attr, element_with_text, remove_attr, rename, set_attr, tag};
use super::policy::{LAZY_SRCSET_ATTRIBUTES, LAZY_SRC_ATTRIBUTES, LINK_REL, REFERRER_POLICIES};
use lectern_core::limits::MAX_HTML_DEPTH;
use crate::url_policy::{self, host_of, UrlUse};
use ammonia::rcdom::{Handle, NodeData};
use std::collections::VecDeque;
use std::rc::Rc;
use url::Url;

/// Counts of what the pass changed, reported as article warnings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Images removed because no usable source was left.
    pub images_removed: usize,
    /// Lazy images whose real source was promoted.
    pub lazy_images_promoted: usize,
    /// Embedded frames turned into links.
    pub frames_linked: usize,
    /// URLs dropped by the URL policy.
    pub urls_dropped: usize,
    /// Elements unwrapped, removed or renamed because they nested too deep or
    /// where a browser would re-parse them differently.
    pub elements_flattened: usize,
}

impl Changes {
    /// Human-readable lines for the non-zero counts.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut line = |n: usize, what: &str| {
            if n > 0 {
                out.push(format!("html: {n} {what}"));
            }
        };
        line(self.lazy_images_promoted, "lazy image(s) given their real source");
        line(self.images_removed, "image(s) without a usable http(s) source removed");
        line(self.frames_linked, "embedded frame(s) replaced by a link");
        line(self.urls_dropped, "URL(s) dropped (unsafe scheme, or relative with no base)");
        line(self.elements_flattened, "element(s) unwrapped (too deep, or nested where a browser would re-parse them)");
        out
    }
}

/// What the pass leaves for [`finish`], after text extraction.
#[derive(Default)]
pub struct Rewritten {
    /// What changed.
    pub changes: Changes,
    /// `pre` elements whose text starts with a newline.
    pres_with_leading_newline: Vec<Handle>,
}

/// What the HTML parser would have open around an element: the parts of its
/// stack of open elements that decide how a start tag is treated.
#[derive(Clone, Default)]
struct Scope {
    depth: usize,
    in_link: bool,
    in_heading: bool,
    /// An `li` the parser would close on a new `<li>`.
    li_open: bool,
    /// A `dd` or `dt` the parser would close on a new `<dd>`/`<dt>`.
    dd_dt_open: bool,
    /// The `p` in button scope, which a block start tag would close.
    open_p: Option<Handle>,
    /// A `ruby` in scope: `<rt>`/`<rp>` then close `p`, `li`, ... first.
    ruby_in_scope: bool,
}

/// Elements of the parser's "special" category that are in the policy.
const SPECIAL: &[&str] = &[
    "address", "article", "aside", "blockquote", "br", "caption", "col", "colgroup", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "iframe",
    "img", "li", "main", "ol", "p", "pre", "section", "source", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "wbr",
];

/// Start tags (in the policy) that close a `p` in button scope.
const CLOSES_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "details", "div", "dl", "figcaption", "figure", "footer", "header",
    "hgroup", "main", "ol", "p", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "hr",
    "li", "dd", "dt",
];

/// Elements (in the policy) that end the parser's default and button scopes.
const SCOPE_BOUNDARIES: &[&str] = &["table", "td", "th", "caption"];

/// Table parts and the parents the parser gives them.
const TABLE_PARENTS: &[(&str, &[&str])] = &[
    ("caption", &["table"]),
    ("colgroup", &["table"]),
    ("thead", &["table"]),
    ("tbody", &["table"]),
    ("tfoot", &["table"]),
    ("tr", &["thead", "tbody", "tfoot"]),
    ("td", &["tr"]),
    ("th", &["tr"]),
    ("col", &["colgroup"]),
];

/// Table containers and the elements they may hold directly.
const TABLE_CHILDREN: &[(&str, &[&str])] = &[
    ("table", &["caption", "colgroup", "thead", "tbody", "tfoot"]),
    ("thead", &["tr"]),
    ("tbody", &["tr"]),
    ("tfoot", &["tr"]),
    ("tr", &["td", "th"]),
    ("colgroup", &["col"]),
];

/// Levels a table needs below itself for its cells' content (tbody, tr, td).
const TABLE_LEVELS: usize = 3;

enum Action {
    Keep,
    Remove,
    Unwrap,
    Replace(Handle),
}

/// Rewrites the children of `root` in place.
pub fn rewrite(root: &Handle, base: Option<&Url>) -> Rewritten {
    let mut out = Rewritten::default();
    let mut paragraphs_to_divs: Vec<Handle> = Vec::new();
    let mut stack = vec![(root.clone(), Scope::default())];
    while let Some((parent, scope)) = stack.pop() {
        let parent_tag = tag(&parent).filter(|_| !Rc::ptr_eq(&parent, root)).unwrap_or("").to_owned();
        let allowed_children = TABLE_CHILDREN.iter().find(|(t, _)| *t == parent_tag).map(|(_, c)| *c);
        let mut pending: VecDeque<Handle> = std::mem::take(&mut *parent.children.borrow_mut()).into();
        let mut kept = Vec::with_capacity(pending.len());
        while let Some(child) = pending.pop_front() {
            let action = match (&child.data, tag(&child)) {
                (_, Some(name)) => {
                    if allowed_children.is_some_and(|allowed| !allowed.contains(&name)) {
                        // Anything else in a table container would be foster-parented.
                        out.changes.elements_flattened += 1;
                        Action::Remove
                    } else {
                        element_action(&child, name, &parent_tag, &scope, base, &mut out.changes)
                    }
                }
                (NodeData::Text { contents }, None) => {
                    let mut text = contents.borrow_mut();
                    if allowed_children.is_some() && !text.chars().all(is_html_space) {
                        out.changes.elements_flattened += 1;
                        Action::Remove
                    } else {
                        if text.contains('\r') {
                            *text = text.replace("\r\n", "\n").replace('\r', "\n").into();
                        }
                        Action::Keep
                    }
                }
                _ => Action::Keep,
            };
            match action {
                Action::Keep => {
                    if let Some(name) = tag(&child) {
                        normalize_attribute_newlines(&child);
                        if let Some(p) = scope.open_p.as_ref().filter(|_| CLOSES_P.contains(&name)) {
                            paragraphs_to_divs.push(p.clone());
                        }
                        if name == "pre" && starts_with_newline(&child) {
                            out.pres_with_leading_newline.push(child.clone());
                        }
                        stack.push((child.clone(), child_scope(&scope, &child, name)));
                    }
                    kept.push(child);
                }
                Action::Remove => {}
                Action::Unwrap => {
                    let grandchildren = std::mem::take(&mut *child.children.borrow_mut());
                    for grandchild in grandchildren.into_iter().rev() {
                        pending.push_front(grandchild);
                    }
                }
                Action::Replace(node) => kept.push(node),
            }
        }
        for child in &kept {
            child.parent.set(Some(Rc::downgrade(&parent)));
        }
        *parent.children.borrow_mut() = kept;
    }
    paragraphs_to_divs.dedup_by(|a, b| Rc::ptr_eq(a, b));
    for paragraph in paragraphs_to_divs {
        if rename(&paragraph, "div") {
            out.changes.elements_flattened += 1;
        }
    }
    out
}

/// Finishes the tree for serialisation, after text extraction: a `pre` whose
/// text starts with a newline gets one more, which the parser drops again.
pub fn finish(rewritten: &Rewritten) {
    for pre in &rewritten.pres_with_leading_newline {
        if let Some(first) = pre.children.borrow().first() {
            if let NodeData::Text { contents } = &first.data {
                let mut text = contents.borrow_mut();
                *text = format!("\n{}", &**text).into();
            }
        }
    }
}

fn starts_with_newline(node: &Handle) -> bool {
    match node.children.borrow().first().map(|c| &c.data) {
        Some(NodeData::Text { contents }) => contents.borrow().starts_with('\n'),
        _ => false,
    }
}

fn normalize_attribute_newlines(node: &Handle) {
    if let NodeData::Element { attrs, .. } = &node.data {
        for attribute in attrs.borrow_mut().iter_mut() {
            if attribute.value.contains('\r') {
                attribute.value = attribute.value.replace("\r\n", "\n").replace('\r', "\n").into();
            }
        }
    }
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn child_scope(scope: &Scope, node: &Handle, name: &str) -> Scope {
    let special_stop = SPECIAL.contains(&name) && !matches!(name, "address" | "div" | "p");
    let boundary = SCOPE_BOUNDARIES.contains(&name);
    Scope {
        depth: scope.depth + 1,
        in_link: scope.in_link || name == "a",
        in_heading: scope.in_heading || is_heading(name),
        li_open: name == "li" || scope.li_open && !special_stop,
        dd_dt_open: matches!(name, "dd" | "dt") || scope.dd_dt_open && !special_stop,
        open_p: if name == "p" {
            Some(node.clone())
        } else if boundary {
            None
        } else {
            scope.open_p.clone()
        },
        ruby_in_scope: name == "ruby" || scope.ruby_in_scope && !boundary,
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Whether the parser would put `name` where it is; if not, what to do.
fn misplaced(name: &str, parent: &str, scope: &Scope) -> Option<Action> {
    let void = matches!(name, "img" | "video" | "audio" | "source" | "iframe" | "col" | "br" | "wbr" | "hr");
    let flatten = || Some(if void { Action::Remove } else { Action::Unwrap });
    let too_deep = scope.depth >= MAX_HTML_DEPTH || name == "table" && scope.depth + TABLE_LEVELS >= MAX_HTML_DEPTH;
    if too_deep || name == "a" && scope.in_link || is_heading(name) && scope.in_heading {
        return flatten();
    }
    if let Some((_, parents)) = TABLE_PARENTS.iter().find(|(t, _)| *t == name) {
        if !parents.contains(&parent) {
            return flatten();
        }
    }
    let nested_item = name == "li" && scope.li_open || matches!(name, "dd" | "dt") && scope.dd_dt_open;
    let ruby_text_closing_parent =
        matches!(name, "rt" | "rp") && scope.ruby_in_scope && matches!(parent, "p" | "li" | "dd" | "dt" | "rt" | "rp");
    if nested_item || ruby_text_closing_parent {
        return flatten();
    }
    if name == "iframe" && scope.in_link {
        // Its replacement would be a link inside a link.
        return Some(Action::Remove);
    }
    None
}

fn element_action(node: &Handle, name: &str, parent: &str, scope: &Scope, base: Option<&Url>, changes: &mut Changes) -> Action {
    if let Some(action) = misplaced(name, parent, scope) {
        changes.elements_flattened += 1;
        return action;
    }
    match name {
        "a" => {
            rewrite_url_attr(node, "href", UrlUse::Link, base, changes);
            if attr(node, "href").is_some() {
                set_attr(node, "target", "_blank");
                set_attr(node, "rel", LINK_REL);
            }
            Action::Keep
        }
        "img" => rewrite_img(node, base, changes),
        "source" => {
            rewrite_url_attr(node, "src", UrlUse::Resource, base, changes);
            rewrite_srcset(node, "srcset", base, changes);
            if attr(node, "src").is_none() && attr(node, "srcset").is_none() {
                return Action::Remove;
            }
            Action::Keep
        }
        "video" | "audio" => {
            rewrite_url_attr(node, "src", UrlUse::Resource, base, changes);
            rewrite_url_attr(node, "poster", UrlUse::Resource, base, changes);
            set_attr(node, "controls", "");
            set_attr(node, "preload", "none");
            Action::Keep
        }
        "iframe" => frame_to_link(node, base, changes),
        "blockquote" | "q" | "del" | "ins" => {
            // `cite` is never followed by a click: only http(s) sources make sense.
            rewrite_url_attr(node, "cite", UrlUse::Resource, base, changes);
            Action::Keep
        }
        _ => Action::Keep,
    }
}

/// [`url_policy::check`], keeping only a URL that the policy keeps as it is
/// when it reads it again: a URL that grows past the length limit once
/// percent-encoded, say, would be dropped on the next pass, and the output
/// would not be stable.
fn check(raw: &str, usage: UrlUse, base: Option<&Url>) -> Option<String> {
    let url = url_policy::check(raw, usage, base)?;
    // A URL kept exactly as it was read is already the policy's fixed point:
    // reading it again would repeat the same steps on the same string.
    if url == raw {
        return Some(url);
    }
    (url_policy::check(&url, usage, None).as_deref() == Some(url.as_str())).then_some(url)
}

/// [`url_policy::check_srcset`], kept only when stable (see [`check`]).
fn check_srcset(raw: &str, base: Option<&Url>) -> Option<String> {
    let srcset = url_policy::check_srcset(raw, base)?;
    if srcset == raw {
        return Some(srcset);
    }
    (url_policy::check_srcset(&srcset, None).as_deref() == Some(srcset.as_str())).then_some(srcset)
}

fn rewrite_url_attr(node: &Handle, name: &str, usage: UrlUse, base: Option<&Url>, changes: &mut Changes) {
    if let Some(raw) = attr(node, name) {
        match check(&raw, usage, base) {
            Some(url) => {
                if url != raw {
                    set_attr(node, name, &url);
                }
            }
            None => {
                remove_attr(node, name);
                changes.urls_dropped += 1;
            }
        }
    }
}

fn rewrite_srcset(node: &Handle, name: &str, base: Option<&Url>, changes: &mut Changes) {
    if let Some(raw) = attr(node, name) {
        match check_srcset(&raw, base) {
            Some(srcset) => set_attr(node, name, &srcset),
            None => {
                remove_attr(node, name);
                changes.urls_dropped += 1;
            }
        }
    }
}

/// A `src` that only stands in for the real image: missing, empty, a `data:`
/// URL (the 1×1 gif of lazy loaders), or an image declared 1×1.
fn is_placeholder(node: &Handle, src: Option<&str>) -> bool {
    let Some(src) = src.map(str::trim) else { return true };
    let tiny = attr(node, "width").as_deref() == Some("1") && attr(node, "height").as_deref() == Some("1");
    src.is_empty() || src.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) || tiny
}

fn rewrite_img(node: &Handle, base: Option<&Url>, changes: &mut Changes) -> Action {
    let src = attr(node, "src");
    if is_placeholder(node, src.as_deref()) {
        let lazy = LAZY_SRC_ATTRIBUTES.iter().find_map(|name| attr(node, name).and_then(|v| check(&v, UrlUse::Resource, base)));
        if let Some(real) = lazy {
            set_attr(node, "src", &real);
            changes.lazy_images_promoted += 1;
        }
    }
    if attr(node, "srcset").is_none() {
        let lazy = LAZY_SRCSET_ATTRIBUTES.iter().find_map(|name| attr(node, name).and_then(|v| check_srcset(&v, base)));
        if let Some(real) = lazy {
            set_attr(node, "srcset", &real);
        }
    }
    for name in LAZY_SRC_ATTRIBUTES.iter().chain(LAZY_SRCSET_ATTRIBUTES) {
        remove_attr(node, name);
    }
    rewrite_url_attr(node, "src", UrlUse::Resource, base, changes);
    rewrite_srcset(node, "srcset", base, changes);
    if attr(node, "src").is_none() && attr(node, "srcset").is_none() {
        changes.images_removed += 1;
        return Action::Remove;
    }
    let policy = attr(node, "referrerpolicy").map(|p| p.trim().to_ascii_lowercase());
    match policy {
        Some(p) if REFERRER_POLICIES.contains(&p.as_str()) => set_attr(node, "referrerpolicy", &p),
        _ => set_attr(node, "referrerpolicy", "no-referrer"),
    }
    let loading = attr(node, "loading").map(|v| v.trim().to_ascii_lowercase());
    if !matches!(loading.as_deref(), Some("lazy" | "eager")) {
        set_attr(node, "loading", "lazy");
    }
    let decoding = attr(node, "decoding").map(|v| v.trim().to_ascii_lowercase());
    if !matches!(decoding.as_deref(), Some("async" | "sync" | "auto")) {
        set_attr(node, "decoding", "async");
    }
    Action::Keep
}

/// Hosts whose embeds are video players.
const VIDEO_HOSTS: &[&str] = &[
    "youtube.com", "youtube-nocookie.com", "youtu.be", "player.bilibili.com", "bilibili.com", "vimeo.com",
    "player.vimeo.com", "v.qq.com", "player.youku.com", "youku.com", "ixigua.com", "dailymotion.com",
    "player.twitch.tv", "nicovideo.jp", "embed.nicovideo.jp", "douyin.com", "tiktok.com", "acfun.cn",
];

fn frame_to_link(node: &Handle, base: Option<&Url>, changes: &mut Changes) -> Action {
    let Some(url) = attr(node, "src").and_then(|src| check(&src, UrlUse::Resource, base)) else {
        changes.urls_dropped += 1;
        return Action::Remove;
    };
    let host = host_of(&url).unwrap_or_default();
    let path = url.to_ascii_lowercase();
    let video = VIDEO_HOSTS.iter().any(|h| host == *h || host.ends_with(&format!(".{h}")))
        || ["player", "video", "embed/"].iter().any(|hint| path.contains(hint));
    let label = if video { format!("Open video: {host}") } else { format!("Open embedded page: {host}") };
    changes.frames_linked += 1;
    let link = element_with_text("a", &[("href", &url), ("rel", LINK_REL), ("target", "_blank")], &label);
    Action::Replace(link)
}
