//! Small text helpers for feed fields: titles given as HTML, plain-text
//! bodies, and the feed links a web page names.

/// The text of an HTML fragment for a one-line field (a title): tags
/// dropped, whitespace collapsed. Entities are left for the post reader,
/// which decodes them in every title.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse_whitespace(&out)
}

/// The first line of an HTML fragment's text (up to its first paragraph,
/// heading, list item or line break), as a title made from an item's text.
pub fn first_line(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut text = String::new();
    let mut at = 0;
    while at < html.len() {
        let next = ["</p", "<br", "</h1", "</h2", "</h3", "</li", "</div", "</blockquote"]
            .iter()
            .filter_map(|m| lower[at..].find(m).map(|i| i + at))
            .min()
            .unwrap_or(html.len());
        text = strip_tags(&html[at..next]);
        if !text.is_empty() {
            break;
        }
        at = lower[next..].find('>').map_or(html.len(), |i| next + i + 1);
    }
    text
}

/// Runs of whitespace as one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text made safe to put in HTML as text.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Plain text as HTML paragraphs: a blank line starts a paragraph, a line
/// break inside one is kept.
pub fn text_to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first `max` characters of `text` (whole words where there are
/// spaces), with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => &cut,
    };
    format!("{}…", at_word.trim_end())
}

/// True when the bytes are a web page rather than XML or JSON: they start
/// (after a byte order mark and whitespace) with a doctype or `<html`.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let start = skip_preamble(bytes);
    let head: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head") || head.starts_with(b"<body")
}

/// The bytes after a UTF-8 byte order mark, whitespace and HTML comments.
pub fn skip_preamble(bytes: &[u8]) -> &[u8] {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    loop {
        let trimmed = rest.trim_ascii_start();
        if let Some(after) = trimmed.strip_prefix(b"<!--") {
            match after.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &after[end + 3..],
                None => return trimmed,
            }
        } else {
            return trimmed;
        }
    }
}

/// The feeds a web page names in its `<head>`: `<link rel="alternate">`
/// with an RSS, Atom or JSON Feed type, as absolute URLs (resolved against
/// `base`), in the page's order.
pub fn feed_links_in_html(html: &str, base: &str) -> Vec<String> {
    let base = url::Url::parse(base).ok();
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<link").map(|i| i + at) {
        let end = lower[start..].find('>').map_or(lower.len(), |i| start + i);
        let tag = &html[start..end];
        at = end;
        let attr = |name: &str| attribute(tag, name);
        let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
        let kind = attr("type").unwrap_or_default().to_ascii_lowercase();
        let is_feed_type = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"]
            .iter()
            .any(|t| kind.trim() == *t);
        if !rel.split_whitespace().any(|r| r == "alternate") || !is_feed_type {
            continue;
        }
        let Some(href) = attr("href") else { continue };
        let href = decode_attribute_entities(href.trim());
        let absolute = match &base {
            Some(base) => base.join(&href).ok(),
            None => url::Url::parse(&href).ok(),
        };
        if let Some(url) = absolute.filter(|u| matches!(u.scheme(), "http" | "https")) {
            if !found.contains(&url.to_string()) {
                found.push(url.to_string());
            }
        }
    }
    found
}

/// The value of attribute `name` in one tag's source (`<link a="b" c=d>`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut i = tag.find(char::is_whitespace)?;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'>' {
            i += 1;
        }
        let key = &tag[name_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let start = i + 1;
                let end = bytes[start..].iter().position(|&b| b == quote).map_or(bytes.len(), |p| start + p);
                value = tag[start..end].to_owned();
                i = end + 1;
            } else {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = tag[start..i].to_owned();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if key.is_empty() {
            i += 1;
        }
    }
    None
}

/// The few entities that appear in URLs written in attributes.
fn decode_attribute_entities(value: &str) -> String {
    value.replace("&amp;", "&").replace("&#38;", "&").replace("&quot;", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_from_html_titles() {
        assert_eq!(strip_tags("<b>Bold</b>  and\n<i>italic</i>"), "Bold and italic");
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(text_to_html("a < b\nc\n\nd & e"), "<p>a &lt; b<br>c</p>\n<p>d &amp; e</p>");
    }

    #[test]
    fn first_line_of_a_fragment() {
        assert_eq!(first_line("<div><p></p><p>First <b>one</b>.</p><p>Second</p></div>"), "First one .");
        assert_eq!(first_line("Line one<br>line two"), "Line one");
        assert_eq!(first_line("no markup"), "no markup");
    }

    #[test]
    fn shortens_at_a_word() {
        assert_eq!(shorten("one two three four", 12), "one two…");
        assert_eq!(shorten("一二三四五六", 4), "一二三四…");
    }

    #[test]
    fn finds_feed_links_of_a_page() {
        let page = r#"<!doctype html><html><head><link rel="stylesheet" href="a.css">
            <link rel=alternate type="application/rss+xml" title=RSS href="/feed.xml?a=1&amp;b=2">
            <LINK REL="alternate" TYPE="application/atom+xml" HREF='https://other.example/atom'>
            <link rel="alternate" hreflang="fr" href="/fr/"></head><body></body></html>"#;
        assert!(looks_like_html(page.as_bytes()));
        assert_eq!(
            feed_links_in_html(page, "https://blog.example/post/1"),
            vec!["https://blog.example/feed.xml?a=1&b=2".to_owned(), "https://other.example/atom".to_owned()]
        );
    }

    #[test]
    fn xml_is_not_html() {
        assert!(!looks_like_html(b"\xEF\xBB\xBF  <?xml version='1.0'?><rss/>"));
        assert!(looks_like_html(b"<!-- generated --> <!DOCTYPE HTML><p>"));
    }
}
