//! Turning an article body into HTML: Markdown (which may hold raw HTML, as
//! Hexo renders it) or HTML as it is.

use pulldown_cmark::{html, Options, Parser};
use std::borrow::Cow;

/// How a body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// HTML, used as it is.
    Html,
    /// Markdown (CommonMark with tables, footnotes, strikethrough, task lists).
    Markdown,
}

const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdx", "txt", "text"];
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];

/// Decides how a body is written, from the file name and the body itself.
///
/// `.html` files are HTML. A Markdown-named file whose body is wholly HTML
/// (it starts with a block-level tag, like RSSHub's Hexo posts, which wrap
/// everything in `<div>`) is read as HTML too: as Markdown its indented lines
/// would become code blocks.
///
/// ```
/// use lectern_ingest::body::{detect, BodyFormat};
/// assert_eq!(detect("a.md", "<div>   \n<p>x</p>\n</div>"), BodyFormat::Html);
/// assert_eq!(detect("a.md", "# Title\n\ntext"), BodyFormat::Markdown);
/// assert_eq!(detect("a.html", "plain words"), BodyFormat::Html);
/// ```
pub fn detect(name: &str, body: &str) -> BodyFormat {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if HTML_EXTENSIONS.contains(&extension.as_str()) {
        return BodyFormat::Html;
    }
    if looks_like_html(body) {
        return BodyFormat::Html;
    }
    if MARKDOWN_EXTENSIONS.contains(&extension.as_str()) || extension.is_empty() {
        return BodyFormat::Markdown;
    }
    BodyFormat::Markdown
}

/// Block-level tags that start an HTML-only body.
const HTML_START_TAGS: &[&str] = &[
    "!doctype", "html", "body", "div", "p", "article", "section", "main", "table", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "ul", "ol", "blockquote", "pre", "header", "img", "br", "iframe", "span", "a", "video", "center",
];

fn looks_like_html(body: &str) -> bool {
    let trimmed = body.trim_start();
    let Some(rest) = trimmed.strip_prefix('<') else { return false };
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!').collect::<String>().to_ascii_lowercase();
    if !HTML_START_TAGS.contains(&name.as_str()) {
        return false;
    }
    // Markdown that merely opens with a tag has Markdown syntax at line starts.
    let markdown_lines = body
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("# ") || l.starts_with("## ") || l.starts_with("```") || l.starts_with("* ") || l.starts_with("- [") || l.starts_with("> "))
        .count();
    markdown_lines == 0 || body.trim_end().ends_with('>') && markdown_lines < 2
}

/// Renders a body to HTML according to its format.
pub fn to_html(body: &str, format: BodyFormat) -> Cow<'_, str> {
    match format {
        BodyFormat::Html => Cow::Borrowed(body),
        BodyFormat::Markdown => {
            let options = Options::ENABLE_TABLES
                | Options::ENABLE_FOOTNOTES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_TASKLISTS;
            let mut out = String::with_capacity(body.len() * 3 / 2);
            html::push_html(&mut out, Parser::new_ext(body, options));
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_with_raw_html() {
        let html = to_html("# T\n\n<aside>note</aside>\n\n*x*", BodyFormat::Markdown);
        assert!(html.contains("<h1>T</h1>") && html.contains("<aside>note</aside>") && html.contains("<em>x</em>"));
    }

    #[test]
    fn html_body_in_md_file_is_not_a_code_block() {
        let body = "<div>   \n<p>a</p>\n\n    <p>indented after blank</p>\n</div>   ";
        assert_eq!(detect("post.md", body), BodyFormat::Html);
    }

    #[test]
    fn markdown_opening_with_a_tag_stays_markdown() {
        let body = "<img src=x>\n\n## Heading\n\n- item\n\n```\ncode\n```\n";
        assert_eq!(detect("post.md", body), BodyFormat::Markdown);
    }
}
