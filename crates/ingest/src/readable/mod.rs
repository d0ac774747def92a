//! Saving a web page: finding the main article in a whole page's HTML (title,
//! author, site, date, language, direction, lead image, excerpt, content) and
//! turning it into an [`Article`], sanitised with the same policy as every
//! other article.
//!
//! The algorithm is Mozilla Readability's (the one behind Firefox's Reader
//! View), written for the DOM and HTML parser the sanitiser already carries
//! (`ammonia::rcdom`, html5ever), so the WebAssembly build gains no second
//! parser: it adds 37 KB (gzip) where a readability crate with its own DOM
//! (`dom_smoothie`) measured 197 KB.
//!
//! ```
//! let page = r#"<html lang="en"><head><title>Night buses return after two years - City Daily</title>
//!   <meta name="author" content="Ana Lima"></head><body><nav><a href="/">Home</a></nav>
//!   <article><h1>Night buses return after two years</h1><p>The city's night buses return on Monday, after two years,
//!   with six routes that run every half hour from midnight to five in the morning, the transport office said.</p>
//!   <p>Tickets cost the same as in the day, and the routes reach the airport, the harbour and the university,
//!   which had asked for a late service since the last one stopped.</p></article></body></html>"#;
//! let article = lectern_ingest::readable::extract_article(page, "https://news.example.com/night-buses#top").unwrap();
//! assert_eq!(article.title, "Night buses return after two years");
//! assert_eq!(article.author.as_deref(), Some("Ana Lima"));
//! assert_eq!(article.link.as_deref(), Some("https://news.example.com/night-buses"));
//! assert!(article.text.starts_with("The city's night buses"));
//! assert!(!article.text.contains("Home"));
//! ```

mod clean;
mod dom;
mod grab;
mod metadata;
mod parse;
mod patterns;
mod prepare;
mod readerable;
mod text;
mod visibility;

use crate::article::{article_id, build_article, shorten, Article, KnownMetadata};
use crate::date::{self, DateProblem};
use lectern_core::limits::{MAX_ARTICLE_BYTES, MAX_PAGE_ELEMENTS};
use crate::url_policy::{self, UrlUse};
use ammonia::rcdom::{Handle, SerializableHandle};
use grab::{Flags, Grabber};
use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use url::Url;

pub use metadata::PageMetadata;

/// Text (in characters) an attempt must find to be accepted; below it, the
/// next attempt relaxes the heuristics. A page that is not readerable and
/// yields less than this has no article.
pub const CHAR_THRESHOLD: usize = 500;

/// Why a page could not be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The page's URL is not an absolute http(s) URL.
    #[error("page '{url}': the URL is not an absolute http(s) URL")]
    BadUrl {
        /// The URL as given.
        url: String,
    },
    /// The page has no content at all.
    #[error("page '{url}': the page is empty")]
    Empty {
        /// The page URL.
        url: String,
    },
    /// The page is larger than [`MAX_ARTICLE_BYTES`].
    #[error("page '{url}': the page is {size} bytes, over the limit of {limit} bytes (8 MiB)", limit = MAX_ARTICLE_BYTES)]
    TooLarge {
        /// The page URL.
        url: String,
        /// Its size in bytes.
        size: usize,
    },
    /// The page has more elements than [`MAX_PAGE_ELEMENTS`].
    #[error("page '{url}': the page has {count} elements, over the limit of {limit}", limit = MAX_PAGE_ELEMENTS)]
    TooManyElements {
        /// The page URL.
        url: String,
        /// How many elements it has.
        count: usize,
    },
    /// The page holds no article (a home page, a search form, a video alone).
    #[error("no article found on this page: {reason} ({url})")]
    NoArticle {
        /// The page URL.
        url: String,
        /// What was missing.
        reason: String,
    },
}

/// What was found on a page, before sanitising.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The page URL without its `#fragment`.
    pub url: String,
    /// The base for the page's relative URLs (`<base href>`, else the URL).
    pub base: Url,
    /// What the page says about itself.
    pub metadata: PageMetadata,
    /// The author line: the page's metadata, else an author line found in the page.
    pub byline: Option<String>,
    /// The direction declared on the article or its ancestors.
    pub dir: Option<String>,
    /// A summary: the page's description, else the article's first paragraph.
    pub excerpt: Option<String>,
    /// The article's HTML, not yet sanitised.
    pub content: String,
    /// The length of the article's text, in characters (UTF-16 units).
    pub text_length: usize,
    /// Whether the page passes the quick "has an article" test (long, visible paragraphs).
    pub readerable: bool,
}

/// Quick test of whether a page holds an article: enough long, visible
/// paragraphs outside page furniture (Mozilla's `isProbablyReaderable`).
pub fn is_probably_readerable(html: &str) -> bool {
    readerable::is_probably_readerable(&parse::parse_page(html).document)
}

/// Finds the main article of a page. Fails only on a bad URL or a page that is
/// empty or over the limits; a page without an article still yields what was
/// found (see [`Extraction::check_article`]).
pub fn extract_page(html: &str, url: &str) -> Result<Extraction, ExtractError> {
    let page_url = normalize_url(url).ok_or_else(|| ExtractError::BadUrl { url: shorten(url) })?;
    let url_text = page_url.to_string();
    if html.len() > MAX_ARTICLE_BYTES {
        return Err(ExtractError::TooLarge { url: url_text, size: html.len() });
    }
    if html.trim().is_empty() {
        return Err(ExtractError::Empty { url: url_text });
    }
    let first = parse::parse_page(html);
    let count = dom::descendants(&first.document, &[]).len();
    if count > MAX_PAGE_ELEMENTS {
        return Err(ExtractError::TooManyElements { url: url_text, count });
    }
    let readerable = readerable::is_probably_readerable(&first.document);
    let metadata = metadata::read(&first.document);
    let base = document_base(&first.document, &page_url);

    let mut grabber = Grabber { title: &metadata.title, byline: None, look_for_byline: metadata.byline.is_none() };
    let mut flags = Some(Flags::ALL);
    let mut page = Some(first);
    let mut best: Option<grab::Grabbed> = None;
    while let Some(current) = flags {
        let parsed = page.take().unwrap_or_else(|| parse::parse_page(html));
        let body = dom::body(&parsed.document);
        prepare::unwrap_noscript_images(&parsed.document);
        prepare::remove_scripts(&parsed.document);
        prepare::prep_document(&parsed.document, body.as_ref());
        let Some(grabbed) = grabber.grab(&parsed.document, current) else {
            break;
        };
        let done = grabbed.text_length >= CHAR_THRESHOLD;
        if best.as_ref().is_none_or(|b| grabbed.text_length > b.text_length || done) {
            best = Some(grabbed);
        }
        if done {
            break;
        }
        flags = current.relaxed();
    }

    let byline = metadata.byline.clone().or(grabber.byline);
    let (content, text_length, dir) = match best {
        Some(grabbed) => {
            let first_paragraph = dom::descendants(&grabbed.content, &["p"])
                .first()
                .map(|p| text::js_trim(&dom::text_content(p)).to_owned())
                .filter(|t| !t.is_empty());
            (Some((serialize_children(&grabbed.content), first_paragraph)), grabbed.text_length, grabbed.dir)
        }
        None => (None, 0, None),
    };
    let (content, first_paragraph) = content.unwrap_or_default();
    let excerpt = metadata.excerpt.clone().or(first_paragraph);
    Ok(Extraction { url: url_text, base, metadata, byline, dir, excerpt, content, text_length, readerable })
}

impl Extraction {
    /// `Err(NoArticle)` when the page holds no article: no text at all, or
    /// not readerable and less than [`CHAR_THRESHOLD`] characters of text.
    pub fn check_article(&self) -> Result<(), ExtractError> {
        let reason = if self.text_length == 0 {
            "it has no text outside navigation, scripts and forms".to_owned()
        } else if !self.readerable && self.text_length < CHAR_THRESHOLD {
            format!(
                "it has no long paragraphs, and only {} characters of text that could be an article (at least {CHAR_THRESHOLD} are needed)",
                self.text_length
            )
        } else {
            return Ok(());
        };
        Err(ExtractError::NoArticle { url: self.url.clone(), reason })
    }

    /// The article as an [`Article`], its content sanitised with Lectern's
    /// policy and relative URLs resolved against the page. Its `link` is the
    /// page URL, and its `id` is derived from it, so saving a page again
    /// replaces the earlier copy.
    pub fn into_article(self) -> Article {
        let mut warnings = Vec::new();
        let date = self.metadata.published_time.as_deref().and_then(|raw| match date::parse_date(raw) {
            Ok(date) => Some(date),
            Err(DateProblem::Rescaled(_, real)) => {
                warnings.push(format!(
                    "date: '{}' is a Unix time in seconds read as milliseconds; read as {real}",
                    shorten(raw)
                ));
                Some(real)
            }
            Err(DateProblem::Placeholder(d)) => {
                warnings.push(format!("date: {d} looks like a placeholder; treated as unknown"));
                None
            }
            Err(DateProblem::Unreadable) => {
                warnings.push(format!("date: '{}' is not a date; treated as unknown", shorten(raw)));
                None
            }
        });
        let image = self.metadata.image.as_deref().and_then(|raw| {
            let checked = url_policy::check(raw, UrlUse::Resource, Some(&self.base));
            if checked.is_none() {
                warnings.push(format!("image: '{}' is not a usable http(s) URL; dropped", shorten(raw)));
            }
            checked
        });
        let known = KnownMetadata {
            id: article_id(&self.url),
            name: self.url.clone(),
            title: Some(self.metadata.title).filter(|t| !t.trim().is_empty()),
            date,
            author: self.byline,
            site_name: self.metadata.site_name,
            categories: self.metadata.section.into_iter().collect(),
            tags: self.metadata.tags,
            image,
            link: Some(self.url),
            lang: self.metadata.lang,
            dir: self.dir.or(self.metadata.dir),
            summary: self.excerpt,
            warnings,
            extra: Default::default(),
        };
        build_article(known, &self.content, Some(&self.base))
    }
}

/// Extracts the main article of a page (its whole HTML and its URL) as an
/// [`Article`]. A page without an article is an error that says so.
pub fn extract_article(html: &str, url: &str) -> Result<Article, ExtractError> {
    let extraction = extract_page(html, url)?;
    extraction.check_article()?;
    let url = extraction.url.clone();
    let article = extraction.into_article();
    if article.text.trim().is_empty() {
        return Err(ExtractError::NoArticle {
            url,
            reason: "nothing readable is left once scripts, forms and media are removed".to_owned(),
        });
    }
    Ok(article)
}

/// The page URL without its fragment, if it is an absolute http(s) URL.
fn normalize_url(url: &str) -> Option<Url> {
    let mut parsed = url_policy::parse_base(url)?;
    parsed.set_fragment(None);
    Some(parsed)
}

/// `<base href>` resolved against the page URL, when it is http(s); else the page URL.
fn document_base(document: &Handle, page_url: &Url) -> Url {
    dom::descendants(document, &["base"])
        .iter()
        .find_map(|b| dom::attr(b, "href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

fn serialize_children(node: &Handle) -> String {
    let mut out = Vec::new();
    let opts = SerializeOpts { traversal_scope: TraversalScope::ChildrenOnly(None), ..Default::default() };
    match serialize(&mut out, &SerializableHandle::from(node.clone()), opts) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "This paragraph is long enough to count as the text of an article: it has more than one \
        hundred and forty characters in it, so that the readerable test sees it, and three of them make a page \
        with enough text to be saved as an article rather than refused as a page of links.";

    fn page(body: &str) -> String {
        format!("<html><head><title>A test page about something</title></head><body>{body}</body></html>")
    }

    #[test]
    fn rejects_pages_without_an_article() {
        let err = extract_article(&page("<nav><a href='/'>Home</a></nav><p>Short.</p>"), "https://e.com/").unwrap_err();
        assert!(err.to_string().starts_with("no article found on this page: "), "{err}");
        let err = extract_article("   ", "https://e.com/").unwrap_err();
        assert_eq!(err, ExtractError::Empty { url: "https://e.com/".into() });
    }

    #[test]
    fn rejects_urls_that_are_not_http() {
        for url in ["file:///tmp/a.html", "javascript:alert(1)", "not a url", ""] {
            assert!(matches!(extract_article(&page(LONG), url), Err(ExtractError::BadUrl { .. })), "{url}");
        }
    }

    #[test]
    fn same_url_gives_the_same_id() {
        let body = format!("<p>{LONG}</p><p>{LONG}</p><p>{LONG}</p>");
        let a = extract_article(&page(&body), "https://e.com/post?id=1#comments").unwrap();
        let b = extract_article(&page(&format!("{body}<p>{LONG}</p>")), "https://e.com/post?id=1").unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(a.name, "https://e.com/post?id=1");
        let c = extract_article(&page(&body), "https://e.com/post?id=2").unwrap();
        assert_ne!(a.id, c.id);
    }

    #[test]
    fn sanitises_content_and_resolves_urls_against_base_element() {
        let html = format!(
            r#"<html><head><base href="https://cdn.e.com/s/"><title>A test page about something</title></head>
            <body><article><p onclick="x()">{LONG}<img src="a.jpg"><script>alert(1)</script></p><p>{LONG}</p><p>{LONG}</p></article></body></html>"#
        );
        let a = extract_article(&html, "https://e.com/p").unwrap();
        assert!(a.html.contains(r#"src="https://cdn.e.com/s/a.jpg""#), "{}", a.html);
        assert!(!a.html.contains("onclick") && !a.html.contains("script"), "{}", a.html);
        assert_eq!(a.image.as_deref(), Some("https://cdn.e.com/s/a.jpg"));
    }

    #[test]
    fn reads_direction_and_normalises_the_date() {
        let html = format!(
            r#"<html lang="ar" dir="rtl"><head><meta property="article:published_time" content="2021-03-04T10:00:00+03:00"></head>
            <body><p>{LONG}</p><p>{LONG}</p><p>{LONG}</p></body></html>"#
        );
        let a = extract_article(&html, "https://e.com/p").unwrap();
        assert_eq!(a.dir, "rtl");
        assert_eq!(a.date.as_deref(), Some("2021-03-04T07:00:00Z"));
    }

    #[test]
    fn survives_deeply_nested_pages() {
        let html =
            format!("{}<p>{LONG}</p><p>{LONG}</p><p>{LONG}</p>{}", "<div>".repeat(30_000), "</div>".repeat(30_000));
        let article = extract_article(&html, "https://e.com/").unwrap();
        assert!(article.text.starts_with("This paragraph"), "{}", article.text);
    }

    #[test]
    fn handles_very_wide_pages() {
        let html = page(&format!("<p>{LONG}</p>").repeat(5_000));
        let article = extract_article(&html, "https://e.com/").unwrap();
        assert!(article.words > 5_000 * 50, "{}", article.words);
    }
}
