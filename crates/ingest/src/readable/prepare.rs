//! Preparing a parsed page for scoring: images hidden in `<noscript>`
//! recovered, scripts and styles removed, runs of `<br>` turned into
//! paragraphs, `<font>` into `<span>`.

use super::dom::{
    attributes, children, create_element, descendants, element_children, is_element, is_tag, is_text, next_sibling,
    parent, previous_element_sibling, remove, rename, replace, set_attr, tag, text_content,
};
use super::text::js_trim;
use ammonia::rcdom::Handle;

/// Elements that are phrasing content (inline), as the HTML standard lists them.
const PHRASING_ELEMENTS: &[&str] = &[
    "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn", "em", "embed", "i", "img",
    "input", "kbd", "label", "mark", "math", "meter", "noscript", "object", "output", "progress", "q", "ruby", "samp",
    "script", "select", "small", "span", "strong", "sub", "sup", "textarea", "time", "var", "wbr",
];

/// True for text and inline elements (and links, `del`, `ins` holding only those).
pub fn is_phrasing_content(node: &Handle) -> bool {
    if is_text(node) {
        return true;
    }
    let Some(name) = tag(node) else { return false };
    if PHRASING_ELEMENTS.contains(&name) {
        return true;
    }
    matches!(name, "a" | "del" | "ins") && node.children.borrow().iter().all(is_phrasing_content)
}

/// True for white-space text and `<br>`.
pub fn is_whitespace(node: &Handle) -> bool {
    (is_text(node) && js_trim(&text_content(node)).is_empty()) || is_tag(node, "br")
}

/// Skips white-space text nodes (and comments) from `node` on; returns the
/// first element or text with content.
pub fn skip_whitespace(mut node: Option<Handle>) -> Option<Handle> {
    while let Some(current) = node {
        if is_element(&current) || !js_trim(&text_content(&current)).is_empty() {
            return Some(current);
        }
        node = next_sibling(&current);
    }
    None
}

/// True for a value that names an image file.
pub fn names_image_file(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"].iter().any(|ext| lower.contains(ext))
}

/// True for an `<img>`, or an element holding only one (and no text).
fn is_single_image(node: &Handle) -> bool {
    let mut current = node.clone();
    loop {
        if is_tag(&current, "img") {
            return true;
        }
        let kids = element_children(&current);
        if kids.len() != 1 || !js_trim(&text_content(&current)).is_empty() {
            return false;
        }
        current = kids[0].clone();
    }
}

/// Lazy-loading pages put the real image in `<noscript>` after a placeholder
/// `<img>`: removes images with no source at all, and replaces a placeholder
/// by the `<noscript>` image, keeping the placeholder's other URLs.
pub fn unwrap_noscript_images(document: &Handle) {
    for img in descendants(document, &["img"]) {
        let keep = attributes(&img).iter().any(|(name, value)| {
            matches!(name.as_str(), "src" | "srcset" | "data-src" | "data-srcset") || names_image_file(value)
        });
        if !keep {
            remove(&img);
        }
    }
    for noscript in descendants(document, &["noscript"]) {
        if parent(&noscript).is_none() || !is_single_image(&noscript) {
            continue;
        }
        let Some(previous) = previous_element_sibling(&noscript) else {
            continue;
        };
        if !is_single_image(&previous) {
            continue;
        }
        let previous_img = if is_tag(&previous, "img") {
            Some(previous.clone())
        } else {
            descendants(&previous, &["img"]).into_iter().next()
        };
        let Some(new_img) = descendants(&noscript, &["img"]).into_iter().next() else {
            continue;
        };
        let Some(replacement) = element_children(&noscript).into_iter().next() else {
            continue;
        };
        if let Some(old) = previous_img {
            let new_attrs = attributes(&new_img);
            for (name, value) in attributes(&old) {
                if value.is_empty() || !(name == "src" || name == "srcset" || names_image_file(&value)) {
                    continue;
                }
                let existing = new_attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
                if existing == Some(value.as_str()) {
                    continue;
                }
                let target = if existing.is_some() { format!("data-old-{name}") } else { name };
                set_attr(&new_img, &target, &value);
            }
        }
        replace(&previous, &replacement);
    }
}

/// Removes `<script>` and `<noscript>`.
pub fn remove_scripts(document: &Handle) {
    for node in descendants(document, &["script", "noscript"]) {
        remove(&node);
    }
}

/// Removes `<style>`, turns runs of `<br>` into paragraphs, `<font>` into `<span>`.
pub fn prep_document(document: &Handle, body: Option<&Handle>) {
    for style in descendants(document, &["style"]) {
        remove(&style);
    }
    if let Some(body) = body {
        replace_brs(body);
    }
    for font in descendants(document, &["font"]) {
        rename(&font, "span");
    }
}

/// Two or more `<br>` in a row end a paragraph: the phrasing content after
/// them becomes a `<p>`.
fn replace_brs(root: &Handle) {
    for br in descendants(root, &["br"]) {
        if parent(&br).is_none() {
            continue;
        }
        let mut replaced = false;
        let mut next = skip_whitespace(next_sibling(&br));
        while let Some(node) = next.clone().filter(|n| is_tag(n, "br")) {
            replaced = true;
            let after = next_sibling(&node);
            remove(&node);
            next = skip_whitespace(after);
        }
        if !replaced {
            continue;
        }
        let p = create_element("p");
        replace(&br, &p);
        let mut next = next_sibling(&p);
        while let Some(node) = next {
            if is_tag(&node, "br") {
                if let Some(following) = skip_whitespace(next_sibling(&node)) {
                    if is_tag(&following, "br") {
                        break;
                    }
                }
            }
            if !is_phrasing_content(&node) {
                break;
            }
            next = next_sibling(&node);
            super::dom::append(&p, &node);
        }
        while let Some(last) = children(&p).last().cloned() {
            if !is_whitespace(&last) {
                break;
            }
            remove(&last);
        }
        if let Some(outer) = parent(&p) {
            if is_tag(&outer, "p") {
                rename(&outer, "div");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::dom::body;
    use crate::readable::parse::parse_page;
    use crate::sanitize::dom::attr;

    #[test]
    fn runs_of_br_become_paragraphs() {
        let page = parse_page("<div>one<br><br>two <b>bold</b><br>still two<br><br>three</div>");
        let body = body(&page.document).unwrap();
        prep_document(&page.document, Some(&body));
        let ps: Vec<String> = descendants(&body, &["p"]).iter().map(text_content).collect();
        assert_eq!(ps, ["two boldstill two", "three"]);
    }

    #[test]
    fn noscript_image_replaces_its_placeholder() {
        let page = parse_page(
            r#"<p><img src="data:image/gif;base64,R0lGOD" data-src="a.jpg"><noscript><img src="real.jpg"></noscript></p><p><img class=x></p>"#,
        );
        unwrap_noscript_images(&page.document);
        let imgs = descendants(&page.document, &["img"]);
        assert_eq!(imgs.len(), 1, "placeholder replaced, source-less image removed");
        assert_eq!(attr(&imgs[0], "src").as_deref(), Some("real.jpg"));
        assert_eq!(attr(&imgs[0], "data-old-src").as_deref(), Some("data:image/gif;base64,R0lGOD"));
        assert_eq!(attr(&imgs[0], "data-src").as_deref(), Some("a.jpg"));
    }
}
