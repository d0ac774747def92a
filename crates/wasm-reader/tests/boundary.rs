//! The reader module's boundary, run in headless Chromium by wasm-bindgen-test:
//! `./build.sh test` (or `cargo test --target wasm32-unknown-unknown -p lectern-wasm-reader`
//! with CHROMEDRIVER set). The reader parses nothing: its articles come as the
//! ingest module gives them (here made in Rust and converted the same way).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use lectern_core::Article;
use lectern_wasm_reader::{version, Library, StaticCollection};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

fn error_message(err: JsError) -> String {
    let value: JsValue = err.into();
    let error: js_sys::Error = value.dyn_into().expect("a JS Error");
    String::from(error.message())
}


fn to_js(article: &Article) -> JsValue {
    use serde::Serialize;
    article.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn zh_article() -> Article {
    Article {
        id: "1a2b3c4d5e6f7a8b".into(),
        name: "zh/night-bus.md".into(),
        title: "夜班巴士新线路".into(),
        date: Some("2022-08-13T12:14:54Z".into()),
        author: Some("城市日报".into()),
        source: Some("城市日报".into()),
        categories: vec!["新闻".into(), "城市".into()],
        lang: Some("zh".into()),
        dir: "ltr".into(),
        excerpt: "今天起，三条新的夜班巴士线路开通。".into(),
        words: 28,
        reading_minutes: 1,
        html: "<p>今天起，三条新的夜班巴士线路开通。乘客可以在凌晨乘坐。</p>".into(),
        text: "今天起，三条新的夜班巴士线路开通。乘客可以在凌晨乘坐。".into(),
        ..Default::default()
    }
}

fn en_article() -> Article {
    Article {
        id: "9f8e7d6c5b4a3928".into(),
        name: "en/night-buses.md".into(),
        title: "Night buses {new}".into(),
        date: Some("2022-01-10T10:10:07Z".into()),
        author: Some("City Daily".into()),
        source: Some("City Daily".into()),
        categories: vec!["News".into(), "City Daily".into()],
        dir: "ltr".into(),
        excerpt: "Routes".into(),
        words: 1,
        reading_minutes: 1,
        html: "<p>Routes <img src=\"https://img.example.com/a.jpg\" referrerpolicy=\"no-referrer\"></p>".into(),
        text: "Routes".into(),
        ..Default::default()
    }
}

fn library_with_posts() -> (Library, String, String) {
    let mut lib = Library::new();
    let articles = Array::new();
    articles.push(&to_js(&zh_article()));
    articles.push(&to_js(&en_article()));
    assert_eq!(lib.add_articles(articles.into()).unwrap(), 2);
    let summaries: Array = lib.summaries().unwrap().dyn_into().unwrap();
    assert!(get(&summaries.get(0), "html").is_undefined(), "summaries carry no html");
    assert_eq!(get(&summaries.get(0), "readingMinutes").as_f64().unwrap(), 1.0);
    (lib, zh_article().id, en_article().id)
}

#[wasm_bindgen_test]
fn library_searches_cjk_substrings_with_snippets_and_facets() {
    let (lib, zh, _) = library_with_posts();
    assert_eq!(lib.size(), 2);
    let results = lib.search("巴士线路", JsValue::UNDEFINED).unwrap();
    assert!(!results.is_instance_of::<js_sys::Map>(), "objects, not Maps");
    assert_eq!(get(&results, "total").as_f64().unwrap(), 1.0);
    let hits: Array = get(&results, "hits").dyn_into().unwrap();
    let hit = hits.get(0);
    assert_eq!(get(&hit, "id").as_string().unwrap(), zh);
    assert!(get(&hit, "score").as_f64().unwrap() > 0.0);
    let snippet = get(&hit, "snippet");
    let text = get(&snippet, "text").as_string().unwrap();
    let ranges: Array = get(&snippet, "ranges").dyn_into().unwrap();
    let range: Array = ranges.get(0).dyn_into().unwrap();
    let (start, end) = (range.get(0).as_f64().unwrap() as usize, range.get(1).as_f64().unwrap() as usize);
    let marked: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(marked, "巴士线路", "ranges are code point offsets into the snippet text");
    let facets = get(&results, "facets");
    let categories: Array = get(&facets, "categories").dyn_into().unwrap();
    assert_eq!(categories.length(), 2);
    assert_eq!(get(&categories.get(0), "count").as_f64().unwrap(), 1.0);
    let years: Array = get(&facets, "years").dyn_into().unwrap();
    assert_eq!(get(&years.get(0), "value").as_f64().unwrap(), 2022.0);
    // "巴线" is made of indexed letters but is not in the text.
    assert_eq!(get(&lib.search("巴线", JsValue::UNDEFINED).unwrap(), "total").as_f64().unwrap(), 0.0);
}

#[wasm_bindgen_test]
fn library_filters_lists_and_reports_bad_options() {
    let (lib, zh, en) = library_with_posts();
    let options = Object::new();
    let filters = Object::new();
    let categories = Array::new();
    categories.push(&"News".into());
    Reflect::set(&filters, &"categories".into(), &categories).unwrap();
    Reflect::set(&options, &"filters".into(), &filters).unwrap();
    let results = lib.search("", options.into()).unwrap();
    let hits: Array = get(&results, "hits").dyn_into().unwrap();
    assert_eq!(hits.length(), 1);
    assert_eq!(get(&hits.get(0), "id").as_string().unwrap(), en);
    let listing: Array = get(&lib.search("", JsValue::UNDEFINED).unwrap(), "hits").dyn_into().unwrap();
    assert_eq!(get(&listing.get(0), "id").as_string().unwrap(), zh, "newest first");
    let facets = lib.facets(filters.into()).unwrap();
    let sources: Array = get(&facets, "sources").dyn_into().unwrap();
    assert_eq!(get(&sources.get(0), "value").as_string().unwrap(), "City Daily");

    let bad = Object::new();
    Reflect::set(&bad, &"limit".into(), &"ten".into()).unwrap();
    assert!(error_message(lib.search("x", bad.into()).unwrap_err()).contains("search options"));
    let bad_date = Object::new();
    let f = Object::new();
    Reflect::set(&f, &"from".into(), &"soon".into()).unwrap();
    Reflect::set(&bad_date, &"filters".into(), &f).unwrap();
    let message = error_message(lib.search("x", bad_date.into()).unwrap_err());
    assert!(message.contains("filters.from") && message.contains("soon"), "{message}");
}

#[wasm_bindgen_test]
fn library_updates_removes_and_restores_articles() {
    let (mut lib, zh, en) = library_with_posts();
    let article = lib.article(&en).unwrap();
    assert!(get(&article, "html").as_string().unwrap().contains("referrerpolicy"));
    assert!(get(&article, "text").as_string().unwrap().contains("Routes"));
    // The same id again: an update.
    let tram = Array::new();
    tram.push(&to_js(&Article { title: "Tram lines".into(), text: "New tram lines.".into(), categories: vec![], ..en_article() }));
    lib.add_articles(tram.into()).unwrap();
    assert_eq!(lib.size(), 2);
    assert_eq!(get(&lib.search("tram", JsValue::UNDEFINED).unwrap(), "total").as_f64().unwrap(), 1.0);
    assert_eq!(get(&lib.search("routes", JsValue::UNDEFINED).unwrap(), "total").as_f64().unwrap(), 0.0);
    // Remove, then restore from the article object (as from IndexedDB).
    let saved = lib.article(&zh).unwrap();
    assert!(lib.remove(&zh));
    assert!(!lib.remove(&zh));
    assert!(lib.article(&zh).unwrap().is_undefined());
    let restore = Array::new();
    restore.push(&saved);
    assert_eq!(lib.add_articles(restore.into()).unwrap(), 1);
    assert_eq!(get(&lib.search("夜班", JsValue::UNDEFINED).unwrap(), "total").as_f64().unwrap(), 1.0);
    let summaries: Array = lib.summaries().unwrap().dyn_into().unwrap();
    assert_eq!(summaries.length(), 2);
    let err = lib.add_articles(JsValue::from_str("nope")).unwrap_err();
    assert!(error_message(err).contains("addArticles"));
}

#[wasm_bindgen_test]
fn library_saves_and_loads_and_reports_version_mismatch() {
    let (lib, zh, _) = library_with_posts();
    let bytes = lib.save_index();
    let loaded = Library::load_index(&bytes).unwrap();
    assert_eq!(loaded.size(), 2);
    assert!(loaded.index_bytes() > 0.0);
    let a = js_sys::JSON::stringify(&lib.search("巴士", JsValue::UNDEFINED).unwrap()).unwrap();
    let b = js_sys::JSON::stringify(&loaded.search("巴士", JsValue::UNDEFINED).unwrap()).unwrap();
    assert_eq!(String::from(a), String::from(b));
    assert_eq!(
        String::from(js_sys::JSON::stringify(&loaded.article(&zh).unwrap()).unwrap()),
        String::from(js_sys::JSON::stringify(&lib.article(&zh).unwrap()).unwrap())
    );
    let mut old = bytes.clone();
    old[8] = old[8].wrapping_add(1);
    let message = error_message(Library::load_index(&old).err().unwrap());
    assert!(message.contains("loadIndex") && message.contains("version"), "{message}");
    let message = error_message(Library::load_index(b"garbage").err().unwrap());
    assert!(message.contains("not a Lectern search index"), "{message}");
}

#[wasm_bindgen_test]
fn static_collection_checks_its_manifest_and_asks_for_the_files_a_search_needs() {
    let manifest = |version: u32| {
        js_sys::JSON::parse(&format!(
            r#"{{"format":"lectern-collection","version":{version},"generator":"lectern","build":"b1","articles":3,"skipped":0,"sources":["posts"],"listPage":50,"docBlock":1024,"bytes":100}}"#
        ))
        .unwrap()
    };
    let message = error_message(StaticCollection::new(manifest(1)).err().unwrap());
    assert!(message.contains("version") && message.contains("lectern index"), "{message}");
    let not_ours = js_sys::JSON::parse(r#"{"format":"something-else","version":1}"#).unwrap();
    assert!(StaticCollection::new(not_ours).is_err());
    let current = lectern_core::static_collection::format::FORMAT_VERSION as u32;
    let mut collection = StaticCollection::new(manifest(current)).unwrap();
    assert_eq!(collection.size(), 3);
    let step = collection.search("夜班", JsValue::UNDEFINED).unwrap();
    let needs: Array = get(&step, "needs").dyn_into().unwrap();
    assert_eq!(needs.get(0).as_string().unwrap(), "index.bin");
    let message = error_message(collection.feed("index.bin", b"not gzip and not ours").unwrap_err());
    assert!(message.contains("index.bin"), "{message}");
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
