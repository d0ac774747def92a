//! The ingest module's boundary, run in headless Chromium by wasm-bindgen-test:
//! `./build.sh test` (or `cargo test --target wasm32-unknown-unknown -p lectern-wasm-ingest`
//! with CHROMEDRIVER set). The worker loop (`runWorker`) is driven end to end by
//! `tests/e2e/ingest-worker.test.mjs`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use lectern_wasm_ingest::{extract_article, parse_article, parse_articles, run_worker, sanitize, version};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

fn file(name: &str, text: &str) -> JsValue {
    let object = Object::new();
    Reflect::set(&object, &"name".into(), &name.into()).unwrap();
    Reflect::set(&object, &"text".into(), &text.into()).unwrap();
    object.into()
}

fn error_message(err: JsError) -> String {
    let value: JsValue = err.into();
    let error: js_sys::Error = value.dyn_into().expect("a JS Error");
    String::from(error.message())
}

const SEED_LIKE: &str = "\n---\ntitle: 'Night buses &#123;new&#125;'\ncategories: \n - News\n - City Daily\nauthor: City Daily\ndate: Mon, 10 Jan 2022 10:10:07 GMT\n---\n\n<div>   \n<p onclick=\"x()\">Routes <img src=\"https://img.example.com/a.jpg\"></p>\n<script>alert(1)</script></div>   ";

#[wasm_bindgen_test]
fn sanitize_strips_script_and_keeps_referrerpolicy() {
    let out = sanitize("<p onclick=x>a<script>alert(1)</script><img src=https://e.com/i.png referrerpolicy=origin></p>");
    assert_eq!(out, "<p>a<img src=\"https://e.com/i.png\" referrerpolicy=\"origin\" loading=\"lazy\" decoding=\"async\"></p>");
}

#[wasm_bindgen_test]
fn parse_article_returns_a_plain_camel_case_object() {
    let article = parse_article("news/night-buses.md", SEED_LIKE, JsValue::UNDEFINED).unwrap();
    assert!(article.is_object());
    assert!(!article.is_instance_of::<js_sys::Map>(), "objects, not Maps");
    assert_eq!(get(&article, "title").as_string().unwrap(), "Night buses {new}");
    assert_eq!(get(&article, "date").as_string().unwrap(), "2022-01-10T10:10:07Z");
    assert_eq!(get(&article, "readingMinutes").as_f64().unwrap(), 1.0);
    let categories: Array = get(&article, "categories").dyn_into().unwrap();
    assert_eq!(categories.length(), 2);
    let html = get(&article, "html").as_string().unwrap();
    assert!(html.contains("referrerpolicy=\"no-referrer\""), "{html}");
    assert!(!html.contains("onclick") && !html.contains("script"), "{html}");
    assert!(get(&article, "extra").is_object());
}

#[wasm_bindgen_test]
fn parse_article_resolves_relative_images_against_the_base_option() {
    let options = Object::new();
    Reflect::set(&options, &"base".into(), &"http://127.0.0.1:8080/collection/files/a.md".into()).unwrap();
    let article = parse_article("a.md", "---\ntitle: t\nheadimg: media/x.svg\n---\n<p><img src=\"media/y.svg\"></p>", options.into()).unwrap();
    assert_eq!(get(&article, "image").as_string().unwrap(), "http://127.0.0.1:8080/collection/files/media/x.svg");
    assert!(get(&article, "html").as_string().unwrap().contains("src=\"http://127.0.0.1:8080/collection/files/media/y.svg\""));
}

#[wasm_bindgen_test]
fn errors_become_js_errors_with_clear_messages() {
    let err = parse_article("empty.md", "   \n", JsValue::UNDEFINED).unwrap_err();
    assert_eq!(error_message(err), "article 'empty.md': the file is empty");
    let err = parse_article("a.md", "x", JsValue::from_f64(3.0)).unwrap_err();
    assert!(error_message(err).contains("options"));
    let err = parse_articles(JsValue::from_str("not an array")).unwrap_err();
    assert!(error_message(err).contains("expected an array"));
}

#[wasm_bindgen_test]
fn batch_keeps_order_and_reports_failures_in_place() {
    let files = Array::new();
    files.push(&file("a.md", "# First\n\ntext"));
    files.push(&file("b.bin", "\0\0\0binary"));
    files.push(&file("c.md", SEED_LIKE));
    let results: Array = parse_articles(files.into()).unwrap().dyn_into().unwrap();
    assert_eq!(results.length(), 3);
    assert_eq!(get(&results.get(0), "title").as_string().unwrap(), "First");
    assert_eq!(get(&results.get(1), "name").as_string().unwrap(), "b.bin");
    assert!(get(&results.get(1), "error").as_string().unwrap().contains("binary"));
    assert_eq!(get(&results.get(2), "title").as_string().unwrap(), "Night buses {new}");
}

#[wasm_bindgen_test]
fn instance_keeps_working_after_hostile_input() {
    let hostile = [
        "<".repeat(100_000),
        "<div>".repeat(20_000),
        format!("---\n{}\n---\nx", "a: &a [1]\n".repeat(10)),
        format!("---\na: {}\n---\nx", "[".repeat(5_000)),
        "---\ndate: 99999-99-99\ntitle: 'unclosed\n".to_owned(),
        "\u{feff}\r\n---\r\ntitle: x\r\n".to_owned(),
    ];
    for text in &hostile {
        let _ = parse_article("hostile.md", text, JsValue::UNDEFINED);
        let _ = sanitize(text);
    }
    let article = parse_article("ok.md", "# Still here\n\nfine", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&article, "title").as_string().unwrap(), "Still here");
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

fn warnings_of(article: &JsValue) -> String {
    let warnings: Array = get(article, "warnings").dyn_into().unwrap();
    warnings.iter().filter_map(|w| w.as_string()).collect::<Vec<_>>().join("\n")
}

/// The bad inputs of `tests/bad_input.rs`, through the WASM boundary: each is
/// a JS `Error` with a clear message or a bounded article, and the instance
/// answers normally afterwards (a trap would take the page down).
#[wasm_bindgen_test]
fn bad_input_gives_clear_errors_or_bounded_results_and_the_instance_keeps_working() {
    let error_of = |name: &str, text: &str| error_message(parse_article(name, text, JsValue::UNDEFINED).unwrap_err());
    assert_eq!(error_of("empty.md", ""), "article 'empty.md': the file is empty");
    assert!(error_of("image.png", "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR").contains("binary"));
    let big = "<p>twenty megabytes</p>\n".repeat(20 * 1024 * 1024 / 24);
    assert!(error_of("big.html", &big).contains("over the limit of 8388608 bytes"));
    assert!(sanitize(&big).len() < 8 * 1024 * 1024 + 1024, "sanitising 20 MB is cut at 8 MiB");

    let parsed = |name: &str, text: &str| parse_article(name, text, JsValue::UNDEFINED).unwrap_or_else(|e| panic!("{name}: {}", error_message(e)));
    let deep = parsed("deep.html", &format!("{}deep{}", "<div>".repeat(100_000), "</div>".repeat(100_000)));
    assert!(warnings_of(&deep).contains("nested deeper than 512"), "{}", warnings_of(&deep));
    assert!(get(&deep, "html").as_string().unwrap().matches("<div>").count() <= lectern_core::limits::MAX_HTML_DEPTH);
    let attributes: String = (0..100_000).map(|i| format!(" data-a{i}=\"{i}\"")).collect();
    let many = parsed("attrs.html", &format!("<p title=\"kept\"{attributes}>text</p>"));
    assert_eq!(get(&many, "html").as_string().unwrap(), "<p title=\"kept\">text</p>");
    let line = parsed("line.md", &format!("---\ntitle: one line\n---\n{}", "word ".repeat(1024 * 1024)));
    assert_eq!(get(&line, "words").as_f64().unwrap(), 1_048_576.0);

    let mut bomb = String::from("---\ntitle: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (previous, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(", ")));
    }
    let bomb = parsed("bomb.md", &format!("{bomb}---\nbody"));
    assert!(warnings_of(&bomb).contains("alias bomb"));
    let nested = parsed("nested.md", &format!("---\ntitle: t\ndeep: {}x{}\n---\nbody", "[".repeat(100_000), "]".repeat(100_000)));
    assert!(!warnings_of(&nested).is_empty());
    for date in ["99999-99-99", "-9223372036854775808", "1e300", "+275760-09-13", "Invalid Date"] {
        let dated = parsed("d.md", &format!("---\ntitle: t\ndate: {date}\n---\nbody"));
        assert!(get(&dated, "date").is_undefined(), "{date}");
        assert!(warnings_of(&dated).contains("date:"), "{date}");
    }
    let open = parsed("open.md", "---\ntitle: x\n\nbody");
    assert!(warnings_of(&open).contains("no closing"));
    let crlf = parsed("crlf.md", "\u{feff}---\r\ntitle: t\r\n---\r\nbody \u{fffd}\r\n");
    assert_eq!(get(&crlf, "title").as_string().unwrap(), "t");

    let article = parse_article("ok.md", "# Still here\n\nfine", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&article, "title").as_string().unwrap(), "Still here");
}

const WEB_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Night buses return after two years - City Daily</title>
<meta property="og:site_name" content="City Daily"><meta name="author" content="Ana Lima">
<meta property="article:published_time" content="2022-01-10T12:10:07+02:00"></head>
<body><nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Night buses return after two years</h1>
<p onclick="steal()">The city's night buses return on Monday after two years, with six routes that run every half hour
from midnight to five in the morning, the transport office said on Friday in a statement to the press.</p>
<p>Tickets cost the same as in the day, and the routes reach the airport, the harbour and the university, which
had asked for a late service since the last one stopped. <img src="/img/bus.jpg"><script>alert(1)</script></p>
<p>Drivers were hired over the winter, and the first buses leave the central station at midnight on Monday, the
office said, adding that the timetable will be on every stop by the end of the week for riders to check.</p>
</article><footer class="footer">Copyright City Daily</footer></body></html>"#;

#[wasm_bindgen_test]
fn extract_article_saves_a_web_page_as_a_sanitised_article() {
    let article = extract_article(WEB_PAGE, "https://news.example.com/2022/night-buses#comments").unwrap();
    assert_eq!(get(&article, "title").as_string().unwrap(), "Night buses return after two years");
    assert_eq!(get(&article, "author").as_string().unwrap(), "Ana Lima");
    assert_eq!(get(&article, "siteName").as_string().unwrap(), "City Daily");
    assert_eq!(get(&article, "date").as_string().unwrap(), "2022-01-10T10:10:07Z");
    assert_eq!(get(&article, "link").as_string().unwrap(), "https://news.example.com/2022/night-buses");
    assert_eq!(get(&article, "lang").as_string().unwrap(), "en");
    assert_eq!(get(&article, "dir").as_string().unwrap(), "ltr");
    assert!(get(&article, "readingMinutes").as_f64().unwrap() >= 1.0);
    let html = get(&article, "html").as_string().unwrap();
    assert!(html.contains("src=\"https://news.example.com/img/bus.jpg\""), "{html}");
    assert!(!html.contains("onclick") && !html.contains("script") && !html.contains("Copyright"), "{html}");
    let text = get(&article, "text").as_string().unwrap();
    assert!(text.starts_with("The city's night buses") && !text.contains("Home"), "{text}");

    // The same URL gives the same id: saving again replaces the saved copy.
    let again = extract_article(WEB_PAGE, "https://news.example.com/2022/night-buses").unwrap();
    assert_eq!(get(&again, "id").as_string(), get(&article, "id").as_string());

    let err = extract_article("<html><body><nav><a href=/>Home</a></nav></body></html>", "https://e.com/").unwrap_err();
    assert!(error_message(err).starts_with("no article found on this page: "));
    let err = extract_article(WEB_PAGE, "file:///tmp/page.html").unwrap_err();
    assert!(error_message(err).contains("not an absolute http(s) URL"));
}

#[wasm_bindgen_test]
fn run_worker_refuses_to_run_outside_a_worker() {
    let message = error_message(run_worker().unwrap_err());
    assert!(message.contains("not inside a dedicated Web Worker"), "{message}");
}
