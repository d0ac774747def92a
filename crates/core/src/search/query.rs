//! Reading a query string into terms, with the same tokeniser as the index.
//!
//! - Words of spaced scripts are terms of their own. The **last word** of the
//!   query is also matched as a **prefix** (`rus` finds `rust`), unless the query
//!   ends with a space or punctuation after it, or the word is quoted.
//! - A word of at least [`MIN_TYPO_LETTERS`] letters `a`–`z` (after folding) also
//!   matches words one edit away (one letter inserted, deleted or replaced, or
//!   two adjacent letters swapped), ranked below exact matches.
//! - A run of adjacent CJK letters is one term that matches where the whole run
//!   occurs (a substring of the title, a category, the author or the text).
//! - Text between double quotes (`"`, `“ ”`, `„`, `« »`, `「 」`, `『 』`) is a
//!   **phrase**: its words and CJK letters must appear in that order, with only
//!   spaces or punctuation between words, and CJK letters that are adjacent in the
//!   phrase adjacent in the text. Quoted words get no prefix or typo matching.
//!
//! A document matches when every term matches.

use super::tokenize::{tokenize, TokenKind};

/// Least number of letters for typo tolerance.
pub const MIN_TYPO_LETTERS: usize = 5;
/// Most words and CJK letters in a phrase; the rest of a longer phrase is ignored.
pub const MAX_PHRASE_UNITS: usize = 64;

/// One unit of a phrase: a word or a CJK letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseUnit {
    /// Folded text.
    pub text: String,
    /// Word or CJK letter.
    pub kind: TokenKind,
    /// A CJK letter that must directly follow the previous CJK letter.
    pub glued: bool,
}

/// A term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTerm {
    /// A word of a spaced script.
    Word {
        /// Folded text.
        text: String,
        /// Also match words that start with it.
        prefix: bool,
        /// Also match words one edit away.
        typos: bool,
    },
    /// A run of adjacent CJK letters, matched as a substring.
    Cjk {
        /// Folded text.
        text: String,
    },
    /// A quoted phrase of several units.
    Phrase {
        /// The units in order.
        units: Vec<PhraseUnit>,
    },
}

/// A parsed query: its terms, all of which must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The terms, without duplicates.
    pub terms: Vec<QueryTerm>,
}

impl Query {
    /// True when the query has no term (empty, or only punctuation).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

fn is_open_quote(c: char) -> Option<char> {
    Some(match c {
        '"' => '"',
        '“' => '”',
        '„' => '“',
        '«' => '»',
        '「' => '」',
        '『' => '』',
        _ => return None,
    })
}

/// Reads a query. `prefix` and `typos` turn those matching modes on or off.
///
/// ```
/// use lectern_core::search::query::{parse, QueryTerm};
/// let q = parse("東京タワー \"night bus\" rus", true, true);
/// assert_eq!(q.terms[0], QueryTerm::Cjk { text: "東京タワー".into() });
/// assert!(matches!(&q.terms[1], QueryTerm::Phrase { units } if units.len() == 2));
/// assert_eq!(q.terms[2], QueryTerm::Word { text: "rus".into(), prefix: true, typos: false });
/// ```
pub fn parse(input: &str, prefix: bool, typos: bool) -> Query {
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut rest = input;
    let mut offset = 0usize;
    // Index in `terms` and end offset of the last unquoted word.
    let mut last_word: Option<(usize, usize)> = None;
    while !rest.is_empty() {
        let open = rest.char_indices().find_map(|(i, c)| is_open_quote(c).map(|close| (i, c.len_utf8(), close)));
        let (plain, quoted, next) = match open {
            Some((i, len, close)) => {
                let inside = &rest[i + len..];
                match inside.find(close).or_else(|| if close == '“' { inside.find('”') } else { None }) {
                    Some(j) => {
                        let close_len = inside[j..].chars().next().map_or(1, char::len_utf8);
                        (&rest[..i], Some(&inside[..j]), i + len + j + close_len)
                    }
                    None => (&rest[..i], Some(inside), rest.len()),
                }
            }
            None => (rest, None, rest.len()),
        };
        read_plain(plain, offset, &mut terms, &mut last_word);
        if let Some(phrase) = quoted {
            read_phrase(phrase, &mut terms);
            last_word = None;
        }
        offset += next;
        rest = &rest[next..];
    }
    // Prefix matching applies to the last word when nothing follows it.
    if let Some((index, end)) = last_word {
        if prefix && end == input.len() && index + 1 == terms.len() {
            if let Some(QueryTerm::Word { prefix: p, .. }) = terms.get_mut(index) {
                *p = true;
            }
        }
    }
    for term in &mut terms {
        if let QueryTerm::Word { text, typos: t, .. } = term {
            *t = *t && typos && text.len() >= MIN_TYPO_LETTERS && text.bytes().all(|b| b.is_ascii_lowercase());
        }
    }
    let mut unique: Vec<QueryTerm> = Vec::with_capacity(terms.len());
    for term in terms {
        if !unique.contains(&term) {
            unique.push(term);
        }
    }
    Query { terms: unique }
}

/// Reads unquoted text: words, and runs of adjacent CJK letters. Tokens typed
/// with nothing between them that mix CJK letters and words (`5G网络`,
/// `iPhone发布会`) are read as a phrase, so they must be adjacent, as typed.
fn read_plain(text: &str, offset: usize, terms: &mut Vec<QueryTerm>, last_word: &mut Option<(usize, usize)>) {
    let mut tokens: Vec<(TokenKind, String, usize, usize, bool)> = Vec::new();
    tokenize(text, |t| tokens.push((t.kind, t.text.to_owned(), t.start, t.end, t.glued)));
    let mut run: Option<String> = None;
    let flush = |run: &mut Option<String>, terms: &mut Vec<QueryTerm>| {
        if let Some(done) = run.take() {
            terms.push(QueryTerm::Cjk { text: done });
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        // The cluster of tokens touching each other, starting at i.
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].2 == tokens[j - 1].3 {
            j += 1;
        }
        let cluster = &tokens[i..j];
        let mixed = cluster.iter().any(|t| t.0 == TokenKind::Cjk) && cluster.iter().any(|t| t.0 == TokenKind::Word);
        if mixed {
            flush(&mut run, terms);
            read_phrase(&text[cluster[0].2..cluster[cluster.len() - 1].3], terms);
            *last_word = None;
        } else {
            for (kind, token, _, end, glued) in cluster {
                match kind {
                    TokenKind::Word => {
                        flush(&mut run, terms);
                        // `typos: true` marks the word as unquoted; `parse` decides.
                        terms.push(QueryTerm::Word { text: token.clone(), prefix: false, typos: true });
                        *last_word = Some((terms.len() - 1, offset + end));
                    }
                    TokenKind::Cjk => {
                        match (&mut run, glued) {
                            (Some(current), true) => current.push_str(token),
                            _ => {
                                flush(&mut run, terms);
                                run = Some(token.clone());
                            }
                        }
                        *last_word = None;
                    }
                }
            }
        }
        i = j;
    }
    flush(&mut run, terms);
}

/// Reads quoted text into a phrase (or a plain term when it holds one word or one CJK run).
fn read_phrase(text: &str, terms: &mut Vec<QueryTerm>) {
    let mut units: Vec<PhraseUnit> = Vec::new();
    tokenize(text, |token| {
        if units.len() < MAX_PHRASE_UNITS {
            units.push(PhraseUnit { text: token.text.to_owned(), kind: token.kind, glued: token.kind == TokenKind::Cjk && token.glued });
        }
    });
    match units.as_slice() {
        [] => {}
        [only] if only.kind == TokenKind::Word => {
            terms.push(QueryTerm::Word { text: only.text.clone(), prefix: false, typos: false });
        }
        [first, rest @ ..] if first.kind == TokenKind::Cjk && rest.iter().all(|u| u.glued) => {
            terms.push(QueryTerm::Cjk { text: units.iter().map(|u| u.text.as_str()).collect() });
        }
        _ => terms.push(QueryTerm::Phrase { units }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, prefix: bool, typos: bool) -> QueryTerm {
        QueryTerm::Word { text: text.into(), prefix, typos }
    }

    #[test]
    fn last_word_is_a_prefix_only_when_nothing_follows_it() {
        assert_eq!(parse("night bu", true, true).terms, [word("night", false, true), word("bu", true, false)]);
        assert_eq!(parse("night bus ", true, true).terms[1], word("bus", false, false));
        assert_eq!(parse("night bus", false, true).terms[1], word("bus", false, false));
    }

    #[test]
    fn typo_tolerance_needs_five_latin_letters() {
        assert_eq!(parse("sourdough ", true, true).terms, [word("sourdough", false, true)]);
        assert_eq!(parse("rust ", true, true).terms, [word("rust", false, false)]);
        assert_eq!(parse("mp3player ", true, true).terms, [word("mp3player", false, false)]);
        assert_eq!(parse("שלומות ", true, true).terms, [word("שלומות", false, false)]);
    }

    #[test]
    fn cjk_runs_are_single_terms_split_by_punctuation_and_words() {
        assert_eq!(
            parse("新冠疫苗，上海 iPhone 发布", true, true).terms,
            [
                QueryTerm::Cjk { text: "新冠疫苗".into() },
                QueryTerm::Cjk { text: "上海".into() },
                word("iphone", false, true),
                QueryTerm::Cjk { text: "发布".into() },
            ]
        );
    }

    #[test]
    fn chunks_mixing_cjk_and_words_are_phrases() {
        let q = parse("5G网络 rust 发布", true, true);
        assert!(matches!(&q.terms[0], QueryTerm::Phrase { units } if units.len() == 3), "{:?}", q.terms);
        let punctuated = parse("疫苗，上海iPhone发布", true, true);
        assert_eq!(punctuated.terms[0], QueryTerm::Cjk { text: "疫苗".into() });
        assert!(matches!(&punctuated.terms[1], QueryTerm::Phrase { units } if units.len() == 5), "{:?}", punctuated.terms);
        assert_eq!(q.terms[1], QueryTerm::Word { text: "rust".into(), prefix: false, typos: false });
        assert_eq!(q.terms[2], QueryTerm::Cjk { text: "发布".into() });
    }

    #[test]
    fn quotes_make_phrases_without_prefix_or_typos() {
        let q = parse("\"Night Buses\"", true, true);
        let QueryTerm::Phrase { units } = &q.terms[0] else { panic!("{q:?}") };
        assert_eq!(units.iter().map(|u| u.text.as_str()).collect::<Vec<_>>(), ["night", "buses"]);
        assert_eq!(parse("“sourdough”", true, true).terms, [word("sourdough", false, false)]);
        assert_eq!(parse("「東京」", true, true).terms, [QueryTerm::Cjk { text: "東京".into() }]);
        let unclosed = parse("\"open phrase", true, true);
        assert!(matches!(&unclosed.terms[0], QueryTerm::Phrase { units } if units.len() == 2));
    }

    #[test]
    fn punctuation_only_is_empty_and_duplicates_are_dropped() {
        assert!(parse(" !? … ", true, true).is_empty());
        assert_eq!(parse("rust rust ", true, true).terms.len(), 1);
    }
}
