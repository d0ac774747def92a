//! `lectern extract FILE.html --url URL`, run as a user runs it.

use std::process::Command;

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

const PAGE: &str = r#"<html lang="en"><head><title>Night buses return after two years - City Daily</title></head><body>
<nav class="menu"><a href="/">Home</a></nav><article><h1>Night buses return after two years</h1>
<p>The city's night buses return on Monday after two years, with six routes that run every half hour from midnight
to five in the morning, the transport office said on Friday in a statement to the press and on its own site.</p>
<p>Tickets cost the same as in the day, and the routes reach the airport, the harbour and the university, which had
asked for a late service since the last one stopped, <a href="timetable.html">the timetable</a> says.</p>
<p>Drivers were hired over the winter, and the first buses leave the central station at midnight on Monday, the
office said, adding that the timetable will be on every stop by the end of the week for riders to check.</p>
</article></body></html>"#;

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-cli-extract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn extract_prints_the_article_as_json() {
    let file = temp_file("page.html", PAGE);
    let out = lectern().arg("extract").arg(&file).args(["--url", "https://news.example.com/night-buses"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let article: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(article["title"], "Night buses return after two years");
    assert_eq!(article["link"], "https://news.example.com/night-buses");
    assert_eq!(article["lang"], "en");
    assert!(article["html"].as_str().unwrap().contains("href=\"https://news.example.com/timetable.html\""));
    assert!(!article["text"].as_str().unwrap().contains("Home"));
}

#[test]
fn extract_reports_a_page_without_an_article() {
    let file = temp_file("links.html", "<html><body><nav><a href=/>Home</a> <a href=/b>Blog</a></nav></body></html>");
    let out = lectern().arg("extract").arg(&file).args(["--url", "https://e.com/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no article found on this page: "), "{stderr}");
}

#[test]
fn extract_needs_an_http_url() {
    let file = temp_file("page2.html", PAGE);
    let out = lectern().arg("extract").arg(&file).args(["--url", "page.html"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an absolute http(s) URL"));
    let missing = lectern().arg("extract").arg(&file).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--url"));
}
