//! `lectern feed` against a local HTTP server (started here, on 127.0.0.1)
//! that serves validators and 304s, redirects, gzip, a slow answer, a 500, a
//! web page, a truncated feed, a 50 MB feed and OPML lists; the posts it
//! writes are read back with `lectern parse`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Default)]
struct Served {
    /// Which version of /feed.xml is served (1, then 2: one item changed, one added).
    version: AtomicUsize,
    feed_full: AtomicUsize,
    feed_not_modified: AtomicUsize,
    atom_not_modified: AtomicUsize,
    gzip_asked: AtomicUsize,
}

const ATOM_DATE: &str = "Sat, 01 Jun 2024 10:00:00 GMT";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds").join(name)).unwrap()
}

fn rss(version: usize) -> String {
    let mut items = String::new();
    let first = if version == 1 { "First, as written" } else { "First, corrected" };
    items.push_str(&format!("<item><title>{first}</title><link>http://site.test/1</link><guid>one</guid><pubDate>Mon, 01 Jul 2024 08:00:00 GMT</pubDate><description>&lt;p&gt;{first}&lt;/p&gt;</description></item>"));
    items.push_str("<item><title>Second</title><link>http://site.test/2</link><guid>two</guid><pubDate>Tue, 02 Jul 2024 08:00:00 GMT</pubDate><description>Second body</description></item>");
    if version > 1 {
        items.push_str("<item><title>Third, new</title><link>http://site.test/3</link><guid>three</guid><description>No date here</description></item>");
    }
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test Site</title><link>http://site.test/</link>{items}</channel></rss>")
}

fn xml(body: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")], body.into()).into_response()
}

async fn feed(State(served): State<Arc<Served>>, headers: HeaderMap) -> Response {
    let version = served.version.load(Ordering::SeqCst);
    let etag = format!("\"v{version}\"");
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        served.feed_not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    served.feed_full.fetch_add(1, Ordering::SeqCst);
    let mut response = xml(rss(version));
    response.headers_mut().insert(header::ETAG, etag.parse().unwrap());
    response
}

async fn atom(State(served): State<Arc<Served>>, headers: HeaderMap) -> Response {
    if headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()) == Some(ATOM_DATE) {
        served.atom_not_modified.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([(header::CONTENT_TYPE, "application/atom+xml"), (header::LAST_MODIFIED, ATOM_DATE)], fixture("atom-xhtml.xml")).into_response()
}

async fn gzip(State(served): State<Arc<Served>>, headers: HeaderMap) -> Response {
    let accepts = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("gzip"));
    if !accepts {
        return (StatusCode::NOT_ACCEPTABLE, "this test route only answers in gzip").into_response();
    }
    served.gzip_asked.fetch_add(1, Ordering::SeqCst);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(fixture("rss-content-encoded.xml").as_bytes()).unwrap();
    let mut response = xml(encoder.finish().unwrap());
    response.headers_mut().insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
    response
}

async fn huge() -> Response {
    // 50 MB of items.
    let mut body = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title>");
    let item = format!("<item><title>x</title><description>{}</description></item>", "y".repeat(10_000));
    while body.len() < 50_000_000 {
        body.push_str(&item);
    }
    xml(body)
}

fn server() -> (String, Arc<Served>) {
    let served = Arc::new(Served::default());
    served.version.store(1, Ordering::SeqCst);
    let state = served.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let truncated = rss(1)[..rss(1).len() / 2].to_owned();
            let app = Router::new()
                .route("/feed.xml", get(feed))
                .route("/atom.xml", get(atom))
                .route("/old.xml", get(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/atom.xml")]) }))
                .route("/temp.json", get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/feed.json")]) }))
                .route("/feed.json", get(|| async { ([(header::CONTENT_TYPE, "application/feed+json")], fixture("json-feed.json")) }))
                .route("/gzip.xml", get(gzip))
                .route(
                    "/slow.xml",
                    get(|| async {
                        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
                        xml(rss(1))
                    }),
                )
                .route("/error.xml", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }))
                .route("/page.html", get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<!doctype html><html><head><title>A page</title></head><body>Hi</body></html>") }))
                .route(
                    "/site/",
                    get(|| async {
                        ([(header::CONTENT_TYPE, "text/html")], "<!doctype html><html><head><link rel=\"alternate\" type=\"application/feed+json\" href=\"/feed.json\"></head></html>")
                    }),
                )
                .route("/truncated.xml", get(move || async move { xml(truncated) }))
                .route("/huge.xml", get(huge))
                .route(
                    "/list.opml",
                    get(|| async {
                        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>L</title></head><body>\
                         <outline text=\"Folder\"><outline text=\"Atom\" type=\"rss\" xmlUrl=\"/atom.xml\"/></outline></body></opml>"
                    }),
                )
                .with_state(state);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let address = rx.recv().unwrap();
    (format!("http://{address}"), served)
}

fn lectern(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_lectern")).args(args).output().expect("run lectern");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn posts(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    files.sort();
    files
}

fn parsed(dir: &Path) -> Vec<serde_json::Value> {
    let (code, stdout, stderr) = lectern(&["parse", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "lectern parse: {stderr}");
    stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-feed-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn keeps_a_folder_up_to_date_and_reports_each_failing_feed() {
    let (base, served) = server();
    let dir = temp_dir("update");
    let url = |path: &str| format!("{base}{path}");
    let feeds = ["/feed.xml", "/old.xml", "/temp.json", "/gzip.xml", "/slow.xml", "/error.xml", "/page.html", "/truncated.xml", "/huge.xml"];
    let mut args = vec!["feed".to_owned(), "-o".into(), dir.display().to_string(), "--timeout".into(), "2".into(), "--jobs".into(), "3".into()];
    args.extend(feeds.iter().map(|f| url(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = lectern(&args);
    assert_eq!(code, 1, "failing feeds make the status 1: {stderr}");
    let reason = |path: &str| {
        stderr.lines().find(|l| l.starts_with(&format!("lectern feed: {}:", url(path)))).unwrap_or_else(|| panic!("no line for {path}:\n{stderr}")).to_owned()
    };
    assert!(reason("/slow.xml").contains("within 2 s"), "{}", reason("/slow.xml"));
    assert!(reason("/error.xml").contains("500"), "{}", reason("/error.xml"));
    assert!(reason("/page.html").contains("web page"), "{}", reason("/page.html"));
    assert!(reason("/truncated.xml").contains("could not be read"), "{}", reason("/truncated.xml"));
    assert!(reason("/huge.xml").contains("larger than the limit"), "{}", reason("/huge.xml"));
    assert!(stderr.contains(&format!("{} is now {} (a permanent redirect", url("/old.xml"), url("/atom.xml"))), "{stderr}");

    // feed.xml 2 + atom 2 + json 2 + gzip (the fixture, 4 items) = 10 posts.
    let first = posts(&dir);
    assert_eq!(first.len(), 10, "{stderr}");
    assert_eq!(served.gzip_asked.load(Ordering::SeqCst), 1, "gzip was asked for and read");
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join(".lectern-feeds.json")).unwrap()).unwrap();
    assert_eq!(state["version"], 1);
    let moved = state["feeds"].as_array().unwrap().iter().find(|f| f["subscription"] == url("/old.xml")).unwrap();
    assert_eq!(moved["url"], url("/atom.xml"), "a permanent redirect moves the subscription");
    let temporary = state["feeds"].as_array().unwrap().iter().find(|f| f["subscription"] == url("/temp.json")).unwrap();
    assert_eq!(temporary["url"], url("/temp.json"), "a temporary redirect does not");
    let failed = state["feeds"].as_array().unwrap().iter().find(|f| f["url"] == url("/error.xml")).unwrap();
    assert!(failed["error"].as_str().unwrap().contains("500"));

    // Round trip: every post reads back to its item's fields.
    let articles = parsed(&dir);
    assert_eq!(articles.len(), 10);
    assert!(articles.iter().all(|a| a.get("error").is_none()));
    let first_item = articles.iter().find(|a| a["title"] == "First, as written").expect("the RSS item");
    assert_eq!(first_item["link"], "http://site.test/1");
    assert_eq!(first_item["date"], "2024-07-01T08:00:00Z");
    assert_eq!(first_item["categories"][0], "Test Site");
    let kestrel = articles.iter().find(|a| a["title"] == "Building small tools").expect("the Atom entry");
    assert_eq!(kestrel["author"], "Ada Kestrel");

    // The feed changes: one item corrected, one added. A run without arguments refreshes every subscription.
    served.version.store(2, Ordering::SeqCst);
    let before: Vec<(PathBuf, String)> = first.iter().map(|p| (p.clone(), std::fs::read_to_string(p).unwrap())).collect();
    let (code, _, stderr) = lectern(&["feed", "-o", dir.to_str().unwrap(), "--timeout", "2"]);
    assert_eq!(code, 1, "the failing feeds fail again: {stderr}");
    assert!(stderr.contains("1 new post(s), 1 updated"), "{stderr}");
    assert_eq!(served.atom_not_modified.load(Ordering::SeqCst), 1, "the moved feed is asked at its new address, with Last-Modified");
    assert_eq!(served.feed_full.load(Ordering::SeqCst), 2);
    let second = posts(&dir);
    assert_eq!(second.len(), 11, "one new item, nothing twice");
    let changed: Vec<_> = before.iter().filter(|(p, text)| std::fs::read_to_string(p).unwrap() != *text).collect();
    assert_eq!(changed.len(), 1, "only the corrected item's file changed");
    assert!(std::fs::read_to_string(&changed[0].0).unwrap().contains("First, corrected"));

    // Nothing changed: 304, nothing written; the undated item keeps the date it was first seen.
    let third_before = parsed(&dir);
    let (_, _, stderr) = lectern(&["feed", "-o", dir.to_str().unwrap(), "--timeout", "2"]);
    assert!(stderr.contains("0 new post(s), 0 updated"), "{stderr}");
    assert!(served.feed_not_modified.load(Ordering::SeqCst) >= 1, "the ETag was sent and 304 answered");
    assert_eq!(parsed(&dir), third_before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn opml_lists_by_path_and_by_url_site_addresses_and_export() {
    let (base, _served) = server();
    let dir = temp_dir("opml");
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("list.opml");
    std::fs::write(
        &list,
        format!("<?xml version=\"1.0\"?><opml version=\"1.0\"><head/><body><outline text=\"News\"><outline text=\"Feed\" xmlUrl=\"{base}/feed.xml\"/></outline></body></opml>"),
    )
    .unwrap();
    let posts_dir = dir.join("posts");
    let out = posts_dir.to_str().unwrap();
    let (code, _, stderr) = lectern(&["feed", "-o", out, list.to_str().unwrap(), &format!("{base}/list.opml"), &format!("{base}/site/")]);
    assert_eq!(code, 0, "{stderr}");
    // feed.xml 2 + atom.xml (from the list by URL) 2 + feed.json (named by the site's page) 2.
    assert_eq!(posts(&posts_dir).len(), 6, "{stderr}");
    let (code, opml, _) = lectern(&["feed", "-o", out, "--export-opml"]);
    assert_eq!(code, 0);
    let listed = lectern_feeds::opml::read_opml(&opml).unwrap();
    let urls: Vec<&str> = listed.iter().map(|s| s.url.as_str()).collect();
    assert!(urls.contains(&format!("{base}/feed.xml").as_str()), "{opml}");
    assert!(urls.contains(&format!("{base}/atom.xml").as_str()), "{opml}");
    assert!(urls.contains(&format!("{base}/feed.json").as_str()), "the site's feed, found on its page: {opml}");
    assert!(!urls.iter().any(|u| u.ends_with("/list.opml")), "a list is not a feed: {opml}");
    assert_eq!(listed.iter().find(|s| s.url.ends_with("/feed.xml")).unwrap().category.as_deref(), Some("News"));

    let (code, _, stderr) = lectern(&["feed", "-o", out, "not a url"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("neither an http(s) feed URL nor an OPML file"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
