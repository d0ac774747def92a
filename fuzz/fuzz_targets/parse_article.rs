//! Reading arbitrary bytes as an article file (front matter in any of the
//! three syntaxes, Markdown or HTML body). Invariants: no panic; a file is an
//! article or a clear error; the article's HTML complies with the policy (an
//! independent html5ever re-parse) and is stable; the front-matter URLs are
//! absolute http(s).
#![no_main]

use lectern_ingest::sanitize::audit::audit;
use lectern_ingest::{parse_article, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name, which decides Markdown or HTML.
    let (name, bytes) = match data.split_first() {
        Some((first, rest)) if first % 2 == 0 => ("post.md", rest),
        Some((_, rest)) => ("post.html", rest),
        None => ("post.md", data),
    };
    let options = ParseOptions { base: Some("https://fuzz.example/collection/post".to_owned()) };
    let article = match parse_article(name, bytes, &options) {
        Ok(article) => article,
        Err(err) => {
            assert!(err.to_string().starts_with("article 'post."), "unclear error: {err}");
            return;
        }
    };
    let violations = audit(&article.html);
    assert!(violations.is_empty(), "policy violations {violations:?}\nhtml: {:?}", article.html);
    assert_eq!(lectern_ingest::sanitize(&article.html), article.html, "article HTML is not stable");
    for url in [&article.image, &article.link].into_iter().flatten() {
        assert!(url.starts_with("http://") || url.starts_with("https://"), "front-matter URL kept: {url:?}");
    }
    assert!(!article.title.is_empty(), "an article always has a title");
});
