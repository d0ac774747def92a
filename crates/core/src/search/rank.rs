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

use super::corpus::{Corpus, Postings};
use super::facets::CompiledFilters;
use super::postings::{FieldCounts, FIELD_COUNT};
use super::query::{PhraseUnit, Query, QueryTerm, MAX_PHRASE_UNITS};
use super::tokenize::{tokenize, TokenKind};

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
    fn of(corpus: &dyn Corpus) -> Stats {
        let documents = corpus.live().max(1) as f32;
        let mut average_lengths = [1.0; FIELD_COUNT];
        for (average, &sum) in average_lengths.iter_mut().zip(&corpus.len_sums()) {
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

/// The terms of a query in the order they are evaluated: cheap ones first,
/// so that verification runs only on surviving candidates.
fn evaluation_order(query: &Query) -> Vec<&QueryTerm> {
    let cost = |t: &QueryTerm| match t {
        QueryTerm::Word { .. } => 0,
        QueryTerm::Cjk { text } if text.chars().count() <= 2 => 0,
        QueryTerm::Cjk { .. } => 1,
        QueryTerm::Phrase { .. } => 2,
    };
    (0..3).flat_map(|c| query.terms.iter().filter(move |t| cost(t) == c)).collect()
}

/// The documents matching every term of a query, before filters, and what
/// scoring them needs besides the postings: found without reading any
/// document's metadata (see [`candidates`]).
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Matching slots, ascending.
    pub slots: Vec<u32>,
    /// Per slot in `slots`: terms matched only through a typo.
    typos: Vec<u16>,
    /// Per evaluated term: for a CJK run or a phrase, its document frequency
    /// (documents holding all its keys) and the verified counts of each slot.
    verified: Vec<Option<(u32, Vec<(u32, FieldCounts)>)>>,
}

impl Candidates {
    /// Keeps only the slots `keep` says yes to.
    pub(crate) fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let (mut slots, mut typos) = (Vec::with_capacity(self.slots.len()), Vec::with_capacity(self.slots.len()));
        for (&slot, &t) in self.slots.iter().zip(&self.typos) {
            if keep(slot) {
                slots.push(slot);
                typos.push(t);
            }
        }
        self.slots = slots;
        self.typos = typos;
    }
}

/// Slots holding every one of `keys`' postings.
fn intersect(lists: &[Postings<'_>], hits: &mut [u16]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..lists.len()).collect();
    // Rarest list first (a key listed twice simply counts twice).
    if let Some(rarest) = (0..lists.len()).min_by_key(|&i| lists[i].len) {
        order.swap(0, rarest);
    }
    let mut found: Vec<u32> = Vec::new();
    for (round, &i) in order.iter().enumerate() {
        let round = round as u16;
        for (slot, _) in lists[i].iter() {
            let Some(count) = hits.get_mut(slot as usize) else { continue };
            if round == 0 {
                *count = 1;
                found.push(slot);
            } else if *count == round {
                *count = round + 1;
            }
        }
    }
    let need = lists.len() as u16;
    let mut out = Vec::new();
    for slot in found {
        if hits[slot as usize] == need {
            out.push(slot);
        }
        hits[slot as usize] = 0;
    }
    out
}

/// First phase of a search: the slots matching every term of `query`
/// (unfiltered), from the postings and, for CJK runs and phrases, the
/// verified occurrences. Reads no document metadata.
pub fn candidates(corpus: &dyn Corpus, query: &Query) -> Candidates {
    let slots = corpus.slot_count();
    let mut matched = vec![0u16; slots];
    let mut typos = vec![0u16; slots];
    let mut exact = vec![false; slots];
    let mut seen = vec![false; slots];
    let mut touched: Vec<u32> = Vec::new();
    let mut hits = vec![0u16; slots];
    let mut verified = Vec::new();
    let terms = evaluation_order(query);
    for (round, term) in terms.iter().enumerate() {
        let round = round as u16;
        let mut offer = |slot: u32, is_exact: bool| {
            let i = slot as usize;
            if i >= slots || matched[i] != round {
                return;
            }
            if !seen[i] {
                seen[i] = true;
                touched.push(slot);
            }
            exact[i] |= is_exact;
        };
        let mut checked: Option<(u32, Vec<(u32, FieldCounts)>)> = None;
        match term {
            QueryTerm::Word { text, prefix, typos: t } => {
                for (_, list, _, is_exact) in word_expansions(corpus, text, *prefix, *t) {
                    for (slot, _) in list.iter() {
                        offer(slot, is_exact);
                    }
                }
            }
            QueryTerm::Cjk { text } if text.chars().count() <= 2 => {
                if let Some(list) = corpus.postings(text) {
                    for (slot, _) in list.iter() {
                        offer(slot, true);
                    }
                }
            }
            QueryTerm::Cjk { text } => {
                let letters: Vec<char> = text.chars().collect();
                let Some(lists) = letters.windows(2).map(|pair| corpus.postings(&pair.iter().collect::<String>())).collect::<Option<Vec<_>>>() else {
                    return Candidates::default();
                };
                let found = intersect(&lists, &mut hits);
                let mut counts_of = Vec::new();
                for &slot in &found {
                    if matched.get(slot as usize) == Some(&round) {
                        let counts = corpus.run_counts(slot, text);
                        if counts.iter().any(|&c| c > 0) {
                            counts_of.push((slot, counts));
                            offer(slot, true);
                        }
                    }
                }
                checked = Some((found.len() as u32, counts_of));
            }
            QueryTerm::Phrase { units } => {
                let Some(lists) = phrase_keys(units).iter().map(|key| corpus.postings(key)).collect::<Option<Vec<_>>>() else {
                    return Candidates::default();
                };
                let found = intersect(&lists, &mut hits);
                let mut counts_of = Vec::new();
                for &slot in &found {
                    if matched.get(slot as usize) == Some(&round) {
                        let counts = corpus.phrase_counts(slot, units);
                        if counts.iter().any(|&c| c > 0) {
                            counts_of.push((slot, counts));
                            offer(slot, true);
                        }
                    }
                }
                checked = Some((found.len() as u32, counts_of));
            }
        }
        verified.push(checked);
        for &slot in &touched {
            let i = slot as usize;
            if matched[i] == round {
                matched[i] = round + 1;
                if !exact[i] {
                    typos[i] += 1;
                }
            }
            exact[i] = false;
            seen[i] = false;
        }
        touched.clear();
    }
    let need = terms.len() as u16;
    let mut out = Candidates { verified, ..Candidates::default() };
    if need == 0 {
        return out;
    }
    for (slot, &m) in matched.iter().enumerate() {
        if m == need {
            out.slots.push(slot as u32);
            out.typos.push(typos[slot]);
        }
    }
    out
}

/// Second phase: scores the candidates that pass `filters` (reading their
/// metadata), with BM25 as described in the module docs.
pub(crate) fn score(corpus: &dyn Corpus, query: &Query, candidates: &Candidates, filters: &CompiledFilters) -> Vec<Matched> {
    let stats = Stats::of(corpus);
    let mut kept: Vec<Matched> = Vec::with_capacity(candidates.slots.len());
    let mut position = vec![u32::MAX; corpus.slot_count()];
    for (i, &slot) in candidates.slots.iter().enumerate() {
        let Some(doc) = corpus.doc(slot) else { continue };
        if filters.accepts(slot, &doc) {
            position[slot as usize] = kept.len() as u32;
            kept.push(Matched { slot, score: 0.0, typos: candidates.typos[i] });
        }
    }
    if kept.is_empty() {
        return kept;
    }
    let mut best = vec![0.0f32; kept.len()];
    let index_of = |slot: u32| position.get(slot as usize).copied().filter(|&p| p != u32::MAX).map(|p| p as usize);
    for (term, checked) in evaluation_order(query).into_iter().zip(&candidates.verified) {
        let mut offer = |slot: u32, counts: &FieldCounts, idf: f32, weight: f32| {
            if let Some(i) = index_of(slot) {
                if let Some(doc) = corpus.doc(slot) {
                    let value = weight * stats.score(idf, counts, &doc.lens);
                    if value > best[i] {
                        best[i] = value;
                    }
                }
            }
        };
        match (term, checked) {
            (QueryTerm::Word { text, prefix, typos }, _) => {
                for (_, list, weight, _) in word_expansions(corpus, text, *prefix, *typos) {
                    let idf = stats.idf(list.len);
                    for (slot, counts) in list.iter() {
                        offer(slot, &counts, idf, weight);
                    }
                }
            }
            (_, Some((df, counts_of))) => {
                let idf = stats.idf(*df);
                for (slot, counts) in counts_of {
                    offer(*slot, counts, idf, 1.0);
                }
            }
            (QueryTerm::Cjk { text }, None) => {
                if let Some(list) = corpus.postings(text) {
                    let idf = stats.idf(list.len);
                    for (slot, counts) in list.iter() {
                        offer(slot, &counts, idf, 1.0);
                    }
                }
            }
            (QueryTerm::Phrase { .. }, None) => {}
        }
        for (m, b) in kept.iter_mut().zip(best.iter_mut()) {
            m.score += *b;
            *b = 0.0;
        }
    }
    kept
}

/// The index terms a query word matches: `(term, postings, weight, exact)`,
/// where `exact` is false for typo matches.
fn word_expansions<'a>(corpus: &'a dyn Corpus, text: &str, prefix: bool, typos: bool) -> Vec<(String, Postings<'a>, f32, bool)> {
    let mut out: Vec<(String, Postings<'a>, f32, bool)> = Vec::new();
    if let Some(list) = corpus.postings(text) {
        out.push((text.to_owned(), list, 1.0, true));
    }
    if prefix {
        corpus.for_each_prefixed_word(text, &mut |word, list| {
            if word != text {
                out.push((word.to_owned(), list, PREFIX_WEIGHT, true));
            }
        });
    }
    if typos {
        for variant in typo_variants(text) {
            if prefix && variant.starts_with(text) {
                continue;
            }
            if let Some(list) = corpus.postings(&variant) {
                out.push((variant, list, TYPO_WEIGHT, false));
            }
        }
    }
    out
}

/// The posting keys a phrase's documents must all hold: its words, and its CJK
/// letters (as bigrams where they are glued).
pub fn phrase_keys(units: &[PhraseUnit]) -> Vec<String> {
    units
        .iter()
        .enumerate()
        .map(|(i, unit)| match (unit.kind, unit.glued, i.checked_sub(1).map(|p| &units[p])) {
            (TokenKind::Cjk, true, Some(previous)) => format!("{}{}", previous.text, unit.text),
            _ => unit.text.clone(),
        })
        .collect()
}

/// The words one edit away from `word` that a typo search looks up (letters
/// `a`–`z`; see [`within_one_edit`]), without `word` itself.
pub fn typo_lookups(word: &str) -> Vec<String> {
    typo_variants(word)
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
