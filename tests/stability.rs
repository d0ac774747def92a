//! Stability of the sanitiser's output (mutation XSS) on the golden files of
//! `tests/fixtures/sanitize/` (the regression table is its README.md): each
//! output is exactly as expected, parses back into the same tree (an
//! independent html5ever re-parse, `lectern_ingest::sanitize::audit`) and does not
//! change when sanitised again. Every corpus article gets the same checks in
//! `tests/corpus.rs`, every XSS suite payload in `tests/xss_suites.rs`, and
//! both the browser round trip in `tests/e2e/xss.test.mjs`.

use lectern_ingest::sanitize::audit::audit;
use lectern_ingest::sanitize;
use std::path::{Path, PathBuf};

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
