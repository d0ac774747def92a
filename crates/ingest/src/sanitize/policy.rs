//! The sanitiser policy, built once into an [`ammonia::Builder`] from its
//! data in [`lectern_core::policy`]. Everything not listed there is removed.
//!
//! Kept: the structural and text elements an article needs. Removed with their
//! content: elements whose content is code, controls or drawings (script, style,
//! svg, math, form controls, ...). Removed, content kept: any other element not
//! listed (font, center, form, span-like wrappers of unknown tags). Attributes:
//! no `on*`, no `style`, no `class`, no `id`/`name` (DOM clobbering).

use ammonia::Builder;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub use lectern_core::policy::*;

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
