//! The rewrite pass over ammonia's cleaned DOM: the parts of the policy that
//! need the article's context or more than an allow-list.
//!
//! - URLs in `href`, `src`, `srcset`, `poster`, `cite` go through
//!   [`crate::url_policy`] (resolved against the base, or dropped);
//! - lazy images are promoted (`data-src` → `src`), images get
//!   `referrerpolicy` (default `no-referrer`), `loading=lazy`, `decoding=async`,
//!   and images with no usable source are removed;
//! - an `<iframe>` becomes a plain link to what it embedded;
//! - links get `target=_blank`; media get `controls` and `preload=none`;
//! - shapes that re-parse differently (nested links, headings inside headings,
//!   nesting deeper than [`MAX_HTML_DEPTH`]) are flattened, so the output is stable.

use super::dom::{attr, element_with_text, remove_attr, set_attr, tag};
use super::policy::{LAZY_SRCSET_ATTRIBUTES, LAZY_SRC_ATTRIBUTES, LINK_REL, REFERRER_POLICIES};
use crate::limits::MAX_HTML_DEPTH;
use crate::url_policy::{check, check_srcset, host_of, UrlUse};
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
    /// Elements unwrapped because they nested too deep or re-parse differently.
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

#[derive(Clone, Copy, Default)]
struct Scope {
    depth: usize,
    in_link: bool,
    in_heading: bool,
}

enum Action {
    Keep,
    Remove,
    Unwrap,
    Replace(Handle),
}

/// Rewrites the children of `root` in place.
pub fn rewrite(root: &Handle, base: Option<&Url>) -> Changes {
    let mut changes = Changes::default();
    let mut stack = vec![(root.clone(), Scope::default())];
    while let Some((parent, scope)) = stack.pop() {
        let mut pending: VecDeque<Handle> = std::mem::take(&mut *parent.children.borrow_mut()).into();
        let mut kept = Vec::with_capacity(pending.len());
        while let Some(child) = pending.pop_front() {
            let action = match tag(&child) {
                Some(name) => element_action(&child, name, scope, base, &mut changes),
                None => Action::Keep,
            };
            match action {
                Action::Keep => {
                    if let Some(name) = tag(&child) {
                        let child_scope = Scope {
                            depth: scope.depth + 1,
                            in_link: scope.in_link || name == "a",
                            in_heading: scope.in_heading || is_heading(name),
                        };
                        stack.push((child.clone(), child_scope));
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
    changes
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn element_action(node: &Handle, name: &str, scope: Scope, base: Option<&Url>, changes: &mut Changes) -> Action {
    let nested_link = name == "a" && scope.in_link;
    let nested_heading = is_heading(name) && scope.in_heading;
    if scope.depth >= MAX_HTML_DEPTH || nested_link || nested_heading {
        changes.elements_flattened += 1;
        return match name {
            "img" | "video" | "audio" | "source" | "iframe" => Action::Remove,
            _ => Action::Unwrap,
        };
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
        // A link inside a link would re-parse as two siblings: drop the frame there.
        "iframe" if scope.in_link => {
            changes.urls_dropped += 1;
            Action::Remove
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
    src.is_empty() || src.len() >= 5 && src[..5].eq_ignore_ascii_case("data:") || tiny
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

/// True when the node is an element whose tag is one of `names`.
pub fn is_element(node: &Handle, names: &[&str]) -> bool {
    matches!(&node.data, NodeData::Element { name, .. } if names.contains(&&*name.local))
}
