//! The feeds module's exports, in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use lectern_wasm_feeds::{read_feed, read_opml, sniff, write_opml};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Demo</title><link>https://demo.example/</link>
<item><title>有日期</title><link>https://demo.example/1</link><guid>a</guid><pubDate>Mon, 01 Jul 2024 08:00:00 GMT</pubDate><description>&lt;p&gt;one&lt;/p&gt;</description></item>
<item><title>No date</title><link>https://demo.example/2</link><guid>b</guid><description>two</description></item></channel></rss>"#;

#[wasm_bindgen_test]
fn reads_a_feed_into_post_files_keeping_first_seen_dates() {
    let first = read_feed(RSS.as_bytes(), "https://demo.example/feed.xml", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&first, "title"), "Demo");
    let posts = js_sys::Array::from(&get(&first, "posts"));
    assert_eq!(posts.length(), 2);
    let undated = posts.get(1);
    let key = get(&undated, "key").as_string().unwrap();
    let text = get(&undated, "text").as_string().unwrap();
    assert!(get(&undated, "name").as_string().unwrap().ends_with(".md"));
    let id = get(&undated, "id").as_string().unwrap();
    assert!(id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert!(text.contains("title: No date"), "{text}");

    // The same feed again with the date it was first seen: the same file.
    let seen = js_sys::Object::new();
    js_sys::Reflect::set(&seen, &key.clone().into(), &get(&undated, "firstSeen")).unwrap();
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"firstSeen".into(), &seen).unwrap();
    let again = read_feed(RSS.as_bytes(), "https://demo.example/feed.xml", options.into()).unwrap();
    let again_posts = js_sys::Array::from(&get(&again, "posts"));
    assert_eq!(get(&again_posts.get(1), "text").as_string().unwrap(), text);
    assert_eq!(get(&again_posts.get(0), "text"), get(&posts.get(0), "text"));
}

#[wasm_bindgen_test]
fn bad_documents_are_errors_with_reasons() {
    let error = read_feed(b"<!doctype html><html></html>", "https://x.example/", JsValue::UNDEFINED).unwrap_err();
    let message = js_sys::Error::from(JsValue::from(error)).message().as_string().unwrap();
    assert!(message.contains("web page"), "{message}");
    assert_eq!(sniff(b"<?xml version='1.0'?><opml version='2.0'/>").unwrap(), "opml");
    assert_eq!(sniff(RSS.as_bytes()).unwrap(), "feed");
}

#[wasm_bindgen_test]
fn opml_round_trip() {
    let list = js_sys::JSON::parse(r#"[{"url":"https://a.example/feed","title":"A","category":"News"}]"#).unwrap();
    let text = write_opml("Lectern", list).unwrap();
    let read = js_sys::Array::from(&read_opml(&text).unwrap());
    assert_eq!(read.length(), 1);
    assert_eq!(get(&read.get(0), "url"), "https://a.example/feed");
    assert_eq!(get(&read.get(0), "category"), "News");
}
