//! Reading and running arbitrary search queries over an index of the
//! project's sample articles. Invariants: no panic; parsing is deterministic;
//! terms are non-empty, unique, and phrases bounded; a search with default
//! options succeeds; hits are at most the limit and the total, name indexed
//! documents, and carry snippet ranges that are in order, non-overlapping and
//! inside the snippet text. The first byte turns prefix and typo matching on
//! or off.
#![no_main]

use lectern_core::search::query::{parse, QueryTerm, MAX_PHRASE_UNITS};
use lectern_core::search::{Document, SearchIndex, SearchOptions};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples");
        let (files, _) = lectern_ingest::collection::walk(&samples);
        assert!(!files.is_empty(), "no sample articles in {}", samples.display());
        let mut index = SearchIndex::new();
        for file in files {
            let bytes = std::fs::read(&file.full_path).unwrap_or_default();
            if let Ok(article) = lectern_ingest::parse_article(&file.path, &bytes, &Default::default()) {
                index.add(Document::from_article(&article));
            }
        }
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let (flags, text) = data.split_first().map_or((0, &data[..0]), |(f, rest)| (*f, rest));
    let query = String::from_utf8_lossy(text);
    let (prefix, typos) = (flags & 1 == 1, flags & 2 == 2);

    let parsed = parse(&query, prefix, typos);
    assert_eq!(parsed, parse(&query, prefix, typos), "parsing is not deterministic");
    for (i, term) in parsed.terms.iter().enumerate() {
        assert!(!parsed.terms[..i].contains(term), "duplicate term {term:?}");
        match term {
            QueryTerm::Word { text, .. } | QueryTerm::Cjk { text } => assert!(!text.is_empty(), "empty term"),
            QueryTerm::Phrase { units } => {
                assert!(!units.is_empty() && units.len() <= MAX_PHRASE_UNITS, "phrase of {} units", units.len());
                assert!(units.iter().all(|u| !u.text.is_empty()), "empty phrase unit");
            }
        }
    }

    let index = index();
    let options = SearchOptions { prefix, typos, ..SearchOptions::default() };
    let results = index.search(&query, &options).unwrap_or_else(|e| panic!("search failed: {e}"));
    assert!(results.hits.len() <= options.limit && results.hits.len() <= results.total);
    for hit in &results.hits {
        assert!(index.contains(&hit.id), "hit {} is not in the index", hit.id);
        let chars = hit.snippet.text.chars().count() as u32;
        let mut previous_end = 0;
        for [start, end] in &hit.snippet.ranges {
            assert!(previous_end <= *start && start < end && *end <= chars, "bad snippet ranges {:?} in {chars} chars", hit.snippet.ranges);
            previous_end = *end;
        }
    }
});
