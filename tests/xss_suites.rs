//! Third-party sanitiser and XSS suites (`../shared/xss/*.json`, or
//! `$LECTERN_SHARED/xss`) through `lectern_ingest::sanitize`.
//!
//! Their expected outputs belong to other policies, so the oracle is ours:
//! every output, re-parsed with html5ever, must be inert (no event handler, no
//! script-capable element or URL, no style) and must not change when sanitised
//! again. Run with `cargo test --test xss_suites -- --nocapture` for the counts.

mod common;

use common::{check_output, check_url, diff_context, restabilise, shared_dir, shorten, Fragment};
use lectern_ingest::{parse_article, Article, ParseOptions};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Cases whose output is known to change when sanitised again (mutation-XSS
/// shapes the core does not flatten yet). Printed every run; a case not listed
/// here that becomes unstable fails its suite, and a listed case that becomes
/// stable is reported so it can be removed.
// Empty: the rewrite pass flattens every shape the suites hold (src/sanitize/rewrite.rs, "Nesting";
// the regression table is tests/fixtures/sanitize/README.md).
const KNOWN_UNSTABLE: &[&str] = &[];

/// One case of a suite: the HTML strings it holds, or why it holds none.
struct Case {
    id: String,
    strings: Vec<String>,
    note: Option<String>,
}

fn load(file: &str) -> Value {
    let path = shared_dir().join("xss").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: not JSON: {err}", path.display()))
}

/// Every string inside a JSON value, depth first.
fn strings_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}

/// The cases of a suite file. `payload` is a string in most cases; numbers are
/// sanitised as the text a JavaScript caller would pass (`String(5)`); the
/// mutation-XSS "parser quirk" entries have no payload but hold their HTML in
/// examples and snippets, which are all sanitised.
fn cases(file: &str) -> Vec<Case> {
    let json = load(file);
    let list = match &json {
        Value::Array(list) => list.clone(),
        Value::Object(map) => match map.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => panic!("{file}: an object without an `items` list"),
        },
        _ => panic!("{file}: neither a list of cases nor an object with `items`"),
    };
    list.iter()
        .enumerate()
        .map(|(i, case)| {
            let id = case["id"].as_str().map(str::to_owned).unwrap_or_else(|| format!("{file}#{i}"));
            let mut strings = Vec::new();
            let mut note = None;
            match &case["payload"] {
                Value::String(s) => strings.push(s.clone()),
                Value::Number(n) => strings.push(n.to_string()),
                Value::Null | Value::Bool(_) => {}
                other => strings_in(other, &mut strings),
            }
            if let Some(core) = case.get("payload_core").and_then(Value::as_str) {
                strings.push(core.to_owned());
            }
            if strings.is_empty() {
                for key in ["roundtrip_examples", "fenced_examples", "payload_snippets", "description_markdown"] {
                    if let Some(value) = case.get(key) {
                        strings_in(value, &mut strings);
                    }
                }
            }
            if strings.is_empty() {
                let kind = case
                    .get("payload_type")
                    .or_else(|| case.get("payload_non_string"))
                    .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                    .unwrap_or_else(|| "missing".to_owned());
                note = Some(format!(
                    "{id}: no HTML string: the payload is a non-string JavaScript value ({kind}) that the suite passes \
                     to test argument handling; a Rust caller cannot pass it"
                ));
            }
            Case { id, strings, note }
        })
        .collect()
}

/// What a suite run found.
#[derive(Default)]
struct Report {
    cases: usize,
    strings: usize,
    unsafe_outputs: usize,
    outside_policy: usize,
    unstable: Vec<String>,
    problems: Vec<String>,
    notes: Vec<String>,
}

fn run_suite(suite: &str, file: &str) -> Report {
    let mut report = Report::default();
    for case in cases(file) {
        report.cases += 1;
        report.notes.extend(case.note.clone());
        for (n, payload) in case.strings.iter().enumerate() {
            report.strings += 1;
            let label = if case.strings.len() > 1 { format!("{} [{n}]", case.id) } else { case.id.clone() };
            let out = lectern_ingest::sanitize(payload);
            let findings = check_output(&out);
            let describe = |kind: &str, what: &[String]| {
                format!("{label}: {kind}: {}\n    payload: {}\n    output:  {}", what.join("; "), shorten(payload, 300), shorten(&out, 300))
            };
            if !findings.unsafe_.is_empty() {
                report.unsafe_outputs += 1;
                report.problems.push(describe("UNSAFE", &findings.unsafe_));
            }
            if !findings.outside_policy.is_empty() {
                report.outside_policy += 1;
                report.problems.push(describe("outside the policy", &findings.outside_policy));
            }
            if let Some(again) = restabilise(&out) {
                report.unstable.push(case.id.clone());
                println!(
                    "{suite}: UNSTABLE {label}\n    payload: {}\n    once:    {}\n    twice:   {}\n    {}",
                    shorten(payload, 300),
                    shorten(&out, 300),
                    shorten(&again, 300),
                    diff_context(&out, &again)
                );
            }
        }
    }
    report.unstable.dedup();
    report
}

/// Runs a suite, prints its line, and asserts: no unsafe output, nothing
/// outside the policy, no instability beyond [`KNOWN_UNSTABLE`].
fn check_suite(suite: &str, file: &str) {
    let report = run_suite(suite, file);
    let extra = if report.strings != report.cases || !report.notes.is_empty() {
        format!(" ({} strings sanitised, {} cases without a string)", report.strings, report.notes.len())
    } else {
        String::new()
    };
    println!(
        "{suite}: {} cases, {} unsafe outputs, {} unstable{extra}",
        report.cases,
        report.unsafe_outputs,
        report.unstable.len()
    );
    for note in &report.notes {
        println!("  note: {note}");
    }
    let new_unstable: Vec<&String> =
        report.unstable.iter().filter(|id| !KNOWN_UNSTABLE.contains(&id.as_str())).collect();
    let prefix = format!("{suite}-");
    for known in KNOWN_UNSTABLE.iter().filter(|id| id.starts_with(&prefix) && !report.unstable.iter().any(|u| u == *id))
    {
        println!("  note: {known} is stable now; remove it from KNOWN_UNSTABLE");
    }
    assert!(report.cases > 0, "{file}: no cases");
    assert!(
        report.problems.is_empty(),
        "{suite}: {} unsafe outputs, {} outside the policy:\n{}",
        report.unsafe_outputs,
        report.outside_policy,
        report.problems.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(
        new_unstable.is_empty(),
        "{suite}: {} case(s) change when sanitised again (printed above): {new_unstable:?}",
        new_unstable.len()
    );
}

#[test]
fn invariant_checker_catches_unsafe_markup() {
    // The oracle itself: each of these must be flagged, or the suites prove nothing.
    let unsafe_samples = [
        "<p><b><img src=\"https://e.com/a.png\" onerror=\"alert(1)\"></b></p>",
        "<div><div><script>alert(1)</script></div></div>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<p><a href=\" java\tscript:alert(1)\">x</a></p>",
        "<img srcset=\"https://e.com/a.png 1x, javascript:alert(1) 2x\">",
        "<blockquote cite=\"data:text/html,x\">q</blockquote>",
        "<video poster=\"vbscript:x\"></video>",
        "<p style=\"color:red\">x</p>",
        "<p><svg><a xlink:href=\"javascript:alert(1)\">x</a></svg></p>",
        "<math><mi>x</mi></math>",
        "<template><iframe src=\"https://e.com\"></iframe></template>",
        "<form action=\"https://e.com\"><p>x</p></form>",
        "<img src=\"relative.png\">",
    ];
    for sample in unsafe_samples {
        assert!(!check_output(sample).unsafe_.is_empty(), "the checker missed unsafe markup in {sample}");
    }
    assert!(!check_output("<p><font color=red>x</font></p>").outside_policy.is_empty(), "<font> is outside the policy");
    assert!(!check_output("<q cite=\"mailto:a@e.com\">q</q>").outside_policy.is_empty(), "mailto: is for links only");
    let fine = "<p><a href=\"https://e.com/\" rel=\"noopener noreferrer\" target=\"_blank\">x</a> \
                <a href=\"mailto:a@e.com\">m</a><img src=\"https://e.com/a.png\" srcset=\"https://e.com/a.png 1x, \
                https://e.com/b.png?a=1,2 2x\" referrerpolicy=\"no-referrer\" loading=\"lazy\" decoding=\"async\"></p>";
    let findings = check_output(fine);
    assert!(findings.is_clean(), "the checker flagged clean markup: {:?}", findings);
}

#[test]
fn dompurify_outputs_are_inert_and_stable() {
    check_suite("dompurify", "dompurify.json");
}

#[test]
fn h5sc_outputs_are_inert_and_stable() {
    check_suite("h5sc", "h5sc.json");
}

#[test]
fn h5sc_rss_item_outputs_are_inert_and_stable() {
    check_suite("h5sc-rss", "h5sc-rss.json");
}

#[test]
fn ammonia_outputs_are_inert_and_stable() {
    check_suite("ammonia", "ammonia.json");
}

#[test]
fn sanitize_html_outputs_are_inert_and_stable() {
    check_suite("sanitize-html", "sanitize-html.json");
}

#[test]
fn bleach_outputs_are_inert_and_stable() {
    check_suite("bleach", "bleach.json");
}

#[test]
fn owasp_xss_filter_evasion_outputs_are_inert_and_stable() {
    check_suite("owasp", "owasp-xss-filter-evasion.json");
}

#[test]
fn wpt_sanitizer_outputs_are_inert_and_stable() {
    check_suite("wpt", "wpt-sanitizer.json");
}

#[test]
fn mxss_cheatsheet_outputs_are_inert_and_stable() {
    check_suite("mxss", "mxss-cheatsheet.json");
}

#[test]
fn ammonia_default_config_outputs_compared_with_expected() {
    let cases = load("ammonia.json");
    let cases = cases.as_array().expect("ammonia.json is a list");
    let default: Vec<&Value> = cases.iter().filter(|c| c["default_config"] == json!(true)).collect();
    let equal: Vec<&str> = default
        .iter()
        .filter(|c| {
            let (Some(payload), Some(expected)) = (c["payload"].as_str(), c["expected"].as_str()) else { return false };
            lectern_ingest::sanitize(payload) == expected
        })
        .filter_map(|c| c["id"].as_str())
        .collect();
    println!(
        "ammonia (default Builder): {} of {} outputs equal ammonia's expected output \
         (not asserted: Lectern's policy differs); equal: {equal:?}",
        equal.len(),
        default.len()
    );
    assert!(!default.is_empty(), "ammonia.json has no default-config cases");
}

// ---------------------------------------------------------------------------
// Front-matter URLs: the H5SC "RSS mode" feed-field payloads as headimg,
// thumbnail and link.

/// The feed-field payloads, with the feed template's placeholders filled in
/// from every `rss.txt` line (`{VECTOR}`, `{VECTOR_HTMLENTITIES}`, `N`).
fn feed_field_payloads() -> Vec<(String, String)> {
    let json = load("h5sc-rss.json");
    let vectors = json["feed_field_vectors"].as_array().expect("h5sc-rss.json has feed_field_vectors");
    let items = json["items"].as_array().expect("h5sc-rss.json has items");
    assert!(!vectors.is_empty() && !items.is_empty(), "h5sc-rss.json: empty feed_field_vectors or items");
    let mut out = Vec::new();
    for vector in vectors {
        let element = vector["element"].as_str().unwrap_or("?").to_owned();
        let template =
            vector["payload"].as_str().unwrap_or_else(|| panic!("feed field {element}: payload is not a string"));
        let fill = |line: &str, html: &str| {
            template
                .replace("{VECTOR_HTMLENTITIES}", &html_entities(html))
                .replace("{VECTOR}", html)
                .replace("Vector N", &format!("Vector {line}"))
                .replace("prompt(N)", &format!("prompt({line})"))
        };
        if template.contains("{VECTOR") {
            for item in items {
                let line = item["line"].to_string();
                let payload = item["payload"].as_str().unwrap_or_default();
                out.push((format!("{element} (line {line})"), fill(&line, payload)));
            }
        } else {
            out.push((element, fill("1", "")));
        }
    }
    out
}

/// PHP's `htmlentities($s, ENT_QUOTES)` for the characters that matter here.
fn html_entities(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#039;")
}

/// A YAML double-quoted scalar holding `text` exactly.
fn yaml_double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A body whose relative URLs resolve against the article's `link`, so a
/// payload accepted as the base would show in the output.
const FEED_BODY: &str = "<p><a href=\"page.html\">relative link</a> <img src=\"i.png\" alt=\"relative image\"></p>\n";

/// The same article with the payload in `headimg`, `thumbnail` and `link`:
/// as JSON front matter and as YAML front matter.
fn feed_field_articles(payload: &str) -> [(&'static str, String); 2] {
    let json = json!({ "title": "feed field", "headimg": payload, "thumbnail": payload, "link": payload });
    let q = yaml_double_quoted(payload);
    [
        ("json", format!("{json}\n;;;\n{FEED_BODY}")),
        ("yaml", format!("---\ntitle: feed field\nheadimg: {q}\nthumbnail: {q}\nlink: {q}\n---\n{FEED_BODY}")),
    ]
}

fn parse_feed_article(format: &str, file: &str) -> Article {
    parse_article(&format!("feed-field.{format}.md"), file.as_bytes(), &ParseOptions::default())
        .unwrap_or_else(|err| panic!("{format} front matter did not parse: {err}"))
}

/// True for an absolute `http(s)` URL that WHATWG parsing leaves unchanged:
/// a relative URL resolved against it legitimately starts with it.
fn is_clean_http_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.as_str() == text)
}

#[test]
fn feed_field_payloads_in_front_matter_urls_are_http_or_dropped() {
    // Control: an ordinary URL is kept, in both formats, so the fields are really read.
    for (format, file) in feed_field_articles("https://example.org/posts/a.html") {
        let article = parse_feed_article(format, &file);
        assert_eq!(article.link.as_deref(), Some("https://example.org/posts/a.html"), "{format}: link not read");
        assert_eq!(article.image.as_deref(), Some("https://example.org/posts/a.html"), "{format}: image not read");
        assert!(
            article.html.contains("https://example.org/posts/page.html"),
            "{format}: base not used: {}",
            article.html
        );
    }

    let payloads = feed_field_payloads();
    let mut failures = Vec::new();
    let (mut articles, mut links_kept, mut images_kept) = (0, 0, 0);
    for (element, payload) in &payloads {
        for (format, file) in feed_field_articles(payload) {
            articles += 1;
            let article = parse_feed_article(format, &file);
            let label = format!("{element} [{format}] payload {}", shorten(payload, 120));
            if let Some(warning) = article.warnings.iter().find(|w| w.starts_with("front matter")) {
                failures.push(format!("{label}: the front matter was not read cleanly: {warning}"));
            }
            for (what, value) in [("image", &article.image), ("link", &article.link)] {
                let Some(url) = value.as_deref() else { continue };
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    failures.push(format!("{label}: {what} {url:?} is not http(s)"));
                } else if let Err(why) = check_url(url, false) {
                    failures.push(format!("{label}: {what} {url:?}: {why}"));
                } else if url.contains(|c: char| matches!(c, '"' | '<' | '>') || c.is_ascii_whitespace()) {
                    failures.push(format!("{label}: {what} {url:?} holds a quote, angle bracket or space"));
                }
            }
            links_kept += usize::from(article.link.is_some());
            images_kept += usize::from(article.image.is_some());
            let findings = check_output(&article.html);
            if !findings.is_clean() {
                failures.push(format!("{label}: html {:?}: {:?}", article.html, findings));
            }
            if !is_clean_http_url(payload) {
                let fragment = Fragment::parse(&article.html);
                for node in fragment.elements() {
                    for (name, value) in common::attributes_of(&node) {
                        if value.contains(payload.as_str()) {
                            failures
                                .push(format!("{label}: the payload appears in the html attribute {name}={value:?}"));
                        }
                    }
                }
            }
        }
    }
    let distinct: BTreeSet<&str> = payloads.iter().map(|(e, _)| e.split(" (line").next().unwrap_or(e)).collect();
    println!(
        "h5sc-rss feed fields: {} vectors ({} payloads after filling templates), {articles} articles (JSON and YAML \
         front matter), link kept in {links_kept}, image kept in {images_kept}, {} failures",
        distinct.len(),
        payloads.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} front-matter URL failures:\n  {}",
        failures.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n  ")
    );
}
