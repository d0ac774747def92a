//! Bad input, natively and through the `lectern` command: each case gives a
//! clear error or a bounded, safe result (the limits are in `src/limits.rs`
//! and the README's Limits table). No test here measures time; the bounds are
//! checked on the results (depth, attributes, sizes), and every case must
//! simply finish. The WASM build gets the same inputs in `tests/wasm.rs` and
//! `tests/e2e/bad-input.test.mjs`.

use ammonia::rcdom::{Handle, NodeData};
use lectern_core::limits::{MAX_ARTICLE_BYTES, MAX_ATTRIBUTES_PER_ELEMENT, MAX_HTML_DEPTH};
use lectern_ingest::sanitize::audit::{audit, Fragment};
use lectern_ingest::{parse_article, sanitize, sanitize_document, Article, ArticleError, ParseOptions};
use std::io::Write;
use std::process::{Command, Stdio};

fn parse(name: &str, bytes: &[u8]) -> Result<Article, ArticleError> {
    parse_article(name, bytes, &ParseOptions::default())
}

fn article(name: &str, bytes: &[u8]) -> Article {
    parse(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn has_warning(article: &Article, needle: &str) -> bool {
    article.warnings.iter().any(|w| w.contains(needle))
}

/// The deepest element nesting of an HTML fragment, as a parser builds it.
fn depth_of(html: &str) -> usize {
    let fragment = Fragment::parse(html);
    let mut deepest = 0;
    let mut stack: Vec<(Handle, usize)> = fragment.root().children.borrow().iter().map(|c| (c.clone(), 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        if let NodeData::Element { .. } = node.data {
            deepest = deepest.max(depth);
            stack.extend(node.children.borrow().iter().map(|c| (c.clone(), depth + 1)));
        }
    }
    deepest
}

#[test]
fn invalid_utf8_and_mixed_encodings_are_replaced_with_a_warning() {
    // UTF-8 front matter, a GBK body, a Latin-1 byte: as saved by a careless tool.
    let mut bytes = "---\ntitle: 标题\n---\n<p>".as_bytes().to_vec();
    bytes.extend([0xC4, 0xE3, 0xBA, 0xC3]); // 你好 in GBK
    bytes.extend(b" caf\xE9</p>");
    let a = article("mixed.md", &bytes);
    assert_eq!(a.title, "标题");
    assert!(a.text.contains('\u{FFFD}') && a.text.contains("caf"), "{}", a.text);
    assert!(has_warning(&a, "invalid UTF-8 from byte"), "{:?}", a.warnings);
    // Invalid UTF-8 inside the front matter too.
    let a = article("fm.md", b"---\ntitle: caf\xE9 \xFF\xFE\nauthor: x\n---\nbody");
    assert!(a.title.starts_with("caf\u{FFFD}"), "{}", a.title);
    assert_eq!(a.author.as_deref(), Some("x"));
}

#[test]
fn byte_order_marks_are_read() {
    let a = article("bom.md", "\u{feff}---\ntitle: with BOM\n---\nbody".as_bytes());
    assert_eq!(a.title, "with BOM");
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    let text = "---\ntitle: UTF-16 标题\n---\n<p>body</p>";
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let a = article("utf16.md", &utf16);
    assert_eq!(a.title, "UTF-16 标题");
    assert_eq!(a.text, "body");
    assert!(has_warning(&a, "UTF-16LE"), "{:?}", a.warnings);
}

#[test]
fn crlf_and_lone_cr_line_ends_are_read() {
    for text in ["---\r\ntitle: t\r\ndate: 2021-01-02\r\n---\r\n# Head\r\n\r\nbody\r\n", "---\rtitle: t\rdate: 2021-01-02\r---\r# Head\r\rbody\r"] {
        let a = article("crlf.md", text.as_bytes());
        assert_eq!(a.title, "t");
        assert_eq!(a.date.as_deref(), Some("2021-01-02T00:00:00Z"));
        assert_eq!(a.text, "Head\nbody");
        assert!(!a.html.contains('\r'));
    }
}

#[test]
fn empty_and_whitespace_only_files_are_errors_that_say_so() {
    for bytes in [&b""[..], b"   \n\t\r\n", "\u{feff}\n".as_bytes()] {
        let err = parse("empty.md", bytes).unwrap_err();
        assert_eq!(err.to_string(), "article 'empty.md': the file is empty");
    }
}

#[test]
fn binary_files_are_errors_that_say_so() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0";
    let controls: Vec<u8> = (0..4096u32).map(|i| (i % 31 + 1) as u8).collect();
    for (name, bytes) in [("image.png", &png[..]), ("archive.zip", &zip[..]), ("noise.md", &controls[..])] {
        let err = parse(name, bytes).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ArticleError::Binary { .. }), "{name}: {message}");
        assert!(message.starts_with(&format!("article '{name}': this looks like a binary file")), "{message}");
    }
}

#[test]
fn a_20_mb_article_is_refused_with_its_size_and_html_that_large_is_cut() {
    let big = format!("---\ntitle: big\n---\n{}", "<p>twenty megabytes of text</p>\n".repeat(20 * 1024 * 1024 / 32));
    let err = parse("big.md", big.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("article 'big.md': the file is {} bytes, over the limit of {MAX_ARTICLE_BYTES} bytes (8 MiB)", big.len())
    );
    let sanitized = sanitize_document(&big, None);
    // Cut at 8 MiB of input: about 8 MiB of output (the rest, 12 MiB, is gone).
    assert!(sanitized.html.len() < MAX_ARTICLE_BYTES + 1024, "{}", sanitized.html.len());
    assert!(sanitized.warnings.iter().any(|w| w.contains("over the limit") && w.contains("cut")), "{:?}", sanitized.warnings);
}

#[test]
fn a_hundred_thousand_nested_elements_give_bounded_output() {
    for element in ["div", "span", "b", "blockquote", "li", "table"] {
        let html = format!("{}deep text{}", format!("<{element}>").repeat(100_000), format!("</{element}>").repeat(100_000));
        let a = article("deep.html", html.as_bytes());
        assert!(a.text.contains("deep text"), "{element}: text kept");
        assert!(depth_of(&a.html) <= MAX_HTML_DEPTH, "{element}: depth {}", depth_of(&a.html));
        assert!(audit(&a.html).is_empty(), "{element}: {:?}", audit(&a.html));
        // List items close each other: 100,000 of them are flat, not deep.
        if element != "li" {
            assert!(has_warning(&a, "nested deeper") || has_warning(&a, "unwrapped"), "{element}: {:?}", a.warnings);
        }
    }
}

#[test]
fn an_element_with_a_hundred_thousand_attributes_keeps_the_first_ones() {
    let attributes: String = (0..100_000).map(|i| format!(" data-a{i}=\"{i}\"")).collect();
    let html = format!("<p title=\"first\"{attributes} lang=\"late\">text</p><img src=\"https://e.example/a.png\"{attributes}>");
    let a = article("attrs.html", html.as_bytes());
    assert_eq!(
        a.html,
        "<p title=\"first\">text</p><img src=\"https://e.example/a.png\" referrerpolicy=\"no-referrer\" loading=\"lazy\" decoding=\"async\">"
    );
    let dropped = 2 * (100_000 + 1) - 2 * (MAX_ATTRIBUTES_PER_ELEMENT - 1) - 1;
    assert!(has_warning(&a, &format!("html: {dropped} attribute(s) beyond {MAX_ATTRIBUTES_PER_ELEMENT}")), "{:?}", a.warnings);
}

#[test]
fn a_5_mb_single_line_is_read_whole() {
    let line = "word ".repeat(1024 * 1024);
    let a = article("line.md", format!("---\ntitle: one line\n---\n{line}").as_bytes());
    assert_eq!(a.words, 1024 * 1024);
    assert_eq!(a.text.len(), line.trim_end().len());
    let a = article("line.html", format!("<p>{}</p>", "字".repeat(2 * 1024 * 1024)).as_bytes());
    assert_eq!(a.words, 2 * 1024 * 1024);
}

#[test]
fn yaml_alias_bombs_are_stopped_with_a_warning() {
    let mut bomb = String::from("---\ntitle: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (previous, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(", ")));
    }
    bomb.push_str("---\nbody");
    let a = article("bomb.md", bomb.as_bytes());
    assert!(has_warning(&a, "alias bomb"), "{:?}", a.warnings);
    assert_eq!(a.title, "bomb");
    assert_eq!(a.text, "body");
    let expanded = serde_json::to_string(&a.extra).unwrap_or_default();
    assert!(expanded.len() < 10_000, "the aliases were not expanded: {} bytes", expanded.len());
}

#[test]
fn deeply_nested_front_matter_is_refused_with_a_warning() {
    let cases = [
        ("yaml-flow.md", format!("---\ntitle: t\ndeep: {}x{}\n---\nbody", "[".repeat(100_000), "]".repeat(100_000))),
        ("yaml-block.md", format!("---\ntitle: t\n{}\n---\nbody", (0..200).map(|i| format!("{}k{i}:", "  ".repeat(i))).collect::<Vec<_>>().join("\n"))),
        ("toml.md", format!("+++\ntitle = \"t\"\ndeep = {}1{}\n+++\nbody", "[".repeat(10_000), "]".repeat(10_000))),
        ("json.md", format!("{{\"title\": \"t\", \"deep\": {}1{}}}\nbody", "[".repeat(10_000), "]".repeat(10_000))),
    ];
    for (name, text) in cases {
        let a = article(name, text.as_bytes());
        // JSON deeper than serde_json's recursion limit is not front matter at
        // all: the file is read as a body that starts with '{' (no warning).
        if name != "json.md" {
            assert!(!a.warnings.is_empty(), "{name}: a warning says what happened");
        }
        assert!(a.extra.get("deep").is_none_or(|v| !v.is_array()), "{name}: the deep value was not kept as structure");
    }
}

#[test]
fn dates_out_of_range_are_unknown_with_a_warning() {
    for date in [
        "99999-99-99", "0000-00-00", "-2021-01-01", "2021-13-45", "9999999999999999999999", "-9223372036854775808",
        "1e300", "2262-04-12T23:47:16.854775808Z", "+275760-09-13", "Mon, 99 Foo 99999 99:99:99 GMT", "1970-01-01",
        "3000-01-01", "Invalid Date", "NaN", "''",
    ] {
        let a = article("d.md", format!("---\ntitle: t\ndate: {date}\n---\nbody").as_bytes());
        assert_eq!(a.date, None, "{date}");
        assert!(has_warning(&a, "date:"), "{date}: {:?}", a.warnings);
    }
}

#[test]
fn front_matter_without_a_closing_fence_is_read_as_body_with_a_warning() {
    let a = article("open.md", b"---\ntitle: never closed\nauthor: x\n\n# Real heading\n\ntext");
    assert!(has_warning(&a, "has no closing '---'"), "{:?}", a.warnings);
    assert_eq!(a.title, "Real heading");
    assert!(a.text.contains("title: never closed"));
    let a = article("open.md", b"+++\ntitle = \"x\"\n");
    assert!(has_warning(&a, "has no closing '+++'"), "{:?}", a.warnings);
}

#[test]
fn sanitize_bounds_every_shape_without_panicking() {
    let inputs = [
        "<".repeat(1_000_000),
        "<!--".repeat(100_000),
        "<a href='".repeat(100_000),
        "&#".repeat(500_000),
        "<table>".repeat(50_000),
        "<svg>".repeat(50_000),
        "<select><option>".repeat(50_000),
        format!("<p>{}", "<b x=1><i y=2>".repeat(5_000)) + &"<p>x".repeat(50_000),
    ];
    for input in &inputs {
        let out = sanitize(input);
        assert!(out.len() <= 16 * input.len() + 1024, "output {} bytes from {} bytes", out.len(), input.len());
        assert!(audit(&out).is_empty());
    }
}

fn lectern() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
}

#[test]
fn the_cli_reports_each_bad_file_on_its_line_and_reads_the_others() {
    let dir = std::env::temp_dir().join(format!("lectern-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let files: [(&str, Vec<u8>); 6] = [
        ("a-empty.md", Vec::new()),
        ("b-binary.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("c-big.md", vec![b'a'; MAX_ARTICLE_BYTES + 1]),
        ("d-invalid-utf8.md", b"---\ntitle: caf\xE9\n---\nok".to_vec()),
        ("e-open-fence.md", b"---\ntitle: x\nbody".to_vec()),
        ("f-deep.html", "<div>".repeat(100_000).into_bytes()),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let output = lectern().arg("parse").arg(&dir).output().unwrap_or_else(|e| panic!("running lectern: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    assert_eq!(lines.len(), files.len(), "{stdout}");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("3 file(s) could not be read"));
    let error = |i: usize| lines[i]["error"].as_str().unwrap_or_default().to_owned();
    assert!(error(0).ends_with("the file is empty"), "{}", error(0));
    assert!(error(1).contains("binary"), "{}", error(1));
    assert!(error(2).contains("over the limit"), "{}", error(2));
    assert_eq!(lines[3]["title"], "caf\u{FFFD}");
    assert!(lines[4]["warnings"][0].as_str().unwrap_or_default().contains("no closing"));
    assert!(lines[5]["warnings"].to_string().contains("nested deeper"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_sanitizer_replaces_invalid_utf8_with_a_warning_and_bounds_the_rest() {
    let run = |input: &[u8]| {
        let mut child = lectern().arg("sanitize").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{e}"));
        child.stdin.take().map(|mut stdin| stdin.write_all(input));
        child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
    };
    let output = run(b"<p>caf\xE9</p>");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "<p>caf\u{FFFD}</p>");
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid UTF-8 from byte 6"), "{}", String::from_utf8_lossy(&output.stderr));
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=x")).collect();
    let output = run(format!("<p{attributes}>x</p>").as_bytes());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "<p>x</p>");
}
