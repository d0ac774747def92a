//! The sanitiser policy as data: what is kept, built once into an
//! [`ammonia::Builder`]. Everything not listed here is removed.
//!
//! Kept: the structural and text elements an article needs. Removed with their
//! content: elements whose content is code, controls or drawings (script, style,
//! svg, math, form controls, ...). Removed, content kept: any other element not
//! listed (font, center, form, span-like wrappers of unknown tags). Attributes:
//! no `on*`, no `style`, no `class`, no `id`/`name` (DOM clobbering).

use ammonia::Builder;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

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

/// URL schemes ammonia lets through on `href`/`src`; relative URLs pass too and
/// are resolved (or dropped) by the rewrite pass with [`crate::url_policy`].
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The ammonia builder for [the policy](self), built once.
pub static BUILDER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut tag_attributes: HashMap<&str, HashSet<&str>> =
        TAG_ATTRIBUTES.iter().map(|(tag, attrs)| (*tag, attrs.iter().copied().collect())).collect();
    let img = tag_attributes.entry("img").or_default();
    img.extend(LAZY_SRC_ATTRIBUTES.iter().chain(LAZY_SRCSET_ATTRIBUTES));
    let mut builder = Builder::empty();
    builder
        .tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some(LINK_REL))
        .strip_comments(true);
    builder
});
