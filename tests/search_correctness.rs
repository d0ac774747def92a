//! Search correctness over the shared corpora (`../shared`, read in place): the
//! RSSHub posts (mostly Chinese, some Japanese and Korean), the I2P blog (English
//! and Arabic) and the Kriheli blog (Hebrew and English).
//!
//! Queries are drawn deterministically (xorshift, fixed seed) from the articles
//! themselves: 2-4 letter spans of CJK text, Arabic, Hebrew and English words,
//! and English two-word phrases. For every query the engine's result set must
//! equal the set computed by brute force over the same fields (title, each
//! category, author, text), folded with the normalisation the engine documents
//! (`lectern_core::search::tokenize::normalize`):
//!
//! - a CJK span matches an article when the folded span is a substring of a folded field;
//! - a word matches an article that has that word (in exact mode), or a word that
//!   starts with it or, for 5+ letters a–z, is one edit away (in the default mode);
//! - a quoted two-word phrase matches when the two words follow each other in a field.

use lectern_core::library::Library;
use lectern_core::search::tokenize::{is_cjk_letter, is_word_char, normalize, MAX_WORD_CHARS};
use lectern_core::search::SearchOptions;
use lectern_ingest::Article;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let dir = std::env::var_os("LECTERN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus").is_dir(),
        "the shared test data is missing: expected {} (set LECTERN_SHARED to its folder)",
        dir.join("corpus").display()
    );
    dir
}

/// Corpus folders, each with a label.
const CORPORA: &[(&str, &str)] = &[
    ("rsshub", "corpus/rsshub"),
    ("i2p-en", "corpus/i2p-blog/en"),
    ("i2p-ar", "corpus/i2p-blog/ar"),
    ("kriheli-he", "corpus/kriheli-blog/he"),
    ("kriheli-en", "corpus/kriheli-blog/en"),
];

struct Corpus {
    articles: Vec<Article>,
    label: Vec<&'static str>,
}

fn load_corpus() -> Corpus {
    let root = shared();
    let mut files: Vec<(&'static str, String, PathBuf)> = Vec::new();
    for (label, dir) in CORPORA {
        let dir = root.join(dir);
        assert!(dir.is_dir(), "corpus folder missing: {}", dir.display());
        let (found, errors) = lectern_ingest::collection::walk(&dir);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!found.is_empty(), "no articles in {}", dir.display());
        for file in found {
            files.push((label, format!("{label}/{}", file.path), file.full_path));
        }
    }
    let parsed: Vec<(&'static str, Article)> = files
        .par_iter()
        .filter_map(|(label, name, path)| {
            let bytes = std::fs::read(path).ok()?;
            lectern_ingest::parse_article(name, &bytes, &Default::default()).ok().map(|a| (*label, a))
        })
        .collect();
    let (label, articles) = parsed.into_iter().unzip();
    Corpus { articles, label }
}

/// The folded searchable strings of an article: title, each category, author, text.
fn segments(article: &Article) -> Vec<String> {
    let mut out = vec![normalize(&article.title)];
    out.extend(article.categories.iter().map(|c| normalize(c)));
    out.extend(article.author.iter().map(|a| normalize(a)));
    out.push(normalize(&article.text));
    out
}

/// Words and CJK letters of a folded string, in order (words cut to MAX_WORD_CHARS).
fn units(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if is_word_char(c) && !is_cjk_letter(c) {
            if word.chars().count() < MAX_WORD_CHARS {
                word.push(c);
            }
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if is_cjk_letter(c) {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn is_word(unit: &str) -> bool {
    !unit.chars().next().is_some_and(is_cjk_letter)
}

/// Optimal string alignment distance ≤ 1, by dynamic programming.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()] <= 1
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Oracle {
    ids: Vec<String>,
    segments: Vec<Vec<String>>,
    /// Word → articles having it.
    words: HashMap<String, BTreeSet<usize>>,
    /// Every word, sorted (for prefixes).
    sorted: Vec<String>,
    /// Words of letters a–z by length (for typos).
    latin_by_len: HashMap<usize, Vec<String>>,
    /// CJK letter → articles whose folded fields contain it (to skip the others).
    letters: HashMap<char, Vec<usize>>,
}

impl Oracle {
    fn new(articles: &[Article]) -> Oracle {
        let segments: Vec<Vec<String>> = articles.par_iter().map(segments).collect();
        let mut words: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (i, segs) in segments.iter().enumerate() {
            for seg in segs {
                for unit in units(seg).into_iter().filter(|u| is_word(u)) {
                    words.entry(unit).or_default().insert(i);
                }
            }
        }
        let mut sorted: Vec<String> = words.keys().cloned().collect();
        sorted.sort();
        let mut latin_by_len: HashMap<usize, Vec<String>> = HashMap::new();
        for word in words.keys().filter(|w| w.bytes().all(|b| b.is_ascii_lowercase())) {
            latin_by_len.entry(word.len()).or_default().push(word.clone());
        }
        let mut letters: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, segs) in segments.iter().enumerate() {
            let mut seen: Vec<char> = segs.iter().flat_map(|s| s.chars()).filter(|&c| is_cjk_letter(c)).collect();
            seen.sort_unstable();
            seen.dedup();
            for c in seen {
                letters.entry(c).or_default().push(i);
            }
        }
        Oracle { ids: articles.iter().map(|a| a.id.clone()).collect(), segments, words, sorted, latin_by_len, letters }
    }

    fn ids(&self, set: impl IntoIterator<Item = usize>) -> BTreeSet<String> {
        set.into_iter().map(|i| self.ids[i].clone()).collect()
    }

    fn cjk(&self, span: &str) -> BTreeSet<String> {
        let folded = normalize(span);
        let Some(first) = folded.chars().next() else { return BTreeSet::new() };
        let candidates = self.letters.get(&first).map(Vec::as_slice).unwrap_or(&[]);
        self.ids(candidates.iter().copied().filter(|&i| self.segments[i].iter().any(|s| s.contains(folded.as_str()))))
    }

    fn word(&self, word: &str, prefix: bool, typos: bool) -> BTreeSet<String> {
        let eligible = typos && word.chars().count() >= 5 && word.bytes().all(|b| b.is_ascii_lowercase());
        let mut matching: Vec<&str> = Vec::new();
        if self.words.contains_key(word) {
            matching.push(word);
        }
        if prefix {
            let start = self.sorted.partition_point(|w| w.as_str() < word);
            matching.extend(self.sorted[start..].iter().take_while(|w| w.starts_with(word)).map(String::as_str));
        }
        if eligible {
            for len in word.len() - 1..=word.len() + 1 {
                let same_length = self.latin_by_len.get(&len).into_iter().flatten();
                matching.extend(same_length.filter(|w| one_edit(word, w)).map(String::as_str));
            }
        }
        let found: BTreeSet<usize> = matching.iter().flat_map(|w| self.words[*w].iter().copied()).collect();
        self.ids(found)
    }

    fn phrase(&self, first: &str, second: &str) -> BTreeSet<String> {
        let (Some(a), Some(b)) = (self.words.get(first), self.words.get(second)) else { return BTreeSet::new() };
        let hits = a.intersection(b).copied().filter(|&i| self.segments[i].iter().any(|s| phrase_in(s, first, second)));
        self.ids(hits)
    }
}

struct Elapsed(std::time::Instant);

impl Drop for Elapsed {
    fn drop(&mut self) {
        let spent = self.0.elapsed();
        ENGINE.with(|e| e.set(e.get() + spent));
    }
}

/// True when the word `second` follows the word `first` in `folded`, with only
/// separators (neither word characters nor CJK letters) between them.
fn phrase_in(folded: &str, first: &str, second: &str) -> bool {
    let is_word = |c: char| is_word_char(c) && !is_cjk_letter(c);
    let is_separator = |c: char| !is_word_char(c) && !is_cjk_letter(c);
    folded.match_indices(first).any(|(at, _)| {
        let starts_word = folded[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let rest = &folded[at + first.len()..];
        let after = rest.trim_start_matches(is_separator);
        starts_word
            && after.len() < rest.len()
            && after.starts_with(second)
            && after[second.len()..].chars().next().is_none_or(|c| !is_word(c))
    })
}

struct Tally {
    kind: &'static str,
    queries: usize,
    expected: usize,
    returned: usize,
}

thread_local! {
    static ENGINE: std::cell::Cell<std::time::Duration> = const { std::cell::Cell::new(std::time::Duration::ZERO) };
}

fn run(library: &Library, query: &str, options: &SearchOptions) -> BTreeSet<String> {
    let started = std::time::Instant::now();
    let _guard = Elapsed(started);
    let options = SearchOptions { limit: usize::MAX, snippet_chars: 0, ..options.clone() };
    let results = library.search(query, &options).unwrap_or_else(|e| panic!("query {query:?}: {e}"));
    assert_eq!(results.total, results.hits.len(), "query {query:?}: total and hits differ");
    results.hits.into_iter().map(|h| h.id).collect()
}

fn check(tally: &mut Tally, query: &str, expected: BTreeSet<String>, got: BTreeSet<String>, failures: &mut Vec<String>) {
    tally.queries += 1;
    tally.expected += expected.len();
    tally.returned += got.len();
    if expected != got {
        let missing: Vec<_> = expected.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(&expected).take(5).collect();
        failures.push(format!(
            "{} query {query:?}: expected {} articles, got {}; missing {missing:?}, extra {extra:?}",
            tally.kind,
            expected.len(),
            got.len()
        ));
    }
}

/// Picks random words of `label`'s articles that satisfy `keep`.
fn pick_words(corpus: &Corpus, oracle: &Oracle, label: &str, rng: &mut XorShift, count: usize, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let pool: Vec<usize> = (0..corpus.articles.len()).filter(|&i| corpus.label[i] == label).collect();
    assert!(!pool.is_empty(), "no articles labelled {label}");
    let mut out = Vec::new();
    let mut attempts = 0;
    while out.len() < count && attempts < count * 50 {
        attempts += 1;
        let article = pool[rng.below(pool.len())];
        let text = oracle.segments[article].last().map(String::as_str).unwrap_or("");
        let words: Vec<String> = units(text).into_iter().filter(|u| is_word(u) && keep(u)).collect();
        if let Some(word) = words.get(rng.below(words.len())) {
            if !out.contains(word) {
                out.push(word.clone());
            }
        }
    }
    out
}

#[test]
fn results_equal_brute_force_over_the_shared_corpora() {
    let started = std::time::Instant::now();
    let corpus = load_corpus();
    let mut library = Library::new();
    library.add_articles(corpus.articles.clone());
    let oracle = Oracle::new(&corpus.articles);
    println!(
        "search correctness: {} articles indexed ({} in the index, {} terms, index {} KiB) in {:.1?}",
        corpus.articles.len(),
        library.len(),
        library.index().term_count(),
        library.index().postings_heap_bytes() / 1024,
        started.elapsed()
    );
    for (label, _) in CORPORA {
        println!("  {label}: {} articles", corpus.label.iter().filter(|l| *l == label).count());
    }
    let exact = SearchOptions { prefix: false, typos: false, ..SearchOptions::default() };
    let default = SearchOptions::default();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let mut tallies = Vec::new();

    // CJK spans of 2-4 letters from the RSSHub posts (titles and text).
    let mut tally = Tally { kind: "CJK span", queries: 0, expected: 0, returned: 0 };
    let rss: Vec<usize> = (0..corpus.articles.len()).filter(|&i| corpus.label[i] == "rsshub").collect();
    let mut spans: Vec<String> = Vec::new();
    let mut attempts = 0;
    while spans.len() < 400 && attempts < 100_000 {
        attempts += 1;
        let article = &corpus.articles[rss[rng.below(rss.len())]];
        let source = if rng.below(5) == 0 { &article.title } else { &article.text };
        let chars: Vec<char> = source.chars().collect();
        if chars.len() < 2 {
            continue;
        }
        let start = rng.below(chars.len());
        let len = 2 + rng.below(3);
        let Some(span) = chars.get(start..start + len) else { continue };
        if span.iter().all(|&c| is_cjk_letter(c)) {
            let span: String = span.iter().collect();
            if !spans.contains(&span) {
                spans.push(span);
            }
        }
    }
    assert!(spans.len() >= 300, "only {} CJK spans found", spans.len());
    for span in &spans {
        let expected = oracle.cjk(span);
        assert!(!expected.is_empty(), "span {span:?} is taken from an article, so at least one contains it");
        check(&mut tally, span, expected, run(&library, span, &default), &mut failures);
    }
    tallies.push(tally);

    // Words: Arabic, Hebrew, English; exact mode, then the default (prefix and typos).
    let arabic = pick_words(&corpus, &oracle, "i2p-ar", &mut rng, 120, |w| w.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) && w.chars().count() >= 2);
    let hebrew = pick_words(&corpus, &oracle, "kriheli-he", &mut rng, 120, |w| w.chars().all(|c| ('\u{05D0}'..='\u{05EA}').contains(&c)) && w.chars().count() >= 2);
    let mut english = pick_words(&corpus, &oracle, "i2p-en", &mut rng, 90, |w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()));
    english.extend(pick_words(&corpus, &oracle, "kriheli-en", &mut rng, 60, |w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase())));
    for (kind, words) in [("Arabic word", &arabic), ("Hebrew word", &hebrew), ("English word", &english)] {
        assert!(words.len() >= 50, "only {} {kind}s drawn", words.len());
        let mut tally = Tally { kind, queries: 0, expected: 0, returned: 0 };
        for word in words {
            check(&mut tally, word, oracle.word(word, false, false), run(&library, word, &exact), &mut failures);
        }
        tallies.push(tally);
        let kind: &'static str = match kind {
            "Arabic word" => "Arabic word, prefix",
            "Hebrew word" => "Hebrew word, prefix",
            _ => "English word, prefix+typo",
        };
        let mut tally = Tally { kind, queries: 0, expected: 0, returned: 0 };
        for word in words {
            check(&mut tally, word, oracle.word(word, true, true), run(&library, word, &default), &mut failures);
        }
        tallies.push(tally);
    }


    // English two-word phrases, quoted; and the same two words unquoted (both must match).
    let mut phrase_tally = Tally { kind: "English phrase", queries: 0, expected: 0, returned: 0 };
    let mut pair_tally = Tally { kind: "English word pair", queries: 0, expected: 0, returned: 0 };
    let english_articles: Vec<usize> = (0..corpus.articles.len()).filter(|&i| corpus.label[i].ends_with("-en")).collect();
    let mut phrases = 0;
    while phrases < 80 {
        let article = english_articles[rng.below(english_articles.len())];
        let text = oracle.segments[article].last().cloned().unwrap_or_default();
        let words = units(&text);
        if words.len() < 2 {
            continue;
        }
        let at = rng.below(words.len() - 1);
        let (first, second) = (&words[at], &words[at + 1]);
        let short = |w: &str| w.chars().count() < MAX_WORD_CHARS;
        if !is_word(first) || !is_word(second) || first == second || !short(first) || !short(second) {
            continue;
        }
        phrases += 1;
        let quoted = format!("\"{first} {second}\"");
        check(&mut phrase_tally, &quoted, oracle.phrase(first, second), run(&library, &quoted, &default), &mut failures);
        let pair = format!("{first} {second} ");
        let both: BTreeSet<String> = oracle.word(first, false, false).intersection(&oracle.word(second, false, false)).cloned().collect();
        check(&mut pair_tally, &pair, both, run(&library, &pair, &exact), &mut failures);
    }
    tallies.push(phrase_tally);
    tallies.push(pair_tally);

    for t in &tallies {
        let recall_precision = if t.expected == t.returned && failures.iter().all(|f| !f.starts_with(t.kind)) { "1.0" } else { "<1.0" };
        println!(
            "  {:<28} {:>4} queries, {:>6} expected hits, {:>6} returned, recall and precision {recall_precision}",
            t.kind, t.queries, t.expected, t.returned
        );
    }
    println!("search correctness: {} queries, {} mismatches, in {:.1?}", tallies.iter().map(|t| t.queries).sum::<usize>(), failures.len(), started.elapsed());
    println!("  (time spent searching: {:.1?})", ENGINE.with(|e| e.get()));
    assert!(failures.is_empty(), "{} of the queries differ from brute force:\n{}", failures.len(), failures.join("\n"));
}
