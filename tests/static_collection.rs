//! Static collections (`lectern index`) against the in-memory library, over
//! the shared corpora (`../shared`, read in place):
//!
//! - every query (CJK spans of 1-5 letters, words, prefixes, typos, phrases,
//!   chunks mixing CJK and words), with and without filters and sorts, gives
//!   the same total, hits (ids, scores, snippets) and facets on the built
//!   collection as on a `Library` holding every article;
//! - a build over a changed folder equals a fresh build, byte for byte, and
//!   parses only the changed files;
//! - a file that cannot be read is reported and skipped, the exit status says
//!   so, and the collection works;
//! - a file of another format version is refused with a message saying so.

use lectern_core::library::Library;
use lectern_ingest::files::{add_files, InputFile};
use lectern_core::search::tokenize::{is_cjk_letter, is_dropped, fold_char};
use lectern_core::search::{Filters, SearchOptions, SearchResults, Sort};
use lectern_ingest::build::{build, read_collection_file, BuildOptions, Silent};
use lectern_core::static_collection::format::FORMAT_VERSION;
use lectern_core::static_collection::{StaticCollection, StaticResults, Step};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let dir = std::env::var_os("LECTERN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(dir.join("corpus").is_dir(), "the shared test data is missing: expected {} (set LECTERN_SHARED)", dir.join("corpus").display());
    dir
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-static-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the article files of `from` into `to` (flat), at most `limit`.
fn copy_articles(from: &Path, to: &Path, limit: usize) -> usize {
    let (files, _) = lectern_ingest::collection::walk(from);
    for file in files.iter().take(limit) {
        let target = to.join(file.path.replace('/', "_"));
        std::fs::copy(&file.full_path, target).unwrap();
    }
    files.len().min(limit)
}

/// A search on a built collection together with the reader's own articles (`added`).
fn search_with_added(collection: &mut StaticCollection, dir: &Path, added: &Library, query: &str, options: &SearchOptions) -> StaticResults {
    for _ in 0..12 {
        match collection.search_with(query, options, Some(added)).unwrap() {
            Step::Done(results) => return results,
            Step::Need(paths) => {
                for path in paths {
                    collection.feed(&path, &read_collection_file(dir, &path).unwrap()).unwrap();
                }
            }
        }
    }
    panic!("'{query}' needed too many rounds");
}

/// Runs a search on a built collection, reading what it asks for from disk.
fn search_static(collection: &mut StaticCollection, dir: &Path, query: &str, options: &SearchOptions) -> StaticResults {
    search_static_fetching(collection, dir, query, options).0
}

/// A search on a static collection, and the paths of the files it was fed.
fn search_static_fetching(collection: &mut StaticCollection, dir: &Path, query: &str, options: &SearchOptions) -> (StaticResults, Vec<String>) {
    let mut fed = Vec::new();
    for _ in 0..12 {
        match collection.search(query, options).unwrap() {
            Step::Done(results) => return (results, fed),
            Step::Need(paths) => {
                for path in paths {
                    let bytes = read_collection_file(dir, &path).unwrap();
                    collection.feed(&path, &bytes).unwrap();
                    fed.push(path);
                }
            }
        }
    }
    panic!("'{query}' needed too many rounds");
}

fn library_of(dir: &Path) -> Library {
    let (files, _) = lectern_ingest::collection::walk(dir);
    let mut library = Library::new();
    let inputs = files.iter().map(|f| InputFile { name: f.path.clone(), text: String::from_utf8_lossy(&std::fs::read(&f.full_path).unwrap()).into_owned(), base: None }).collect();
    let report = add_files(&mut library, inputs);
    library.compact();
    assert!(report.failures.is_empty() || report.added.len() > 100);
    library
}

/// Deterministic queries drawn from the articles' own text.
fn queries(library: &Library) -> Vec<String> {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let summaries = library.summaries();
    let ids: Vec<String> = summaries.iter().map(|s| s.id.to_owned()).collect();
    let mut out: Vec<String> = ["", "rust", "ap", "i", "夜", "发布", "人工智能", "\"的 公司\"", "iPhone发布", "5G网络", "netwrok", "relase", "\"release notes\"", "東京", "zzqxjv", "rust async ", "שלום", "الله"]
        .map(String::from)
        .to_vec();
    for _ in 0..400 {
        let text = library.article(&ids[next(ids.len())]).unwrap().text;
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 30 {
            continue;
        }
        let start = next(chars.len() - 12);
        let kind = next(6);
        let query = match kind {
            0 => chars[start..start + 1 + next(5)].iter().collect::<String>(),
            1 | 2 => {
                let rest: String = chars[start..].iter().collect();
                let words: Vec<&str> = rest.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1 && !w.chars().any(is_cjk_letter)).take(3).collect();
                if words.is_empty() {
                    continue;
                }
                match kind {
                    1 => words[..1 + next(words.len())].join(" "),
                    _ => format!("\"{}\"", words[..2.min(words.len())].join(" ")),
                }
            }
            3 => {
                // A prefix of a word, as typed.
                let rest: String = chars[start..].iter().collect();
                let Some(word) = rest.split(|c: char| !c.is_alphanumeric()).find(|w| w.chars().count() > 3) else { continue };
                word.chars().take(1 + next(4)).collect()
            }
            4 => {
                // A word with one letter swapped or dropped.
                let rest: String = chars[start..].iter().collect();
                let Some(word) = rest.split(|c: char| !c.is_ascii_alphabetic()).find(|w| w.len() >= 6) else { continue };
                let mut letters: Vec<char> = word.to_lowercase().chars().collect();
                let i = 1 + next(letters.len() - 2);
                if next(2) == 0 {
                    letters.swap(i, i + 1);
                } else {
                    letters.remove(i);
                }
                format!("{} ", letters.into_iter().collect::<String>())
            }
            _ => chars[start..start + 2 + next(6)].iter().collect::<String>(),
        };
        if !query.trim().is_empty() && !out.contains(&query) {
            out.push(query);
        }
    }
    out
}

/// Every `n`th article's id (and one id no article has), as a reader's marks would name them.
fn every_nth(library: &Library, n: usize, unknown: &str) -> Vec<String> {
    let mut ids: Vec<String> = library.summaries().iter().step_by(n).map(|s| s.id.clone()).collect();
    ids.push(format!("not-an-article-{unknown}"));
    ids
}

fn same(label: &str, memory: &SearchResults, sharded: &StaticResults) {
    assert_eq!(memory.total, sharded.total, "{label}: total");
    assert_eq!(memory.facets, sharded.facets, "{label}: facets");
    assert_eq!(memory.hits.len(), sharded.hits.len(), "{label}: hits");
    for (m, s) in memory.hits.iter().zip(&sharded.hits) {
        assert_eq!(m.id, s.id, "{label}: hit order");
        assert_eq!(m.score.to_bits(), s.score.to_bits(), "{label}: score of {}", m.id);
        assert_eq!(m.snippet, s.snippet, "{label}: snippet of {}", m.id);
    }
}

#[test]
fn a_built_collection_answers_as_the_library_in_memory() {
    let shared = shared();
    let source = scratch("equal-src");
    let mut count = 0;
    for corpus in ["corpus/rsshub", "corpus/kriheli-blog/he", "corpus/i2p-blog/ar", "corpus/rust-blog"] {
        let folder = source.join(corpus.replace('/', "-"));
        std::fs::create_dir_all(&folder).unwrap();
        count += copy_articles(&shared.join(corpus), &folder, 300);
    }
    let out = scratch("equal-out");
    // A small memory budget: the posting lists go through many runs on disk.
    let report = build(&BuildOptions { sources: vec![source.clone()], out: out.clone(), memory_budget: 512 * 1024, ..Default::default() }, &Silent).unwrap();
    assert_eq!(report.articles as usize + report.failures.len(), count);
    assert!(report.runs > 3, "{} runs", report.runs);
    let dir = out.join("collection");
    let library = library_of(&source);
    assert_eq!(library.len(), report.articles as usize);
    let queries = queries(&library);
    let mut collection = StaticCollection::new(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let facets = library.facets(&Filters::default()).unwrap();
    let category = facets.categories.get(3).map(|c| c.value.clone()).unwrap_or_default();
    let source_name = facets.sources.get(1).map(|s| s.value.clone()).unwrap_or_default();
    let variants: Vec<(&str, SearchOptions)> = vec![
        ("default", SearchOptions::default()),
        ("page 2", SearchOptions { offset: 20, ..SearchOptions::default() }),
        ("newest, exact", SearchOptions { sort: Sort::Newest, prefix: false, typos: false, ..SearchOptions::default() }),
        ("category", SearchOptions { filters: Filters { categories: vec![category.clone()], ..Filters::default() }, ..SearchOptions::default() }),
        ("source, oldest", SearchOptions { sort: Sort::Oldest, filters: Filters { sources: vec![source_name], ..Filters::default() }, ..SearchOptions::default() }),
        ("2019-2021", SearchOptions { filters: Filters { from: Some("2019-01-01".into()), to: Some("2021-12-31".into()), ..Filters::default() }, ..SearchOptions::default() }),
        ("from a time, oldest", SearchOptions { sort: Sort::Oldest, filters: Filters { from: Some("2018-03-01T12:30:00Z".into()), ..Filters::default() }, ..SearchOptions::default() }),
        ("to a time, newest", SearchOptions { sort: Sort::Newest, filters: Filters { to: Some("2022-07-01T00:00:00+02:00".into()), ..Filters::default() }, ..SearchOptions::default() }),
        ("no facets", SearchOptions { facet_limit: 0, ..SearchOptions::default() }),
        ("category, 2 facets", SearchOptions { facet_limit: 2, filters: Filters { categories: vec![category.clone()], from: Some("2020-01-01".into()), ..Filters::default() }, ..SearchOptions::default() }),
        // A reader's marks: starred articles only, and read ones left out (ids unknown to the collection ignored).
        ("starred only", SearchOptions { filters: Filters { ids: Some(every_nth(&library, 7, "starred")), ..Filters::default() }, ..SearchOptions::default() }),
        ("unread only, newest", SearchOptions { sort: Sort::Newest, filters: Filters { except_ids: every_nth(&library, 3, "read"), ..Filters::default() }, ..SearchOptions::default() }),
        ("unread in a category", SearchOptions { filters: Filters { categories: vec![category.clone()], except_ids: every_nth(&library, 2, "read"), ..Filters::default() }, ..SearchOptions::default() }),
    ];
    let mut compared = 0;
    let mut matched = 0;
    for (name, options) in &variants {
        for query in &queries {
            let memory = library.search(query, options).unwrap();
            let sharded = search_static(&mut collection, &dir, query, options);
            same(&format!("'{query}' ({name})"), &memory, &sharded);
            compared += 1;
            matched += usize::from(memory.total > 0);
        }
    }
    println!("static collection = in-memory library: {} articles, {} queries × {} option sets = {compared} searches ({matched} with hits), all equal", library.len(), queries.len(), variants.len());
    assert!(matched > compared / 3, "too few queries found anything: {matched} of {compared}");

    // On a fresh reader, a query fetches only what its answer reads: no facet
    // values without filters on them or facets asked for, no dates without a
    // date filter, and with one at most the two blocks where its ends fall.
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let lean = SearchOptions { facet_limit: 0, ..SearchOptions::default() };
    let dated = SearchOptions { filters: Filters { from: Some("2018-03-01T12:30:00Z".into()), to: Some("2022-07-01T00:00:00Z".into()), ..Filters::default() }, ..lean.clone() };
    let (mut lean_files, mut dated_files) = (0, 0);
    for query in queries.iter().take(60) {
        for (options, label) in [(&lean, "no facets"), (&dated, "a date range")] {
            let mut fresh = StaticCollection::new(&manifest).unwrap();
            let (sharded, fed) = search_static_fetching(&mut fresh, &dir, query, options);
            same(&format!("'{query}' ({label}, fresh)"), &library.search(query, options).unwrap(), &sharded);
            assert!(!fed.iter().any(|p| p.starts_with("meta/")), "'{query}' ({label}) fetched facet values: {fed:?}");
            let dates = fed.iter().filter(|p| p.starts_with("dates/")).count();
            assert!(dates <= if options.filters.is_empty() { 0 } else { 2 }, "'{query}' ({label}) fetched {dates} date blocks: {fed:?}");
            if options.filters.is_empty() { lean_files += fed.len() } else { dated_files += fed.len() }
        }
    }
    println!("fresh readers: 60 queries fetched {lean_files} files without facets, {dated_files} with a date range; no facet values, at most 2 date blocks each");

    // Filtering out ids the reader saw in a list page (read marks) needs no id shard for them.
    let mut fresh = StaticCollection::new(&manifest).unwrap();
    let page: Vec<serde_json::Value> = serde_json::from_slice(&read_collection_file(&dir, "list/0.bin").unwrap()).unwrap();
    let seen: Vec<String> = page.iter().map(|entry| entry["id"].as_str().unwrap().to_owned()).collect();
    fresh.note_slots(0, seen.clone()).unwrap();
    let unread = SearchOptions { facet_limit: 0, limit: 0, filters: Filters { except_ids: seen.clone(), ..Filters::default() }, ..SearchOptions::default() };
    let (results, fed) = search_static_fetching(&mut fresh, &dir, "", &unread);
    assert!(!fed.iter().any(|p| p.starts_with("ids/")), "ids seen in a list page are resolved without an id shard: {fed:?}");
    assert_eq!(results.total, library.len() - seen.len());
    assert!(fresh.note_slots(library.len() as u32, vec!["x".into()]).is_err(), "a slot beyond the collection is refused");
    let _ = std::fs::remove_dir_all(&source);
    let _ = std::fs::remove_dir_all(&out);
}

/// The articles a reader added, searched with a built collection: the same as
/// one library holding both (an added article with the id of a collection
/// article replaces it: the results then hold the same articles).
#[test]
fn a_collection_and_the_readers_own_articles_answer_as_one_library() {
    let shared = shared();
    let collection_files = scratch("overlay-collection");
    let added_files = scratch("overlay-added");
    copy_articles(&shared.join("corpus/rsshub"), &collection_files, 200);
    copy_articles(&shared.join("corpus/kriheli-blog/en"), &added_files, 25);
    copy_articles(&shared.join("corpus/i2p-blog/en"), &added_files, 15);
    let out = scratch("overlay-out");
    build(&BuildOptions { sources: vec![collection_files.clone()], out: out.clone(), ..Default::default() }, &Silent).unwrap();
    let dir = out.join("collection");
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let added = library_of(&added_files);
    // Both together, in one library.
    let everything = scratch("overlay-everything");
    for source in [&collection_files, &added_files] {
        for entry in std::fs::read_dir(source).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, everything.join(path.file_name().unwrap())).unwrap();
        }
    }
    let both = library_of(&everything);
    assert_eq!(both.len(), added.len() + StaticCollection::new(&manifest).unwrap().len() as usize);
    let mut queries = queries(&both);
    queries.truncate(150);
    let category = both.facets(&Filters::default()).unwrap().categories[2].value.clone();
    let variants: Vec<(&str, SearchOptions)> = vec![
        ("default", SearchOptions::default()),
        ("newest", SearchOptions { sort: Sort::Newest, ..SearchOptions::default() }),
        ("oldest, page 2", SearchOptions { sort: Sort::Oldest, offset: 20, ..SearchOptions::default() }),
        ("category", SearchOptions { filters: Filters { categories: vec![category], ..Filters::default() }, ..SearchOptions::default() }),
        ("2016-2021", SearchOptions { filters: Filters { from: Some("2016-01-01".into()), to: Some("2021-12-31".into()), ..Filters::default() }, ..SearchOptions::default() }),
        ("unread only", SearchOptions { filters: Filters { except_ids: every_nth(&both, 3, "read"), ..Filters::default() }, ..SearchOptions::default() }),
        ("starred only, newest", SearchOptions { sort: Sort::Newest, filters: Filters { ids: Some(every_nth(&both, 5, "starred")), ..Filters::default() }, ..SearchOptions::default() }),
    ];
    let mut collection = StaticCollection::new(&manifest).unwrap();
    let mut compared = 0;
    for (name, options) in &variants {
        for query in &queries {
            let joined = search_with_added(&mut collection, &dir, &added, query, options);
            let memory = both.search(query, options).unwrap();
            assert!(joined.hits.iter().all(|h| h.added == added.summary(&h.id).is_some()), "'{query}' ({name}): added hits are marked");
            same(&format!("'{query}' ({name}, with added articles)"), &memory, &joined);
            compared += 1;
        }
    }
    // An added article with the id of a collection article (the same file
    // name) replaces it: the collection's copy is no longer found.
    let (collection_list, _) = lectern_ingest::collection::walk(&collection_files);
    let replaced = &collection_list[3];
    let text = std::fs::read_to_string(&replaced.full_path).unwrap();
    let mut own = Library::new();
    add_files(&mut own, vec![InputFile { name: replaced.path.clone(), text: text.replacen("title:", "title: Xylophonic reprint,", 1), base: None }]);
    let id = own.summaries()[0].id.clone();
    let mut fresh = StaticCollection::new(&manifest).unwrap();
    let listed = search_with_added(&mut fresh, &dir, &own, "", &SearchOptions { limit: 1000, ..SearchOptions::default() });
    assert_eq!(listed.total, collection_list.len(), "the replaced article is listed once");
    let copies: Vec<_> = listed.hits.iter().filter(|h| h.id == id).collect();
    assert_eq!(copies.len(), 1);
    assert!(copies[0].added && copies[0].entry.title.starts_with("Xylophonic reprint"), "{:?}", copies[0].entry.title);
    assert_eq!(search_with_added(&mut fresh, &dir, &own, "xylophonic", &SearchOptions::default()).total, 1);
    println!("static collection + {} added articles = one library of {}: {} queries × {} option sets = {compared} searches, all equal; an added article replaces the collection's copy", added.len(), both.len(), queries.len(), variants.len());
    for dir in [collection_files, added_files, everything, out] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir_files(root).into_iter().map(|p| (p.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&p).unwrap())).collect()
}

fn walkdir_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn rebuilding_a_changed_folder_equals_a_fresh_build_and_parses_only_changes() {
    let shared = shared();
    let source = scratch("incremental-src");
    copy_articles(&shared.join("corpus/rsshub"), &source, 80);
    let out = scratch("incremental-out");
    let options = BuildOptions { sources: vec![source.clone()], out: out.clone(), ..Default::default() };
    let first = build(&options, &Silent).unwrap();
    assert_eq!(first.parsed, first.articles);
    let (files, _) = lectern_ingest::collection::walk(&source);
    // Change one, remove one, add one.
    let changed = &files[5].full_path;
    let text = std::fs::read_to_string(changed).unwrap().replacen("title:", "title: Changed", 1);
    std::fs::write(changed, text).unwrap();
    std::fs::remove_file(&files[9].full_path).unwrap();
    let (extra, _) = lectern_ingest::collection::walk(&shared.join("corpus/kriheli-blog/en"));
    std::fs::copy(&extra[0].full_path, source.join("zz-new.md")).unwrap();
    // The update goes through several runs on disk; the fresh build holds all in memory.
    let again = build(&BuildOptions { memory_budget: 64 * 1024, ..options.clone() }, &Silent).unwrap();
    assert!(again.runs > 1, "{} runs", again.runs);
    assert_eq!((again.parsed, again.reused), (2, first.articles - 2), "only the changed and the new file are parsed");
    assert_eq!(again.articles, first.articles);
    assert!(again.files_written < first.files_written / 2, "rewrote {} of {} files", again.files_written, first.files_written);
    let fresh_out = scratch("incremental-fresh");
    build(&BuildOptions { out: fresh_out.clone(), ..options.clone() }, &Silent).unwrap();
    let (updated, fresh) = (tree(&out), tree(&fresh_out));
    assert_eq!(updated.keys().collect::<Vec<_>>(), fresh.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &updated {
        assert!(bytes == &fresh[path], "{path} differs from a fresh build");
    }
    println!("incremental build: {} articles, {} parsed, {} reused, {} files written ({} unchanged, {} removed); equal to a fresh build ({} files)", again.articles, again.parsed, again.reused, again.files_written, again.files_unchanged, again.files_removed, fresh.len());
    for dir in [source, out, fresh_out] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn a_file_that_fails_is_reported_and_the_collection_still_works() {
    let source = scratch("failing-src");
    copy_articles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"), &source, 20);
    std::fs::write(source.join("empty.md"), "  \n").unwrap();
    std::fs::write(source.join("binary.md"), [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
    let out = scratch("failing-out");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern")).args(["index", "--no-page", "-o"]).arg(&out).arg(&source).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for name in ["empty.md", "binary.md"] {
        assert!(stderr.lines().any(|l| l.contains("skipped") && l.contains(name)), "{name} is reported: {stderr}");
    }
    assert!(stderr.contains("2 error(s)"), "{stderr}");
    let search = std::process::Command::new(env!("CARGO_BIN_EXE_lectern")).arg("search").arg(&out).arg("").output().unwrap();
    assert!(search.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert!(!hits.as_array().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&source);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn another_format_version_is_refused_with_a_message() {
    let source = scratch("version-src");
    copy_articles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"), &source, 20);
    let out = scratch("version-out");
    build(&BuildOptions { sources: vec![source.clone()], out: out.clone(), ..Default::default() }, &Silent).unwrap();
    let manifest_path = out.join("collection/manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let current = format!("\"version\": {}", FORMAT_VERSION);
    assert!(manifest.contains(&current), "{manifest}");
    let newer = manifest.replace(&current, "\"version\": 99");
    let err = StaticCollection::new(&newer).err().expect("refused");
    assert!(err.to_string().contains("version 99") && err.to_string().contains("lectern index"), "{err}");
    // A collection of the first format (one `docs/` file per block) is refused too.
    let err = StaticCollection::new(&manifest.replace(&current, "\"version\": 1")).err().expect("refused");
    assert!(err.to_string().contains("version 1,") && err.to_string().contains("rebuild"), "{err}");
    // A shard of another version, mixed into a current collection.
    let mut collection = StaticCollection::new(&manifest).unwrap();
    let mut index = read_collection_file(&out.join("collection"), "index.bin").unwrap();
    index[4] = 1;
    let err = collection.feed("index.bin", &index).unwrap_err();
    assert!(err.to_string().contains("version 1,"), "{err}");
    // The command line says so too.
    std::fs::write(&manifest_path, newer).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern")).arg("search").arg(&out).arg("x").output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("version 99"), "{}", String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_dir_all(&source);
    let _ = std::fs::remove_dir_all(&out);
}

/// Runs of CJK letters are verified on folded text (positions) in a static
/// collection and on the original text in memory when it has no dropped
/// characters: the two agree only if folding never removes a character that
/// [`is_dropped`] does not name.
#[test]
fn folding_removes_only_the_characters_named_dropped() {
    let mut silent = Vec::new();
    for code in 0..0x11_0000u32 {
        let Some(c) = char::from_u32(code) else { continue };
        let mut emitted = 0;
        fold_char(c, &mut |_| emitted += 1);
        if emitted == 0 && !is_dropped(c) {
            silent.push(format!("U+{code:04X}"));
        }
    }
    assert!(silent.is_empty(), "folded to nothing but not dropped: {silent:?}");
}
