//! Reading a static collection a piece at a time: [`StaticCollection`] says
//! which files a search needs ([`Step::Need`]), is fed them, and answers with
//! the shared engine ([`crate::search`]) through the [`Corpus`] trait.

use super::format::{self, decode_docs, decode_index, DocRow, FormatError, FrontDecoder, IndexMeta, Kind};
use super::{card_path, docs_path, positions_path, terms_path, typos_path, Card, ListEntry, Manifest, INDEX_PATH};
use crate::search::corpus::{Corpus, DocInfo, Postings, Table};
use crate::search::facets::{self, CompiledFilters, FacetCount, Facets};
use crate::search::postings::{read_varint, FieldCounts, PostingList, FIELD_COUNT};
use crate::search::query::{self, PhraseUnit, QueryTerm};
use crate::search::rank::{self, phrase_keys, within_one_edit};
use crate::search::tokenize::is_cjk_letter;
use crate::search::{hits, page_of, SearchError, SearchOptions, Snippet, Sort};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

/// One hit of a search on a static collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaticHit {
    /// The article's id.
    pub id: String,
    /// Its score (0 when listing without a query).
    pub score: f32,
    /// Text around the best match.
    pub snippet: Snippet,
    /// The article's slot.
    pub slot: u32,
    /// The article as the list shows it.
    pub entry: ListEntry,
}

/// The answer to a search on a static collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaticResults {
    /// Number of matching articles.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<StaticHit>,
    /// Facet counts over every match.
    pub facets: Facets,
}

/// What [`StaticCollection::search`] answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Feed these files (paths within the collection), then search again.
    Need(Vec<String>),
    /// The results.
    Done(StaticResults),
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaticError {
    /// A file is not readable.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The query's options are not usable.
    #[error(transparent)]
    Search(#[from] SearchError),
}

struct TermShard {
    /// (term, document count, range of `bytes`), sorted by term.
    terms: Vec<(String, u32, std::ops::Range<usize>)>,
    bytes: Vec<u8>,
}

impl TermShard {
    fn find(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|(t, _, _)| t.as_str().cmp(term)).ok()
    }

    fn postings(&self, i: usize) -> Postings<'_> {
        let (_, len, range) = &self.terms[i];
        Postings { bytes: &self.bytes[range.clone()], len: *len }
    }
}

/// The token positions of one term, per document and field.
#[derive(Default)]
struct TermPositions {
    slots: Vec<u32>,
    /// Per document: start in `flat` of each field's positions, and the end.
    starts: Vec<[u32; FIELD_COUNT + 1]>,
    flat: Vec<u32>,
}

impl TermPositions {
    fn of(&self, slot: u32, field: usize) -> &[u32] {
        match self.slots.binary_search(&slot) {
            Ok(i) => {
                let s = &self.starts[i];
                &self.flat[s[field] as usize..s[field + 1] as usize]
            }
            Err(_) => &[],
        }
    }
}

/// A static collection, read a piece at a time.
pub struct StaticCollection {
    manifest: Manifest,
    meta: Option<IndexMeta>,
    lookup: [HashMap<String, u32>; 3],
    terms: HashMap<usize, TermShard>,
    /// Raw positions shards, decoded into `positions` when a search needs them.
    raw_positions: HashMap<usize, Vec<u8>>,
    positions: HashMap<String, TermPositions>,
    typos: HashMap<usize, Vec<(String, Vec<String>)>>,
    docs: HashMap<u32, Vec<DocRow>>,
    cards: HashMap<u32, Card>,
}

fn damaged(path: &str, detail: impl Into<String>) -> FormatError {
    FormatError::Damaged { path: path.to_owned(), detail: detail.into() }
}

impl StaticCollection {
    /// A collection from the text of its `manifest.json` (checked: format and version).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(manifest_json: &str) -> Result<StaticCollection, FormatError> {
        StaticCollection::with_manifest(Manifest::parse(manifest_json)?)
    }

    /// A collection from its manifest (checked: format and version).
    pub fn with_manifest(manifest: Manifest) -> Result<StaticCollection, FormatError> {
        Ok(StaticCollection {
            manifest: manifest.checked()?,
            meta: None,
            lookup: Default::default(),
            terms: HashMap::new(),
            raw_positions: HashMap::new(),
            positions: HashMap::new(),
            typos: HashMap::new(),
            docs: HashMap::new(),
            cards: HashMap::new(),
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Number of articles.
    pub fn len(&self) -> u32 {
        self.manifest.articles
    }

    /// True when the collection has no article.
    pub fn is_empty(&self) -> bool {
        self.manifest.articles == 0
    }

    /// Takes a file the collection asked for (its path within the collection,
    /// and its bytes, decompressed).
    pub fn feed(&mut self, path: &str, bytes: &[u8]) -> Result<(), FormatError> {
        let (folder, rest) = path.split_once('/').unwrap_or(("", path));
        let number = || -> Result<u32, FormatError> {
            rest.rsplit('/').next().and_then(|n| n.strip_suffix(".bin")).and_then(|n| n.parse().ok()).ok_or_else(|| damaged(path, "not a file this collection asked for"))
        };
        match folder {
            "" if path == INDEX_PATH => {
                let meta = decode_index(path, bytes)?;
                if meta.documents != self.manifest.articles {
                    return Err(damaged(path, format!("it counts {} articles, the manifest {}: files of two builds are mixed", meta.documents, self.manifest.articles)));
                }
                let table = |values: &[String]| values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
                self.lookup = [table(&meta.categories), table(&meta.authors), table(&meta.sources)];
                self.meta = Some(meta);
            }
            "terms" => {
                let shard = decode_terms(path, bytes, self.manifest.articles)?;
                self.terms.insert(number()? as usize, shard);
            }
            "pos" => {
                format::open(path, bytes, Kind::Positions)?;
                self.raw_positions.insert(number()? as usize, bytes.to_vec());
            }
            "typos" => {
                self.typos.insert(number()? as usize, decode_typos(path, bytes)?);
            }
            "docs" => {
                let meta = self.meta.as_ref().ok_or_else(|| damaged(path, "fed before index.bin"))?;
                let rows = decode_docs(path, bytes, [meta.categories.len(), meta.authors.len(), meta.sources.len()])?;
                let block = number()?;
                let expected = self.manifest.articles.saturating_sub(block * self.manifest.doc_block).min(self.manifest.doc_block);
                if rows.len() as u32 != expected {
                    return Err(damaged(path, format!("{} articles where {expected} were expected", rows.len())));
                }
                self.docs.insert(block, rows);
            }
            #[cfg(not(target_arch = "wasm32"))]
            "cards" => {
                let card: Card = serde_json::from_slice(bytes).map_err(|e| damaged(path, format!("not a card: {e}")))?;
                self.feed_card(number()?, card)?;
            }
            _ => return Err(damaged(path, "not a file this collection asked for")),
        }
        Ok(())
    }

    /// Takes the card of `slot` (`cards/K/S.bin`, parsed: the page's JSON
    /// parser does it in the browser, which keeps one out of the WebAssembly).
    pub fn feed_card(&mut self, slot: u32, card: Card) -> Result<(), FormatError> {
        if slot >= self.manifest.articles {
            return Err(damaged(&card_path(slot), format!("slot {slot} is beyond the collection")));
        }
        self.cards.insert(slot, card);
        Ok(())
    }

    /// The card of a slot, when it was fed.
    pub fn card(&self, slot: u32) -> Option<&Card> {
        self.cards.get(&slot)
    }

    /// Facets over the whole collection (after `index.bin` was fed).
    pub fn facets(&self, limit: usize) -> Option<Facets> {
        let meta = self.meta.as_ref()?;
        let named = |list: &[(u32, u32)], values: &[String]| {
            list.iter().take(limit).map(|&(id, count)| FacetCount { value: values.get(id as usize).cloned().unwrap_or_default(), count }).collect()
        };
        Some(Facets {
            categories: named(&meta.facets.categories, &meta.categories),
            sources: named(&meta.facets.sources, &meta.sources),
            years: meta.facets.years.iter().take(limit).cloned().collect(),
        })
    }

    fn term_shard(&self, term: &str) -> Option<usize> {
        format::shard_of(&self.meta.as_ref()?.term_shards, term)
    }

    /// Searches, with the same semantics as [`crate::search::SearchIndex::search`].
    /// Answers [`Step::Need`] until every file the answer depends on was fed.
    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<Step, StaticError> {
        let Some(meta) = self.meta.as_ref() else { return Ok(Step::Need(vec![INDEX_PATH.to_owned()])) };
        let parsed = query::parse(query, options.prefix, options.typos);
        let filters = CompiledFilters::new(self, &options.filters)?;

        // 1. The shards of the query's terms (and what typo matching needs).
        let mut need: BTreeSet<String> = BTreeSet::new();
        let mut positional: Vec<String> = Vec::new();
        let mut typo_words: Vec<&str> = Vec::new();
        let want_term = |need: &mut BTreeSet<String>, term: &str| {
            if let Some(shard) = format::shard_of(&meta.term_shards, term) {
                if !self.terms.contains_key(&shard) {
                    need.insert(terms_path(shard));
                }
            }
        };
        for term in &parsed.terms {
            match term {
                QueryTerm::Word { text, prefix, typos } => {
                    want_term(&mut need, text);
                    if *prefix {
                        for shard in format::shards_with_prefix(&meta.term_shards, text) {
                            if !self.terms.contains_key(&shard) {
                                need.insert(terms_path(shard));
                            }
                        }
                    }
                    if *typos {
                        typo_words.push(text);
                        for key in format::typo_keys(text) {
                            if let Some(shard) = format::shard_of(&meta.typo_shards, &key) {
                                if !self.typos.contains_key(&shard) {
                                    need.insert(typos_path(shard));
                                }
                            }
                        }
                    }
                }
                QueryTerm::Cjk { text } if text.chars().count() <= 2 => want_term(&mut need, text),
                QueryTerm::Cjk { text } => {
                    let letters: Vec<char> = text.chars().collect();
                    positional.extend(letters.windows(2).map(|pair| pair.iter().collect::<String>()));
                }
                QueryTerm::Phrase { units } => positional.extend(phrase_keys(units)),
            }
        }
        for key in &positional {
            want_term(&mut need, key);
            if let Some(shard) = format::shard_of(&meta.term_shards, key) {
                if !self.raw_positions.contains_key(&shard) {
                    need.insert(positions_path(shard));
                }
            }
        }
        if !need.is_empty() {
            return Ok(Step::Need(need.into_iter().collect()));
        }
        // 2. The term shards of the words one typo away.
        for word in typo_words {
            for key in format::typo_keys(word) {
                let Some(shard) = format::shard_of(&meta.typo_shards, &key).and_then(|s| self.typos.get(&s)) else { continue };
                let Ok(i) = shard.binary_search_by(|(k, _)| k.as_str().cmp(&key)) else { continue };
                for candidate in &shard[i].1 {
                    if within_one_edit(word, candidate) {
                        want_term(&mut need, candidate);
                    }
                }
            }
        }
        if !need.is_empty() {
            return Ok(Step::Need(need.into_iter().collect()));
        }
        // 3. Positions of the terms that CJK runs and phrases verify.
        for key in positional {
            if !self.positions.contains_key(&key) {
                let decoded = self.decode_positions(&key)?;
                self.positions.insert(key, decoded);
            }
        }

        // 4. The matching articles, and the blocks of their metadata.
        let everything = parsed.is_empty() && options.filters.is_empty();
        let found = (!parsed.is_empty()).then(|| rank::candidates(self, &parsed));
        if !everything {
            let slots: Box<dyn Iterator<Item = u32>> = match &found {
                Some(found) => Box::new(found.slots.iter().copied()),
                None => Box::new(0..self.manifest.articles),
            };
            let blocks: BTreeSet<u32> = slots.map(|slot| slot / self.manifest.doc_block).filter(|b| !self.docs.contains_key(b)).collect();
            if !blocks.is_empty() {
                return Ok(Step::Need(blocks.into_iter().map(docs_path).collect()));
            }
        }
        let (total, facets, page) = if everything {
            let n = self.manifest.articles as usize;
            let start = options.offset.min(n);
            let end = options.offset.saturating_add(options.limit).min(n);
            let page = (start..end)
                .map(|i| rank::Matched { slot: if options.sort == Sort::Oldest { i as u32 } else { (n - 1 - i) as u32 }, score: 0.0, typos: 0 })
                .collect();
            (n, self.facets(options.facet_limit).unwrap_or_default(), page)
        } else {
            let matches = match &found {
                Some(found) => rank::score(self, &parsed, found, &filters),
                None => crate::search::matches(self, &parsed, &filters),
            };
            let facets = facets::count(self, matches.iter().map(|m| m.slot), options.facet_limit);
            (matches.len(), facets, page_of(self, matches, options))
        };

        // 5. The cards of the hits on the page (ids, and text for snippets).
        let missing: Vec<String> = page.iter().filter(|m| !self.cards.contains_key(&m.slot)).map(|m| card_path(m.slot)).collect();
        if !missing.is_empty() {
            return Ok(Step::Need(missing));
        }
        let hits = hits(self, &page, &parsed, options)
            .into_iter()
            .zip(&page)
            .filter_map(|(hit, m)| {
                let entry = self.cards.get(&m.slot)?.entry.clone();
                Some(StaticHit { id: hit.id, score: hit.score, snippet: hit.snippet, slot: m.slot, entry })
            })
            .collect();
        Ok(Step::Done(StaticResults { total, hits, facets }))
    }

    /// Decodes the positions of one term (its term and positions shards are loaded).
    fn decode_positions(&self, term: &str) -> Result<TermPositions, FormatError> {
        let Some(shard_number) = self.term_shard(term) else { return Ok(TermPositions::default()) };
        let path = positions_path(shard_number);
        let (Some(shard), Some(raw)) = (self.terms.get(&shard_number), self.raw_positions.get(&shard_number)) else {
            return Ok(TermPositions::default());
        };
        let Some(index) = shard.find(term) else { return Ok(TermPositions::default()) };
        let bad = format::damaged(&path);
        let mut r = format::open(&path, raw, Kind::Positions)?;
        let count = r.count("terms").map_err(&bad)?;
        if count != shard.terms.len() {
            return Err(damaged(&path, "it does not match its term shard"));
        }
        let mut bytes: &[u8] = &[];
        for i in 0..=index {
            let b = r.bytes("positions").map_err(&bad)?;
            if i == index {
                bytes = b;
            }
        }
        let mut out = TermPositions::default();
        let mut at = 0usize;
        for (slot, counts) in shard.postings(index).iter() {
            let mut starts = [0u32; FIELD_COUNT + 1];
            for field in 0..FIELD_COUNT {
                starts[field] = out.flat.len() as u32;
                let mut position = 0u32;
                for k in 0..counts[field] {
                    let step = read_varint(bytes, &mut at).ok_or_else(|| damaged(&path, format!("positions of '{term}' are cut short")))?;
                    let step = u32::try_from(step).map_err(|_| damaged(&path, "a position is out of range"))?;
                    position = if k == 0 { step } else { position.checked_add(step).ok_or_else(|| damaged(&path, "a position is out of range"))? };
                    out.flat.push(position);
                }
            }
            starts[FIELD_COUNT] = out.flat.len() as u32;
            out.slots.push(slot);
            out.starts.push(starts);
        }
        if at != bytes.len() {
            return Err(damaged(&path, format!("unexpected bytes in the positions of '{term}'")));
        }
        Ok(out)
    }

    /// Occurrences per field of keys at fixed offsets from a start position.
    fn count_at_offsets(&self, slot: u32, keys: &[(String, u32)]) -> FieldCounts {
        let mut counts = [0u32; FIELD_COUNT];
        let Some((first, rest)) = keys.split_first() else { return counts };
        let Some(first_positions) = self.positions.get(&first.0) else { return counts };
        for (field, count) in counts.iter_mut().enumerate() {
            let lists: Option<Vec<&[u32]>> = rest.iter().map(|(key, _)| self.positions.get(key).map(|p| p.of(slot, field))).collect();
            let Some(lists) = lists else { return [0; FIELD_COUNT] };
            for &start in first_positions.of(slot, field) {
                let Some(base) = start.checked_sub(first.1) else { continue };
                if rest.iter().zip(&lists).all(|((_, offset), list)| list.binary_search(&(base + offset)).is_ok()) {
                    *count += 1;
                }
            }
        }
        counts
    }
}

fn decode_terms(path: &str, bytes: &[u8], documents: u32) -> Result<TermShard, FormatError> {
    let mut r = format::open(path, bytes, Kind::Terms)?;
    let bad = format::damaged(path);
    let n = r.count("terms").map_err(&bad)?;
    let mut decoder = FrontDecoder::new();
    let mut shard = TermShard { terms: Vec::with_capacity(n), bytes: Vec::new() };
    for _ in 0..n {
        let term = decoder.next(&mut r, "term").map_err(&bad)?;
        let len = r.u32("document count").map_err(&bad)?;
        let list = r.bytes("postings").map_err(&bad)?;
        let checked = PostingList::from_bytes(list, documents).filter(|l| l.len() == len && len > 0);
        if checked.is_none() {
            return Err(damaged(path, format!("the postings of '{term}'")));
        }
        let start = shard.bytes.len();
        shard.bytes.extend_from_slice(list);
        shard.terms.push((term, len, start..shard.bytes.len()));
    }
    if !r.is_done() {
        return Err(damaged(path, "unexpected bytes at the end"));
    }
    Ok(shard)
}

fn decode_typos(path: &str, bytes: &[u8]) -> Result<Vec<(String, Vec<String>)>, FormatError> {
    let mut r = format::open(path, bytes, Kind::Typos)?;
    let bad = format::damaged(path);
    let n = r.count("keys").map_err(&bad)?;
    let mut decoder = FrontDecoder::new();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let key = decoder.next(&mut r, "key").map_err(&bad)?;
        let count = r.count("words").map_err(&bad)?;
        let words = (0..count).map(|_| r.string("word").map(str::to_owned)).collect::<Result<Vec<_>, _>>().map_err(&bad)?;
        out.push((key, words));
    }
    if !r.is_done() {
        return Err(damaged(path, "unexpected bytes at the end"));
    }
    Ok(out)
}

impl Corpus for StaticCollection {
    fn slot_count(&self) -> usize {
        self.manifest.articles as usize
    }

    fn live(&self) -> u32 {
        self.manifest.articles
    }

    fn len_sums(&self) -> [u64; FIELD_COUNT] {
        self.meta.as_ref().map_or([0; FIELD_COUNT], |m| m.len_sums)
    }

    fn postings(&self, term: &str) -> Option<Postings<'_>> {
        let shard = self.terms.get(&self.term_shard(term)?)?;
        shard.find(term).map(|i| shard.postings(i))
    }

    fn for_each_prefixed_word<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(&str, Postings<'a>)) {
        let Some(meta) = self.meta.as_ref() else { return };
        for number in format::shards_with_prefix(&meta.term_shards, prefix) {
            let Some(shard) = self.terms.get(&number) else { continue };
            let start = shard.terms.partition_point(|(t, _, _)| t.as_str() < prefix);
            for i in start..shard.terms.len() {
                let term = &shard.terms[i].0;
                if !term.starts_with(prefix) {
                    break;
                }
                if !term.chars().next().is_some_and(is_cjk_letter) {
                    each(term, shard.postings(i));
                }
            }
        }
    }

    fn doc(&self, slot: u32) -> Option<DocInfo<'_>> {
        let row = self.docs.get(&(slot / self.manifest.doc_block))?.get((slot % self.manifest.doc_block) as usize)?;
        Some(DocInfo { lens: row.lens, date: row.date, categories: &row.categories, source: row.source, author: row.author })
    }

    fn slots(&self) -> Vec<u32> {
        (0..self.manifest.articles).collect()
    }

    fn run_counts(&self, slot: u32, run: &str) -> FieldCounts {
        let letters: Vec<char> = run.chars().collect();
        let keys: Vec<(String, u32)> = letters.windows(2).enumerate().map(|(i, pair)| (pair.iter().collect(), i as u32)).collect();
        self.count_at_offsets(slot, &keys)
    }

    fn phrase_counts(&self, slot: u32, units: &[PhraseUnit]) -> FieldCounts {
        // A glued CJK unit's key is the bigram that starts one position earlier.
        let keys: Vec<(String, u32)> = phrase_keys(units)
            .into_iter()
            .zip(units)
            .enumerate()
            .map(|(i, (key, unit))| (key, if unit.glued && i > 0 { i as u32 - 1 } else { i as u32 }))
            .collect();
        self.count_at_offsets(slot, &keys)
    }

    fn tie_order(&self, a: u32, b: u32) -> Ordering {
        b.cmp(&a)
    }

    fn value_id(&self, table: Table, value: &str) -> Option<u32> {
        self.lookup[table as usize].get(value).copied()
    }

    fn value(&self, table: Table, id: u32) -> &str {
        let Some(meta) = self.meta.as_ref() else { return "" };
        let values = match table {
            Table::Categories => &meta.categories,
            Table::Authors => &meta.authors,
            Table::Sources => &meta.sources,
        };
        values.get(id as usize).map_or("", String::as_str)
    }

    fn value_count(&self, table: Table) -> usize {
        self.meta.as_ref().map_or(0, |m| match table {
            Table::Categories => m.categories.len(),
            Table::Authors => m.authors.len(),
            Table::Sources => m.sources.len(),
        })
    }

    fn id(&self, slot: u32) -> Option<&str> {
        self.cards.get(&slot).map(|c| c.entry.id.as_str())
    }

    fn text(&self, slot: u32) -> Option<&str> {
        self.cards.get(&slot).map(|c| c.text.as_str())
    }
}
