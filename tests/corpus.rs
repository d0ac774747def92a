//! Every real article of the shared corpus (`../shared`, or `$LECTERN_SHARED`)
//! through `lectern_ingest::parse_article`: metadata where the files hold it, and the
//! sanitiser's invariants and stability on every output.
//!
//! The corpus is read in place and parsed once per run (all tests share it).
//! Run with `cargo test --test corpus -- --nocapture` to see the counts.

mod common;

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use common::{
    attributes_of, check_output, diff_context, read_shared, restabilise, shared_dir, shorten, tag_of, Fragment,
};
use lectern_ingest::{parse_article, Article, ParseOptions};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What reading one file gave.
enum Outcome {
    Parsed(Box<Article>),
    Error(String),
    Panicked(String),
}

/// One file of a corpus.
struct Entry {
    /// Path relative to the shared folder: the name given to `parse_article`.
    name: String,
    path: PathBuf,
    outcome: Outcome,
}

impl Entry {
    fn article(&self) -> Option<&Article> {
        match &self.outcome {
            Outcome::Parsed(article) => Some(article),
            _ => None,
        }
    }
}

/// A named group of files.
struct Corpus {
    label: &'static str,
    entries: Vec<Entry>,
}

/// Which files of a folder belong to a corpus.
enum Select {
    /// Article files found by `lectern_ingest::collection::walk` with this extension.
    Extension(&'static str),
    /// Article files found by `walk` with exactly this file name.
    FileName(&'static str),
    /// Every file directly in the folder except licences (feeds are not article extensions).
    AllButLicences,
}

/// The corpora, in the order they are reported.
const CORPORA: &[(&str, &str, Select)] = &[
    ("seed", "seeds", Select::FileName("000_56ee838238a0b77d.txt")),
    ("rsshub", "corpus/rsshub", Select::Extension("md")),
    ("rust-blog", "corpus/rust-blog", Select::Extension("md")),
    ("i2p-blog/en", "corpus/i2p-blog/en", Select::Extension("md")),
    ("i2p-blog/ar", "corpus/i2p-blog/ar", Select::Extension("md")),
    ("kriheli-blog/he", "corpus/kriheli-blog/he", Select::Extension("md")),
    ("kriheli-blog/en", "corpus/kriheli-blog/en", Select::Extension("md")),
    ("readability/source", "corpus/readability-test-pages", Select::FileName("source.html")),
    ("readability/expected", "corpus/readability-test-pages", Select::FileName("expected.html")),
    ("feeds", "corpus/feeds", Select::AllButLicences),
];

/// The number of RSSHub posts `../shared/README.md` describes.
const RSSHUB_POSTS: usize = 259;

fn corpora() -> &'static [Corpus] {
    static CORPORA_READ: OnceLock<Vec<Corpus>> = OnceLock::new();
    CORPORA_READ.get_or_init(|| {
        let shared = shared_dir();
        CORPORA.iter().map(|(label, dir, select)| read_corpus(&shared, label, dir, select)).collect()
    })
}

fn read_corpus(shared: &Path, label: &'static str, dir: &str, select: &Select) -> Corpus {
    let root = shared.join(dir);
    assert!(root.is_dir(), "corpus '{label}': {} is not a folder", root.display());
    let mut paths: Vec<PathBuf> = match select {
        Select::AllButLicences => std::fs::read_dir(&root)
            .unwrap_or_else(|err| panic!("cannot list {}: {err}", root.display()))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && !file_name(p).starts_with("LICENSE"))
            .collect(),
        Select::Extension(_) | Select::FileName(_) => {
            let (files, errors) = lectern_ingest::collection::walk(&root);
            assert!(errors.is_empty(), "corpus '{label}': walking {} failed: {errors:?}", root.display());
            files
                .into_iter()
                .map(|f| f.full_path)
                .filter(|p| match select {
                    Select::Extension(ext) => p.extension().is_some_and(|e| e == *ext),
                    Select::FileName(name) => file_name(p) == *name,
                    Select::AllButLicences => unreachable!(),
                })
                .collect()
        }
    };
    paths.sort();
    assert!(!paths.is_empty(), "corpus '{label}': no files under {}", root.display());
    let entries = paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(shared).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let bytes = read_shared(&path);
            let outcome =
                match catch_unwind(AssertUnwindSafe(|| parse_article(&name, &bytes, &ParseOptions::default()))) {
                    Ok(Ok(article)) => Outcome::Parsed(Box::new(article)),
                    Ok(Err(err)) => Outcome::Error(err.to_string()),
                    Err(panic) => Outcome::Panicked(
                        panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                            .unwrap_or_else(|| "(no message)".to_owned()),
                    ),
                };
            Entry { name, path, outcome }
        })
        .collect();
    Corpus { label, entries }
}

fn corpus(label: &str) -> &'static Corpus {
    corpora().iter().find(|c| c.label == label).unwrap_or_else(|| panic!("no corpus '{label}'"))
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_text(path: &Path) -> String {
    String::from_utf8_lossy(&read_shared(path)).into_owned()
}

/// The lines of a file's `---` front matter, as written.
fn raw_front_matter(text: &str) -> Vec<&str> {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    if lines.next().map(str::trim_end) != Some("---") {
        return Vec::new();
    }
    lines.take_while(|l| l.trim_end() != "---").collect()
}

/// The raw value of a one-line `key: value` front-matter entry, unquoted.
fn raw_value(lines: &[&str], key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    let value = lines.iter().find_map(|l| l.strip_prefix(prefix.as_str()))?.trim();
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return Some(inner.replace("''", "'"));
    }
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return Some(inner.replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    Some(value.to_owned())
}

/// The `- item` lines under a `key:` line.
fn raw_list(lines: &[&str], key: &str) -> Vec<String> {
    let prefix = format!("{key}:");
    let Some(start) = lines.iter().position(|l| l.starts_with(prefix.as_str())) else { return Vec::new() };
    lines[start + 1..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("- ") || *l == "-")
        .map(|l| l.trim_start_matches('-').trim().to_owned())
        .collect()
}

/// True for `YYYY-MM-DDTHH:MM:SSZ` that chrono reads back as the same instant.
fn is_rfc3339_utc(date: &str) -> bool {
    let shape = date.len() == 20
        && date.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    shape && DateTime::parse_from_rfc3339(date).is_ok()
}

/// How a raw RSSHub `date:` value should be read, decided from the file alone.
#[derive(Debug)]
enum RawDate {
    /// A real date; the RFC 3339 UTC value it stands for.
    Real(String),
    /// A Unix time in seconds that the generator read as milliseconds (a date
    /// in January 1970): the date it stands for.
    Rescaled(String),
    /// Not a real date: `Invalid Date`, the epoch, or a year before 1980.
    Placeholder,
}

fn utc(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads the two shapes RSSHub writes (RFC 2822 with GMT, and a zone-less
/// `YYYY-MM-DD HH:MM:SS`, which Lectern documents as UTC).
fn classify_raw_date(raw: &str) -> Result<RawDate, String> {
    if raw == "Invalid Date" {
        return Ok(RawDate::Placeholder);
    }
    let instant = DateTime::parse_from_rfc2822(raw)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").map(|t| Utc.from_utc_datetime(&t)));
    let instant = match instant {
        Ok(instant) => instant,
        // chrono refuses some placeholder years (`0900`): read the year field alone.
        Err(err) => {
            let year = raw.split_whitespace().nth(3).and_then(|y| y.parse::<i32>().ok());
            return match year {
                Some(year) if year < 1980 => Ok(RawDate::Placeholder),
                _ => Err(format!("unrecognised raw date {raw:?} ({err})")),
            };
        }
    };
    if instant.year() >= 1980 {
        return Ok(RawDate::Real(utc(instant)));
    }
    let seconds = instant.timestamp();
    if instant.year() == 1970 && instant.month() == 1 && seconds > 86_400 {
        if let Some(real) = Utc.timestamp_opt(seconds * 1000, 0).single().filter(|r| (1980..=2200).contains(&r.year()))
        {
            return Ok(RawDate::Rescaled(utc(real)));
        }
    }
    Ok(RawDate::Placeholder)
}

fn fail_with(what: &str, failures: &[String]) {
    fail_showing(20, what, failures);
}

fn fail_showing(shown: usize, what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n  {}{}",
        failures.len(),
        failures.iter().take(shown).cloned().collect::<Vec<_>>().join("\n  "),
        if failures.len() > shown { format!("\n  … and {} more", failures.len() - shown) } else { String::new() }
    );
}

#[test]
fn every_corpus_file_parses_or_reports_an_error() {
    let mut table = format!(
        "\n{:<22} {:>6} {:>7} {:>7} {:>10} {:>10} {:>5}\n",
        "corpus", "files", "parsed", "errors", "with date", "with lang", "rtl"
    );
    let mut failures = Vec::new();
    let mut totals = [0usize; 6];
    for corpus in corpora() {
        let mut row = [corpus.entries.len(), 0, 0, 0, 0, 0];
        for entry in &corpus.entries {
            match &entry.outcome {
                Outcome::Parsed(article) => {
                    row[1] += 1;
                    row[3] += usize::from(article.date.is_some());
                    row[4] += usize::from(article.lang.is_some());
                    row[5] += usize::from(article.dir == "rtl");
                    if let Some(date) = article.date.as_deref().filter(|d| !is_rfc3339_utc(d)) {
                        failures
                            .push(format!("{}: date {date:?} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ)", entry.name));
                    }
                    if !matches!(article.dir.as_str(), "ltr" | "rtl") {
                        failures.push(format!("{}: dir {:?} is neither ltr nor rtl", entry.name, article.dir));
                    }
                }
                Outcome::Error(message) => {
                    row[2] += 1;
                    if message.trim().is_empty() {
                        failures.push(format!("{}: error with an empty message", entry.name));
                    }
                }
                Outcome::Panicked(message) => {
                    failures.push(format!("{}: parse_article panicked: {message}", entry.name))
                }
            }
        }
        for (total, n) in totals.iter_mut().zip(row) {
            *total += n;
        }
        table.push_str(&format!(
            "{:<22} {:>6} {:>7} {:>7} {:>10} {:>10} {:>5}\n",
            corpus.label, row[0], row[1], row[2], row[3], row[4], row[5]
        ));
    }
    table.push_str(&format!(
        "{:<22} {:>6} {:>7} {:>7} {:>10} {:>10} {:>5}",
        "total", totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]
    ));
    println!("{table}");
    for entry in corpora().iter().flat_map(|c| &c.entries) {
        if let Outcome::Error(message) = &entry.outcome {
            println!("  error: {message}");
        }
    }
    assert_eq!(corpus("rsshub").entries.len(), RSSHUB_POSTS, "corpus/rsshub should hold {RSSHUB_POSTS} posts");
    fail_with("files failed", &failures);
}

#[test]
fn every_rsshub_post_has_title_author_categories() {
    let mut failures = Vec::new();
    for entry in &corpus("rsshub").entries {
        let Some(article) = entry.article() else {
            let why = match &entry.outcome {
                Outcome::Error(m) | Outcome::Panicked(m) => m.as_str(),
                Outcome::Parsed(_) => "",
            };
            failures.push(format!("{}: did not parse: {why}", entry.name));
            continue;
        };
        if article.title.trim().is_empty() {
            failures.push(format!("{}: empty title", entry.name));
        }
        if ["&#123;", "&#125;", "&nbsp;"].iter().any(|e| article.title.contains(e)) {
            failures.push(format!("{}: title keeps an undecoded entity: {:?}", entry.name, article.title));
        }
        if article.author.as_deref().is_none_or(|a| a.trim().is_empty()) {
            failures.push(format!("{}: no author", entry.name));
        }
        if article.categories.is_empty() || article.categories.iter().any(|c| c.trim().is_empty()) {
            failures.push(format!("{}: categories {:?}", entry.name, article.categories));
        }
    }
    println!("rsshub: {} posts checked for title, author, categories", corpus("rsshub").entries.len());
    fail_with("RSSHub posts lack title, author or categories", &failures);
}

#[test]
fn rsshub_posts_have_a_date_wherever_the_file_holds_one() {
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &corpus("rsshub").entries {
        let text = read_text(&entry.path);
        let lines = raw_front_matter(&text);
        let Some(raw) = raw_value(&lines, "date") else {
            failures.push(format!("{}: no raw `date:` line in the front matter", entry.name));
            continue;
        };
        let Some(article) = entry.article() else {
            failures.push(format!("{}: did not parse", entry.name));
            continue;
        };
        let date = article.date.as_deref();
        let (kind, expected) = match classify_raw_date(&raw) {
            Err(why) => {
                failures.push(format!("{}: {why}", entry.name));
                continue;
            }
            Ok(RawDate::Real(expected)) => ("real", Some(expected)),
            Ok(RawDate::Rescaled(expected)) => ("rescaled", Some(expected)),
            Ok(RawDate::Placeholder) => ("placeholder", None),
        };
        *counts.entry(kind).or_default() += 1;
        match (expected, date) {
            (Some(_), None) => failures.push(format!("{}: raw date {raw:?} ({kind}) but no date", entry.name)),
            (Some(_), Some(d)) if !is_rfc3339_utc(d) => {
                failures.push(format!("{}: date {d:?} is not RFC 3339 UTC", entry.name))
            }
            (Some(expected), Some(d)) if d != expected => {
                failures.push(format!("{}: raw date {raw:?} ({kind}) should read as {expected}, got {d}", entry.name))
            }
            // No real date in the file: the article may have none, but never the placeholder.
            (None, Some(d)) if d.get(..4).and_then(|y| y.parse::<i32>().ok()).is_none_or(|y| y < 1980) => {
                failures.push(format!("{}: placeholder date {raw:?} became {d}", entry.name))
            }
            _ => {}
        }
    }
    println!(
        "rsshub dates: {} real, {} seconds-read-as-milliseconds (rescaled), {} placeholders",
        counts.get("real").unwrap_or(&0),
        counts.get("rescaled").unwrap_or(&0),
        counts.get("placeholder").unwrap_or(&0)
    );
    fail_with("RSSHub dates are wrong", &failures);
}

/// `path = "[section/]YYYY/MM/DD/slug"` from a rust-blog TOML front matter.
fn rust_blog_path_date(text: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    if lines.next()?.trim_end() != "+++" {
        return None;
    }
    let path = lines.take_while(|l| l.trim_end() != "+++").find_map(|l| l.strip_prefix("path = \""))?;
    let parts: Vec<&str> = path.trim_end_matches('"').split('/').collect();
    parts.windows(3).find_map(|w| {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        (digits(w[0], 4) && digits(w[1], 2) && digits(w[2], 2)).then(|| format!("{}-{}-{}T00:00:00Z", w[0], w[1], w[2]))
    })
}

#[test]
fn rust_blog_posts_get_the_date_of_their_path_and_a_title() {
    let mut failures = Vec::new();
    let mut posts = 0;
    let corpus = corpus("rust-blog");
    for entry in &corpus.entries {
        let text = read_text(&entry.path);
        let Some(expected) = rust_blog_path_date(&text) else { continue }; // section index pages
        posts += 1;
        let Some(article) = entry.article() else {
            failures.push(format!("{}: did not parse", entry.name));
            continue;
        };
        if article.date.as_deref() != Some(expected.as_str()) {
            failures.push(format!("{}: date {:?}, its path says {expected}", entry.name, article.date));
        }
        let toml_title = text
            .lines()
            .skip_while(|l| l.trim().is_empty())
            .skip(1)
            .take_while(|l| l.trim_end() != "+++")
            .find_map(|l| l.strip_prefix("title = "))
            .and_then(|v| toml::from_str::<toml::Value>(&format!("t = {v}")).ok())
            .and_then(|t| {
                t.get("t").and_then(|v| v.as_str()).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            });
        match toml_title {
            _ if article.title.trim().is_empty() => failures.push(format!("{}: empty title", entry.name)),
            Some(t) if !t.contains('&') && t != article.title => {
                failures.push(format!("{}: title {:?}, its front matter says {t:?}", entry.name, article.title))
            }
            _ => {}
        }
    }
    println!("rust-blog: {posts} dated posts of {} files checked for date and title", corpus.entries.len());
    assert!(posts > 0, "no rust-blog post has a dated `path` key");
    fail_with("rust-blog posts lack their date or title", &failures);
}

#[test]
fn kriheli_hebrew_posts_are_rtl() {
    let corpus = corpus("kriheli-blog/he");
    let failures: Vec<String> = corpus
        .entries
        .iter()
        .filter_map(|e| match e.article() {
            None => Some(format!("{}: did not parse", e.name)),
            Some(a) if a.dir != "rtl" => {
                let text = read_text(&e.path);
                let declared = raw_value(&raw_front_matter(&text), "lang");
                let hebrew = a.text.chars().filter(|c| ('\u{05D0}'..='\u{05EA}').contains(c)).count();
                let latin = a.text.chars().filter(char::is_ascii_alphabetic).count();
                Some(format!(
                    "{}: dir {:?}, lang {:?} (front matter lang: {declared:?}; \
                     text has {hebrew} Hebrew, {latin} Latin letters)",
                    e.name, a.dir, a.lang
                ))
            }
            Some(_) => None,
        })
        .collect();
    println!("kriheli-blog/he: {} of {} posts rtl", corpus.entries.len() - failures.len(), corpus.entries.len());
    fail_with("Hebrew posts are not rtl", &failures);
}

fn is_arabic_letter(c: char) -> bool {
    let arabic_block = matches!(c as u32,
        0x0620..=0x064A | 0x066E..=0x06D3 | 0x06FA..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF);
    arabic_block && c.is_alphabetic()
}

#[test]
fn arabic_i2p_posts_are_mostly_rtl() {
    let corpus = corpus("i2p-blog/ar");
    let mut mostly_arabic = 0;
    let mut rtl = 0;
    let mut ltr = Vec::new();
    for entry in &corpus.entries {
        let Some(article) = entry.article() else { continue };
        let text = format!("{}\n{}", article.title, article.text);
        let arabic = text.chars().filter(|&c| is_arabic_letter(c)).count();
        let latin = text.chars().filter(char::is_ascii_alphabetic).count();
        if arabic <= latin {
            continue;
        }
        mostly_arabic += 1;
        if article.dir == "rtl" {
            rtl += 1;
        } else {
            ltr.push(format!(
                "{} ({arabic} Arabic, {latin} Latin letters): dir {}, lang {:?}",
                entry.name, article.dir, article.lang
            ));
        }
    }
    println!(
        "i2p-blog/ar: {mostly_arabic} of {} posts mostly Arabic script, {rtl} of them rtl ({:.1} %)",
        corpus.entries.len(),
        100.0 * rtl as f64 / mostly_arabic.max(1) as f64
    );
    for line in ltr.iter().take(10) {
        println!("  not rtl: {line}");
    }
    assert!(mostly_arabic > 0, "no i2p-blog/ar post is mostly Arabic script");
    assert!(
        rtl * 100 >= mostly_arabic * 80,
        "only {rtl} of {mostly_arabic} mostly-Arabic posts are rtl (want ≥ 80 %); e.g.\n  {}",
        ltr.iter().take(10).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

#[test]
fn seed_article_matches_its_front_matter() {
    let entry = &corpus("seed").entries[0];
    let text = read_text(&entry.path);
    let lines = raw_front_matter(&text);
    let raw_title = raw_value(&lines, "title").expect("the seed has a one-line title");
    let raw_categories = raw_list(&lines, "categories");
    let article = match &entry.outcome {
        Outcome::Parsed(article) => article,
        Outcome::Error(m) | Outcome::Panicked(m) => panic!("{}: did not parse: {m}", entry.name),
    };
    assert_eq!(article.title, raw_title, "title differs from the raw front matter line");
    assert_eq!(article.date.as_deref(), Some("2022-01-10T10:10:07Z"));
    assert_eq!(raw_categories.len(), 3, "the seed lists three categories: {raw_categories:?}");
    assert_eq!(article.categories, raw_categories);
    assert_eq!(article.categories.join(" / "), raw_categories.join(" / "));
    let fragment = Fragment::parse(&article.html);
    let images: Vec<_> = fragment.elements().into_iter().filter(|n| tag_of(n) == "img").collect();
    assert!(!images.is_empty(), "the seed's images are gone from its html:\n{}", article.html);
    assert_eq!(
        images.len(),
        article.html.matches("<img").count(),
        "every `<img` of the html should be an image element"
    );
    for image in &images {
        let attrs = attributes_of(image);
        assert!(
            attrs.iter().any(|(n, v)| n == "referrerpolicy" && v == "no-referrer"),
            "image without referrerpolicy=\"no-referrer\": {attrs:?}"
        );
    }
    println!("seed: title, date, 3 categories, {} image(s) with referrerpolicy=no-referrer", images.len());
}

#[test]
fn sanitizer_output_is_stable_for_every_corpus_article() {
    let mut table = String::from("\nstability (sanitize(article.html) == article.html):\n");
    let mut unstable = Vec::new();
    for corpus in corpora() {
        let (mut checked, mut differ) = (0, 0);
        for entry in &corpus.entries {
            let Some(article) = entry.article() else { continue };
            checked += 1;
            if let Some(again) = restabilise(&article.html) {
                differ += 1;
                unstable.push(format!("{}: {}", entry.name, diff_context(&article.html, &again)));
            }
        }
        table.push_str(&format!("  {:<22} {checked:>5} articles, {differ} unstable\n", corpus.label));
    }
    println!("{table}");
    fail_showing(5, "articles change when sanitised again", &unstable);
}

#[test]
fn every_corpus_article_html_holds_the_sanitiser_invariants() {
    let mut table =
        String::from("\ninvariants on article html (no on*/style/class/id/name, no unsafe element, http(s) URLs):\n");
    let mut unsafe_findings = Vec::new();
    let mut policy_findings = Vec::new();
    for corpus in corpora() {
        let (mut checked, mut unsafe_outputs, mut outside_policy) = (0, 0, 0);
        for entry in &corpus.entries {
            let Some(article) = entry.article() else { continue };
            checked += 1;
            let findings = check_output(&article.html);
            if !findings.unsafe_.is_empty() {
                unsafe_outputs += 1;
                unsafe_findings.push(format!("{}: {}", entry.name, shorten(&findings.unsafe_.join("; "), 400)));
            }
            if !findings.outside_policy.is_empty() {
                outside_policy += 1;
                policy_findings.push(format!("{}: {}", entry.name, shorten(&findings.outside_policy.join("; "), 400)));
            }
            // Front-matter URLs follow the same policy as the body.
            for (what, url) in [("image", &article.image), ("link", &article.link)] {
                if let Some(url) = url.as_deref().filter(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
                    unsafe_findings.push(format!("{}: {what} {url:?} is not http(s)", entry.name));
                }
            }
        }
        table.push_str(&format!(
            "  {:<22} {checked:>5} articles, {unsafe_outputs} unsafe outputs, {outside_policy} outside the policy\n",
            corpus.label
        ));
    }
    println!("{table}");
    fail_with("articles have unsafe html", &unsafe_findings);
    fail_with("articles have markup outside the allow-list", &policy_findings);
}
