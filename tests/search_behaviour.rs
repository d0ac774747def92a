//! Search behaviour on small hand-made collections and on the shared RSSHub
//! posts: typo ranking, prefixes, phrases, filters, facets, incremental updates,
//! saving and loading.

use lectern_core::library::Library;
use lectern_ingest::files::{add_files, InputFile};
use lectern_core::search::persist::{self, PersistError, FORMAT_VERSION};
use lectern_core::search::{Document, Filters, SearchIndex, SearchOptions};
use std::path::{Path, PathBuf};

fn doc(id: &str, title: &str, text: &str) -> Document {
    Document { id: id.into(), name: format!("{id}.md"), title: title.into(), text: text.into(), ..Document::default() }
}

fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
    index.search(query, &SearchOptions::default()).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn typo_matches_rank_below_exact_ones_however_often_they_occur() {
    let mut index = SearchIndex::new();
    index.add(doc("typo", "Sourdoug sourdoug", &"sourdoug ".repeat(30)));
    index.add(doc("exact", "Bread", "a sourdough starter, once"));
    index.add(doc("none", "Bread", "yeast"));
    assert_eq!(ids(&index, "sourdough "), ["exact", "typo"]);
    let options = SearchOptions { typos: false, ..SearchOptions::default() };
    assert_eq!(index.search("sourdough ", &options).unwrap().total, 1);
    assert_eq!(ids(&index, "soudrough "), ["exact"], "a swap of two letters is one edit");
    assert!(ids(&index, "bred ").is_empty(), "words under five letters need an exact match");
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    let mut index = SearchIndex::new();
    index.add(doc("a", "Sourdough starter", "flour water"));
    index.add(doc("b", "Sour cherries", "jam"));
    assert_eq!(ids(&index, "sour"), ["b", "a"], "the exact word ranks above the longer one");
    assert_eq!(ids(&index, "sour "), ["b"], "a space after the word ends it");
    assert_eq!(ids(&index, "sourd starter"), Vec::<String>::new(), "only the last word is a prefix");
    assert_eq!(ids(&index, "starter sourd"), ["a"]);
}

#[test]
fn quoted_phrases_need_their_words_in_order() {
    let mut index = SearchIndex::new();
    index.add(doc("in-order", "Routes", "the night bus leaves at one"));
    index.add(doc("punctuated", "Routes", "night, bus and tram"));
    index.add(doc("reversed", "Routes", "bus night"));
    index.add(doc("cjk", "夜班", "新的夜班巴士线路"));
    let mut found = ids(&index, "\"night bus\"");
    found.sort();
    assert_eq!(found, ["in-order", "punctuated"]);
    assert_eq!(ids(&index, "\"夜班 巴士\""), ["cjk"]);
    assert_eq!(ids(&index, "\"班巴士线\""), ["cjk"]);
    assert!(ids(&index, "\"巴士夜班\"").is_empty());
}

#[test]
fn cjk_queries_match_substrings_only() {
    let mut index = SearchIndex::new();
    index.add(doc("a", "标题", "北京大学的学生"));
    index.add(doc("b", "标题", "北京的大学生"));
    index.add(doc("c", "标题", "大学，北京"));
    assert_eq!(ids(&index, "北京大学"), ["a"], "b holds every bigram but not the string");
    let mut both = ids(&index, "大学生");
    both.sort();
    assert_eq!(both, ["b"]);
    let mut single = ids(&index, "京");
    single.sort();
    assert_eq!(single, ["a", "b", "c"]);
    assert!(ids(&index, "京大").contains(&"a".to_owned()));
    let mut split = ids(&index, "学生，北京");
    split.sort();
    assert_eq!(split, ["a", "b"], "punctuation splits a query into two runs that must both match");
}

fn library() -> Library {
    let mut library = Library::new();
    let post = |name: &str, title: &str, cats: &str, author: &str, date: &str, body: &str| InputFile {
        name: name.into(),
        text: format!("---\ntitle: {title}\ncategories: [{cats}]\nauthor: {author}\ndate: {date}\n---\n\n{body}"),
        base: None,
    };
    let report = add_files(&mut library, vec![
        post("a.md", "Night buses", "News, City", "Ann", "2022-03-01T08:00:00Z", "New night bus routes."),
        post("b.md", "Bus fares", "News", "Bob", "2021-06-15", "Bus fares rise."),
        post("c.md", "Sourdough", "Food", "Ann", "2020-01-01", "A bus trip to the bakery."),
        post("d.md", "Undated", "Food", "Cy", "Invalid Date", "No bus here... well, one bus."),
    ]);
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    library
}

fn titles(library: &Library, query: &str, filters: Filters) -> Vec<String> {
    let options = SearchOptions { filters, ..SearchOptions::default() };
    let results = library.search(query, &options).unwrap();
    results.hits.iter().map(|h| library.summary(&h.id).unwrap().title.to_owned()).collect()
}

#[test]
fn filters_restrict_by_category_source_author_and_date() {
    let library = library();
    let by = |categories: &[&str], authors: &[&str]| Filters {
        categories: categories.iter().map(|s| s.to_string()).collect(),
        authors: authors.iter().map(|s| s.to_string()).collect(),
        ..Filters::default()
    };
    assert_eq!(titles(&library, "bus ", by(&["City"], &[])), ["Night buses"]);
    let mut food = titles(&library, "bus ", by(&["Food"], &[]));
    food.sort();
    assert_eq!(food, ["Sourdough", "Undated"]);
    assert_eq!(titles(&library, "bus ", by(&["News"], &["Ann"])), ["Night buses"]);
    let sources = Filters { sources: vec!["Bob".into()], ..Filters::default() };
    assert_eq!(titles(&library, "", sources), ["Bus fares"]);
    let range = Filters { from: Some("2021-01-01".into()), to: Some("2021-06-15".into()), ..Filters::default() };
    assert_eq!(titles(&library, "", range), ["Bus fares"], "a plain `to` day is inclusive; undated articles are left out");
    let unknown = Filters { categories: vec!["Nope".into()], ..Filters::default() };
    assert!(titles(&library, "", unknown).is_empty());
}

#[test]
fn bad_date_filters_are_clear_errors() {
    let library = library();
    let options = SearchOptions { filters: Filters { from: Some("last week".into()), ..Filters::default() }, ..SearchOptions::default() };
    let err = library.search("bus", &options).unwrap_err().to_string();
    assert!(err.contains("filters.from") && err.contains("last week") && err.contains("YYYY-MM-DD"), "{err}");
    let options = SearchOptions {
        filters: Filters { from: Some("2022-01-01".into()), to: Some("2021-01-01".into()), ..Filters::default() },
        ..SearchOptions::default()
    };
    assert!(library.search("", &options).unwrap_err().to_string().contains("after"));
}

#[test]
fn empty_query_lists_newest_first_with_facets() {
    let library = library();
    let results = library.search("", &SearchOptions::default()).unwrap();
    assert_eq!(results.total, 4);
    let listed: Vec<String> = results.hits.iter().map(|h| library.summary(&h.id).unwrap().title.to_owned()).collect();
    assert_eq!(listed, ["Night buses", "Bus fares", "Sourdough", "Undated"]);
    let facets = &results.facets;
    let pairs = |list: &[lectern_core::search::FacetCount<String>]| list.iter().map(|f| (f.value.clone(), f.count)).collect::<Vec<_>>();
    assert_eq!(pairs(&facets.categories), [("Food".into(), 2), ("News".into(), 2), ("City".into(), 1)]);
    assert_eq!(pairs(&facets.sources), [("Ann".into(), 2), ("Bob".into(), 1), ("Cy".into(), 1)]);
    let years: Vec<(i32, u32)> = facets.years.iter().map(|f| (f.value, f.count)).collect();
    assert_eq!(years, [(2022, 1), (2021, 1), (2020, 1)]);
}

#[test]
fn facets_count_the_matching_set() {
    let library = library();
    let results = library.search("fares", &SearchOptions::default()).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.facets.categories.len(), 1);
    assert_eq!(results.facets.categories[0].value, "News");
    let food = library.facets(&Filters { categories: vec!["Food".into()], ..Filters::default() }).unwrap();
    assert_eq!(food.sources.iter().map(|f| f.value.as_str()).collect::<Vec<_>>(), ["Ann", "Cy"]);
}

#[test]
fn a_facet_limit_of_zero_counts_no_facets_and_changes_no_hits() {
    let library = library();
    let with = library.search("bus", &SearchOptions::default()).unwrap();
    let without = library.search("bus", &SearchOptions { facet_limit: 0, ..SearchOptions::default() }).unwrap();
    assert!(!with.facets.categories.is_empty());
    assert!(without.facets.categories.is_empty() && without.facets.sources.is_empty() && without.facets.years.is_empty());
    assert_eq!(without.total, with.total);
    assert_eq!(without.hits, with.hits);
}

#[test]
fn paging_returns_consecutive_slices_of_one_order() {
    let library = library();
    let all = library.search("bus", &SearchOptions::default()).unwrap();
    let first = library.search("bus", &SearchOptions { limit: 2, ..SearchOptions::default() }).unwrap();
    let second = library.search("bus", &SearchOptions { limit: 2, offset: 2, ..SearchOptions::default() }).unwrap();
    assert_eq!(first.total, all.total);
    let paged: Vec<_> = first.hits.iter().chain(&second.hits).map(|h| h.id.clone()).collect();
    assert_eq!(paged, all.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>());
}

fn shared_rsshub() -> PathBuf {
    let dir = std::env::var_os("LECTERN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("corpus/rsshub");
    assert!(dir.is_dir(), "the shared test data is missing: expected {} (set LECTERN_SHARED)", dir.display());
    dir
}

fn rsshub_files() -> Vec<InputFile> {
    let dir = shared_rsshub();
    let (files, _) = lectern_ingest::collection::walk(&dir);
    files
        .into_iter()
        .map(|f| InputFile { name: f.path.clone(), text: std::fs::read_to_string(&f.full_path).unwrap_or_default(), base: None })
        .collect()
}

const QUERIES: &[&str] = &["", "的", "发布", "新冠疫苗", "苹果公司", "游戏", "iphone", "app", "\"the new\"", "2022", "ゲーム", "비디오", "bilibili", "steam"];

#[test]
fn incremental_updates_answer_exactly_like_a_fresh_build() {
    let files = rsshub_files();
    assert!(files.len() > 200, "{} files", files.len());
    // Incremental: add everything, replace a third with other files' contents, remove a third.
    let mut incremental = Library::new();
    add_files(&mut incremental, files.clone());
    let mut expected: Vec<InputFile> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match i % 3 {
            0 => expected.push(file.clone()),
            1 => {
                let replaced = InputFile { name: file.name.clone(), text: files[(i * 7) % files.len()].text.clone(), base: None };
                add_files(&mut incremental, vec![replaced.clone()]);
                expected.push(replaced);
            }
            _ => {
                let id = lectern_ingest::article::article_id(&file.name);
                assert!(incremental.remove(&id));
            }
        }
    }
    let mut fresh = Library::new();
    add_files(&mut fresh, expected);
    assert_eq!(incremental.len(), fresh.len());
    let mut compared = 0;
    for query in QUERIES {
        for filters in [Filters::default(), Filters { from: Some("2021-01-01".into()), ..Filters::default() }] {
            let options = SearchOptions { limit: 1000, filters, ..SearchOptions::default() };
            let a = incremental.search(query, &options).unwrap();
            let b = fresh.search(query, &options).unwrap();
            assert_eq!(a, b, "query {query:?}");
            compared += a.hits.len();
        }
    }
    println!("incremental = fresh: {} queries, {compared} hits compared", QUERIES.len() * 2);
    assert!(compared > 500);
}

#[test]
fn a_saved_library_answers_like_the_original() {
    let mut library = Library::new();
    add_files(&mut library, rsshub_files());
    let bytes = library.save();
    let loaded = Library::load(&bytes).unwrap();
    assert_eq!(loaded.len(), library.len());
    for query in QUERIES {
        let options = SearchOptions { limit: 50, ..SearchOptions::default() };
        assert_eq!(loaded.search(query, &options).unwrap(), library.search(query, &options).unwrap(), "query {query:?}");
    }
    for summary in library.summaries().iter().take(20) {
        assert_eq!(loaded.article(&summary.id), library.article(&summary.id));
    }
    println!("saved library: {} articles in {} bytes", library.len(), bytes.len());
}

#[test]
fn a_version_mismatch_is_reported_clearly() {
    let mut library = Library::new();
    add_files(&mut library, vec![InputFile { name: "a.md".into(), text: "hello".into(), base: None }]);
    let mut bytes = library.save();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = Library::load(&bytes).unwrap_err();
    assert_eq!(err.to_string(), PersistError::Version { found: FORMAT_VERSION + 1, expected: FORMAT_VERSION }.to_string());
    assert!(err.to_string().contains("rebuild"));
    assert!(matches!(persist::load(b"not an index"), Err(PersistError::NotAnIndex)));
}
