//! Reading a feed document (RSS, Atom, JSON Feed) into a [`Feed`] of [`Item`]s.

use crate::error::FeedError;
use crate::item::Item;
use crate::limits::{DERIVED_TITLE_CHARS, MAX_FEED_BYTES, MAX_ITEMS};
use crate::text;
use feed_rs::model::{self, Entry, MediaObject};
use serde::Serialize;
use std::collections::HashSet;

/// A feed as read: what it says about itself and its items (at most
/// [`MAX_ITEMS`], in the feed's order, each key once).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    /// The address the document was fetched from.
    pub address: String,
    /// The feed's title (its address's host when it has none).
    pub title: String,
    /// The site the feed belongs to (its `alternate` or home page link).
    pub site: Option<String>,
    /// The feed's own address as it states it (`rel="self"`, JSON Feed's `feed_url`).
    pub self_url: Option<String>,
    pub language: Option<String>,
    pub items: Vec<Item>,
    /// What was left out or repaired, one line each (items over the limit,
    /// repeated GUIDs): reported, never silent.
    pub notes: Vec<String>,
}

/// What a fetched document is, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Document {
    /// XML or JSON that may be a feed (reading it tells).
    Feed,
    /// An OPML subscription list.
    Opml,
    /// A web page.
    WebPage,
}

/// Tells a feed from an OPML list and from a web page.
pub fn sniff(bytes: &[u8]) -> Document {
    if text::looks_like_html(bytes) {
        return Document::WebPage;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    // The first element after the XML declaration, comments and processing instructions.
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        if after.starts_with('?') || after.starts_with('!') {
            rest = after;
            continue;
        }
        return if after.starts_with("opml") { Document::Opml } else { Document::Feed };
    }
    Document::Feed
}

/// Reads a feed document fetched from `address` (the base for relative URLs
/// where the feed gives none). The bytes are decoded as the document says:
/// a byte order mark, or the XML declaration's `encoding` (GBK, Big5,
/// Shift_JIS, ... as browsers decode them); JSON Feed is UTF-8.
///
/// Only XML's predefined entities are expanded (a document declaring its
/// own, as a billion-laughs attack does, gets them as text or an error),
/// and the document and its items are bounded by [`MAX_FEED_BYTES`] and
/// [`MAX_ITEMS`].
pub fn read_feed(bytes: &[u8], address: &str) -> Result<Feed, FeedError> {
    if bytes.len() > MAX_FEED_BYTES {
        return Err(FeedError::TooLarge { size: bytes.len(), limit: MAX_FEED_BYTES });
    }
    if text::skip_preamble(bytes).is_empty() {
        return Err(FeedError::Empty);
    }
    match sniff(bytes) {
        Document::WebPage => {
            let hint = text::feed_links_in_html(&String::from_utf8_lossy(bytes), address).into_iter().next();
            return Err(FeedError::WebPage { hint });
        }
        Document::Opml => {
            return Err(FeedError::NotAFeed { reason: "it is a subscription list (OPML); read it as one".into() })
        }
        Document::Feed => {}
    }
    let base = url::Url::parse(address).ok().filter(|u| matches!(u.scheme(), "http" | "https" | "file"));
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.as_ref().map(url::Url::as_str))
        // Items without an id keep none: Lectern's key falls back to the link (see `item_key`).
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = parser.parse(text::skip_preamble(bytes)).map_err(describe_parse_error)?;
    let is_json = text::skip_preamble(bytes).starts_with(b"{");
    let (images, json_feed_url) = if is_json { json_feed_extras(bytes) } else { (lone_media_thumbnails(bytes, parsed.entries.len()), None) };
    let mut feed = from_model(parsed, address, &images);
    feed.self_url = feed.self_url.or(json_feed_url.filter(|u| u.starts_with("http://") || u.starts_with("https://")));
    Ok(feed)
}

fn describe_parse_error(error: feed_rs::parser::ParseFeedError) -> FeedError {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => FeedError::NotAFeed {
            reason: "its root is not <rss version=\"0.9x/2.0\">, <rdf:RDF>, <feed> or a JSON Feed object".into(),
        },
        ParseFeedError::ParseError(kind) => FeedError::Malformed { reason: kind.to_string() },
        ParseFeedError::XmlReader(error) => FeedError::Malformed { reason: format!("malformed XML: {error}") },
        ParseFeedError::JsonSerde(error) => FeedError::Malformed { reason: format!("malformed JSON: {error}") },
        ParseFeedError::JsonUnsupportedVersion(version) => {
            FeedError::NotAFeed { reason: format!("JSON Feed version '{version}' is not one Lectern reads (1.0, 1.1)") }
        }
        ParseFeedError::IoError(error) => FeedError::Malformed { reason: error.to_string() },
    }
}

fn from_model(feed: model::Feed, address: &str, images: &ExtraImages) -> Feed {
    let site = alternate_link(&feed.links).or_else(|| feed.links.first().map(|l| l.href.clone()));
    let self_url = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .map(|l| l.href.trim().to_owned())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let title = feed
        .title
        .as_ref()
        .map(text_field)
        .filter(|t| !t.is_empty())
        .or_else(|| url::Url::parse(address).ok().and_then(|u| u.host_str().map(str::to_owned)))
        .unwrap_or_else(|| address.to_owned());
    // What a bare GUID is unique within: the feed's own id (Atom), its site, or its address.
    let identity = Some(feed.id.clone()).filter(|id| !id.is_empty()).or_else(|| site.clone()).unwrap_or_else(|| address.to_owned());
    let feed_authors = people(&feed.authors);
    let total = feed.entries.len();
    let mut notes = Vec::new();
    let mut keys = HashSet::new();
    let mut items = Vec::new();
    let mut repeated = 0usize;
    for (position, entry) in feed.entries.into_iter().take(MAX_ITEMS).enumerate() {
        let item = to_item(entry, position, &identity, &title, &feed_authors, site.as_deref().or(Some(address)), images);
        if keys.insert(item.key.clone()) {
            items.push(item);
        } else {
            repeated += 1;
        }
    }
    if repeated > 0 {
        notes.push(format!("{repeated} item(s) repeat the GUID (or link) of an item before them; the first of each is kept"));
    }
    if total > MAX_ITEMS {
        notes.push(format!("the feed has {total} items; the first {MAX_ITEMS} are read"));
    }
    Feed { address: address.to_owned(), title, site, self_url, language: feed.language, items, notes }
}

fn to_item(
    entry: Entry,
    position: usize,
    identity: &str,
    feed_title: &str,
    feed_authors: &[String],
    feed_base: Option<&str>,
    images: &ExtraImages,
) -> Item {
    let link = alternate_link(&entry.links).map(|l| resolve(&l, entry.base.as_deref().or(feed_base)));
    let key = item_key(&entry.id, link.as_deref(), identity, &entry);
    let mut html = body_html(&entry);
    let attachments = attachments_html(&entry.media);
    if !attachments.is_empty() {
        html.push('\n');
        html.push_str(&attachments);
    }
    let title = entry
        .title
        .as_ref()
        .map(text_field)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| text::shorten(&text::first_line(&html), DERIVED_TITLE_CHARS));
    let mut authors = people(&entry.authors);
    if authors.is_empty() {
        authors = feed_authors.to_vec();
    }
    let mut categories = vec![feed_title.to_owned()];
    for category in &entry.categories {
        let name = text::collapse_whitespace(category.label.as_deref().unwrap_or(&category.term));
        if !name.is_empty() && !categories.contains(&name) {
            categories.push(name);
        }
    }
    let image = lead_image(&entry.media).or_else(|| images.get(&ImageOf::Id(entry.id.clone())).or_else(|| images.get(&ImageOf::Position(position))).cloned());
    let base = entry.base.clone().or_else(|| link.clone()).or_else(|| feed_base.map(str::to_owned));
    Item {
        key,
        title,
        link,
        date: entry.published.or(entry.updated),
        authors,
        categories,
        image,
        html,
        base,
        language: entry.language.clone(),
    }
}

/// `href` made absolute against `base` (unchanged when it cannot be).
fn resolve(href: &str, base: Option<&str>) -> String {
    match base.and_then(|b| url::Url::parse(b).ok()).and_then(|b| b.join(href).ok()) {
        Some(url) => url.to_string(),
        None => href.to_owned(),
    }
}

/// See [`Item::key`].
fn item_key(id: &str, link: Option<&str>, identity: &str, entry: &Entry) -> String {
    let id = id.trim();
    if !id.is_empty() {
        return if is_uri(id) { id.to_owned() } else { format!("{identity} {id}") };
    }
    if let Some(link) = link {
        return link.to_owned();
    }
    // Neither: the title and date are all that tell this item from the others.
    let title = entry.title.as_ref().map(|t| t.content.as_str()).unwrap_or_default();
    let date = entry.published.or(entry.updated).map(|d| d.to_rfc3339()).unwrap_or_default();
    format!("{identity} {title} {date}")
}

/// `scheme:rest`, as URIs, URNs and tag: URIs are.
fn is_uri(id: &str) -> bool {
    match id.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme.len() > 1
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn alternate_link(links: &[model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate") && l.media_type.as_deref().is_none_or(|t| t.contains("html")))
        .or_else(|| links.iter().find(|l| l.rel.as_deref() != Some("self") && l.rel.as_deref() != Some("enclosure")))
        .map(|l| l.href.trim().to_owned())
        .filter(|l| !l.is_empty())
}

/// A title or other one-line text field as plain text.
fn text_field(text: &model::Text) -> String {
    if is_markup_subtype(text.content_type.subty().as_str()) {
        text::strip_tags(&text.content)
    } else {
        text::collapse_whitespace(&text.content)
    }
}

fn is_markup_subtype(subtype: &str) -> bool {
    let subtype = subtype.to_ascii_lowercase();
    subtype == "html" || subtype == "xhtml" || subtype.ends_with("+xml")
}

/// The item's HTML: its full content, else its summary; plain text is escaped into paragraphs.
fn body_html(entry: &Entry) -> String {
    if let Some(content) = &entry.content {
        if let Some(body) = content.body.as_deref().filter(|b| !b.trim().is_empty()) {
            return if is_markup_subtype(content.content_type.subty().as_str()) { body.to_owned() } else { text::text_to_html(body) };
        }
        if let Some(src) = &content.src {
            let summary = entry.summary.as_ref().map(summary_html).unwrap_or_default();
            return format!("{summary}\n<p><a href=\"{}\">{}</a></p>", text::escape_html(&src.href), text::escape_html(&src.href));
        }
    }
    entry.summary.as_ref().map(summary_html).unwrap_or_default()
}

fn summary_html(summary: &model::Text) -> String {
    if is_markup_subtype(summary.content_type.subty().as_str()) || looks_like_markup(&summary.content) {
        summary.content.clone()
    } else {
        text::text_to_html(&summary.content)
    }
}

/// RSS descriptions are typed text/plain by the parser but are HTML in practice.
fn looks_like_markup(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('<') || t.contains("</") || t.contains("<br") || t.contains("<img")
}

/// Attachments that are not the lead image (audio, video, documents), as a list of links.
fn attachments_html(media: &[MediaObject]) -> String {
    let mut seen = HashSet::new();
    let links: Vec<String> = media
        .iter()
        .flat_map(|m| m.content.iter())
        .filter(|c| !is_image(c))
        .filter_map(|c| {
            let url = c.url.as_ref()?.to_string();
            seen.insert(url.clone()).then(|| {
                let name = url.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or(&url).to_owned();
                let kind = c.content_type.as_ref().map(|t| format!(" ({t})")).unwrap_or_default();
                format!("<li><a href=\"{}\">{}</a>{}</li>", text::escape_html(&url), text::escape_html(&name), text::escape_html(&kind))
            })
        })
        .collect();
    if links.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"attachments\">{}</ul>", links.join(""))
    }
}

fn is_image(content: &model::MediaContent) -> bool {
    match &content.content_type {
        Some(t) => t.ty().as_str().eq_ignore_ascii_case("image"),
        None => content.url.as_ref().is_some_and(|u| {
            let path = u.path().to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"].iter().any(|e| path.ends_with(e))
        }),
    }
}

fn lead_image(media: &[MediaObject]) -> Option<String> {
    let thumbnail = media.iter().flat_map(|m| m.thumbnails.iter()).map(|t| t.image.uri.trim().to_owned()).find(|u| !u.is_empty());
    thumbnail.or_else(|| media.iter().flat_map(|m| m.content.iter()).filter(|c| is_image(c)).find_map(|c| c.url.as_ref().map(|u| u.to_string())))
}

fn people(people: &[model::Person]) -> Vec<String> {
    let mut names = Vec::new();
    for person in people {
        let name = person.name.as_deref().map(display_name).filter(|n| !n.is_empty()).or_else(|| person.email.clone());
        if let Some(name) = name {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// A person's name as RSS writes it: `editor@example.com (Jane Doe)`, or `(Jane Doe)` once the address was taken out.
fn display_name(raw: &str) -> String {
    let name = text::collapse_whitespace(raw);
    match (name.find('('), name.ends_with(')')) {
        (Some(open), true) if open == 0 || name[..open].trim().contains('@') => name[open + 1..name.len() - 1].trim().to_owned(),
        _ => name,
    }
}

/// Lead images the parser does not keep, by item id or position.
type ExtraImages = std::collections::HashMap<ImageOf, String>;

#[derive(Debug, PartialEq, Eq, Hash)]
enum ImageOf {
    Id(String),
    Position(usize),
}

/// The `<media:thumbnail>` of each item or entry that has one outside any
/// `<media:content>` or `<media:group>` (BBC's and many news feeds' shape),
/// which the parser drops. Positions count items in document order; used
/// only when that count is the parser's, so a position is the same item.
fn lone_media_thumbnails(bytes: &[u8], entries: usize) -> ExtraImages {
    use quick_xml::events::Event;
    if !bytes.windows(b":thumbnail".len()).any(|w| w == b":thumbnail") {
        return ExtraImages::new();
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut found = ExtraImages::new();
    let mut items = 0usize;
    let mut in_item = false;
    let mut buffer = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match &event {
            Event::Start(tag) if matches!(tag.local_name().as_ref(), "item" | "entry") => {
                in_item = true;
                items += 1;
            }
            Event::End(tag) if matches!(tag.local_name().as_ref(), "item" | "entry") => in_item = false,
            Event::Start(tag) | Event::Empty(tag)
                if in_item && tag.name().as_ref() == "media:thumbnail" && !found.contains_key(&ImageOf::Position(items - 1)) =>
            {
                let url = tag.attributes().flatten().find(|a| a.key.as_ref() == "url").and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.trim().to_owned()));
                if let Some(url) = url.filter(|u| !u.is_empty()) {
                    found.insert(ImageOf::Position(items - 1), url);
                }
            }
            _ => {}
        }
        buffer.clear();
    }
    if items == entries { found } else { ExtraImages::new() }
}

/// What the parser does not keep of a JSON Feed: its items' `image` (else
/// `banner_image`) by item id, and the feed's `feed_url`.
fn json_feed_extras(bytes: &[u8]) -> (ExtraImages, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Doc {
        #[serde(default)]
        items: Vec<JsonItem>,
        feed_url: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct JsonItem {
        #[serde(default)]
        id: serde_json::Value,
        image: Option<String>,
        banner_image: Option<String>,
    }
    let Ok(doc) = serde_json::from_slice::<Doc>(text::skip_preamble(bytes)) else { return (ExtraImages::new(), None) };
    let images = doc
        .items
        .into_iter()
        .filter_map(|item| {
            let id = match item.id {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((ImageOf::Id(id.trim().to_owned()), item.image.or(item.banner_image)?))
        })
        .collect();
    (images, doc.feed_url.map(|u| u.trim().to_owned()))
}
