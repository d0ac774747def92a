//! The sanitiser's policy as data: what sanitised article HTML may contain.
//! Everything not listed here is removed. The sanitiser (`lectern-ingest`,
//! built on ammonia) enforces it; the page hands the same lists to the
//! browser's Sanitizer API as a second check when it shows an article
//! ([`sanitizer_config`]), so the two can never disagree.
//!
//! Kept: the structural and text elements an article needs. Removed with their
//! content: elements whose content is code, controls or drawings (script, style,
//! svg, math, form controls, ...). Removed, content kept: any other element not
//! listed (font, center, form, span-like wrappers of unknown tags). Attributes:
//! no `on*`, no `style`, no `class`, no `id`/`name` (DOM clobbering).

use serde::Serialize;

/// Elements kept in sanitised HTML. `iframe` is only kept long enough to be
/// turned into a plain link by the rewrite pass; it never reaches the output.
pub const ALLOWED_TAGS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "iframe", "img", "ins", "kbd", "li",
    "main", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "video", "wbr",
];

/// Allowed elements that the rewrite pass always replaces: they are in
/// [`ALLOWED_TAGS`] only so that the pass sees them.
pub const NEVER_IN_OUTPUT: &[&str] = &["iframe"];

/// Elements removed together with everything inside them.
pub const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "template", "svg", "math", "select", "textarea", "button", "option", "datalist", "noembed",
    "noframes", "object", "embed", "canvas", "applet", "title", "head", "meta", "link", "base", "frameset", "frame",
    "input", "output", "progress", "meter", "dialog", "portal", "xmp", "plaintext", "param",
];

/// Attributes allowed on every kept element.
pub const GENERIC_ATTRIBUTES: &[&str] = &["title", "lang", "dir"];

/// Attributes allowed per element, besides [`GENERIC_ATTRIBUTES`].
pub const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "referrerpolicy"]),
    ("source", &["src", "srcset", "sizes", "media", "type", "width", "height"]),
    ("video", &["src", "poster", "width", "height", "loop", "muted", "playsinline"]),
    ("audio", &["src", "loop", "muted"]),
    ("iframe", &["src"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("time", &["datetime"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("details", &["open"]),
    ("abbr", &[]),
];

/// Attributes the rewrite pass sets, besides those in [`TAG_ATTRIBUTES`]:
/// links open in a new tab without an opener or referrer, media show controls
/// and load nothing until played.
pub const ADDED_ATTRIBUTES: &[(&str, &[&str])] =
    &[("a", &["target", "rel"]), ("video", &["controls", "preload"]), ("audio", &["controls", "preload"])];

/// Lazy-loading attributes read from images: promoted to `src`/`srcset` when
/// the real ones are missing or a placeholder, then removed.
pub const LAZY_SRC_ATTRIBUTES: &[&str] = &["data-src", "data-original", "data-actualsrc", "data-lazy-src", "data-url"];
/// Lazy-loading `srcset` attributes, handled like [`LAZY_SRC_ATTRIBUTES`].
pub const LAZY_SRCSET_ATTRIBUTES: &[&str] = &["data-srcset", "data-lazy-srcset"];

/// Valid `referrerpolicy` tokens kept on images. A missing or empty value
/// becomes `no-referrer`: many image hosts refuse hotlinked images that carry
/// a `Referer` header.
pub const REFERRER_POLICIES: &[&str] = &[
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// `rel` set on every link.
pub const LINK_REL: &str = "noopener noreferrer nofollow";

/// One element of a [`SanitizerConfig`]: its name and the attributes it may
/// have besides the global ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SanitizerElement {
    /// The element's local name (HTML namespace).
    pub name: &'static str,
    /// Attributes kept on it.
    pub attributes: Vec<&'static str>,
}

/// The policy as a configuration of the HTML Sanitizer API
/// (`new Sanitizer(config)`, `Element.setHTML`): exactly what sanitised
/// output holds, so the browser keeps all of it and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SanitizerConfig {
    /// Elements kept, each with its own attributes.
    pub elements: Vec<SanitizerElement>,
    /// Attributes kept on every element.
    pub attributes: Vec<&'static str>,
    /// Comments are never kept.
    pub comments: bool,
    /// `data-*` attributes are never kept.
    pub data_attributes: bool,
}

/// The Sanitizer API configuration of the policy: the elements sanitised
/// output may hold (not those the sanitiser only rewrites, such as `iframe`),
/// with the attributes the sanitiser keeps or sets on each.
///
/// ```
/// let config = lectern_core::policy::sanitizer_config();
/// let img = config.elements.iter().find(|e| e.name == "img").unwrap();
/// assert!(img.attributes.contains(&"referrerpolicy"));
/// assert!(!config.elements.iter().any(|e| e.name == "script" || e.name == "iframe"));
/// ```
pub fn sanitizer_config() -> SanitizerConfig {
    let attributes_of = |tag: &str| -> Vec<&'static str> {
        let listed = TAG_ATTRIBUTES.iter().chain(ADDED_ATTRIBUTES).filter(|(name, _)| *name == tag);
        let mut out: Vec<&'static str> = listed.flat_map(|(_, attrs)| attrs.iter().copied()).collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    SanitizerConfig {
        elements: ALLOWED_TAGS
            .iter()
            .filter(|tag| !NEVER_IN_OUTPUT.contains(tag))
            .map(|&name| SanitizerElement { name, attributes: attributes_of(name) })
            .collect(),
        attributes: GENERIC_ATTRIBUTES.to_vec(),
        comments: false,
        data_attributes: false,
    }
}
