//! Shared test data from `../shared` (read in place, never copied): where it
//! is, and the payloads of the nine XSS suites with every case counted.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// The shared data folder: `$LECTERN_SHARED`, else `../shared` beside the repo.
/// Panics with a clear message when it is missing: a test that needs it must
/// fail, not pass.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("LECTERN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("xss").is_dir() && dir.join("corpus").is_dir(),
        "shared test data not found at '{}' (it must hold xss/ and corpus/; set LECTERN_SHARED)",
        dir.display()
    );
    dir
}

/// The nine suites, in a fixed order (file stem = suite name).
pub const SUITES: &[&str] = &[
    "dompurify", "h5sc", "h5sc-rss", "ammonia", "sanitize-html", "bleach", "owasp-xss-filter-evasion", "wpt-sanitizer",
    "mxss-cheatsheet",
];

/// One case of a suite and the HTML strings it stands for (at least one).
#[derive(Debug, Clone)]
pub struct Case {
    /// The case id (`dompurify-001`).
    pub id: String,
    /// The inputs: the payload, or what a JavaScript caller would pass for a
    /// non-string payload (`String(5)`, `""` for null), or for a case that
    /// documents a parser quirk, its round-trip inputs, examples and snippets.
    pub inputs: Vec<String>,
}

/// Reads a JSON file of the shared data.
pub fn read_json(relative: &str) -> Value {
    let path = shared_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read '{}': {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("'{}' is not JSON: {e}", path.display()))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value.and_then(Value::as_array).map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

/// The inputs of one case (see [`Case::inputs`]).
pub fn inputs_of(case: &Value) -> Vec<String> {
    match case.get("payload") {
        Some(Value::String(s)) => return vec![s.clone()],
        Some(Value::Number(n)) => return vec![n.to_string()],
        Some(Value::Bool(b)) => return vec![b.to_string()],
        _ => {}
    }
    // web-platform-tests: the non-string value is described; its String() is the expected output.
    match case.get("payload_non_string").and_then(Value::as_str) {
        Some("{}") => return vec!["[object Object]".to_owned()],
        Some("undefined") => return vec!["undefined".to_owned()],
        Some(_) => {
            if let Some(expected) = case.get("expected_html").and_then(Value::as_str) {
                return vec![expected.to_owned()];
            }
        }
        None => {}
    }
    // mxss-cheatsheet parser quirks: no payload, but examples.
    let mut inputs: Vec<String> = case
        .get("roundtrip_examples")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| i.get("input").and_then(Value::as_str)).map(str::to_owned).collect())
        .unwrap_or_default();
    inputs.extend(strings(case.get("fenced_examples")));
    inputs.extend(strings(case.get("payload_snippets")));
    if let Some(description) = case.get("description_markdown").and_then(Value::as_str) {
        if !description.is_empty() {
            inputs.push(description.to_owned());
        }
    }
    if inputs.is_empty() {
        // sanitize-html's null / undefined inputs: a JavaScript caller passes "".
        inputs.push(String::new());
    }
    inputs
}

/// The cases of one suite.
pub fn suite(name: &str) -> Vec<Case> {
    let data = read_json(&format!("xss/{name}.json"));
    let items = match &data {
        Value::Array(items) => items.clone(),
        Value::Object(map) => map.get("items").and_then(Value::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    assert!(!items.is_empty(), "suite '{name}' has no cases");
    items
        .iter()
        .enumerate()
        .map(|(i, case)| Case {
            id: case.get("id").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| format!("{name}#{i}")),
            inputs: inputs_of(case),
        })
        .collect()
}

/// The feed-field payloads of html5sec's RSS mode, with `{VECTOR}`,
/// `{VECTOR_HTMLENTITIES}` and `N` filled from the RSS items (a payload with
/// placeholders gives one value per item).
pub fn feed_field_values() -> Vec<(String, String)> {
    let data = read_json("xss/h5sc-rss.json");
    let items: Vec<String> =
        data["items"].as_array().map(|a| a.iter().filter_map(|i| i["payload"].as_str().map(str::to_owned)).collect()).unwrap_or_default();
    let vectors = data["feed_field_vectors"].as_array().cloned().unwrap_or_default();
    assert!(!vectors.is_empty() && !items.is_empty(), "h5sc-rss.json has no feed_field_vectors or items");
    let mut out = Vec::new();
    for vector in &vectors {
        let element = vector["element"].as_str().unwrap_or("?").to_owned();
        let payload = vector["payload"].as_str().unwrap_or_default();
        if payload.contains("{VECTOR") {
            for (n, item) in items.iter().enumerate() {
                let value = payload
                    .replace("{VECTOR_HTMLENTITIES}", &html_entities(item))
                    .replace("{VECTOR}", item)
                    .replace(" N ", &format!(" {} ", n + 1));
                out.push((element.clone(), value));
            }
        } else {
            out.push((element, payload.replace("(N)", "(1)")));
        }
    }
    out
}

fn html_entities(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#039;")
}
