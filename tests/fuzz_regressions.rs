//! Every input the fuzz targets (`fuzz/`, `./build.sh fuzz`) ever failed on,
//! kept in `tests/fixtures/fuzz/<target>/` (one file per finding, named for
//! what it found; see the README there), checked against the same promises as
//! the target.

use lectern_ingest::sanitize::audit::{audit, check_sanitizer_promises};
use lectern_ingest::{parse_article, sanitize, ParseOptions};
use std::path::PathBuf;

fn findings(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fuzz findings in {}", dir.display());
    out
}

#[test]
fn sanitize_target_findings_keep_the_sanitizer_promises() {
    let cases = findings("sanitize");
    for (name, bytes) in &cases {
        if let Err(problem) = check_sanitizer_promises(&String::from_utf8_lossy(bytes)) {
            panic!("{name}: {problem}");
        }
    }
    println!("fuzz findings (sanitize): {} inputs, all pass", cases.len());
}

/// The same checks as `fuzz/fuzz_targets/parse_article.rs`.
#[test]
fn parse_article_target_findings_give_an_article_or_a_clear_error() {
    let cases = findings("parse_article");
    for (name, data) in &cases {
        let (file, bytes) = match data.split_first() {
            Some((first, rest)) if first % 2 == 0 => ("post.md", rest),
            Some((_, rest)) => ("post.html", rest),
            None => ("post.md", &data[..]),
        };
        let options = ParseOptions { base: Some("https://fuzz.example/collection/post".to_owned()) };
        match parse_article(file, bytes, &options) {
            Ok(article) => {
                assert!(audit(&article.html).is_empty(), "{name}: {:?}", audit(&article.html));
                assert_eq!(sanitize(&article.html), article.html, "{name}: not stable");
                for url in [&article.image, &article.link].into_iter().flatten() {
                    assert!(url.starts_with("http://") || url.starts_with("https://"), "{name}: {url}");
                }
            }
            Err(err) => assert!(err.to_string().starts_with("article 'post."), "{name}: {err}"),
        }
    }
    println!("fuzz findings (parse_article): {} inputs, all pass", cases.len());
}
