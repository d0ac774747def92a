//! What a page says about itself: JSON-LD (schema.org articles), `<meta>`
//! tags (OpenGraph, Dublin Core, Twitter, Parse.ly, `article:*`), `<title>`
//! and `<html lang dir>`.

use super::dom::{attr, descendants, document_element, text_content};
use super::patterns::{is_article_type, is_schema_org};
use super::text::{js_len, js_trim, normalize_spaces, split_word_count, text_similarity};
use crate::entities;
use ammonia::rcdom::{Handle, NodeData};
use serde_json::Value;

/// Metadata read from the page before its content is extracted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMetadata {
    /// The article's title (JSON-LD, meta tags, else the cleaned `<title>`).
    pub title: String,
    /// The author(s), from JSON-LD or meta tags.
    pub byline: Option<String>,
    /// A summary, from JSON-LD or meta tags.
    pub excerpt: Option<String>,
    /// The site's name (`og:site_name`, JSON-LD publisher).
    pub site_name: Option<String>,
    /// The publication time as written.
    pub published_time: Option<String>,
    /// The lead image URL as written (JSON-LD, `og:image`, `twitter:image`).
    pub image: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<html dir>`.
    pub dir: Option<String>,
    /// `article:tag` values and JSON-LD keywords.
    pub tags: Vec<String>,
    /// `article:section`.
    pub section: Option<String>,
}

/// What JSON-LD gave.
#[derive(Debug, Default)]
struct JsonLd {
    title: Option<String>,
    byline: Option<String>,
    excerpt: Option<String>,
    site_name: Option<String>,
    published: Option<String>,
    image: Option<String>,
    keywords: Vec<String>,
}

/// Reads the page's metadata. Call before scripts are removed (JSON-LD lives in them).
pub fn read(document: &Handle) -> PageMetadata {
    let json_ld = read_json_ld(document);
    let values = meta_values(document);
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| values.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone()))
            .filter(|v| !v.is_empty())
    };
    let title = json_ld
        .title
        .clone()
        .or_else(|| {
            get(&[
                "dc:title",
                "dcterm:title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            ])
        })
        .unwrap_or_else(|| article_title(document));
    let article_author = get(&["article:author"]).filter(|a| !looks_like_url(a));
    let byline = json_ld
        .byline
        .clone()
        .or_else(|| get(&["dc:creator", "dcterm:creator", "author", "parsely-author"]))
        .or(article_author);
    let excerpt = json_ld.excerpt.clone().or_else(|| {
        get(&[
            "dc:description",
            "dcterm:description",
            "og:description",
            "weibo:article:description",
            "weibo:webpage:description",
            "description",
            "twitter:description",
        ])
    });
    let site_name = json_ld.site_name.clone().or_else(|| get(&["og:site_name"]));
    let published_time = json_ld.published.clone().or_else(|| get(&["article:published_time", "parsely-pub-date"]));
    let image = json_ld.image.clone().or_else(|| get(&["og:image", "twitter:image"]));
    let mut tags: Vec<String> = values.iter().filter(|(k, _)| k == "article:tag").map(|(_, v)| v.clone()).collect();
    for keyword in json_ld.keywords {
        if !tags.contains(&keyword) {
            tags.push(keyword);
        }
    }
    tags.retain(|t| !t.is_empty());
    let root = document_element(document);
    let unescape = |s: Option<String>| s.map(|s| entities::decode(&s)).filter(|s| !s.trim().is_empty());
    PageMetadata {
        title,
        byline: unescape(byline),
        excerpt: unescape(excerpt),
        site_name: unescape(site_name),
        published_time,
        image,
        lang: root.as_ref().and_then(|r| attr(r, "lang")).filter(|l| !l.trim().is_empty()),
        dir: root.as_ref().and_then(|r| attr(r, "dir")).filter(|d| !d.trim().is_empty()),
        tags: tags.into_iter().map(|t| entities::decode(&t)).collect(),
        section: unescape(get(&["article:section"])),
    }
}

fn looks_like_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// `<meta>` names and properties Lectern reads, lowercased, with their trimmed content.
fn meta_values(document: &Handle) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = Vec::new();
    let mut set = |name: String, content: &str| {
        let content = js_trim(content).to_owned();
        match values.iter_mut().find(|(n, _)| *n == name) {
            // Later tags win, as they do in Readability, except for lists.
            Some(existing) if name != "article:tag" => existing.1 = content,
            _ => values.push((name, content)),
        }
    };
    for meta in descendants(document, &["meta"]) {
        let Some(content) = attr(&meta, "content").filter(|c| !c.is_empty()) else {
            continue;
        };
        let mut matched = false;
        if let Some(property) = attr(&meta, "property") {
            if let Some(name) = property_name(&property) {
                set(name, &content);
                matched = true;
            }
        }
        if !matched {
            if let Some(name) = attr(&meta, "name").and_then(|n| meta_name(&n)) {
                set(name, &content);
            }
        }
    }
    values
}

const PROPERTY_PREFIXES: &[&str] = &["article", "dc", "dcterm", "og", "twitter"];
/// Read in this order, as alternatives: `image` also covers `og:image:url`.
const PROPERTY_NAMES: &[&str] =
    &["author", "creator", "description", "published_time", "title", "site_name", "image", "tag", "section"];

/// The leftmost `prefix:name` in a `property` (which may list several, or
/// nest them: `og:article:author` reads as `article:author`), lowercased;
/// `None` when it names nothing Lectern reads.
fn property_name(property: &str) -> Option<String> {
    let lower = property.to_ascii_lowercase();
    for (i, _) in lower.char_indices() {
        for prefix in PROPERTY_PREFIXES {
            let Some(rest) = lower[i..].strip_prefix(prefix) else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            if let Some(name) = PROPERTY_NAMES.iter().find(|n| rest.starts_with(*n)) {
                return Some(format!("{prefix}:{name}"));
            }
        }
    }
    None
}

const NAME_PREFIXES: &[&str] = &["dc", "dcterm", "og", "twitter", "parsely", "weibo:article", "weibo:webpage"];
const NAME_NAMES: &[&str] = &["author", "creator", "pub-date", "description", "title", "site_name", "image"];

/// A `name` such as `description`, `dc.creator`, `twitter:title` or
/// `parsely-author`, normalised to `prefix:name` (Parse.ly keeps its dash).
fn meta_name(name: &str) -> Option<String> {
    let lower: String = name.trim().to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if NAME_NAMES.contains(&lower.as_str()) {
        return Some(lower);
    }
    for prefix in NAME_PREFIXES {
        let Some(rest) = lower.strip_prefix(prefix) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(['-', '.', ':']) else {
            continue;
        };
        if NAME_NAMES.contains(&rest) {
            return Some(lower.replace('.', ":"));
        }
    }
    None
}

/// The first schema.org article described by a `<script type="application/ld+json">`.
fn read_json_ld(document: &Handle) -> JsonLd {
    for script in descendants(document, &["script"]) {
        if attr(&script, "type").as_deref().map(str::trim) != Some("application/ld+json") {
            continue;
        }
        let raw = text_content(&script);
        let raw = js_trim(&raw);
        let raw = raw.strip_prefix("<![CDATA[").unwrap_or(raw);
        let raw = raw.strip_suffix("]]>").unwrap_or(raw);
        let Ok(parsed) = serde_json::from_str::<Value>(raw) else {
            continue;
        };
        if let Some(found) = article_from_json_ld(document, &parsed) {
            return found;
        }
    }
    JsonLd::default()
}

fn type_is_article(value: &Value) -> bool {
    match value.get("@type") {
        Some(Value::String(kind)) => is_article_type(kind),
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k.as_str().is_some_and(is_article_type)),
        _ => false,
    }
}

fn article_from_json_ld(document: &Handle, parsed: &Value) -> Option<JsonLd> {
    let mut item = match parsed {
        Value::Array(items) => items.iter().find(|i| type_is_article(i))?,
        other => other,
    };
    let context_ok = match item.get("@context") {
        Some(Value::String(context)) => is_schema_org(context),
        Some(Value::Object(context)) => context.get("@vocab").and_then(Value::as_str).is_some_and(is_schema_org),
        _ => false,
    };
    if !context_ok {
        return None;
    }
    if item.get("@type").is_none() {
        if let Some(Value::Array(graph)) = item.get("@graph") {
            item = graph.iter().find(|i| type_is_article(i))?;
        }
    }
    if !type_is_article(item) {
        return None;
    }
    let string = |key: &str| item.get(key).and_then(Value::as_str).map(|s| js_trim(s).to_owned());
    let title = match (string("name"), string("headline")) {
        (Some(name), Some(headline)) if name != headline => {
            let title = article_title(document);
            let name_matches = text_similarity(&name, &title) > 0.75;
            let headline_matches = text_similarity(&headline, &title) > 0.75;
            Some(if headline_matches && !name_matches { headline } else { name })
        }
        (Some(name), _) => Some(name),
        (None, headline) => headline,
    };
    let byline = match item.get("author") {
        Some(Value::Object(author)) => author.get("name").and_then(Value::as_str).map(|s| js_trim(s).to_owned()),
        Some(Value::Array(authors)) => {
            let names: Vec<String> = authors
                .iter()
                .filter_map(|a| a.get("name").and_then(Value::as_str))
                .map(|s| js_trim(s).to_owned())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    };
    let site_name =
        item.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str).map(|s| js_trim(s).to_owned());
    let keywords = match item.get("keywords") {
        Some(Value::String(list)) => list.split(',').map(|k| js_trim(k).to_owned()).filter(|k| !k.is_empty()).collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(|k| js_trim(k).to_owned()).collect(),
        _ => Vec::new(),
    };
    Some(JsonLd {
        title,
        byline,
        excerpt: string("description"),
        site_name,
        published: string("datePublished"),
        image: json_ld_url(item.get("image")),
        keywords,
    })
}

/// An image in JSON-LD: a URL, an `ImageObject` with `url`, or a list of either.
fn json_ld_url(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(url) => Some(url.trim().to_owned()),
        Value::Object(object) => object.get("url").and_then(Value::as_str).map(|s| s.trim().to_owned()),
        Value::Array(items) => items.iter().find_map(|i| json_ld_url(Some(i))),
        _ => None,
    }
}

/// The document's title (`document.title`): the first `<title>`'s text, with
/// ASCII white space collapsed.
fn document_title(document: &Handle) -> String {
    let title = descendants(document, &["title"])
        .into_iter()
        .find(|t| matches!(&t.data, NodeData::Element { name, .. } if name.ns == html5ever::ns!(html)));
    let is_ascii_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    title
        .map(|t| text_content(&t).split(is_ascii_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Separators sites put between an article's title and the site's name.
fn is_separator(c: char) -> bool {
    matches!(c, '|' | '-' | '–' | '—' | '\\' | '/' | '>' | '»')
}

fn is_hierarchical_separator(c: char) -> bool {
    matches!(c, '\\' | '/' | '>' | '»')
}

/// Byte offsets of ` X ` where X is a separator (the offset of the space before it).
fn separator_positions(title: &str, test: fn(char) -> bool) -> Vec<usize> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    chars.windows(3).filter(|w| w[0].1 == ' ' && test(w[1].1) && w[2].1 == ' ').map(|w| w[0].0).collect()
}

/// The title from `<title>`, without the site's name (`_getArticleTitle`).
pub fn article_title(document: &Handle) -> String {
    let original = js_trim(&document_title(document)).to_owned();
    let mut title = original.clone();
    let mut had_hierarchical_separators = false;
    let separators = separator_positions(&title, is_separator);
    if let Some(&last) = separators.last() {
        had_hierarchical_separators = !separator_positions(&title, is_hierarchical_separator).is_empty();
        title = original[..last].to_owned();
        if split_word_count(&title) < 3 {
            // The first part is the site: keep what follows the first separator.
            title = match original.char_indices().find(|(_, c)| is_separator(*c)) {
                Some((i, c)) => original[i + c.len_utf8()..].to_owned(),
                None => original.clone(),
            };
        }
    } else if title.contains(": ") {
        let headings = descendants(document, &["h1", "h2"]);
        let trimmed = js_trim(&title).to_owned();
        let matches_heading = headings.iter().any(|h| js_trim(&text_content(h)) == trimmed);
        if !matches_heading {
            let after_last = original.rfind(':').map(|i| &original[i + 1..]).unwrap_or(&original);
            title = after_last.to_owned();
            if split_word_count(&title) < 3 {
                title = original.find(':').map(|i| original[i + 1..].to_owned()).unwrap_or_else(|| original.clone());
            } else if split_word_count(original.find(':').map(|i| &original[..i]).unwrap_or("")) > 5 {
                title = original.clone();
            }
        }
    } else if js_len(&title) > 150 || js_len(&title) < 15 {
        let h1s = descendants(document, &["h1"]);
        if h1s.len() == 1 {
            title = normalize_spaces(js_trim(&text_content(&h1s[0])));
        }
    }
    let title = normalize_spaces(js_trim(&title));
    let words = split_word_count(&title);
    let without_separators: String = original.split(is_separator).collect::<Vec<_>>().join("");
    if words <= 4 && (!had_hierarchical_separators || words + 1 != split_word_count(&without_separators)) {
        return original;
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::parse::parse_page;

    fn meta(html: &str) -> PageMetadata {
        read(&parse_page(html).document)
    }

    #[test]
    fn prefers_json_ld_then_meta_tags() {
        let m = meta(
            r#"<html lang="de"><head><title>Page - Site</title>
            <meta property="og:title" content="OG title"><meta name="author" content="Meta Author">
            <meta property="og:site_name" content="Site"><meta property="article:published_time" content="2020-01-02T03:04:05+02:00">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"LD title","author":[{"name":"A"},{"name":"B"}],"image":{"url":"https://e.com/i.jpg"}}</script>
            </head><body></body></html>"#,
        );
        assert_eq!(m.title, "LD title");
        assert_eq!(m.byline.as_deref(), Some("A, B"));
        assert_eq!(m.site_name.as_deref(), Some("Site"));
        assert_eq!(m.published_time.as_deref(), Some("2020-01-02T03:04:05+02:00"));
        assert_eq!(m.image.as_deref(), Some("https://e.com/i.jpg"));
        assert_eq!(m.lang.as_deref(), Some("de"));
    }

    #[test]
    fn ignores_json_ld_of_other_vocabularies_and_types() {
        let m = meta(
            r#"<head><title>A title that is long enough</title><script type="application/ld+json">{"@context":"https://example.org","@type":"NewsArticle","headline":"no"}</script>
            <script type="application/ld+json">{"@context":"http://schema.org","@type":"WebSite","name":"no"}</script></head>"#,
        );
        assert_eq!(m.title, "A title that is long enough");
    }

    #[test]
    fn reads_space_separated_properties_and_dotted_names() {
        let m = meta(r#"<meta property="x og:description" content=" D "><meta name="DC.creator" content="C">"#);
        assert_eq!(m.excerpt.as_deref(), Some("D"));
        assert_eq!(m.byline.as_deref(), Some("C"));
        let m = meta(r#"<meta property="og:article:author" content="Newsroom">"#);
        assert_eq!(m.byline.as_deref(), Some("Newsroom"));
    }

    #[test]
    fn title_drops_the_site_name() {
        let t = |html: &str| article_title(&parse_page(html).document);
        assert_eq!(
            t("<title>How we built a reading list app - Example Blog</title>"),
            "How we built a reading list app"
        );
        assert_eq!(
            t("<title>Example Blog | How we built a reading list app</title>"),
            "How we built a reading list app"
        );
        assert_eq!(t("<title>Short - Site</title>"), "Short - Site");
        assert_eq!(
            t("<title>Hi</title><h1>The one real heading of this page</h1>"),
            "The one real heading of this page"
        );
    }
}
