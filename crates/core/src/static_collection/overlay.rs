//! The reader's own articles (a [`Library`] kept in the browser) searched
//! together with a static collection, as one corpus: one list, one ranking,
//! one set of facets, as if the collection had been built with them.
//!
//! The added articles take the slots after the collection's. Their postings
//! follow the collection's ([`Postings::joined`]), so document frequencies and
//! field lengths are those of both; their facet values get ids after the
//! collection's where the collection lacks them. The collection's slots are
//! in date order; each added article has a *place* among them (how many of
//! the collection's articles are not newer than it, found from the blocks of
//! dates), so the newest/oldest order and recency ties interleave both. A
//! collection article with the id of an added one is hidden: the reader's
//! copy wins.

use super::reader::StaticCollection;
use crate::library::Library;
use crate::search::corpus::{Corpus, DocInfo, Postings, Table};
use crate::search::postings::{FieldCounts, FIELD_COUNT};
use crate::search::query::PhraseUnit;
use crate::search::SearchIndex;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// What an added article's facet values are in the union's tables.
struct AddedDoc {
    categories: Vec<u32>,
    source: Option<u32>,
    author: Option<u32>,
}

/// A static collection and the added articles, as one [`Corpus`].
pub(super) struct Union<'a> {
    base: &'a StaticCollection,
    library: &'a Library,
    index: &'a SearchIndex,
    /// The collection's slots: the added articles' come after.
    n: u32,
    /// Collection slots hidden by an added article of the same id (sorted).
    hidden: Vec<u32>,
    /// Per added slot: its place among the collection's slots in date order.
    places: Vec<u32>,
    docs: Vec<Option<AddedDoc>>,
    /// Values only the added articles have, per table (ids after the collection's).
    extra: [Vec<String>; 3],
    extra_ids: [HashMap<String, u32>; 3],
}

const TABLES: [Table; 3] = [Table::Categories, Table::Authors, Table::Sources];

impl<'a> Union<'a> {
    /// `places[slot]`: where added slot `slot` falls among the collection's
    /// slots in date order (the number of collection slots not newer than it).
    pub(super) fn new(base: &'a StaticCollection, library: &'a Library, places: Vec<u32>, hidden: Vec<u32>) -> Union<'a> {
        let index = library.index();
        let mut extra: [Vec<String>; 3] = Default::default();
        let mut extra_ids: [HashMap<String, u32>; 3] = Default::default();
        let mut remap: [Vec<u32>; 3] = Default::default();
        for (t, &table) in TABLES.iter().enumerate() {
            let known = base.value_count(table) as u32;
            for id in 0..index.value_count(table) as u32 {
                let value = index.value(table, id);
                let union_id = base.value_id(table, value).unwrap_or_else(|| {
                    *extra_ids[t].entry(value.to_owned()).or_insert_with(|| {
                        extra[t].push(value.to_owned());
                        known + extra[t].len() as u32 - 1
                    })
                });
                remap[t].push(union_id);
            }
        }
        let map = |t: usize, id: u32| remap[t].get(id as usize).copied();
        let docs = (0..index.slot_count() as u32)
            .map(|slot| {
                let doc = index.doc(slot)?;
                Some(AddedDoc {
                    categories: doc.categories.iter().filter_map(|&c| map(0, c)).collect(),
                    author: doc.author.and_then(|a| map(1, a)),
                    source: doc.source.and_then(|s| map(2, s)),
                })
            })
            .collect();
        Union { base, library, index, n: base.len(), hidden, places, docs, extra, extra_ids }
    }

    /// True for a collection slot an added article hides.
    pub(super) fn is_hidden(&self, slot: u32) -> bool {
        slot < self.n && self.hidden.binary_search(&slot).is_ok()
    }

    /// The slots of the added articles (in the union's numbering).
    pub(super) fn added_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.index.slots().into_iter().map(move |slot| slot + self.n)
    }

    /// The library the added articles live in.
    pub(super) fn library(&self) -> &'a Library {
        self.library
    }

    /// The position of a slot in date order: a collection slot sits at `2 s + 1`,
    /// an added article just below the collection slot its place names.
    fn key(&self, slot: u32) -> u64 {
        if slot < self.n {
            2 * u64::from(slot) + 1
        } else {
            2 * u64::from(self.places.get((slot - self.n) as usize).copied().unwrap_or(0))
        }
    }

    fn table(&self, table: Table) -> usize {
        TABLES.iter().position(|&t| t == table).unwrap_or(0)
    }
}

impl Corpus for Union<'_> {
    fn slot_count(&self) -> usize {
        self.n as usize + self.index.slot_count()
    }

    fn live(&self) -> u32 {
        self.base.live().saturating_sub(self.hidden.len() as u32) + self.index.live()
    }

    fn len_sums(&self) -> [u64; FIELD_COUNT] {
        let (a, b) = (self.base.len_sums(), self.index.len_sums());
        std::array::from_fn(|field| a[field] + b[field])
    }

    fn postings(&self, term: &str) -> Option<Postings<'_>> {
        Postings::joined(self.base.postings(term), self.index.postings(term), self.n)
    }

    fn for_each_prefixed_word<'b>(&'b self, prefix: &str, each: &mut dyn FnMut(&str, Postings<'b>)) {
        type Both<'b> = (Option<Postings<'b>>, Option<Postings<'b>>);
        let mut words: BTreeMap<String, Both<'b>> = BTreeMap::new();
        self.base.for_each_prefixed_word(prefix, &mut |word, list| words.entry(word.to_owned()).or_default().0 = Some(list));
        self.index.for_each_prefixed_word(prefix, &mut |word, list| words.entry(word.to_owned()).or_default().1 = Some(list));
        for (word, (ours, theirs)) in words {
            if let Some(list) = Postings::joined(ours, theirs, self.n) {
                each(&word, list);
            }
        }
    }

    fn doc(&self, slot: u32) -> Option<DocInfo<'_>> {
        if slot < self.n {
            return if self.is_hidden(slot) { None } else { self.base.doc(slot) };
        }
        let local = slot - self.n;
        let info = self.index.doc(local)?;
        let added = self.docs.get(local as usize)?.as_ref()?;
        Some(DocInfo { lens: info.lens, date: info.date, categories: &added.categories, source: added.source, author: added.author })
    }

    fn slots(&self) -> Vec<u32> {
        let mut slots: Vec<u32> = self.base.slots().into_iter().filter(|&s| !self.is_hidden(s)).collect();
        slots.extend(self.added_slots());
        slots
    }

    fn run_counts(&self, slot: u32, run: &str) -> FieldCounts {
        if slot < self.n {
            self.base.run_counts(slot, run)
        } else {
            self.index.run_counts(slot - self.n, run)
        }
    }

    fn phrase_counts(&self, slot: u32, units: &[PhraseUnit]) -> FieldCounts {
        if slot < self.n {
            self.base.phrase_counts(slot, units)
        } else {
            self.index.phrase_counts(slot - self.n, units)
        }
    }

    fn tie_order(&self, a: u32, b: u32) -> Ordering {
        self.key(b).cmp(&self.key(a)).then_with(|| {
            if a >= self.n && b >= self.n {
                self.index.tie_order(a - self.n, b - self.n)
            } else {
                Ordering::Equal
            }
        })
    }

    fn value_id(&self, table: Table, value: &str) -> Option<u32> {
        self.base.value_id(table, value).or_else(|| self.extra_ids[self.table(table)].get(value).copied())
    }

    fn value(&self, table: Table, id: u32) -> &str {
        let known = self.base.value_count(table) as u32;
        if id < known {
            self.base.value(table, id)
        } else {
            self.extra[self.table(table)].get((id - known) as usize).map_or("", String::as_str)
        }
    }

    fn value_count(&self, table: Table) -> usize {
        self.base.value_count(table) + self.extra[self.table(table)].len()
    }

    fn id(&self, slot: u32) -> Option<&str> {
        if slot < self.n {
            self.base.id(slot)
        } else {
            self.index.id(slot - self.n)
        }
    }

    fn text(&self, slot: u32) -> Option<&str> {
        if slot < self.n {
            self.base.text(slot)
        } else {
            Corpus::text(self.index, slot - self.n)
        }
    }

    fn slot_of(&self, id: &str) -> Option<u32> {
        match self.index.slot_of(id) {
            Some(slot) => Some(slot + self.n),
            None => self.base.slot_of(id).filter(|&slot| !self.is_hidden(slot)),
        }
    }
}
