//! What the query engine reads, behind one trait: an in-memory
//! [`SearchIndex`], or the loaded shards of a static collection
//! ([`crate::static_collection`]). Matching, ranking, filters, facets and
//! snippets ([`super::rank`], [`super::facets`], [`super::snippet`]) are
//! written once against [`Corpus`], so both answer every query alike.
//!
//! Documents live in *slots* (dense numbers); nothing in a result depends on
//! them except through [`Corpus::tie_order`], which must order documents
//! newest first, then by id.

use super::index::{for_each_segment, SearchIndex};
use super::postings::{FieldCounts, PostingIter, FIELD_COUNT};
use super::query::PhraseUnit;
use super::rank::{count_overlapping, count_phrase};
use super::tokenize::normalize;
use std::cmp::Ordering;

/// A posting list seen from outside: its encoded entries and their number,
/// possibly followed by the list of a second corpus searched with the first
/// (its slots after the first's).
#[derive(Debug, Clone, Copy)]
pub struct Postings<'a> {
    /// The encoded entries (see [`super::postings`]).
    bytes: &'a [u8],
    /// Number of entries (the term's document frequency).
    pub len: u32,
    /// The first list's own entries (`len` counts both lists').
    own: u32,
    /// The second list: bytes, entries, and the first slot of its corpus.
    then: Option<(&'a [u8], u32, u32)>,
}

impl<'a> Postings<'a> {
    /// `len` entries encoded in `bytes`.
    pub fn new(bytes: &'a [u8], len: u32) -> Postings<'a> {
        Postings { bytes, len, own: len, then: None }
    }

    /// The entries of `first`, then those of `second` with `shift` added to
    /// their slots (every slot of `first` is below `shift`).
    pub fn joined(first: Option<Postings<'a>>, second: Option<Postings<'a>>, shift: u32) -> Option<Postings<'a>> {
        match (first, second) {
            (first, None) => first,
            (None, Some(second)) => Some(Postings { bytes: &[], len: second.own, own: 0, then: Some((second.bytes, second.own, shift)) }),
            (Some(first), Some(second)) => Some(Postings { len: first.own + second.own, then: Some((second.bytes, second.own, shift)), ..first }),
        }
    }

    /// The entries in slot order: `(slot, counts per field)`.
    pub fn iter(&self) -> PostingIter<'a> {
        PostingIter::chained(self.bytes, self.own, self.then)
    }
}

/// What the engine needs of one document to score, filter and count it.
#[derive(Debug, Clone, Copy)]
pub struct DocInfo<'a> {
    /// Tokens per field (title, categories, author, text).
    pub lens: FieldCounts,
    /// Seconds since the Unix epoch.
    pub date: Option<i64>,
    /// Category value ids.
    pub categories: &'a [u32],
    /// Source value id.
    pub source: Option<u32>,
    /// Author value id.
    pub author: Option<u32>,
}

/// Facet value tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Categories.
    Categories,
    /// Authors.
    Authors,
    /// Sources.
    Sources,
}

/// The data a search reads. Every method answers from what is present; a
/// static collection's driver makes sure the needed shards are loaded first.
pub trait Corpus {
    /// Slots in use are below this.
    fn slot_count(&self) -> usize;
    /// Number of documents.
    fn live(&self) -> u32;
    /// Sum of tokens per field over all documents.
    fn len_sums(&self) -> [u64; FIELD_COUNT];
    /// The posting list of a term (a folded word, CJK letter or bigram).
    fn postings(&self, term: &str) -> Option<Postings<'_>>;
    /// Calls `each` for every word term starting with `prefix` (in any order).
    fn for_each_prefixed_word<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(&str, Postings<'a>));
    /// The document in a slot.
    fn doc(&self, slot: u32) -> Option<DocInfo<'_>>;
    /// The slots of every document, ascending.
    fn slots(&self) -> Vec<u32>;
    /// Occurrences of a run of 3+ CJK letters (folded) per field of a document, overlapping ones too.
    fn run_counts(&self, slot: u32, run: &str) -> FieldCounts;
    /// Occurrences of a phrase per field of a document.
    fn phrase_counts(&self, slot: u32, units: &[PhraseUnit]) -> FieldCounts;
    /// Order of two documents that tie otherwise: newer first, then by id.
    fn tie_order(&self, a: u32, b: u32) -> Ordering;
    /// The id of a value in a table.
    fn value_id(&self, table: Table, value: &str) -> Option<u32>;
    /// A value by id ("" when unknown).
    fn value(&self, table: Table, id: u32) -> &str;
    /// Number of values in a table.
    fn value_count(&self, table: Table) -> usize;
    /// The document's id.
    fn id(&self, slot: u32) -> Option<&str>;
    /// The slot of the document with this id (a static collection answers
    /// from the id shards it was fed).
    fn slot_of(&self, id: &str) -> Option<u32>;
    /// The document's plain text (for snippets).
    fn text(&self, slot: u32) -> Option<&str>;
}

impl Corpus for SearchIndex {
    fn slot_count(&self) -> usize {
        self.docs.len()
    }

    fn live(&self) -> u32 {
        self.live
    }

    fn len_sums(&self) -> [u64; FIELD_COUNT] {
        self.len_sums
    }

    fn postings(&self, term: &str) -> Option<Postings<'_>> {
        let list = &self.postings[self.terms.find(term)? as usize];
        (!list.is_empty()).then(|| Postings::new(list.bytes(), list.len()))
    }

    fn for_each_prefixed_word<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(&str, Postings<'a>)) {
        let terms = &self.terms;
        let sorted = &self.sorted_words;
        let start = sorted.partition_point(|&id| terms.get(id) < prefix);
        let mut visit = |id: u32| {
            let list = &self.postings[id as usize];
            if !list.is_empty() {
                each(terms.get(id), Postings::new(list.bytes(), list.len()));
            }
        };
        for &id in sorted[start..].iter().take_while(|&&id| terms.get(id).starts_with(prefix)) {
            visit(id);
        }
        for &id in &self.unsorted_words {
            if terms.get(id).starts_with(prefix) {
                visit(id);
            }
        }
    }

    fn doc(&self, slot: u32) -> Option<DocInfo<'_>> {
        let doc = self.docs.get(slot as usize)?.as_ref()?;
        Some(DocInfo { lens: doc.lens, date: doc.date, categories: &doc.categories, source: doc.source, author: doc.author })
    }

    fn slots(&self) -> Vec<u32> {
        self.docs.iter().enumerate().filter(|(_, d)| d.is_some()).map(|(slot, _)| slot as u32).collect()
    }

    fn run_counts(&self, slot: u32, run: &str) -> FieldCounts {
        let mut counts = [0u32; FIELD_COUNT];
        let Some(doc) = self.docs.get(slot as usize).and_then(Option::as_ref) else { return counts };
        for_each_segment(self, doc, |field, text| {
            counts[field] += if doc.raw_searchable { count_overlapping(text, run) } else { count_overlapping(&normalize(text), run) };
        });
        counts
    }

    fn phrase_counts(&self, slot: u32, units: &[PhraseUnit]) -> FieldCounts {
        let mut counts = [0u32; FIELD_COUNT];
        if let Some(doc) = self.docs.get(slot as usize).and_then(Option::as_ref) {
            for_each_segment(self, doc, |field, text| counts[field] += count_phrase(text, units));
        }
        counts
    }

    fn tie_order(&self, a: u32, b: u32) -> Ordering {
        let (da, db) = (self.docs.get(a as usize).and_then(Option::as_ref), self.docs.get(b as usize).and_then(Option::as_ref));
        db.and_then(|d| d.date).cmp(&da.and_then(|d| d.date)).then_with(|| da.map(|d| &d.id).cmp(&db.map(|d| &d.id)))
    }

    fn value_id(&self, table: Table, value: &str) -> Option<u32> {
        self.table(table).find(value)
    }

    fn value(&self, table: Table, id: u32) -> &str {
        self.table(table).get(id)
    }

    fn value_count(&self, table: Table) -> usize {
        self.table(table).len()
    }

    fn id(&self, slot: u32) -> Option<&str> {
        self.docs.get(slot as usize)?.as_ref().map(|d| &*d.id)
    }

    fn slot_of(&self, id: &str) -> Option<u32> {
        SearchIndex::slot_of(self, id)
    }

    fn text(&self, slot: u32) -> Option<&str> {
        self.docs.get(slot as usize)?.as_ref().map(|d| &*d.text)
    }
}

impl SearchIndex {
    fn table(&self, table: Table) -> &super::strings::StringTable {
        match table {
            Table::Categories => &self.categories,
            Table::Authors => &self.authors,
            Table::Sources => &self.sources,
        }
    }
}
