//! Reading a static collection a piece at a time: [`StaticCollection`] says
//! which files a search needs ([`Step::Need`]), is fed them, and answers with
//! the shared engine ([`crate::search`]) through the [`Corpus`] trait.

use super::format::{self, decode_dates, decode_ids, decode_index, decode_meta, DocMeta, FormatError, FrontDecoder, IndexMeta, Kind};
use super::overlay::Union;
use super::{card_path, dates_path, ids_path, meta_path, positions_path, terms_path, typos_path, Card, Manifest, INDEX_PATH};
use crate::library::Library;
use crate::search::corpus::{Corpus, DocInfo, Postings, Table};
use crate::search::facets::{self, CompiledFilters, FacetCount, Facets};
use crate::search::postings::{read_varint, FieldCounts, PostingList, FIELD_COUNT};
use crate::search::query::{self, PhraseUnit, QueryTerm};
use crate::search::rank::{self, phrase_keys, within_one_edit};
use crate::search::tokenize::is_cjk_letter;
use crate::article::Summary;
use crate::search::{hits, page_of, SearchError, SearchOptions, Snippet, Sort};
use serde::Serialize;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    pub entry: Summary,
    /// True for one of the reader's own articles (searched with the collection).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub added: bool,
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
    /// (term, document count, range of `bytes` of its postings, range of
    /// `bytes` of its documents' field lengths), sorted by term.
    terms: Vec<(String, u32, std::ops::Range<usize>, std::ops::Range<usize>)>,
    bytes: Vec<u8>,
}

impl TermShard {
    fn find(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|(t, _, _, _)| t.as_str().cmp(term)).ok()
    }

    fn postings(&self, i: usize) -> Postings<'_> {
        let (_, len, range, _) = &self.terms[i];
        Postings::new(&self.bytes[range.clone()], *len)
    }

    /// Adds the field lengths the postings of term `i` carry to those of the
    /// `wanted` slots (ascending).
    fn lengths_into(&self, i: usize, wanted: &[u32], out: &mut HashMap<u32, FieldCounts>) -> Option<()> {
        let (_, _, _, range) = &self.terms[i];
        let bytes = &self.bytes[range.clone()];
        let mut at = 0usize;
        for (slot, counts) in self.postings(i).iter() {
            let keep = wanted.binary_search(&slot).is_ok();
            for (field, _) in counts.iter().enumerate().filter(|(_, &count)| count > 0) {
                let len = u32::try_from(read_varint(bytes, &mut at)?).ok()?;
                if keep {
                    out.entry(slot).or_default()[field] = len;
                }
            }
        }
        (at == bytes.len()).then_some(())
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
    /// Token counts per field of the current search's matches (from the
    /// postings of its terms; fields without a query term stay 0).
    lens: RefCell<HashMap<u32, FieldCounts>>,
    /// Sources, authors and categories, by block.
    metas: HashMap<u32, Vec<DocMeta>>,
    /// Dates, by block (only the blocks where a date filter's ends fell).
    dates: HashMap<u32, Vec<Option<i64>>>,
    cards: HashMap<u32, Card>,
    /// Id shards: `(id, slot)` sorted by id, by shard.
    ids: HashMap<usize, Vec<(String, u32)>>,
    /// The slots of ids seen in the list pages and cards fed (no id shard is
    /// needed for them).
    known: HashMap<String, u32>,
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
            lens: RefCell::default(),
            ids: HashMap::new(),
            known: HashMap::new(),
            metas: HashMap::new(),
            dates: HashMap::new(),
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
                let blocks = self.manifest.articles.div_ceil(self.manifest.doc_block);
                if meta.block_dates.len() != blocks as usize {
                    return Err(damaged(path, format!("it dates {} blocks where the manifest makes {blocks}", meta.block_dates.len())));
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
            "ids" => {
                self.ids.insert(number()? as usize, decode_ids(path, bytes, self.manifest.articles)?);
            }
            "meta" | "dates" => {
                let block = number()?;
                let expected = self.manifest.articles.saturating_sub(block.saturating_mul(self.manifest.doc_block)).min(self.manifest.doc_block);
                let check = |len: usize| {
                    if len as u32 == expected {
                        Ok(())
                    } else {
                        Err(damaged(path, format!("{len} articles where {expected} were expected")))
                    }
                };
                match folder {
                    "meta" => {
                        let meta = self.meta.as_ref().ok_or_else(|| damaged(path, "fed before index.bin"))?;
                        let rows = decode_meta(path, bytes, [meta.categories.len(), meta.authors.len(), meta.sources.len()])?;
                        check(rows.len())?;
                        self.metas.insert(block, rows);
                    }
                    _ => {
                        let rows = decode_dates(path, bytes)?;
                        check(rows.len())?;
                        self.dates.insert(block, rows);
                    }
                }
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
        self.known.insert(card.entry.id.clone(), slot);
        self.cards.insert(slot, card);
        Ok(())
    }

    /// Notes the ids of a list page the reader fetched: `ids[i]` is in slot
    /// `first + i`. Filters by id need no id shard for them.
    pub fn note_slots(&mut self, first: u32, ids: Vec<String>) -> Result<(), FormatError> {
        let end = first.checked_add(ids.len() as u32).filter(|&end| end <= self.manifest.articles);
        if end.is_none() {
            return Err(damaged(&super::list_path(first / self.manifest.list_page.max(1)), "more articles than the collection holds"));
        }
        for (i, id) in ids.into_iter().enumerate() {
            self.known.insert(id, first + i as u32);
        }
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
            years: meta.years.iter().rev().take(limit).map(|span| FacetCount { value: span.year, count: span.count }).collect(),
        })
    }

    /// Year facet counts of `slots` (ascending): each year is a range of slots.
    fn year_facets(&self, slots: &[u32], limit: usize) -> Vec<FacetCount<i32>> {
        let Some(meta) = self.meta.as_ref() else { return Vec::new() };
        let before = |slot: u32| slots.partition_point(|&s| s < slot);
        meta.years
            .iter()
            .rev()
            .map(|span| FacetCount { value: span.year, count: (before(span.first.saturating_add(span.count)) - before(span.first)) as u32 })
            .filter(|f| f.count > 0)
            .take(limit)
            .collect()
    }

    /// The slots a date filter keeps (slots are in date order, undated first),
    /// or the date blocks needed to find its ends.
    fn date_range(&self, (from, to): (Option<i64>, Option<i64>)) -> Result<std::ops::Range<u32>, Vec<String>> {
        let n = self.manifest.articles;
        if from.is_none() && to.is_none() {
            return Ok(0..n);
        }
        let mut need = Vec::new();
        let start = self.first_slot_not(|d| d.is_none_or(|d| from.is_some_and(|f| d < f)), &mut need);
        let end = match to {
            Some(t) => self.first_slot_not(|d| d.is_none_or(|d| d <= t), &mut need),
            None => n,
        };
        if need.is_empty() {
            Ok(start..end.max(start))
        } else {
            Err(need)
        }
    }

    /// The first slot whose date is not `before` (which holds for a prefix of
    /// the slots in date order); when that needs a block's dates not fed yet,
    /// adds it to `need`.
    fn first_slot_not(&self, before: impl Fn(Option<i64>) -> bool, need: &mut Vec<String>) -> u32 {
        let Some(meta) = self.meta.as_ref() else { return 0 };
        let size = self.manifest.doc_block;
        for (block, &(first, last)) in meta.block_dates.iter().enumerate() {
            if before(last) {
                continue;
            }
            let block = block as u32;
            let start = block.saturating_mul(size);
            if !before(first) {
                return start;
            }
            return match self.dates.get(&block) {
                Some(dates) => start.saturating_add(dates.partition_point(|&d| before(d)) as u32),
                None => {
                    need.push(dates_path(block));
                    start
                }
            };
        }
        self.manifest.articles
    }

    /// The field lengths of `slots` (ascending) that the postings of the terms
    /// in `shards` carry.
    fn lengths_of(&self, shards: &BTreeSet<usize>, slots: &[u32]) -> Result<HashMap<u32, FieldCounts>, FormatError> {
        let mut out = HashMap::with_capacity(slots.len());
        if slots.is_empty() {
            return Ok(out);
        }
        for &number in shards {
            let Some(shard) = self.terms.get(&number) else { continue };
            for i in 0..shard.terms.len() {
                if shard.lengths_into(i, slots, &mut out).is_none() {
                    return Err(damaged(&terms_path(number), format!("the field lengths of '{}'", shard.terms[i].0)));
                }
            }
        }
        Ok(out)
    }

    /// The blocks of `slots` whose column (in `loaded`) was not fed, as paths.
    fn missing_blocks<T>(&self, slots: &[u32], loaded: &HashMap<u32, T>, path: fn(u32) -> String) -> BTreeSet<String> {
        let size = self.manifest.doc_block;
        let blocks: BTreeSet<u32> = slots.iter().map(|slot| slot / size).filter(|b| !loaded.contains_key(b)).collect();
        blocks.into_iter().map(path).collect()
    }

    fn term_shard(&self, term: &str) -> Option<usize> {
        format::shard_of(&self.meta.as_ref()?.term_shards, term)
    }

    /// Searches, with the same semantics as [`crate::search::SearchIndex::search`].
    /// Answers [`Step::Need`] until every file the answer depends on was fed.
    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<Step, StaticError> {
        self.search_with(query, options, None)
    }

    /// Searches the collection together with the reader's own articles
    /// (`added`, see [`super::overlay`]): the results are those of one
    /// library holding both, an added article replacing a collection article
    /// of the same id. Answers [`Step::Need`] until every file the answer
    /// depends on was fed (besides the query's, the id shards of the ids the
    /// filters and the added articles name, and the date blocks that place
    /// the added articles among the collection's).
    pub fn search_with(&mut self, query: &str, options: &SearchOptions, added: Option<&Library>) -> Result<Step, StaticError> {
        let added = added.filter(|library| !library.is_empty());
        let Some(meta) = self.meta.as_ref() else { return Ok(Step::Need(vec![INDEX_PATH.to_owned()])) };
        let parsed = query::parse(query, options.prefix, options.typos);

        // 0. The id shards of the ids the filters name and of the added articles.
        let mut need: BTreeSet<String> = BTreeSet::new();
        let named = options.filters.ids.iter().flatten().chain(&options.filters.except_ids).map(String::as_str);
        for id in named.chain(added.into_iter().flat_map(|library| library.index().ids())) {
            if self.known.contains_key(id) {
                continue;
            }
            if let Some(shard) = format::shard_of(&meta.id_shards, id) {
                if !self.ids.contains_key(&shard) {
                    need.insert(ids_path(shard));
                }
            }
        }

        // 1. The shards of the query's terms (and what typo matching needs).
        let mut positional: Vec<String> = Vec::new();
        let mut typo_words: Vec<&str> = Vec::new();
        // The term shards the query reads (their postings carry the field lengths to score with).
        let used = std::cell::RefCell::new(BTreeSet::new());
        let want_shard = |need: &mut BTreeSet<String>, shard: usize| {
            used.borrow_mut().insert(shard);
            if !self.terms.contains_key(&shard) {
                need.insert(terms_path(shard));
            }
        };
        let want_term = |need: &mut BTreeSet<String>, term: &str| {
            if let Some(shard) = format::shard_of(&meta.term_shards, term) {
                want_shard(need, shard);
            }
        };
        for term in &parsed.terms {
            match term {
                QueryTerm::Word { text, prefix, typos } => {
                    want_term(&mut need, text);
                    if *prefix {
                        for shard in format::shards_with_prefix(&meta.term_shards, text) {
                            want_shard(&mut need, shard);
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

        // 3b. Where each added article falls among the collection's slots, and
        //     the collection articles they replace.
        let (places, hidden) = match added {
            Some(library) => {
                let index = library.index();
                let mut need = Vec::new();
                let places: Vec<u32> = (0..index.slot_count() as u32)
                    .map(|slot| match index.doc(slot).and_then(|doc| doc.date) {
                        Some(date) => self.first_slot_not(|d| d.is_none_or(|d| d <= date), &mut need),
                        None => 0,
                    })
                    .collect();
                if !need.is_empty() {
                    need.sort_unstable();
                    need.dedup();
                    return Ok(Step::Need(need));
                }
                let mut hidden: Vec<u32> = index.ids().filter_map(|id| Corpus::slot_of(&*self, id)).collect();
                hidden.sort_unstable();
                hidden.dedup();
                (places, hidden)
            }
            None => (Vec::new(), Vec::new()),
        };
        let union = added.map(|library| Union::new(self, library, places, hidden));
        let corpus: &dyn Corpus = match &union {
            Some(union) => union,
            None => self,
        };
        let n = self.len();
        let filters = CompiledFilters::new(corpus, &options.filters)?;

        // 4. The matching articles: a date filter is a range of the
        //    collection's slots (the added articles are checked one by one);
        //    the blocks of facet values for a filter on them, then the token
        //    counts (scoring) and facet values (counting) of what passes.
        let everything = parsed.is_empty() && options.filters.is_empty() && union.is_none();
        let (total, facets, page) = if everything {
            let n = n as usize;
            let start = options.offset.min(n);
            let end = options.offset.saturating_add(options.limit).min(n);
            let page = (start..end)
                .map(|i| rank::Matched { slot: if options.sort == Sort::Oldest { i as u32 } else { (n - 1 - i) as u32 }, score: 0.0, typos: 0 })
                .collect();
            (n, self.facets(options.facet_limit).unwrap_or_default(), page)
        } else {
            let range = match self.date_range(filters.date_bounds()) {
                Ok(range) => range,
                Err(need) => return Ok(Step::Need(need)),
            };
            let by_values = filters.filters_values();
            let filters = filters.dated_from(n);
            let hidden = |slot: u32| union.as_ref().is_some_and(|union| union.is_hidden(slot));
            let mut found = found_in(corpus, &parsed);
            let candidates: Vec<u32> = match &mut found {
                Some(found) => {
                    found.retain(|slot| (slot >= n || range.contains(&slot)) && !hidden(slot));
                    found.slots.clone()
                }
                None => {
                    let mut all: Vec<u32> = range.clone().filter(|&slot| !hidden(slot)).collect();
                    all.extend(union.iter().flat_map(|union| union.added_slots()));
                    all
                }
            };
            let candidates: Vec<u32> = candidates.into_iter().filter(|&slot| filters.keeps_slot(slot)).collect();
            if by_values {
                let ours: Vec<u32> = candidates.iter().copied().filter(|&slot| slot < n).collect();
                let need = self.missing_blocks(&ours, &self.metas, meta_path);
                if !need.is_empty() {
                    return Ok(Step::Need(need.into_iter().collect()));
                }
            }
            // The collection's articles passed the dates as a range (and the ids above).
            let passing: Vec<u32> =
                candidates.into_iter().filter(|&slot| (slot < n && !by_values) || corpus.doc(slot).is_some_and(|d| filters.accepts(slot, &d))).collect();
            let ours: Vec<u32> = passing.iter().copied().filter(|&slot| slot < n).collect();
            if options.facet_limit > 0 {
                let need = self.missing_blocks(&ours, &self.metas, meta_path);
                if !need.is_empty() {
                    return Ok(Step::Need(need.into_iter().collect()));
                }
            }
            if found.is_some() {
                self.lens.replace(self.lengths_of(&used.into_inner(), &ours)?);
            }
            let matches = match &found {
                Some(found) => rank::score(corpus, &parsed, found, &filters),
                None => passing.iter().map(|&slot| rank::Matched { slot, score: 0.0, typos: 0 }).collect(),
            };
            let mut facets = facets::count(corpus, matches.iter().map(|m| m.slot), options.facet_limit);
            let mut ours: Vec<u32> = matches.iter().map(|m| m.slot).filter(|&slot| slot < n).collect();
            ours.sort_unstable();
            // The collection's years are ranges of slots; `count` counted the added articles' by date.
            facets.years = merge_years(self.year_facets(&ours, options.facet_limit), &facets.years, options.facet_limit);
            (matches.len(), facets, page_of(corpus, matches, options))
        };

        // 5. The cards of the collection's hits on the page (ids, and text for snippets).
        let missing: Vec<String> = page.iter().filter(|m| m.slot < n && !self.cards.contains_key(&m.slot)).map(|m| card_path(m.slot)).collect();
        if !missing.is_empty() {
            return Ok(Step::Need(missing));
        }
        let hits = hits(corpus, &page, &parsed, options)
            .into_iter()
            .zip(&page)
            .filter_map(|(hit, m)| {
                let entry = if m.slot < n { self.cards.get(&m.slot)?.entry.clone() } else { union.as_ref()?.library().summary(&hit.id)? };
                Some(StaticHit { id: hit.id, score: hit.score, snippet: hit.snippet, slot: m.slot, entry, added: m.slot >= n })
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

/// Year counts of two sets of articles, newest first, at most `limit`.
fn merge_years(a: Vec<FacetCount<i32>>, b: &[FacetCount<i32>], limit: usize) -> Vec<FacetCount<i32>> {
    if b.is_empty() {
        return a;
    }
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for facet in a.iter().chain(b) {
        *years.entry(facet.value).or_default() += facet.count;
    }
    years.into_iter().rev().take(limit).map(|(value, count)| FacetCount { value, count }).collect()
}

/// The candidates of a query (none for an empty one).
fn found_in(corpus: &dyn Corpus, parsed: &query::Query) -> Option<rank::Candidates> {
    (!parsed.is_empty()).then(|| rank::candidates(corpus, parsed))
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
        let lens = r.bytes("field lengths").map_err(&bad)?;
        let start = shard.bytes.len();
        shard.bytes.extend_from_slice(list);
        let middle = shard.bytes.len();
        shard.bytes.extend_from_slice(lens);
        shard.terms.push((term, len, start..middle, middle..shard.bytes.len()));
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
            let start = shard.terms.partition_point(|(t, _, _, _)| t.as_str() < prefix);
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

    /// The parts of a document that the search read: field lengths (from the
    /// postings of its terms) to score, facet values (fed by block) to filter
    /// and count; never its date (date filters and year facets are ranges of slots).
    fn doc(&self, slot: u32) -> Option<DocInfo<'_>> {
        if slot >= self.manifest.articles {
            return None;
        }
        let (block, at) = (slot / self.manifest.doc_block, (slot % self.manifest.doc_block) as usize);
        let lens = self.lens.borrow().get(&slot).copied().unwrap_or_default();
        let meta = self.metas.get(&block).and_then(|rows| rows.get(at));
        Some(DocInfo {
            lens,
            date: None,
            categories: meta.map_or(&[], |m| m.categories.as_slice()),
            source: meta.and_then(|m| m.source),
            author: meta.and_then(|m| m.author),
        })
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

    /// From the list pages, cards and id shards fed (see [`StaticCollection::search_with`]).
    fn slot_of(&self, id: &str) -> Option<u32> {
        if let Some(&slot) = self.known.get(id) {
            return Some(slot);
        }
        let shard = format::shard_of(&self.meta.as_ref()?.id_shards, id)?;
        let entries = self.ids.get(&shard)?;
        entries.binary_search_by(|(other, _)| other.as_str().cmp(id)).ok().map(|i| entries[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::static_collection::format::{encode_dates, encode_index, YearSpan};
    use crate::static_collection::MANIFEST_FORMAT;

    /// A collection of `dates` (in slot order) in blocks of 4, with only `index.bin` fed.
    fn dated(dates: &[Option<i64>]) -> StaticCollection {
        let manifest = Manifest {
            format: MANIFEST_FORMAT.into(),
            version: u32::from(format::FORMAT_VERSION),
            generator: "test".into(),
            build: "b".into(),
            articles: dates.len() as u32,
            skipped: 0,
            skipped_files: Vec::new(),
            sources: Vec::new(),
            list_page: 50,
            doc_block: 4,
            bytes: 0,
        };
        let block_dates = dates.chunks(4).map(|c| (c[0], c[c.len() - 1])).collect();
        let meta = IndexMeta { documents: dates.len() as u32, block_dates, years: vec![YearSpan { year: 1970, first: 2, count: dates.len().saturating_sub(2) as u32 }], ..IndexMeta::default() };
        let mut collection = StaticCollection::with_manifest(manifest).unwrap();
        collection.feed(INDEX_PATH, &encode_index(&meta)).unwrap();
        collection
    }

    #[test]
    fn a_date_range_is_the_slots_between_its_ends_fetching_only_the_blocks_they_fall_in() {
        let dates = [None, None, Some(0), Some(10), Some(10), Some(20), Some(30), Some(40), Some(50), Some(60), Some(60)];
        for from in [None, Some(-5), Some(0), Some(5), Some(10), Some(35), Some(40), Some(41), Some(60), Some(99)] {
            for to in [None, Some(-5), Some(0), Some(10), Some(15), Some(39), Some(40), Some(60), Some(99)] {
                if from.is_none() && to.is_none() {
                    continue;
                }
                let mut collection = dated(&dates);
                let range = match collection.date_range((from, to)) {
                    Ok(range) => range,
                    Err(need) => {
                        assert!(need.len() <= 2 && need.iter().all(|p| p.starts_with("dates/")), "{need:?}");
                        for path in need {
                            let block: usize = path["dates/".len()..path.len() - 4].parse().unwrap();
                            let chunk = dates.chunks(4).nth(block).unwrap();
                            collection.feed(&path, &encode_dates(chunk)).unwrap();
                        }
                        collection.date_range((from, to)).expect("the fed dates are enough")
                    }
                };
                let kept: Vec<u32> = (0..dates.len() as u32)
                    .filter(|&s| dates[s as usize].is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)))
                    .collect();
                assert_eq!(range.collect::<Vec<_>>(), kept, "from {from:?} to {to:?}");
            }
        }
    }

    #[test]
    fn year_facets_count_the_slots_of_each_year() {
        let collection = dated(&[None, None, Some(0), Some(10)]);
        assert_eq!(collection.year_facets(&[0, 2, 3], 10), vec![FacetCount { value: 1970, count: 2 }]);
        assert_eq!(collection.year_facets(&[0, 1, 3], 10), vec![FacetCount { value: 1970, count: 1 }]);
        assert!(collection.year_facets(&[0, 1], 10).is_empty() && collection.year_facets(&[3], 0).is_empty());
    }
}
