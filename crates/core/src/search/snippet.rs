//! Snippets: a short piece of a document's plain text around its best match,
//! with the matched stretches given as ranges.
//!
//! **Ranges are Unicode code point offsets** into the snippet's `text`
//! (`[start, end)`), not UTF-16 or byte offsets. In JavaScript, index the
//! snippet as `Array.from(text)` (or iterate it with `for…of`) to apply them.
//!
//! The window holds at most [`SNIPPET_CHARS`] characters of the text (plus `…`
//! at either end where it was cut), starts a little before the stretch with the
//! most distinct query terms, and avoids cutting words of spaced scripts. Runs of
//! white space are collapsed to one space. A document whose text does not
//! contain a match (it matched by title, category or author) gets the start of
//! its text, without ranges.

use super::query::{PhraseUnit, Query, QueryTerm};
use super::rank::{phrase_at, word_matches};
use super::tokenize::{tokenize_while, TokenKind};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Most characters of text in a snippet.
pub const SNIPPET_CHARS: usize = 160;
/// Characters of context kept before the first match.
const CONTEXT_CHARS: usize = 40;
/// Bytes scanned past the first match before settling on a window.
const SCAN_PAST_FIRST_MATCH: usize = 4096;
/// Most matches collected in one text.
const MAX_SPANS: usize = 64;

/// A piece of text with the matched stretches marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Plain text.
    pub text: String,
    /// Matched stretches of `text`: `[start, end)` in Unicode code points, in order, not overlapping.
    pub ranges: Vec<[u32; 2]>,
}

/// A match in the original text: byte range and the query term it belongs to.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    term: usize,
}

/// Cuts a snippet of `text` for `query` (the start of the text when the query is empty).
pub fn snippet(text: &str, query: &Query, max_chars: usize) -> Snippet {
    let spans = find_spans(text, query);
    let Some(best) = best_window(text, &spans, max_chars) else {
        return window(text, 0, max_chars, &[]);
    };
    let start = context_start(text, spans[best].start);
    window(text, start, max_chars, &spans)
}

/// Finds matches of the query's terms, in text order.
fn find_spans(text: &str, query: &Query) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    if query.terms.is_empty() {
        return spans;
    }
    let longest_run = query
        .terms
        .iter()
        .map(|t| match t {
            QueryTerm::Cjk { text } => text.chars().count(),
            QueryTerm::Phrase { units } => units.len(),
            QueryTerm::Word { .. } => 1,
        })
        .max()
        .unwrap_or(1);
    // The last tokens seen: text, kind, glued, start, end.
    let mut recent: VecDeque<(String, TokenKind, bool)> = VecDeque::with_capacity(longest_run);
    let mut recent_at: VecDeque<(usize, usize)> = VecDeque::with_capacity(longest_run);
    tokenize_while(text, |token| {
        if recent.len() == longest_run {
            recent.pop_front();
            recent_at.pop_front();
        }
        recent.push_back((token.text.to_owned(), token.kind, token.glued));
        recent_at.push_back((token.start, token.end));
        for (term_index, term) in query.terms.iter().enumerate() {
            let found = match term {
                QueryTerm::Word { text: word, prefix, typos } => {
                    (token.kind == TokenKind::Word && word_matches(word, token.text, *prefix, *typos)).then_some(1)
                }
                QueryTerm::Cjk { text: run } => ends_with_run(&recent, run),
                QueryTerm::Phrase { units } => ends_with_phrase(&recent, units),
            };
            if let Some(tokens) = found {
                let start = recent_at[recent_at.len() - tokens].0;
                spans.push(Span { start, end: token.end, term: term_index });
            }
        }
        let Some(first) = spans.first() else { return true };
        spans.len() < MAX_SPANS && token.start < first.start + SCAN_PAST_FIRST_MATCH
    });
    // Few spans, nearly in order: an insertion sort by (start, end).
    for i in 1..spans.len() {
        let mut j = i;
        while j > 0 && (spans[j - 1].start, spans[j - 1].end) > (spans[j].start, spans[j].end) {
            spans.swap(j - 1, j);
            j -= 1;
        }
    }
    spans
}

/// Number of tokens of the CJK run `run` that the recent tokens end with, if they do.
fn ends_with_run(recent: &VecDeque<(String, TokenKind, bool)>, run: &str) -> Option<usize> {
    let letters = run.chars().count();
    if recent.len() < letters {
        return None;
    }
    let tail = recent.range(recent.len() - letters..);
    let mut expected = run.chars();
    for (i, (text, kind, glued)) in tail.enumerate() {
        if *kind != TokenKind::Cjk || (i > 0 && !glued) || text.chars().next() != expected.next() {
            return None;
        }
    }
    Some(letters)
}

fn ends_with_phrase(recent: &VecDeque<(String, TokenKind, bool)>, units: &[PhraseUnit]) -> Option<usize> {
    if recent.len() < units.len() {
        return None;
    }
    let tail: VecDeque<(String, TokenKind, bool)> = recent.range(recent.len() - units.len()..).cloned().collect();
    phrase_at(&tail, units).then_some(units.len())
}

/// Index of the span that starts the window with the most distinct terms
/// (then the most matches), earliest first.
fn best_window(text: &str, spans: &[Span], max_chars: usize) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None; // (index, distinct, count)
    for (i, span) in spans.iter().enumerate() {
        let limit = byte_after_chars(text, span.start, max_chars.saturating_sub(CONTEXT_CHARS / 2));
        let inside: Vec<&Span> = spans[i..].iter().take_while(|s| s.end <= limit).collect();
        let mut terms: Vec<u32> = inside.iter().map(|s| s.term as u32).collect();
        terms.sort_unstable();
        terms.dedup();
        let candidate = (i, terms.len(), inside.len());
        if best.is_none_or(|(_, d, c)| (candidate.1, candidate.2) > (d, c)) {
            best = Some(candidate);
        }
    }
    best.map(|(i, _, _)| i)
}

/// The byte offset `chars` characters after `from` (or the end of the text).
fn byte_after_chars(text: &str, from: usize, chars: usize) -> usize {
    text.get(from..).and_then(|rest| rest.char_indices().nth(chars)).map_or(text.len(), |(i, _)| from + i)
}

/// Where a window showing a match at `at` starts: some context before it, not
/// in the middle of a word when a space is near.
fn context_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    let mut start = at;
    for (taken, (i, _)) in before.char_indices().rev().enumerate() {
        if taken == CONTEXT_CHARS {
            break;
        }
        start = i;
    }
    if start == 0 {
        return 0;
    }
    // Prefer to start just after a space in the first part of the context.
    let region = &text[start..at];
    match region.char_indices().take(CONTEXT_CHARS / 2).find(|(_, c)| c.is_whitespace()) {
        Some((i, c)) => start + i + c.len_utf8(),
        None => start,
    }
}

/// Builds the snippet of at most `max_chars` characters from byte `start`.
fn window(text: &str, start: usize, max_chars: usize, spans: &[Span]) -> Snippet {
    let mut end = byte_after_chars(text, start, max_chars);
    if end < text.len() {
        // Do not cut a word of a spaced script: end at a space in the last part.
        let tail_start = byte_after_chars(text, start, max_chars.saturating_sub(20));
        if let Some(space) = text[tail_start..end].rfind(char::is_whitespace) {
            if tail_start + space > start {
                end = tail_start + space;
            }
        }
    }
    let mut out = String::new();
    let mut ranges: Vec<[u32; 2]> = Vec::new();
    let mut chars = 0u32;
    if start > 0 && !text[..start].trim().is_empty() {
        out.push('…');
        chars += 1;
    }
    let mut pending_space = false;
    let mut open: Option<u32> = None;
    let mut span_iter = spans.iter().filter(|s| s.start >= start && s.end <= end).peekable();
    let mut current_end: Option<usize> = None;
    for (offset, c) in text[start..end].char_indices() {
        let at = start + offset;
        if current_end == Some(at) {
            if let Some(begin) = open.take() {
                push_range(&mut ranges, begin, chars);
            }
            current_end = None;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty() && !out.ends_with('…');
            continue;
        }
        if pending_space {
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        while let Some(span) = span_iter.peek() {
            if span.start > at {
                break;
            }
            if span.start == at && open.is_none() {
                open = Some(chars);
                current_end = Some(span.end);
            } else if span.start == at {
                current_end = current_end.max(Some(span.end));
            }
            span_iter.next();
        }
        out.push(c);
        chars += 1;
    }
    if let Some(begin) = open {
        push_range(&mut ranges, begin, chars);
    }
    if end < text.len() && !text[end..].trim().is_empty() {
        out.push('…');
    }
    Snippet { text: out, ranges }
}

fn push_range(ranges: &mut Vec<[u32; 2]>, start: u32, end: u32) {
    if start >= end {
        return;
    }
    match ranges.last_mut() {
        Some(last) if last[1] >= start => last[1] = last[1].max(end),
        _ => ranges.push([start, end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn marked(snippet: &Snippet) -> Vec<String> {
        let chars: Vec<char> = snippet.text.chars().collect();
        snippet.ranges.iter().map(|[s, e]| chars[*s as usize..*e as usize].iter().collect()).collect()
    }

    #[test]
    fn marks_words_with_code_point_ranges() {
        let s = snippet("Über die Brücke: brücken bauen", &parse("brucke ", false, false), 160);
        assert_eq!(s.text, "Über die Brücke: brücken bauen");
        assert_eq!(marked(&s), ["Brücke"]);
        assert_eq!(s.ranges, [[9, 15]]);
    }

    #[test]
    fn marks_cjk_runs_and_prefixes() {
        let s = snippet("今天东京下雪了，东京塔很美。Rustaceans love Rust.", &parse("东京 rust", true, true), 160);
        assert_eq!(marked(&s), ["东京", "东京", "Rustaceans", "Rust"]);
    }

    #[test]
    fn cuts_a_window_around_the_match_with_ellipses() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let s = snippet(&text, &parse("needle ", true, true), 60);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert!(s.text.chars().count() <= 62);
        assert_eq!(marked(&s), ["needle"]);
        assert!(!s.text.contains("  "));
    }

    #[test]
    fn prefers_the_window_with_most_distinct_terms() {
        let text = format!("alpha {} alpha beta gamma", "filler ".repeat(60));
        let s = snippet(&text, &parse("alpha beta gamma ", false, false), 80);
        assert_eq!(marked(&s), ["alpha", "beta", "gamma"]);
    }

    #[test]
    fn marks_phrases_as_one_range() {
        let s = snippet("a night bus, night buses", &parse("\"night buses\"", true, true), 160);
        assert_eq!(marked(&s), ["night buses"]);
    }

    #[test]
    fn without_a_match_gives_the_start_of_the_text() {
        let s = snippet("  plain\n\n text  ", &parse("absent", true, true), 160);
        assert_eq!(s, Snippet { text: "plain text".into(), ranges: vec![] });
    }
}
