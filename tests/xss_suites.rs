//! The nine XSS suites of `../shared/xss`, natively: every payload is
//! sanitised, and the output is audited by an independent re-parse (no
//! disallowed element, attribute or URL; parse + serialise gives it back
//! unchanged), and sanitising it again changes nothing. Counts are printed per
//! suite; the browser harness (`tests/e2e/xss.test.mjs`) mounts the same
//! outputs in a live page.

mod common;

use lectern::sanitize;
use lectern::sanitize::audit::audit;

#[test]
fn every_suite_payload_sanitises_to_policy_compliant_stable_html() {
    let mut failures = Vec::new();
    let mut total_cases = 0;
    let mut total_inputs = 0;
    for name in common::SUITES {
        let cases = common::suite(name);
        let (mut inputs, mut unsafe_outputs, mut unstable) = (0, 0, 0);
        for case in &cases {
            for input in &case.inputs {
                inputs += 1;
                let once = sanitize(input);
                let violations = audit(&once);
                if !violations.is_empty() {
                    unsafe_outputs += 1;
                    failures.push(format!("{}: {input:?}\n  -> {once:?}\n  {violations:?}", case.id));
                }
                let twice = sanitize(&once);
                if twice != once {
                    unstable += 1;
                    failures.push(format!("{}: not idempotent: {input:?}\n  once:  {once:?}\n  twice: {twice:?}", case.id));
                }
            }
        }
        println!("{name}: {} cases, {inputs} inputs, {unsafe_outputs} outputs breaking the policy, {unstable} not idempotent", cases.len());
        total_cases += cases.len();
        total_inputs += inputs;
    }
    println!("all suites: {total_cases} cases, {total_inputs} inputs, {} failures", failures.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn front_matter_url_fields_never_keep_script_capable_urls() {
    let values = common::feed_field_values();
    let mut kept = 0;
    let mut failures = Vec::new();
    for (element, value) in &values {
        for key in ["thumbnail", "headimg", "link"] {
            let file = format!("---\ntitle: feed field\n{key}: {}\n---\n<p>body</p>", serde_json::to_string(value).unwrap_or_default());
            let article = match lectern::parse_article("feed.md", file.as_bytes(), &Default::default()) {
                Ok(article) => article,
                Err(err) => panic!("{element} in {key}: {err}"),
            };
            for url in [&article.image, &article.link].into_iter().flatten() {
                kept += 1;
                let scheme = url.split(':').next().unwrap_or_default().to_ascii_lowercase();
                if scheme != "http" && scheme != "https" {
                    failures.push(format!("{element} in {key}: {value:?} -> {url:?}"));
                }
            }
            let violations = audit(&article.html);
            if !violations.is_empty() {
                failures.push(format!("{element} in {key}: body {violations:?}"));
            }
        }
    }
    println!("h5sc-rss feed fields: {} values x 3 front-matter keys, {kept} URLs kept (all http/https), {} failures", values.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
