//! The index itself: documents, the term dictionary and posting lists, kept up
//! to date as documents are added, replaced and removed.
//!
//! Every document lives in a *slot* (its position in the document table). Slots
//! only grow: a removed document leaves an empty slot, and a replaced one moves
//! to a new slot. Nothing in a result depends on slot numbers, so an index that
//! saw additions and removals answers exactly as one built afresh; saving it
//! ([`super::persist`]) renumbers the slots densely.

use super::postings::{FieldCounts, PostingList, FIELD_COUNT};
use super::strings::StringTable;
use super::tokenize::{cjk_raw_searchable, tokenize, TokenKind};
use crate::article::Article;
use hashbrown::{DefaultHashBuilder, HashMap};

/// Field numbers, in the order of [`FieldCounts`].
pub const TITLE: usize = 0;
/// Categories field.
pub const CATEGORIES: usize = 1;
/// Author field.
pub const AUTHOR: usize = 2;
/// Body text field.
pub const TEXT: usize = 3;

/// What the index needs of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The article's id (unique in the index; adding it again replaces it).
    pub id: String,
    /// The article's name (its path within the collection).
    pub name: String,
    /// Title (searched, boosted most).
    pub title: String,
    /// Categories (searched, filtered and counted as facets).
    pub categories: Vec<String>,
    /// Author (searched and filtered).
    pub author: Option<String>,
    /// Source (filtered and counted as a facet).
    pub source: Option<String>,
    /// Publication date, RFC 3339 (for date filters, the year facet and recency).
    pub date: Option<String>,
    /// Plain body text (searched; snippets are cut from it).
    pub text: String,
}

impl Document {
    /// The searchable parts of an article (copied).
    pub fn from_article(article: &Article) -> Document {
        Document {
            id: article.id.clone(),
            name: article.name.clone(),
            title: article.title.clone(),
            categories: article.categories.clone(),
            author: article.author.clone(),
            source: article.source.clone(),
            date: article.date.clone(),
            text: article.text.clone(),
        }
    }
}

/// A document as the index keeps it.
#[derive(Debug, Clone)]
pub(crate) struct DocEntry {
    pub id: Box<str>,
    pub name: Box<str>,
    pub title: Box<str>,
    pub categories: Box<[u32]>,
    pub author: Option<u32>,
    pub source: Option<u32>,
    /// Seconds since the Unix epoch.
    pub date: Option<i64>,
    pub text: Box<str>,
    /// Tokens per field.
    pub lens: FieldCounts,
    /// See [`cjk_raw_searchable`]: true when CJK runs can be searched in the
    /// original strings of every field.
    pub raw_searchable: bool,
}

/// Parses an RFC 3339 date (or `YYYY-MM-DD`) into seconds since the Unix epoch.
pub fn date_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(date) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(date.timestamp());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp())
}

/// A full-text index over documents.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    pub(crate) docs: Vec<Option<DocEntry>>,
    pub(crate) slots: HashMap<Box<str>, u32, DefaultHashBuilder>,
    pub(crate) terms: StringTable,
    pub(crate) postings: Vec<PostingList>,
    /// Word terms (not CJK) sorted by text, for prefix search.
    pub(crate) sorted_words: Vec<u32>,
    /// Word terms added since `sorted_words` was last merged.
    pub(crate) unsorted_words: Vec<u32>,
    pub(crate) categories: StringTable,
    pub(crate) authors: StringTable,
    pub(crate) sources: StringTable,
    pub(crate) live: u32,
    pub(crate) len_sums: [u64; FIELD_COUNT],
    /// Reused while adding a document: its terms and their counts.
    pub(crate) scratch: HashMap<u32, FieldCounts, DefaultHashBuilder>,
}

/// Calls `each(field, text)` for every searchable string of a document entry:
/// the title, each category, the author, the text.
pub(crate) fn for_each_segment(index: &SearchIndex, doc: &DocEntry, each: impl FnMut(usize, &str)) {
    segments_of(&index.categories, &index.authors, doc, each);
}

fn segments_of<'a>(categories: &'a StringTable, authors: &'a StringTable, doc: &'a DocEntry, mut each: impl FnMut(usize, &'a str)) {
    each(TITLE, &doc.title);
    for &category in doc.categories.iter() {
        each(CATEGORIES, categories.get(category));
    }
    if let Some(author) = doc.author {
        each(AUTHOR, authors.get(author));
    }
    each(TEXT, &doc.text);
}

/// What a term stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A word (one token).
    Word,
    /// A CJK letter (one token).
    Letter,
    /// Two glued CJK letters (a bigram, not a token of its own).
    Pair,
}

/// Calls `each(term)` for every term of one searchable string: each word, each
/// CJK letter and each glued pair of CJK letters.
pub fn for_each_term(text: &str, mut each: impl FnMut(&str, TermKind)) {
    let mut previous: Option<char> = None;
    let mut pair = String::with_capacity(8);
    tokenize(text, |token| match token.kind {
        TokenKind::Word => {
            previous = None;
            each(token.text, TermKind::Word);
        }
        TokenKind::Cjk => {
            let current = token.text.chars().next();
            each(token.text, TermKind::Letter);
            if let (true, Some(before), Some(now)) = (token.glued, previous, current) {
                pair.clear();
                pair.push(before);
                pair.push(now);
                each(&pair, TermKind::Pair);
            }
            previous = current;
        }
    });
}

impl SearchIndex {
    /// An empty index.
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    /// True when the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// True when a document with this id is indexed.
    pub fn contains(&self, id: &str) -> bool {
        self.slots.contains_key(id)
    }

    /// Number of distinct terms with at least one document.
    pub fn term_count(&self) -> usize {
        self.postings.iter().filter(|p| !p.is_empty()).count()
    }

    /// Adds a document, replacing any document with the same id.
    pub fn add(&mut self, document: Document) {
        self.remove(&document.id);
        let slot = self.docs.len() as u32;
        let entry = DocEntry {
            raw_searchable: cjk_raw_searchable(&document.title)
                && document.categories.iter().all(|c| cjk_raw_searchable(c))
                && document.author.as_deref().is_none_or(cjk_raw_searchable)
                && cjk_raw_searchable(&document.text),
            categories: document.categories.iter().map(|c| self.categories.intern(c)).collect(),
            author: document.author.as_deref().map(|a| self.authors.intern(a)),
            source: document.source.as_deref().map(|s| self.sources.intern(s)),
            date: document.date.as_deref().and_then(date_seconds),
            id: document.id.into_boxed_str(),
            name: document.name.into_boxed_str(),
            title: document.title.into_boxed_str(),
            text: document.text.into_boxed_str(),
            lens: [0; FIELD_COUNT],
        };
        let mut counts = std::mem::take(&mut self.scratch);
        counts.clear();
        let mut lens = [0u32; FIELD_COUNT];
        let mut segments: Vec<(usize, &str)> = Vec::new();
        segments_of(&self.categories, &self.authors, &entry, |field, text| segments.push((field, text)));
        // The segments borrow `entry` and the facet tables, not the term table.
        let terms = &mut self.terms;
        let postings = &mut self.postings;
        let unsorted_words = &mut self.unsorted_words;
        for (field, text) in segments {
            let length = &mut lens[field];
            for_each_term(text, |term, kind| {
                if kind != TermKind::Pair {
                    *length = length.saturating_add(1);
                }
                let id = terms.intern(term);
                if id as usize == postings.len() {
                    postings.push(PostingList::default());
                    if kind == TermKind::Word {
                        unsorted_words.push(id);
                    }
                }
                let count = &mut counts.entry(id).or_insert([0; FIELD_COUNT])[field];
                *count = count.saturating_add(1);
            });
        }
        for (&term, field_counts) in &counts {
            self.postings[term as usize].push(slot, field_counts);
        }
        self.scratch = counts;
        for (sum, len) in self.len_sums.iter_mut().zip(lens) {
            *sum += u64::from(len);
        }
        let entry = DocEntry { lens, ..entry };
        self.slots.insert(entry.id.clone(), slot);
        self.docs.push(Some(entry));
        self.live += 1;
        if self.unsorted_words.len() > 4096.max(self.sorted_words.len() / 4) {
            self.merge_sorted_words();
        }
    }

    /// Removes the document with this id; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.slots.remove(id) else { return false };
        let Some(entry) = self.docs.get_mut(slot as usize).and_then(Option::take) else { return false };
        let mut terms: HashMap<u32, FieldCounts, DefaultHashBuilder> = HashMap::default();
        for_each_segment(self, &entry, |_, text| {
            for_each_term(text, |term, _| {
                if let Some(id) = self.terms.find(term) {
                    terms.insert(id, [0; FIELD_COUNT]);
                }
            });
        });
        for (term, _) in terms {
            self.postings[term as usize].remove(slot);
        }
        for (sum, len) in self.len_sums.iter_mut().zip(entry.lens) {
            *sum -= u64::from(len);
        }
        self.live -= 1;
        true
    }

    /// Sorts the word terms added since the last merge into `sorted_words`
    /// (searching works before, scanning the unsorted ones).
    pub fn merge_sorted_words(&mut self) {
        if self.unsorted_words.is_empty() {
            return;
        }
        let terms = &self.terms;
        terms.sort_ids(&mut self.unsorted_words);
        let mut merged = Vec::with_capacity(self.sorted_words.len() + self.unsorted_words.len());
        let (mut i, mut j) = (0, 0);
        while i < self.sorted_words.len() && j < self.unsorted_words.len() {
            if terms.bytes_of(self.sorted_words[i]) <= terms.bytes_of(self.unsorted_words[j]) {
                merged.push(self.sorted_words[i]);
                i += 1;
            } else {
                merged.push(self.unsorted_words[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&self.sorted_words[i..]);
        merged.extend_from_slice(&self.unsorted_words[j..]);
        self.sorted_words = merged;
        self.unsorted_words = Vec::new();
    }

    /// After a batch of additions: merges the new word terms into the sorted
    /// ones once there are enough of them to be worth it (a sixteenth of the
    /// sorted ones; until then a prefix search scans them), so that adding
    /// many small batches does not merge the whole vocabulary every time.
    pub fn settle_words(&mut self) {
        if self.unsorted_words.len() > 256.max(self.sorted_words.len() / 16) {
            self.merge_sorted_words();
        }
    }

    /// Finishes a batch of additions: sorts new terms and releases spare
    /// capacity. Searching works without it; it makes the index smaller.
    pub fn compact(&mut self) {
        self.merge_sorted_words();
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.terms.shrink_to_fit();
        self.sorted_words.shrink_to_fit();
        self.docs.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.scratch = HashMap::default();
    }

    /// The stored document in a slot.
    pub(crate) fn doc(&self, slot: u32) -> Option<&DocEntry> {
        self.docs.get(slot as usize).and_then(Option::as_ref)
    }

    /// The slot of a document id.
    pub(crate) fn slot_of(&self, id: &str) -> Option<u32> {
        self.slots.get(id).copied()
    }

    /// The body text of a document, as it was added.
    pub fn text(&self, id: &str) -> Option<&str> {
        self.slot_of(id).and_then(|slot| self.doc(slot)).map(|doc| &*doc.text)
    }

    /// The title and name of a document.
    pub fn title_and_name(&self, id: &str) -> Option<(&str, &str)> {
        self.slot_of(id).and_then(|slot| self.doc(slot)).map(|doc| (&*doc.title, &*doc.name))
    }

    /// Ids of all documents, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.docs.iter().flatten().map(|doc| &*doc.id)
    }

    /// Bytes this index holds on the heap (allocated capacity, summed over its
    /// structures; allocator overhead not included).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let docs: usize = self.docs.capacity() * size_of::<Option<DocEntry>>()
            + self
                .docs
                .iter()
                .flatten()
                .map(|d| d.id.len() + d.name.len() + d.title.len() + d.text.len() + d.categories.len() * 4)
                .sum::<usize>();
        let slots = self.slots.capacity() * (size_of::<(Box<str>, u32)>() + 1) + self.slots.keys().map(|k| k.len()).sum::<usize>();
        let postings = self.postings.capacity() * size_of::<PostingList>()
            + self.postings.iter().map(PostingList::heap_bytes).sum::<usize>();
        docs + slots
            + postings
            + self.terms.heap_bytes()
            + (self.sorted_words.capacity() + self.unsorted_words.capacity()) * 4
            + self.categories.heap_bytes()
            + self.authors.heap_bytes()
            + self.sources.heap_bytes()
            + self.scratch.capacity() * (size_of::<(u32, FieldCounts)>() + 1)
    }

    /// Bytes of the index proper: term dictionary and posting lists, without
    /// the stored documents (their text and metadata).
    pub fn postings_heap_bytes(&self) -> usize {
        self.postings.capacity() * std::mem::size_of::<PostingList>()
            + self.postings.iter().map(PostingList::heap_bytes).sum::<usize>()
            + self.terms.heap_bytes()
            + (self.sorted_words.capacity() + self.unsorted_words.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, text: &str) -> Document {
        Document { id: id.into(), name: format!("{id}.md"), title: title.into(), text: text.into(), ..Document::default() }
    }

    #[test]
    fn indexes_words_cjk_letters_and_bigrams_per_field() {
        let mut index = SearchIndex::new();
        index.add(doc("a", "Rust 東京", "rust rust 東京タワー"));
        let id = index.terms.find("rust").unwrap();
        assert_eq!(index.postings[id as usize].iter().collect::<Vec<_>>(), [(0, [1, 0, 0, 2])]);
        let pair = index.terms.find("東京").unwrap();
        assert_eq!(index.postings[pair as usize].iter().collect::<Vec<_>>(), [(0, [1, 0, 0, 1])]);
        assert!(index.terms.find("京タ").is_some());
        assert!(index.terms.find("タ").is_some());
        assert_eq!(index.doc(0).unwrap().lens, [3, 0, 0, 7]);
    }

    #[test]
    fn replacing_and_removing_update_postings_and_lengths() {
        let mut index = SearchIndex::new();
        index.add(doc("a", "One", "alpha beta"));
        index.add(doc("b", "Two", "beta"));
        index.add(doc("a", "One again", "gamma"));
        assert_eq!(index.len(), 2);
        let alpha = index.terms.find("alpha").unwrap();
        assert!(index.postings[alpha as usize].is_empty());
        assert_eq!(index.len_sums, [3, 0, 0, 2]);
        assert!(index.remove("b"));
        assert!(!index.remove("b"));
        let beta = index.terms.find("beta").unwrap();
        assert!(index.postings[beta as usize].is_empty());
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn reads_rfc3339_and_plain_dates() {
        assert_eq!(date_seconds("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(date_seconds("1970-01-02"), Some(86_400));
        assert_eq!(date_seconds("yesterday"), None);
    }
}
