//! Matching and ranking: which documents match every term of a query, and how
//! well.
//!
//! Each term is scored with BM25 (`k1` = [`K1`], `b` = [`B`]) per field, the
//! fields weighted by [`FIELD_BOOSTS`] (title 3, categories 2, author 2, text 1)
//! and summed; a document's score is the sum over the query's terms. A word
//! that matches only as a prefix counts [`PREFIX_WEIGHT`] of an exact match,
//! one that matches only with a typo [`TYPO_WEIGHT`]. For a CJK run of three or
//! more letters and for a phrase, the term frequency is the number of verified
//! occurrences, and the document frequency the number of documents holding all
//! their bigrams.
//!
//! Order of results: documents that needed fewer typo matches first; then by
//! score; then newest first; then by id.

use super::facets::CompiledFilters;
use super::index::{for_each_segment, DocEntry, SearchIndex};
use super::postings::{FieldCounts, FIELD_COUNT};
use super::query::{PhraseUnit, Query, QueryTerm, MAX_PHRASE_UNITS};
use super::tokenize::{normalize, tokenize, TokenKind};

/// BM25 term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25 length normalisation.
pub const B: f32 = 0.75;
/// Weight of each field: title, categories, author, text.
pub const FIELD_BOOSTS: [f32; FIELD_COUNT] = [3.0, 2.0, 2.0, 1.0];
/// Weight of a word matched only as a prefix of a longer word.
pub const PREFIX_WEIGHT: f32 = 0.5;
/// Weight of a word matched only with one typo.
pub const TYPO_WEIGHT: f32 = 0.3;

/// A matching document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matched {
    pub slot: u32,
    pub score: f32,
    /// Terms this document matched only through a typo.
    pub typos: u16,
}

struct Stats {
    documents: f32,
    average_lengths: [f32; FIELD_COUNT],
}

impl Stats {
    fn of(index: &SearchIndex) -> Stats {
        let documents = index.live.max(1) as f32;
        let mut average_lengths = [1.0; FIELD_COUNT];
        for (average, &sum) in average_lengths.iter_mut().zip(&index.len_sums) {
            if sum > 0 {
                *average = sum as f32 / documents;
            }
        }
        Stats { documents, average_lengths }
    }

    fn idf(&self, document_frequency: u32) -> f32 {
        let df = document_frequency as f32;
        (1.0 + (self.documents - df + 0.5) / (df + 0.5)).ln()
    }

    fn score(&self, idf: f32, counts: &FieldCounts, lengths: &FieldCounts) -> f32 {
        let mut total = 0.0;
        for field in 0..FIELD_COUNT {
            let tf = counts[field] as f32;
            if tf > 0.0 {
                let norm = 1.0 - B + B * lengths[field] as f32 / self.average_lengths[field];
                total += FIELD_BOOSTS[field] * tf * (K1 + 1.0) / (tf + K1 * norm);
            }
        }
        idf * total
    }
}

/// True when `a` and `b` differ by at most one edit: a character inserted,
/// deleted or replaced, or two adjacent characters swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let swapped = prefix + 1 < short.len()
            && short[prefix] == long[prefix + 1]
            && short[prefix + 1] == long[prefix]
            && short[prefix + 2..] == long[prefix + 2..];
        swapped || short[prefix..].iter().skip(1).eq(long[prefix..].iter().skip(1))
    } else {
        short[prefix..].iter().eq(long[prefix + 1..].iter())
    }
}

/// True when an indexed word matches a query word term.
pub(crate) fn word_matches(text: &str, word: &str, prefix: bool, typos: bool) -> bool {
    word == text
        || (prefix && word.starts_with(text))
        || (typos && word.bytes().all(|b| b.is_ascii_lowercase()) && within_one_edit(text, word))
}

/// The words one edit away from `word` (letters `a`–`z`; see [`within_one_edit`]), without `word` itself.
fn typo_variants(word: &str) -> Vec<String> {
    let letters = word.as_bytes();
    let mut out = Vec::with_capacity(letters.len() * 53 + 26);
    let make = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap_or_default();
    for i in 0..letters.len() {
        let mut deleted = letters.to_vec();
        deleted.remove(i);
        out.push(make(deleted));
        for c in b'a'..=b'z' {
            if c != letters[i] {
                let mut replaced = letters.to_vec();
                replaced[i] = c;
                out.push(make(replaced));
            }
        }
    }
    for i in 1..letters.len() {
        if letters[i] != letters[i - 1] {
            let mut swapped = letters.to_vec();
            swapped.swap(i - 1, i);
            out.push(make(swapped));
        }
    }
    for i in 0..=letters.len() {
        for c in b'a'..=b'z' {
            let mut inserted = letters.to_vec();
            inserted.insert(i, c);
            out.push(make(inserted));
        }
    }
    // Duplicates (from doubled letters) are harmless: a term offered twice scores the same.
    out
}

/// Scratch space for one search: one entry per slot.
struct Scratch {
    /// Terms matched so far by each slot.
    matched: Vec<u16>,
    score: Vec<f32>,
    typos: Vec<u16>,
    /// Best score of the current term per slot, and whether it matched without a typo.
    best: Vec<f32>,
    exact: Vec<bool>,
    seen: Vec<bool>,
    touched: Vec<u32>,
    /// Counter for intersections.
    hits: Vec<u16>,
}

impl Scratch {
    fn new(slots: usize) -> Scratch {
        Scratch {
            matched: vec![0; slots],
            score: vec![0.0; slots],
            typos: vec![0; slots],
            best: vec![0.0; slots],
            exact: vec![false; slots],
            seen: vec![false; slots],
            touched: Vec::new(),
            hits: vec![0; slots],
        }
    }

    /// Records a candidate score of the current term for `slot`.
    fn offer(&mut self, slot: u32, score: f32, exact: bool) {
        let i = slot as usize;
        if !self.seen[i] {
            self.seen[i] = true;
            self.touched.push(slot);
        }
        if score > self.best[i] {
            self.best[i] = score;
        }
        self.exact[i] |= exact;
    }

    /// Folds the current term into the running totals: slots that matched all
    /// `term_index` previous terms and this one move on.
    fn settle(&mut self, term_index: u16) {
        for &slot in &self.touched {
            let i = slot as usize;
            if self.matched[i] == term_index {
                self.matched[i] = term_index + 1;
                self.score[i] += self.best[i];
                if !self.exact[i] {
                    self.typos[i] += 1;
                }
            }
            self.best[i] = 0.0;
            self.exact[i] = false;
            self.seen[i] = false;
        }
        self.touched.clear();
    }

    /// Slots holding every one of `keys`' postings (term ids), rarest first.
    fn intersect(&mut self, index: &SearchIndex, keys: &[u32]) -> Vec<u32> {
        // Rarest list first (a key listed twice simply counts twice).
        let mut keys = keys.to_vec();
        if let Some(rarest) = (0..keys.len()).min_by_key(|&i| index.postings[keys[i] as usize].len()) {
            keys.swap(0, rarest);
        }
        let mut found: Vec<u32> = Vec::new();
        for (round, &key) in keys.iter().enumerate() {
            let round = round as u16;
            for (slot, _) in index.postings[key as usize].iter() {
                let hits = &mut self.hits[slot as usize];
                if round == 0 {
                    *hits = 1;
                    found.push(slot);
                } else if *hits == round {
                    *hits = round + 1;
                }
            }
        }
        let need = keys.len() as u16;
        let mut out = Vec::new();
        for slot in found {
            if self.hits[slot as usize] == need {
                out.push(slot);
            }
            self.hits[slot as usize] = 0;
        }
        out
    }
}

/// Finds the documents matching every term of `query` and passing `filters`.
pub(crate) fn evaluate(index: &SearchIndex, query: &Query, filters: &CompiledFilters) -> Vec<Matched> {
    let stats = Stats::of(index);
    let mut scratch = Scratch::new(index.docs.len());
    // Cheap terms first, so that verification runs only on surviving candidates.
    let cost = |t: &QueryTerm| match t {
        QueryTerm::Word { .. } => 0,
        QueryTerm::Cjk { text } if text.chars().count() <= 2 => 0,
        QueryTerm::Cjk { .. } => 1,
        QueryTerm::Phrase { .. } => 2,
    };
    let terms: Vec<&QueryTerm> = (0..3).flat_map(|c| query.terms.iter().filter(move |t| cost(t) == c)).collect();
    for (round, term) in terms.iter().enumerate() {
        let round = round as u16;
        let alive = |scratch: &Scratch, slot: u32| scratch.matched[slot as usize] == round;
        match term {
            QueryTerm::Word { text, prefix, typos } => {
                for (term_id, weight, exact) in word_expansions(index, text, *prefix, *typos) {
                    let list = &index.postings[term_id as usize];
                    let idf = stats.idf(list.len());
                    for (slot, counts) in list.iter() {
                        if !alive(&scratch, slot) {
                            continue;
                        }
                        let Some(doc) = index.doc(slot) else { continue };
                        scratch.offer(slot, weight * stats.score(idf, &counts, &doc.lens), exact);
                    }
                }
            }
            QueryTerm::Cjk { text } => {
                let letters: Vec<char> = text.chars().collect();
                if letters.len() <= 2 {
                    // One letter or one bigram: the posting list is exact.
                    if let Some(term_id) = index.terms.find(text) {
                        let list = &index.postings[term_id as usize];
                        let idf = stats.idf(list.len());
                        for (slot, counts) in list.iter() {
                            if alive(&scratch, slot) {
                                if let Some(doc) = index.doc(slot) {
                                    scratch.offer(slot, stats.score(idf, &counts, &doc.lens), true);
                                }
                            }
                        }
                    }
                } else {
                    let Some(keys) = letters
                        .windows(2)
                        .map(|pair| index.terms.find(&pair.iter().collect::<String>()))
                        .collect::<Option<Vec<u32>>>()
                    else {
                        return Vec::new();
                    };
                    let candidates = scratch.intersect(index, &keys);
                    let idf = stats.idf(candidates.len() as u32);
                    for slot in candidates {
                        if !alive(&scratch, slot) {
                            continue;
                        }
                        let Some(doc) = index.doc(slot) else { continue };
                        let counts = count_run(index, doc, text);
                        if counts.iter().any(|&c| c > 0) {
                            scratch.offer(slot, stats.score(idf, &counts, &doc.lens), true);
                        }
                    }
                }
            }
            QueryTerm::Phrase { units } => {
                let Some(keys) = phrase_keys(index, units) else { return Vec::new() };
                let candidates = scratch.intersect(index, &keys);
                let idf = stats.idf(candidates.len() as u32);
                for slot in candidates {
                    if !alive(&scratch, slot) {
                        continue;
                    }
                    let Some(doc) = index.doc(slot) else { continue };
                    let mut counts = [0u32; FIELD_COUNT];
                    for_each_segment(index, doc, |field, text| counts[field] += count_phrase(text, units));
                    if counts.iter().any(|&c| c > 0) {
                        scratch.offer(slot, stats.score(idf, &counts, &doc.lens), true);
                    }
                }
            }
        }
        scratch.settle(round);
    }
    let need = terms.len() as u16;
    let mut out = Vec::new();
    for (slot, &matched) in scratch.matched.iter().enumerate() {
        if matched == need && need > 0 {
            let slot = slot as u32;
            if let Some(doc) = index.doc(slot) {
                if filters.accepts(doc) {
                    out.push(Matched { slot, score: scratch.score[slot as usize], typos: scratch.typos[slot as usize] });
                }
            }
        }
    }
    out
}

/// The index terms a query word matches: `(term id, weight, exact)`, where
/// `exact` is false for typo matches.
fn word_expansions(index: &SearchIndex, text: &str, prefix: bool, typos: bool) -> Vec<(u32, f32, bool)> {
    let mut out: Vec<(u32, f32, bool)> = Vec::new();
    let exact_id = index.terms.find(text);
    if let Some(id) = exact_id {
        out.push((id, 1.0, true));
    }
    if prefix {
        let terms = &index.terms;
        let sorted = &index.sorted_words;
        let start = sorted.partition_point(|&id| terms.get(id) < text);
        for &id in sorted[start..].iter().take_while(|&&id| terms.get(id).starts_with(text)) {
            if Some(id) != exact_id {
                out.push((id, PREFIX_WEIGHT, true));
            }
        }
        for &id in &index.unsorted_words {
            if Some(id) != exact_id && terms.get(id).starts_with(text) {
                out.push((id, PREFIX_WEIGHT, true));
            }
        }
    }
    if typos {
        for variant in typo_variants(text) {
            if let Some(id) = index.terms.find(&variant) {
                if Some(id) != exact_id && !(prefix && variant.starts_with(text)) {
                    out.push((id, TYPO_WEIGHT, false));
                }
            }
        }
    }
    out.retain(|(id, _, _)| !index.postings[*id as usize].is_empty());
    out
}

/// The posting keys a phrase's documents must all hold: its words, and its CJK
/// letters (as bigrams where they are glued).
fn phrase_keys(index: &SearchIndex, units: &[PhraseUnit]) -> Option<Vec<u32>> {
    let mut keys = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let key = match (unit.kind, unit.glued, i.checked_sub(1).map(|p| &units[p])) {
            (TokenKind::Cjk, true, Some(previous)) => format!("{}{}", previous.text, unit.text),
            _ => unit.text.clone(),
        };
        keys.push(index.terms.find(&key)?);
    }
    Some(keys)
}

/// Occurrences (overlapping ones too) of a run of CJK letters in each field of a document.
fn count_run(index: &SearchIndex, doc: &DocEntry, run: &str) -> FieldCounts {
    let mut counts = [0u32; FIELD_COUNT];
    for_each_segment(index, doc, |field, text| {
        counts[field] += if doc.raw_searchable { count_overlapping(text, run) } else { count_overlapping(&normalize(text), run) };
    });
    counts
}

/// Occurrences of `needle` in `haystack`, overlapping ones included.
pub(crate) fn count_overlapping(haystack: &str, needle: &str) -> u32 {
    let Some(first) = needle.chars().next() else { return 0 };
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = haystack.get(from..).and_then(|rest| rest.find(needle)) {
        count += 1;
        from += at + first.len_utf8();
    }
    count
}

/// Occurrences of a phrase (at most [`MAX_PHRASE_UNITS`] units) in one
/// searchable string, found in one pass with the shift-and algorithm.
pub(crate) fn count_phrase(text: &str, units: &[PhraseUnit]) -> u32 {
    let units = &units[..units.len().min(MAX_PHRASE_UNITS)];
    let Some(last) = units.len().checked_sub(1) else { return 0 };
    let mut count = 0;
    // Bit i: the last tokens read spell units 0..=i.
    let mut state = 0u64;
    tokenize(text, |token| {
        let mut fits = 0u64;
        for (i, unit) in units.iter().enumerate() {
            if unit.kind == token.kind && unit.text == token.text && (i == 0 || !unit.glued || token.glued) {
                fits |= 1 << i;
            }
        }
        state = ((state << 1) | 1) & fits;
        if state & (1 << last) != 0 {
            count += 1;
        }
    });
    count
}

/// True when the tokens in `window` (as many as `units`) spell the phrase.
pub(crate) fn phrase_at(window: &std::collections::VecDeque<(String, TokenKind, bool)>, units: &[PhraseUnit]) -> bool {
    window.iter().zip(units).enumerate().all(|(i, ((text, kind, glued), unit))| {
        *kind == unit.kind && *text == unit.text && (i == 0 || !unit.glued || *glued)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_insert_delete_replace_or_swap() {
        assert!(within_one_edit("kitten", "kitten"));
        assert!(within_one_edit("kitten", "sitten"));
        assert!(within_one_edit("kitten", "kiten"));
        assert!(within_one_edit("kitten", "kittens"));
        assert!(!within_one_edit("kitten", "sittin"));
        assert!(!within_one_edit("kitten", "kit"));
        assert!(within_one_edit("night", "nigth"));
        assert!(within_one_edit("night", "ngiht"));
        assert!(!within_one_edit("night", "nihtg"));
        assert!(!within_one_edit("abcd", "badc"));
    }

    #[test]
    fn typo_variants_are_exactly_one_edit_away() {
        let variants = typo_variants("abc");
        assert!(variants.iter().all(|v| within_one_edit(v, "abc") && v != "abc"));
        assert!(variants.contains(&"ac".to_owned()) && variants.contains(&"abxc".to_owned()) && variants.contains(&"abd".to_owned()));
    }

    #[test]
    fn counts_overlapping_occurrences() {
        assert_eq!(count_overlapping("哈哈哈", "哈哈"), 2);
        assert_eq!(count_overlapping("abc", ""), 0);
    }

    #[test]
    fn idf_falls_as_a_term_gets_common() {
        let stats = Stats { documents: 100.0, average_lengths: [1.0; FIELD_COUNT] };
        assert!(stats.idf(1) > stats.idf(50));
        assert!(stats.idf(100) > 0.0);
    }
}
