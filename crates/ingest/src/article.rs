//! Reading one article file into an [`Article`]: front matter, body, sanitised
//! HTML, text and metadata, from one parse.

use crate::body;
use crate::date::{self, DateProblem};
use crate::entities;
use crate::error::ArticleError;
use crate::front_matter;
use lectern_core::lang;
use lectern_core::limits::{EXCERPT_CHARS, MAX_ARTICLE_BYTES};
use lectern_core::metrics::{excerpt, WordCount};
use crate::sanitize::sanitize_document;
use crate::url_policy::{self, UrlUse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

pub use lectern_core::article::{Article, Heading};

/// Options for [`parse_article`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ParseOptions {
    /// The address the file was loaded from: the base for relative URLs when the
    /// article has no `link`.
    pub base: Option<String>,
}

/// Keys that hold the title, in order of preference.
const TITLE_KEYS: &[&str] = &["title", "name", "headline"];
/// Keys that hold the date.
const DATE_KEYS: &[&str] = &["date", "published", "pubDate", "pubdate", "created", "publishDate", "published_at"];
/// Keys that hold the author(s).
const AUTHOR_KEYS: &[&str] = &["author", "authors", "creator", "byline"];
/// Keys that hold the lead image, in order of preference.
const IMAGE_KEYS: &[&str] = &["headimg", "thumbnail", "cover", "image", "banner", "featured_image", "og_image"];
/// Keys that hold the original URL.
const LINK_KEYS: &[&str] = &["link", "url", "permalink", "original", "source_url", "canonical"];
/// Keys that hold the base for relative URLs when it is not the link (a feed item's `xml:base`).
const BASE_KEYS: &[&str] = &["base", "xml_base"];
/// Keys that hold a summary used as the excerpt.
const SUMMARY_KEYS: &[&str] = &["excerpt", "description", "summary", "subtitle"];
const CATEGORY_KEYS: &[&str] = &["categories", "category"];
const TAG_KEYS: &[&str] = &["tags", "tag"];
const LANG_KEYS: &[&str] = &["lang", "language", "locale"];
/// Keys whose value is a path or URL that may carry the date (`2019/05/15/slug`); kept in `extra`.
const PATH_KEYS: &[&str] = &["path", "permalink", "slug", "url"];

/// Reads an article file: `name` is its path (used for the id, the title when
/// nothing else gives one, a date in the path, and Markdown/HTML detection).
///
/// Invalid UTF-8 is replaced (with a warning); a BOM and CRLF line ends are
/// handled. Only an empty, binary or oversized file is an error.
pub fn parse_article(name: &str, bytes: &[u8], options: &ParseOptions) -> Result<Article, ArticleError> {
    let mut warnings = Vec::new();
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(ArticleError::TooLarge { name: name.to_owned(), size: bytes.len() });
    }
    let text = match decode_utf16_with_bom(bytes, &mut warnings) {
        Some(text) => std::borrow::Cow::Owned(text),
        None => {
            check_not_binary(name, bytes)?;
            match std::str::from_utf8(bytes) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(err) => {
                    warnings.push(format!(
                        "encoding: invalid UTF-8 from byte {}; invalid sequences were replaced with U+FFFD",
                        err.valid_up_to()
                    ));
                    String::from_utf8_lossy(bytes)
                }
            }
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text: std::borrow::Cow<str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    if text.trim().is_empty() {
        return Err(ArticleError::Empty { name: name.to_owned() });
    }

    let fm = front_matter::read(&text);
    warnings.extend(fm.warnings.iter().cloned());
    let mut fields = fm.fields;
    let mut take = |keys: &[&str]| -> Option<Value> {
        keys.iter().find_map(|k| fields.shift_remove(*k).filter(|v| !v.is_null()))
    };

    let title_value = take(TITLE_KEYS);
    let date_value = take(DATE_KEYS);
    let author_value = take(AUTHOR_KEYS);
    let categories_value = take(CATEGORY_KEYS);
    let tags_value = take(TAG_KEYS);
    let link_value = take(LINK_KEYS);
    let base_value = take(BASE_KEYS);
    let lang_value = take(LANG_KEYS);
    let summary_value = take(SUMMARY_KEYS);
    let image_values: Vec<Value> = IMAGE_KEYS.iter().filter_map(|k| fields.shift_remove(*k)).collect();

    let link = link_value.as_ref().and_then(text_of).and_then(|raw| {
        let checked = url_policy::check(&raw, UrlUse::Link, None).filter(|u| u.starts_with("http"));
        if checked.is_none() {
            warnings.push(format!("link: '{}' is not an absolute http(s) URL; dropped", shorten(&raw)));
        }
        checked
    });
    let base: Option<Url> = base_value
        .as_ref()
        .and_then(text_of)
        .as_deref()
        .and_then(url_policy::parse_base)
        .or_else(|| link.as_deref().and_then(url_policy::parse_base))
        .or_else(|| options.base.as_deref().and_then(url_policy::parse_base));

    let path_hint = PATH_KEYS.iter().find_map(|k| fields.get(*k).and_then(text_of));
    let date = read_date(date_value.as_ref(), name, path_hint.as_deref(), &mut warnings);
    let author = author_value.as_ref().map(|v| flatten_text(v).join(", ")).filter(|a| !a.is_empty());
    let categories = categories_value.as_ref().map(flatten_text).unwrap_or_default();
    let tags = tags_value.as_ref().map(flatten_text).unwrap_or_default();

    let mut image = None;
    for value in &image_values {
        let Some(raw) = text_of(value) else { continue };
        if is_placeholder_image(&raw) {
            continue;
        }
        match url_policy::check(&raw, UrlUse::Resource, base.as_ref()) {
            Some(url) => {
                image = Some(url);
                break;
            }
            None => {
                let warning = format!("image: '{}' is not a usable http(s) URL; dropped", shorten(&raw));
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
    }

    let format = body::detect(name, fm.body);
    let html = body::to_html(fm.body, format);
    let known = KnownMetadata {
        id: article_id(name),
        name: name.to_owned(),
        title: title_value.as_ref().and_then(text_of),
        date,
        author,
        site_name: None,
        categories,
        tags,
        image,
        link,
        lang: lang_value.as_ref().and_then(text_of),
        dir: None,
        summary: summary_value.as_ref().and_then(text_of),
        warnings,
        extra: fields,
    };
    Ok(build_article(known, &html, base.as_ref()))
}

/// What is known about an article before its body is read: the metadata its
/// source declares (an article file's front matter, a web page's meta tags).
/// [`build_article`] completes it from the body.
#[derive(Debug, Clone, Default)]
pub struct KnownMetadata {
    /// The article's id (see [`article_id`]).
    pub id: String,
    /// The file name, or the page URL, the article was read from.
    pub name: String,
    /// The declared title, as written (entities are decoded, white space collapsed).
    pub title: Option<String>,
    /// Publication date, already RFC 3339 in UTC.
    pub date: Option<String>,
    /// Author(s), already joined.
    pub author: Option<String>,
    /// The name of the site the article was published on.
    pub site_name: Option<String>,
    /// Categories, flattened.
    pub categories: Vec<String>,
    /// Tags, flattened.
    pub tags: Vec<String>,
    /// Lead image, already checked against the URL policy.
    pub image: Option<String>,
    /// Original URL, already checked against the URL policy.
    pub link: Option<String>,
    /// The declared language, as written (checked against the text here).
    pub lang: Option<String>,
    /// The declared direction (`ltr` or `rtl`); else it follows the language.
    pub dir: Option<String>,
    /// A declared summary, used as the excerpt.
    pub summary: Option<String>,
    /// What was recovered or dropped so far.
    pub warnings: Vec<String>,
    /// Keys Lectern does not use, kept as they were.
    pub extra: Map<String, Value>,
}

/// Completes an [`Article`] from what its source declared and its body HTML:
/// sanitises the body (resolving relative URLs against `base`) and derives the
/// title when none was declared, the language and direction, the word count,
/// reading time, excerpt, outline and lead image, from one parse.
pub fn build_article(known: KnownMetadata, body_html: &str, base: Option<&Url>) -> Article {
    let KnownMetadata { id, name, title, date, author, site_name, categories, tags, image, link, lang, dir, summary, mut warnings, extra } =
        known;
    let sanitized = sanitize_document(body_html, base);
    warnings.extend(sanitized.warnings);

    let title = title
        .map(|t| clean_text(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| sanitized.outline.first().map(|h| h.text.clone()))
        .unwrap_or_else(|| title_from_file_name(&name));

    let image = image.or(sanitized.first_image);

    let detected = || lang::detect_joined(&[&title, &sanitized.text]);
    let lang = match lang {
        Some(raw) => match lang::normalize_tag(&raw) {
            // A declared language whose direction the text plainly contradicts
            // (a Hebrew post marked `lang: en`) is a generator's mistake.
            Some(tag) => match detected() {
                Some(found) if lang::direction(found) != lang::direction(&tag) => {
                    warnings.push(format!("lang: '{tag}' does not match the text, which reads as '{found}'; using '{found}'"));
                    Some(found.to_owned())
                }
                _ => Some(tag),
            },
            None => {
                warnings.push(format!("lang: '{}' is not a language tag; guessed from the text", shorten(&raw)));
                detected().map(str::to_owned)
            }
        },
        None => detected().map(str::to_owned),
    };
    let declared_dir = dir.map(|d| d.trim().to_ascii_lowercase()).filter(|d| d == "ltr" || d == "rtl");
    let dir = declared_dir.unwrap_or_else(|| lang.as_deref().map(lang::direction).unwrap_or("ltr").to_owned());

    let count = WordCount::of(&sanitized.text);
    let excerpt = summary
        .map(|s| clean_text(&s))
        .filter(|s| !s.is_empty())
        .map(|s| lectern_core::metrics::excerpt(&s, EXCERPT_CHARS))
        .unwrap_or_else(|| excerpt(&sanitized.text, EXCERPT_CHARS));

    let source = author.clone().or_else(|| site_name.clone()).or_else(|| link.as_deref().and_then(url_policy::host_of));
    Article {
        id,
        name,
        title,
        date,
        author,
        site_name,
        source,
        categories,
        tags,
        image,
        link,
        lang,
        dir,
        excerpt,
        words: count.total(),
        reading_minutes: count.reading_minutes(),
        outline: sanitized.outline,
        html: sanitized.html,
        text: sanitized.text,
        warnings,
        extra,
    }
}

pub use lectern_core::article::article_id;

/// A file that starts with a UTF-16 byte order mark (as some Windows editors
/// save text) is decoded as UTF-16, with a warning; `None` for anything else.
fn decode_utf16_with_bom(bytes: &[u8], warnings: &mut Vec<String>) -> Option<String> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    });
    let mut invalid = 0usize;
    let text: String = char::decode_utf16(units)
        .map(|unit| {
            unit.unwrap_or_else(|_| {
                invalid += 1;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    let endian = if little_endian { "LE" } else { "BE" };
    warnings.push(format!("encoding: read as UTF-16{endian} (the file starts with its byte order mark)"));
    if invalid > 0 || bytes.len() % 2 == 1 {
        warnings.push(format!(
            "encoding: {} invalid UTF-16 sequence(s) replaced with U+FFFD",
            invalid + bytes.len() % 2
        ));
    }
    Some(text)
}

fn check_not_binary(name: &str, bytes: &[u8]) -> Result<(), ArticleError> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ArticleError::Binary { name: name.to_owned(), reason: "it contains NUL bytes".to_owned() });
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    if !head.is_empty() && controls * 10 > head.len() {
        return Err(ArticleError::Binary {
            name: name.to_owned(),
            reason: format!("{controls} of its first {} bytes are control characters", head.len()),
        });
    }
    Ok(())
}

fn read_date(value: Option<&Value>, name: &str, path_hint: Option<&str>, warnings: &mut Vec<String>) -> Option<String> {
    let from_path = || path_hint.and_then(date::date_from_path).or_else(|| date::date_from_path(name));
    let (written, parsed) = match value {
        None => return from_path(),
        Some(Value::Number(n)) => (n.to_string(), n.as_i64().map(date::parse_timestamp).unwrap_or(Err(DateProblem::Unreadable))),
        Some(v) => match text_of(v) {
            Some(text) => {
                let parsed = date::parse_date(&text);
                (text, parsed)
            }
            None => (v.to_string(), Err(DateProblem::Unreadable)),
        },
    };
    match parsed {
        Ok(date) => Some(date),
        Err(DateProblem::Rescaled(_, real)) => {
            warnings.push(format!(
                "date: '{}' is a Unix time in seconds that was read as milliseconds; read as {real}",
                shorten(&written)
            ));
            Some(real)
        }
        Err(DateProblem::Placeholder(d)) => {
            warnings.push(format!("date: {d} looks like a placeholder; treated as unknown"));
            from_path()
        }
        Err(DateProblem::Unreadable) => {
            warnings.push(format!("date: '{}' is not a date; treated as unknown", shorten(&written)));
            from_path()
        }
    }
}

/// The text of a scalar value.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(map) => map.get("name").or_else(|| map.get("url")).and_then(text_of),
        Value::Array(items) => items.iter().find_map(text_of),
        Value::Null => None,
    }
}

/// All strings in a value (nested lists flattened), cleaned, without duplicates.
fn flatten_text(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(name) = map.get("name").and_then(text_of) {
                    push_unique(&mut out, clean_text(&name));
                }
            }
            other => {
                if let Some(text) = text_of(other) {
                    push_unique(&mut out, clean_text(&text));
                }
            }
        }
    }
    out
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

/// Decodes entities and collapses whitespace (multi-line titles, `&nbsp;`);
/// no space is kept next to CJK punctuation, which carries its own spacing.
pub(crate) fn clean_text(text: &str) -> String {
    let decoded = entities::decode(text);
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        let joins = out.chars().next_back().is_some_and(is_cjk_punctuation)
            || word.chars().next().is_some_and(is_cjk_punctuation);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

fn is_placeholder_image(raw: &str) -> bool {
    let trimmed = raw.trim();
    trimmed.is_empty() || trimmed.ends_with("/undefined") || trimmed == "undefined" || trimmed == "null"
}

fn title_from_file_name(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = file.rsplit_once('.').map(|(s, _)| s).filter(|s| !s.is_empty()).unwrap_or(file);
    // Jekyll-style "2019-05-01-slug" names carry a date prefix.
    let stem = if stem.len() > 11 && stem.as_bytes()[4] == b'-' && stem.as_bytes()[7] == b'-' && stem.as_bytes()[10] == b'-' && stem.is_char_boundary(11) {
        &stem[11..]
    } else {
        stem
    };
    let words = stem.replace(['-', '_'], " ");
    let mut title = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(first) = title.chars().next() {
        let upper: String = first.to_uppercase().collect();
        title.replace_range(..first.len_utf8(), &upper);
    }
    if title.is_empty() {
        "Untitled".to_owned()
    } else {
        title
    }
}

pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Article {
        parse_article(name, text.as_bytes(), &ParseOptions::default()).unwrap()
    }

    #[test]
    fn reads_seed_shaped_posts() {
        let a = parse(
            "post.md",
            "\n---\ntitle: 'A &#123;b&#125;'\ncategories: \n - News\n - Feed\nheadimg: 'https://e.com/a.jpg'\nauthor: Feed\ncomments: false\ndate: Mon, 10 Jan 2022 10:10:07 GMT\n---\n\n<div>   \n<p>Text</p>\n</div>   ",
        );
        assert_eq!(a.title, "A {b}");
        assert_eq!(a.date.as_deref(), Some("2022-01-10T10:10:07Z"));
        assert_eq!(a.categories, ["News", "Feed"]);
        assert_eq!(a.image.as_deref(), Some("https://e.com/a.jpg"));
        assert_eq!(a.extra["comments"], false);
        assert_eq!(a.html, "<div>   \n<p>Text</p>\n</div>");
    }

    #[test]
    fn takes_title_from_first_heading_then_file_name() {
        assert_eq!(parse("x.md", "# Hello *there*\n\ntext").title, "Hello there");
        assert_eq!(parse("notes/2020-01-02-bike-repair_notes.html", "<p>text</p>").title, "Bike repair notes");
    }

    #[test]
    fn flattens_nested_categories_and_joins_authors() {
        let a = parse("a.md", "---\ncategories: [a, [b, [c, a]]]\nauthors: [X, Y]\n---\nz");
        assert_eq!(a.categories, ["a", "b", "c"]);
        assert_eq!(a.author.as_deref(), Some("X, Y"));
    }

    #[test]
    fn invalid_and_placeholder_dates_are_unknown_with_a_warning() {
        let a = parse("a.md", "---\ndate: Invalid Date\n---\nz");
        assert_eq!(a.date, None);
        assert!(a.warnings.iter().any(|w| w.contains("Invalid Date")));
        let b = parse("2019/05/01/a.md", "---\ndate: Thu, 01 Jan 1970 00:00:00 GMT\n---\nz");
        assert_eq!(b.date.as_deref(), Some("2019-05-01T00:00:00Z"));
        assert!(b.warnings.iter().any(|w| w.contains("placeholder")));
    }

    #[test]
    fn front_matter_urls_follow_the_url_policy() {
        let a = parse("a.md", "---\nthumbnail: 'javascript:alert(1)'\nlink: 'data:text/html,x'\n---\n<p>x</p>");
        assert_eq!(a.image, None);
        assert_eq!(a.link, None);
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
    }

    #[test]
    fn resolves_relative_urls_against_link() {
        let a = parse("a.md", "+++\nlink = \"https://blog.example.org/posts/x/\"\n+++\n[docs](../docs/intro.html) ![i](i.png)");
        assert!(a.html.contains("href=\"https://blog.example.org/posts/docs/intro.html\""), "{}", a.html);
        assert!(a.html.contains("src=\"https://blog.example.org/posts/x/i.png\""), "{}", a.html);
    }

    #[test]
    fn handles_bom_and_crlf() {
        let a = parse("a.md", "\u{feff}---\r\ntitle: t\r\n---\r\n<p>x</p>\r\n");
        assert_eq!(a.title, "t");
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }

    #[test]
    fn replaces_invalid_utf8_with_a_warning() {
        let a = parse_article("a.md", b"---\ntitle: caf\xe9\n---\nok", &ParseOptions::default()).unwrap();
        assert_eq!(a.title, "caf\u{fffd}");
        assert!(a.warnings[0].contains("UTF-8"));
    }

    #[test]
    fn rejects_empty_binary_and_huge_files() {
        let opts = ParseOptions::default();
        assert!(matches!(parse_article("a.md", b"  \n", &opts), Err(ArticleError::Empty { .. })));
        assert!(matches!(parse_article("a.png", b"\x89PNG\r\n\x1a\n\0\0", &opts), Err(ArticleError::Binary { .. })));
        let huge = vec![b'a'; MAX_ARTICLE_BYTES + 1];
        let err = parse_article("big.md", &huge, &opts).unwrap_err();
        assert!(err.to_string().contains("over the limit"), "{err}");
    }

    #[test]
    fn reads_utf16_files_with_a_byte_order_mark() {
        let text = "---\ntitle: 标题\n---\nbody";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [le, be] {
            let a = parse_article("a.md", &bytes, &ParseOptions::default()).unwrap();
            assert_eq!(a.title, "标题");
            assert!(a.warnings[0].contains("UTF-16"), "{:?}", a.warnings);
        }
    }

    #[test]
    fn detects_rtl_from_text_and_from_front_matter() {
        assert_eq!(parse("a.md", "مرحبا بكم في هذه المقالة العربية").dir, "rtl");
        assert_eq!(parse("a.md", "---\nlang: he\n---\nshalom").dir, "rtl");
        let contradicted = parse("a.md", "---\nlang: en\n---\nשלום עולם, זהו פוסט שנכתב כולו בעברית");
        assert_eq!((contradicted.lang.as_deref(), contradicted.dir.as_str()), (Some("he"), "rtl"));
        assert!(contradicted.warnings[0].contains("does not match"));
    }

    #[test]
    fn counts_reading_time() {
        let a = parse("a.md", &"字".repeat(900));
        assert_eq!(a.words, 900);
        assert_eq!(a.reading_minutes, 3);
    }
}
