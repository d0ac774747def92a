//! Cleaning the extracted article (`_prepArticle`): forms, embeds, share
//! widgets, furniture-like tables, lists and divs, empty paragraphs; lazy
//! images given their real source; data tables kept.

use super::dom::{
    append, attr, attributes, class_and_id, create_element, descendants, element_children, first_element_child,
    has_ancestor_tag, has_descendant, is_tag, key, next_node, next_sibling, parent, remove, remove_and_get_next,
    remove_attr, rename, replace, set_attr, tag, text_content,
};
use super::grab::{class_weight, has_single_tag_inside, link_density, Flags, DIV_TO_P_ELEMENTS};
use super::patterns::{is_ad_or_loading_text, is_share_element, is_video_url};
use super::prepare::{is_phrasing_content, names_image_file, skip_whitespace};
use super::text::{inner_text, inner_text_len, js_len};
use ammonia::rcdom::{Handle, Node};
use std::collections::HashMap;

/// Share widgets longer than this (in characters) are kept: they are probably text.
const SHARE_ELEMENT_THRESHOLD: usize = 500;

/// Tables that hold data (kept) rather than layout.
struct DataTables(HashMap<*const Node, Handle>);

impl DataTables {
    fn contains(&self, node: &Handle) -> bool {
        self.0.contains_key(&key(node))
    }
}

/// Cleans the extracted article in place.
pub fn clean_article(content: &Handle, flags: Flags) {
    let data_tables = mark_data_tables(content);
    fix_lazy_images(content);
    clean_conditionally(content, "form", flags, &data_tables);
    clean_conditionally(content, "fieldset", flags, &data_tables);
    for name in ["object", "embed", "footer", "link", "aside"] {
        clean(content, name);
    }
    for child in element_children(content) {
        clean_matched_nodes(&child, |node, match_string| {
            is_share_element(match_string) && js_len(&text_content(node)) < SHARE_ELEMENT_THRESHOLD
        });
    }
    for name in ["iframe", "input", "textarea", "select", "button"] {
        clean(content, name);
    }
    for header in descendants(content, &["h1", "h2"]) {
        if class_weight(&header, flags) < 0.0 {
            remove(&header);
        }
    }
    for name in ["table", "ul", "div"] {
        clean_conditionally(content, name, flags, &data_tables);
    }
    for h1 in descendants(content, &["h1"]) {
        rename(&h1, "h2");
    }
    for p in descendants(content, &["p"]).into_iter().rev() {
        let media = descendants(&p, &["img", "embed", "object", "iframe"]).len();
        if media == 0 && inner_text(&p, false).is_empty() {
            remove(&p);
        }
    }
    for br in descendants(content, &["br"]) {
        if skip_whitespace(next_sibling(&br)).is_some_and(|n| is_tag(&n, "p")) {
            remove(&br);
        }
    }
    unwrap_single_cell_tables(content);
}

/// A table of one cell is layout: it becomes its cell's content.
fn unwrap_single_cell_tables(content: &Handle) {
    for table in descendants(content, &["table"]) {
        let tbody =
            if has_single_tag_inside(&table, "tbody") { first_element_child(&table) } else { Some(table.clone()) };
        let Some(tbody) = tbody else { continue };
        if !has_single_tag_inside(&tbody, "tr") {
            continue;
        }
        let Some(row) = first_element_child(&tbody) else {
            continue;
        };
        if !has_single_tag_inside(&row, "td") {
            continue;
        }
        let Some(cell) = first_element_child(&row) else {
            continue;
        };
        let inline = cell.children.borrow().iter().all(is_phrasing_content);
        let cell = rename(&cell, if inline { "p" } else { "div" });
        replace(&table, &cell);
    }
}

/// Removes every `name` element, except embeds of known video players.
fn clean(root: &Handle, name: &str) {
    let is_embed = matches!(name, "object" | "embed" | "iframe");
    for node in descendants(root, &[name]).into_iter().rev() {
        if parent(&node).is_none() {
            continue;
        }
        if is_embed && is_video_embed(&node) {
            continue;
        }
        remove(&node);
    }
}

fn is_video_embed(node: &Handle) -> bool {
    attributes(node).iter().any(|(_, value)| is_video_url(value))
        || (is_tag(node, "object")
            && descendants(node, &[]).iter().any(|n| attributes(n).iter().any(|(_, v)| is_video_url(v))))
}

/// Removes the elements under `root` that `filter` matches (given the
/// element and its `class id`).
fn clean_matched_nodes(root: &Handle, filter: impl Fn(&Handle, &str) -> bool) {
    let end = next_node(root, true);
    let mut next = next_node(root, false);
    while let Some(node) = next {
        if end.as_ref().is_some_and(|e| std::rc::Rc::ptr_eq(e, &node)) {
            break;
        }
        next = if filter(&node, &class_and_id(&node)) { remove_and_get_next(&node) } else { next_node(&node, false) };
    }
}

/// The share of a node's text inside the given descendants.
fn text_density(node: &Handle, names: &[&str]) -> f64 {
    let total = inner_text_len(node);
    if total == 0 {
        return 0.0;
    }
    let inside: usize = descendants(node, names).iter().map(inner_text_len).sum();
    inside as f64 / total as f64
}

/// Removes `name` elements that look like furniture: few commas and too many
/// links, images, list items or inputs for their text (`_cleanConditionally`).
fn clean_conditionally(root: &Handle, name: &str, flags: Flags, data_tables: &DataTables) {
    if !flags.clean_conditionally {
        return;
    }
    for node in descendants(root, &[name]).into_iter().rev() {
        if parent(&node).is_none() {
            continue;
        }
        if should_remove(&node, name, flags, data_tables) {
            remove(&node);
        }
    }
}

fn should_remove(node: &Handle, name: &str, flags: Flags, data_tables: &DataTables) -> bool {
    let text = inner_text(node, true);
    let text_length = js_len(&text);
    let mut is_list = matches!(name, "ul" | "ol");
    if !is_list {
        let list_length: usize = descendants(node, &["ul", "ol"]).iter().map(inner_text_len).sum();
        is_list = list_length as f64 / text_length as f64 > 0.9;
    }
    if name == "table" && data_tables.contains(node) {
        return false;
    }
    if has_ancestor_tag(node, "table", 0, |t| data_tables.contains(t)) || has_ancestor_tag(node, "code", 3, |_| true) {
        return false;
    }
    if descendants(node, &["table"]).iter().any(|t| data_tables.contains(t)) {
        return false;
    }
    let weight = class_weight(node, flags);
    if weight < 0.0 {
        return true;
    }
    if text.matches(',').count() >= 10 {
        return false;
    }
    let p = descendants(node, &["p"]).len();
    let img = descendants(node, &["img"]).len();
    let li = descendants(node, &["li"]).len() as i64 - 100;
    let input = descendants(node, &["input"]).len();
    let heading_density = text_density(node, &["h1", "h2", "h3", "h4", "h5", "h6"]);
    let mut embed_count = 0;
    for embed in descendants(node, &["object", "embed", "iframe"]) {
        if is_video_embed(&embed) {
            return false;
        }
        embed_count += 1;
    }
    if is_ad_or_loading_text(&text) {
        return true;
    }
    let density = link_density(node);
    let mut textish: Vec<&str> = vec!["span", "li", "td"];
    textish.extend_from_slice(DIV_TO_P_ELEMENTS);
    let textish_density = text_density(node, &textish);
    let in_figure = has_ancestor_tag(node, "figure", 3, |_| true);

    let remove_it = (!in_figure && img > 1 && (p as f64 / img as f64) < 0.5)
        || (!is_list && li > p as i64)
        || (input > p / 3)
        || (!is_list
            && !in_figure
            && heading_density < 0.9
            && text_length < 25
            && (img == 0 || img > 2)
            && density > 0.0)
        || (!is_list && weight < 25.0 && density > 0.2)
        || (weight >= 25.0 && density > 0.5)
        || ((embed_count == 1 && text_length < 75) || embed_count > 1)
        || (img == 0 && textish_density == 0.0);

    // A simple list of images stays.
    if is_list && remove_it {
        if element_children(node).iter().any(|child| element_children(child).len() > 1) {
            return true;
        }
        if img == descendants(node, &["li"]).len() {
            return false;
        }
    }
    remove_it
}

/// Finds the tables that hold data rather than layout.
fn mark_data_tables(root: &Handle) -> DataTables {
    let mut tables = HashMap::new();
    for table in descendants(root, &["table"]) {
        if is_data_table(&table) {
            tables.insert(key(&table), table);
        }
    }
    DataTables(tables)
}

fn is_data_table(table: &Handle) -> bool {
    if attr(table, "role").as_deref() == Some("presentation") || attr(table, "datatable").as_deref() == Some("0") {
        return false;
    }
    if attr(table, "summary").is_some_and(|s| !s.is_empty()) {
        return true;
    }
    if descendants(table, &["caption"]).first().is_some_and(|c| !c.children.borrow().is_empty()) {
        return true;
    }
    if ["col", "colgroup", "tfoot", "thead", "th"].iter().any(|t| has_descendant(table, t)) {
        return true;
    }
    if has_descendant(table, "table") {
        return false;
    }
    let (rows, columns) = row_and_column_count(table);
    if rows == 1 || columns == 1 {
        return false;
    }
    if rows >= 10 || columns > 4 {
        return true;
    }
    rows * columns > 10
}

fn span(node: &Handle, name: &str) -> usize {
    attr(node, name).and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n > 0).unwrap_or(1).min(1000)
}

fn row_and_column_count(table: &Handle) -> (usize, usize) {
    let mut rows = 0;
    let mut columns = 0;
    for tr in descendants(table, &["tr"]) {
        rows += span(&tr, "rowspan");
        let in_row: usize = descendants(&tr, &["td"]).iter().map(|td| span(td, "colspan")).sum();
        columns = columns.max(in_row);
    }
    (rows, columns)
}

/// Gives lazy-loaded images their real source: an attribute that holds an
/// image URL (or a `srcset`) becomes `src` (or `srcset`); a tiny base64
/// placeholder is dropped when a real URL is there.
fn fix_lazy_images(root: &Handle) {
    for element in descendants(root, &["img", "picture", "figure"]) {
        let is_img = is_tag(&element, "img");
        if is_img {
            if let Some(src) = attr(&element, "src") {
                if let Some((mime, data_start)) = base64_data_url(&src) {
                    if mime == "image/svg+xml" {
                        continue;
                    }
                    let has_real_url =
                        attributes(&element).iter().any(|(name, value)| name != "src" && names_image_file(value));
                    if has_real_url && js_len(&src[data_start..]) < 133 {
                        remove_attr(&element, "src");
                    }
                }
            }
        }
        let has_src = is_img && attr(&element, "src").is_some_and(|s| !s.is_empty());
        let has_srcset = is_img && attr(&element, "srcset").is_some_and(|s| !s.is_empty() && s != "null");
        let lazy_class = attr(&element, "class").is_some_and(|c| c.to_lowercase().contains("lazy"));
        if (has_src || has_srcset) && !lazy_class {
            continue;
        }
        for (name, value) in attributes(&element) {
            if matches!(name.as_str(), "src" | "srcset" | "alt") {
                continue;
            }
            let copy_to = if looks_like_srcset(&value) {
                "srcset"
            } else if looks_like_image_url(&value) {
                "src"
            } else {
                continue;
            };
            match tag(&element) {
                Some("img" | "picture") => set_attr(&element, copy_to, &value),
                Some("figure") if descendants(&element, &["img", "picture"]).is_empty() => {
                    let img = create_element("img");
                    set_attr(&img, copy_to, &value);
                    append(&element, &img);
                }
                _ => {}
            }
        }
    }
}

/// `data:image/png;base64,` URLs: the MIME type and where the data starts.
fn base64_data_url(src: &str) -> Option<(String, usize)> {
    let rest = src.strip_prefix("data:")?;
    let comma = rest.find(',')?;
    let header = &rest[..comma];
    let (mime, encoding) = header.split_once(';')?;
    if !encoding.trim().eq_ignore_ascii_case("base64") {
        return None;
    }
    Some((mime.trim().to_ascii_lowercase(), 5 + comma + 1))
}

const IMAGE_EXTENSIONS: &[&str] = &[".jpg", ".jpeg", ".png", ".webp"];

/// `a.jpg 1x` or `a.jpg 640w, ...`: an image extension, white space, a digit.
fn looks_like_srcset(value: &str) -> bool {
    IMAGE_EXTENSIONS.iter().any(|ext| {
        value.match_indices(ext).any(|(i, _)| {
            let rest = &value[i + ext.len()..];
            let digits = rest.trim_start();
            digits.len() < rest.len() && digits.starts_with(|c: char| c.is_ascii_digit())
        })
    })
}

/// One URL with an image extension and no white space inside.
fn looks_like_image_url(value: &str) -> bool {
    let trimmed = value.trim();
    !trimmed.is_empty()
        && !trimmed.contains(char::is_whitespace)
        && IMAGE_EXTENSIONS.iter().any(|ext| trimmed.match_indices(ext).any(|(i, _)| i > 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::parse::parse_page;

    fn content_of(html: &str) -> (crate::readable::parse::Page, Handle) {
        let page = parse_page(html);
        let div = descendants(&page.document, &["div"]).into_iter().next().unwrap();
        (page, div)
    }

    #[test]
    fn keeps_data_tables_and_drops_layout_link_blocks() {
        let (_page, div) = content_of(
            "<div><table><thead><tr><th>a</th></tr></thead><tr><td><a href=x>l</a></td></tr></table>\
             <div class=links><a href=/a>Home</a> <a href=/b>News</a></div><p>Text of the article, long enough.</p></div>",
        );
        clean_article(&div, Flags::ALL);
        assert_eq!(descendants(&div, &["table"]).len(), 1);
        assert_eq!(descendants(&div, &["div"]).len(), 0, "the block of links is gone");
        assert_eq!(descendants(&div, &["p"]).len(), 1);
    }

    #[test]
    fn keeps_video_embeds_only() {
        let (_page, div) = content_of(
            r#"<div><p>text</p><iframe src="https://www.youtube.com/embed/x"></iframe><iframe src="https://ads.example.com/x"></iframe></div>"#,
        );
        clean_article(&div, Flags::ALL);
        let frames = descendants(&div, &["iframe"]);
        assert_eq!(frames.len(), 1);
        assert!(attr(&frames[0], "src").unwrap().contains("youtube"));
    }

    #[test]
    fn lazy_images_get_their_real_source() {
        let (_page, div) = content_of(
            r#"<div><img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-original="https://e.com/a.jpg"><figure data-src="https://e.com/b.png"></figure></div>"#,
        );
        fix_lazy_images(&div);
        let imgs = descendants(&div, &["img"]);
        assert_eq!(attr(&imgs[0], "src").as_deref(), Some("https://e.com/a.jpg"));
        assert_eq!(attr(&imgs[1], "src").as_deref(), Some("https://e.com/b.png"));
    }

    #[test]
    fn recognises_srcset_and_image_urls() {
        assert!(looks_like_srcset("a.jpg 1x, b.jpg 2x"));
        assert!(!looks_like_srcset("a.jpg"));
        assert!(looks_like_image_url(" https://e.com/a.png?w=2 "));
        assert!(!looks_like_image_url("a photo.png"));
    }
}
