//! Stability of the sanitiser's output (mutation XSS): the output must parse
//! back into the same tree (checked by an independent html5ever re-parse) and
//! sanitising it again must change nothing. Over every article of
//! `../shared/corpus`, and over the golden files of `tests/fixtures/sanitize/`
//! (the regression table is `tests/fixtures/sanitize/README.md`).

mod common;

use lectern::sanitize::audit::audit;
use lectern::{parse_article, sanitize, ParseOptions};
use std::path::{Path, PathBuf};

#[test]
fn every_corpus_article_sanitises_to_stable_policy_compliant_html() {
    let corpus = common::shared_dir().join("corpus");
    let (files, errors) = lectern::collection::walk(&corpus);
    assert!(errors.is_empty(), "walking {}: {errors:?}", corpus.display());
    assert!(files.len() > 2000, "expected the whole corpus, found {} article files", files.len());
    let (mut articles, mut rejected, mut failures, mut bounded) = (0, Vec::new(), Vec::new(), Vec::new());
    for file in &files {
        let bytes = std::fs::read(&file.full_path).unwrap_or_else(|e| panic!("{}: {e}", file.full_path.display()));
        let options = ParseOptions { base: Some(format!("https://corpus.example/{}", file.path)) };
        let article = match parse_article(&file.path, &bytes, &options) {
            Ok(article) => article,
            Err(err) => {
                rejected.push(err.to_string());
                continue;
            }
        };
        articles += 1;
        // What the parser pre-pass (src/sanitize/bounds.rs) changed in real articles.
        for warning in article.warnings.iter().filter(|w| w.contains("nested deeper") || w.contains("beyond") || w.contains("closed early")) {
            bounded.push(format!("{}: {warning}", file.path));
        }
        let violations = audit(&article.html);
        if !violations.is_empty() {
            failures.push(format!("{}: {:?}", file.path, violations.iter().map(ToString::to_string).collect::<Vec<_>>()));
        }
        let again = sanitize(&article.html);
        if again != article.html {
            failures.push(format!("{}: sanitising the output again changed it", file.path));
        }
    }
    println!(
        "corpus: {} article files, {articles} parsed, {} rejected ({rejected:?}), {} unstable or non-compliant outputs, {} changed by the parser bounds",
        files.len(),
        rejected.len(),
        failures.len(),
        bounded.len()
    );
    for line in &bounded {
        println!("  bounded: {line}");
    }
    // Real articles never leave formatting elements open across thousands of blocks.
    assert!(!bounded.iter().any(|b| b.contains("closed early")), "{}", bounded.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rejected.is_empty(), "corpus files rejected: {rejected:?}");
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sanitize")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read '{}': {e}", path.display()))
}

/// Each `<case>.html` sanitises to `<case>.expected.html` (one trailing
/// newline of either file is ignored), the expected output is stable, and the
/// regression table lists every case.
#[test]
fn sanitizer_golden_files() {
    let dir = fixtures_dir();
    let table = read(&dir.join("README.md"));
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html") && !p.to_string_lossy().ends_with(".expected.html"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected the golden files in {}", dir.display());
    let mut failures = Vec::new();
    for input_path in &cases {
        let case = input_path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let expected_path = dir.join(format!("{case}.expected.html"));
        let input = read(input_path);
        let expected = read(&expected_path);
        let input = input.strip_suffix('\n').unwrap_or(&input);
        let expected = expected.strip_suffix('\n').unwrap_or(&expected);
        let output = sanitize(input);
        if output != expected {
            failures.push(format!("{case}: sanitised output differs\n  expected: {expected:?}\n  actual:   {output:?}"));
        }
        let violations = audit(&output);
        if !violations.is_empty() {
            failures.push(format!("{case}: {violations:?}"));
        }
        if sanitize(&output) != output {
            failures.push(format!("{case}: not idempotent"));
        }
        if !table.contains(&format!("`{case}`")) {
            failures.push(format!("{case}: not listed in tests/fixtures/sanitize/README.md"));
        }
    }
    println!("sanitizer golden files: {} cases, {} failures", cases.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
