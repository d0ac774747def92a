//! Feeds → post files → articles: every feed of `../shared/corpus/feeds/` and
//! the feeds in `tests/fixtures/feeds/` (written for these tests) read into
//! items, written as post files in the seed's format, and read back by the
//! same `parse_article` every other file goes through.

mod common;

use lectern_feeds::{read_feed, write_post, Feed, FeedError};
use lectern_ingest::{parse_article, Article};
use std::path::Path;

/// When the items without a date were first seen (the caller keeps it).
fn first_seen() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2024-09-01T12:00:00Z").unwrap().into()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Each item of the feed as the article its post file gives.
fn articles(feed: &Feed) -> Vec<Article> {
    feed.items
        .iter()
        .map(|item| {
            let post = write_post(feed, item, first_seen());
            let article = parse_article(&post.file_name, post.text.as_bytes(), &Default::default())
                .unwrap_or_else(|e| panic!("post of {} does not parse: {e}\n{}", item.key, post.text));
            assert_eq!(article.id, post.id, "the post names the id its file reads as");
            article
        })
        .collect()
}

#[test]
fn every_shared_feed_gives_articles() {
    let dir = common::shared_dir().join("corpus/feeds");
    let mut read = 0;
    let mut items = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("LICENSE") {
            continue;
        }
        let bytes = common::read_shared(&path);
        let feed = read_feed(&bytes, &format!("https://feeds.example/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!feed.items.is_empty(), "{name}: no items");
        for (item, article) in feed.items.iter().zip(articles(&feed)) {
            assert!(!article.title.is_empty(), "{name}: an item without a title");
            assert_eq!(article.title, lectern_ingest::entities::decode(&item.title), "{name}");
            assert_eq!(article.link, item.link, "{name}: {}", item.key);
            assert_eq!(article.categories.first(), Some(&feed.title), "{name}: the feed is the first category");
            if let Some(date) = item.date {
                assert_eq!(article.date.as_deref(), Some(date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).as_str()), "{name}");
            }
            items += 1;
        }
        read += 1;
    }
    println!("shared feeds: {read} read, {items} items, each a parsed article");
    assert_eq!(read, 3, "expected the RSS, Atom and JSON Feed documents of {}", dir.display());
}

#[test]
fn rss_with_content_encoded_media_cjk_rtl_undated_and_repeated_guids() {
    let feed = read_feed(&fixture("rss-content-encoded.xml"), "https://lantern.example/feed.xml").unwrap();
    assert_eq!(feed.title, "Lantern Weekly");
    assert_eq!(feed.items.len(), 4, "the repeated GUID is read once");
    assert!(feed.notes.iter().any(|n| n.contains("1 item(s) repeat")), "{:?}", feed.notes);
    let list = articles(&feed);

    let full = &list[0];
    assert_eq!(full.title, "Full text & pictures");
    assert_eq!(full.author.as_deref(), Some("Mira Okafor"));
    assert_eq!(full.date.as_deref(), Some("2024-05-01T06:30:00Z"));
    assert_eq!(full.categories, ["Lantern Weekly", "Science", "Night sky"]);
    assert_eq!(full.image.as_deref(), Some("https://cdn.lantern.example/thumbs/comet.jpg"));
    assert_eq!(full.link.as_deref(), Some("https://lantern.example/2024/05/full-text"));
    assert!(full.html.contains("<b>whole</b>"), "content:encoded is the body: {}", full.html);
    assert!(full.html.contains(r#"href="https://lantern.example/about""#), "relative links resolve: {}", full.html);
    assert!(full.html.contains(r#"src="https://lantern.example/2024/05/images/comet.jpg""#), "{}", full.html);
    assert!(!full.html.contains("onerror") && !full.html.contains("<script") && !full.text.contains("alert"), "{}", full.html);
    assert!(full.html.contains("episode-12.mp3"), "the audio enclosure is listed: {}", full.html);
    assert!(!full.text.contains("A short summary"), "the full text replaces the description");

    let chinese = &list[1];
    assert_eq!(chinese.title, "彗星在午夜划过夜空");
    assert_eq!(chinese.author.as_deref(), Some("编辑部"), "RSS's `address (name)` gives the name");
    assert!(chinese.text.contains("七十六年"));
    assert_eq!(chinese.image.as_deref(), Some("https://cdn.lantern.example/zh/comet.png"), "an image enclosure is the lead image");
    assert_eq!(chinese.lang.as_deref(), Some("en"), "the channel's language, as the feed says (the text decides `dir`)");

    let arabic = &list[2];
    assert_eq!(arabic.dir, "rtl");
    assert!(arabic.text.contains("المذنب"));

    let undated = &list[3];
    assert_eq!(undated.date.as_deref(), Some("2024-09-01T12:00:00Z"), "an undated item gets the date it was first seen");
    assert_eq!(feed.items[3].key, "https://lantern.example/notes/undated", "no GUID: the link is the key");
    assert!(undated.text.contains("Plain text without a date < or a guid."), "{}", undated.text);

    // Bare GUIDs are qualified by the feed, URI GUIDs are not.
    assert_eq!(feed.items[0].key, "https://lantern.example/2024/05/full-text");
    assert_eq!(feed.items[1].key, "https://lantern.example/ zh-comet-0502");
}

#[test]
fn atom_with_xhtml_content_and_xml_base() {
    let feed = read_feed(&fixture("atom-xhtml.xml"), "https://kestrel.example/blog/atom.xml").unwrap();
    assert_eq!(feed.title, "Kestrel Journal", "an HTML title is read as text");
    let list = articles(&feed);
    let tools = &list[0];
    assert_eq!(tools.title, "Building small tools");
    assert_eq!(tools.link.as_deref(), Some("https://kestrel.example/blog/2024/06/small-tools.html"), "the link resolves against xml:base");
    assert!(tools.html.contains(r#"href="https://kestrel.example/blog/2024/notes/why.html""#), "{}", tools.html);
    assert!(tools.html.contains(r#"src="https://kestrel.example/blog/2024/06/pics/bench.png""#), "{}", tools.html);
    assert_eq!(tools.date.as_deref(), Some("2024-06-01T11:00:00Z"), "published, not updated");
    assert_eq!(tools.author.as_deref(), Some("Ada Kestrel"), "the feed's author when the entry has none");
    assert_eq!(tools.categories, ["Kestrel Journal", "Craft", "tools"]);
    assert_eq!(feed.items[0].key, "tag:kestrel.example,2024:small-tools");

    let hebrew = &list[1];
    assert_eq!(hebrew.dir, "rtl");
    assert_eq!(hebrew.author.as_deref(), Some("נועה לוי"));
    assert_eq!(hebrew.link.as_deref(), Some("https://kestrel.example/blog/hebrew.html"));
    assert!(hebrew.text.contains("שלום עולם"));
}

#[test]
fn json_feed_with_content_html_content_text_and_images() {
    let feed = read_feed(&fixture("json-feed.json"), "https://heron.example/feed.json").unwrap();
    let list = articles(&feed);
    let kanji = &list[0];
    assert_eq!(kanji.title, "漢字の小さな話");
    assert_eq!(kanji.author.as_deref(), Some("佐藤"));
    assert_eq!(kanji.image.as_deref(), Some("https://heron.example/img/kanji-large.png"));
    assert_eq!(kanji.categories, ["Heron Notes", "言葉", "文字"]);
    assert_eq!(kanji.date.as_deref(), Some("2024-07-01T00:00:00Z"));
    assert!(kanji.html.contains(r#"src="https://heron.example/img/kanji.png""#), "{}", kanji.html);
    assert_eq!(kanji.lang.as_deref(), Some("ja"));

    let plain = &list[1];
    assert_eq!(plain.title, "No title, only text.", "a title from the text");
    assert!(plain.text.contains("<tags> that are text"), "content_text stays text: {}", plain.text);
    assert!(plain.html.contains("&lt;tags&gt;"), "{}", plain.html);
    assert_eq!(plain.image.as_deref(), Some("https://heron.example/img/banner.jpg"));
    assert_eq!(plain.author.as_deref(), Some("Heron Team"));
    assert_eq!(feed.self_url.as_deref(), Some("https://heron.example/feed.json"));
    assert_eq!(plain.extra.get("feed").and_then(|v| v.as_str()), Some("https://heron.example/feed.json"), "posts name the feed's address");
}

#[test]
fn the_same_item_fetched_twice_is_one_file_and_an_update_replaces_it() {
    let v1 = fixture("rss-content-encoded.xml");
    let v2 = String::from_utf8(v1.clone()).unwrap().replace("The <b>whole</b> story", "The <b>corrected</b> story").replace(
        "<item>\n    <title>An undated note",
        "<item>\n    <title>Brand new</title>\n    <link>https://lantern.example/new</link>\n  </item>\n  <item>\n    <title>An undated note",
    );
    let first = read_feed(&v1, "https://lantern.example/feed.xml").unwrap();
    let second = read_feed(v2.as_bytes(), "https://lantern.example/feed.xml").unwrap();
    let posts = |feed: &Feed| feed.items.iter().map(|i| write_post(feed, i, first_seen())).collect::<Vec<_>>();
    let (a, b) = (posts(&first), posts(&second));
    assert_eq!(b.len(), a.len() + 1);
    let same_name = |name: &str| b.iter().find(|p| p.file_name == name);
    let updated = same_name(&a[0].file_name).expect("the updated item keeps its file");
    assert!(updated.text.contains("corrected") && !a[0].text.contains("corrected"));
    for post in &a[1..] {
        assert_eq!(same_name(&post.file_name).map(|p| &p.text), Some(&post.text), "an unchanged item writes the same file");
    }
    let ids: std::collections::HashSet<_> = b.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids.len(), b.len(), "one article per item");
}

#[test]
fn legacy_encodings_are_decoded_as_declared() {
    for (label, encoding) in [("GBK", encoding_rs::GBK), ("Big5", encoding_rs::BIG5), ("Shift_JIS", encoding_rs::SHIFT_JIS)] {
        let title = if label == "Shift_JIS" { "日本語のニュース" } else if label == "Big5" { "臺灣新聞報導" } else { "中文新闻报道" };
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"{label}\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://x.example/</link>\
             <item><title>{title}</title><link>https://x.example/1</link><description>{title}：正文</description></item></channel></rss>"
        );
        let (bytes, _, unmappable) = encoding.encode(&xml);
        assert!(!unmappable, "{label}: the fixture text must be encodable");
        assert_ne!(bytes.as_ref(), xml.as_bytes(), "{label}: the bytes are not UTF-8");
        let feed = read_feed(&bytes, "https://x.example/feed").unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(feed.title, title, "{label}");
        assert_eq!(articles(&feed)[0].title, title, "{label}");
    }
}

#[test]
fn bad_documents_are_clear_errors() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty", b"  \n", "empty"),
        ("html", b"<!DOCTYPE html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss\"></head></html>", "web page"),
        ("malformed", b"<rss version=\"2.0\"><channel><title>x</title><item><title>a</item></channel></rss>", "could not be read"),
        ("truncated", b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>a</title><description>cut he", "could not be read"),
        ("unknown root", b"<?xml version=\"1.0\"?><catalog><book/></catalog>", "not a feed"),
        ("json", b"{\"hello\": \"world\"}", "feed"),
        ("opml", b"<?xml version=\"1.0\"?><opml version=\"2.0\"><body><outline text=\"a\" xmlUrl=\"https://a/\"/></body></opml>", "OPML"),
    ];
    for (name, bytes, expected) in cases {
        let error = read_feed(bytes, "https://x.example/feed").expect_err(name);
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
    let html = read_feed(cases[1].1, "https://x.example/blog/").unwrap_err();
    assert_eq!(html, FeedError::WebPage { hint: Some("https://x.example/rss".into()) });
    let big = vec![b' '; lectern_feeds::limits::MAX_FEED_BYTES + 1];
    assert!(matches!(read_feed(&big, "https://x.example/"), Err(FeedError::TooLarge { .. })));
}

#[test]
fn entity_expansion_is_not_done() {
    let mut xml = String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">");
    for level in 1..10 {
        let previous = if level == 1 { "lol".to_owned() } else { format!("lol{}", level - 1) };
        xml.push_str(&format!("<!ENTITY lol{level} \"{}\">", format!("&{previous};").repeat(10)));
    }
    xml.push_str("]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://x.example/1</link></item></channel></rss>");
    // The declared entities are left as text: the feed is read, nothing expanded.
    let feed = read_feed(xml.as_bytes(), "https://x.example/feed").unwrap();
    assert_eq!(feed.title, "&lol9;");
    assert_eq!(feed.items[0].title, "&lol9;");
}

#[test]
fn a_feed_of_100000_items_is_bounded() {
    let mut xml = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title><link>https://huge.example/</link>");
    for i in 0..100_000 {
        xml.push_str(&format!("<item><title>Item {i}</title><link>https://huge.example/{i}</link></item>"));
    }
    xml.push_str("</channel></rss>");
    let feed = read_feed(xml.as_bytes(), "https://huge.example/feed").unwrap();
    assert_eq!(feed.items.len(), lectern_feeds::limits::MAX_ITEMS);
    assert_eq!(feed.items[0].title, "Item 0", "the feed's first (newest) items are kept");
    assert!(feed.notes.iter().any(|n| n.contains("100000 items")), "{:?}", feed.notes);
}
