//! The one tokeniser, shared by indexing and querying so they can never disagree.
//!
//! # Normalisation ([`fold_char`], [`normalize`])
//!
//! Each character of the text is folded on its own, into zero or more characters:
//!
//! - Han, Kana and Hangul letters ([`is_cjk_letter`]) are kept as they are (no
//!   decomposition: が stays が, 한 stays 한).
//! - Full-width ASCII (`Ａ`, `１`, `！`) becomes ASCII; the ideographic space becomes a space.
//! - Latin and Greek letters lose their accents (the base of their canonical
//!   decomposition, see [`super::accents`]): `é` → `e`, `ệ` → `e`, `ά` → `α`; `ß` → `ss`, `æ` → `ae`, `œ` → `oe`,
//!   `ø` → `o`, `ł` → `l`, `đ` → `d`, `ı` → `i`, final `ς` → `σ`.
//! - Arabic loses its tashkeel (harakat, tanwin, shadda, sukun, superscript alef),
//!   the tatweel, and the hamza or madda on alef, waw and yeh (`أ` `إ` `آ` → `ا`,
//!   `ؤ` → `و`, `ئ` → `ي`).
//! - Hebrew loses its niqqud and cantillation marks.
//! - Combining diacritical marks, variation selectors, soft hyphens, zero-width
//!   characters and bidirectional controls are dropped.
//! - Everything is lower-cased (Unicode simple case folding of `char::to_lowercase`).
//!
//! # Tokens ([`tokenize`])
//!
//! Over the folded characters:
//!
//! - a **word** is a maximal run of letters and digits ([`is_word_char`]) that are
//!   not CJK letters; a word longer than [`MAX_WORD_CHARS`] is kept as its first
//!   [`MAX_WORD_CHARS`] characters;
//! - each **CJK letter** is a token of its own; it is *glued* to the previous
//!   token when that is a CJK letter with nothing between them. The index stores
//!   each CJK letter (a unigram) and each glued pair (a bigram).
//! - everything else (spaces, punctuation, symbols) separates tokens.
//!
//! Token offsets are byte offsets into the original (unfolded) text.

use super::accents::base_letter;

/// Longest word kept, in characters; longer words are cut to this length.
pub const MAX_WORD_CHARS: usize = 64;

/// What kind of token a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word of a spaced script (Latin, Arabic, Hebrew, Cyrillic, digits, ...).
    Word,
    /// One Han, Kana or Hangul letter.
    Cjk,
}

/// One token of a text: its folded form and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Word or CJK letter.
    pub kind: TokenKind,
    /// The folded text of the token.
    pub text: &'a str,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just past the token's last character in the original text.
    pub end: usize,
    /// For a CJK letter: the previous token is a CJK letter with nothing
    /// between them (so the two form a bigram). Always false for words.
    pub glued: bool,
}

/// True for the letters indexed as characters and bigrams: Han ideographs (with
/// the iteration marks `々` `〆` `〇`), Hiragana, Katakana (with `ー`, without the
/// middle dot `・`), half-width Katakana, Bopomofo and Hangul.
pub fn is_cjk_letter(c: char) -> bool {
    let code = c as u32;
    if code < 0x1100 {
        return false;
    }
    matches!(code,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3134F
        | 0x3005..=0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B
        | 0x3041..=0x3096 | 0x3099..=0x309F | 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF
        | 0xFF66..=0xFF9F
        | 0x3105..=0x312F | 0x31A0..=0x31BF
        | 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3131..=0x318E | 0xA960..=0xA97F | 0xD7B0..=0xD7FF)
}

/// True for the folded characters that make up words: letters and digits
/// (`char::is_alphanumeric`) that are not CJK letters, plus the vowel signs
/// and viramas of the Indic, Thai, Lao, Myanmar and Khmer scripts.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Common letters first: Latin-1 and Latin Extended, Greek, Cyrillic, Hebrew, Arabic.
    if matches!(c as u32, 0x00C0..=0x024F | 0x03B1..=0x03C9 | 0x0410..=0x044F | 0x05D0..=0x05EA | 0x0620..=0x064A) {
        return c != '\u{00D7}' && c != '\u{00F7}';
    }
    (c.is_alphanumeric() && !is_cjk_letter(c))
        || (matches!(c as u32, 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF)
            && !matches!(c as u32, 0x0964 | 0x0965 | 0x0E2F | 0x0E46 | 0x0E4F | 0x0E5A | 0x0E5B | 0x104A | 0x104B | 0x17D4..=0x17DA))
}

/// True for characters that folding removes: combining diacritical marks,
/// Hebrew niqqud and cantillation, Arabic tashkeel and tatweel, variation
/// selectors, soft hyphen, zero-width and bidirectional control characters.
pub fn is_dropped(c: char) -> bool {
    let code = c as u32;
    if code < 0x0300 {
        return code == 0x00AD;
    }
    // Nothing from the letter-like symbols to the Hangul syllables is dropped
    // (CJK text and its punctuation settle here).
    !(0x2100..=0xDFFF).contains(&code) && is_dropped_code(code)
}

/// The list behind [`is_dropped`].
fn is_dropped_code(code: u32) -> bool {
    matches!(code,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        // Hebrew points and accents
        | 0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7
        // Arabic marks, tatweel, Arabic letter mark
        | 0x0610..=0x061A | 0x061C | 0x0640 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7 | 0x06E8 | 0x06EA..=0x06ED | 0x08D3..=0x08E1 | 0x08E3..=0x08FF
        // soft hyphen, zero-width and bidi controls, word joiner, BOM
        | 0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF
        // variation selectors
        | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x180B..=0x180D | 0x180F)
}

/// Letters without a canonical decomposition that searchers still expect folded.
fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ı' => "i",
        'ς' => "σ",
        _ => return None,
    })
}

/// Folds one character into zero or more characters (see the module docs),
/// passing each to `emit`.
///
/// ```
/// use lectern_core::search::tokenize::fold_char;
/// let mut out = String::new();
/// for c in "Ｃafé İ أحمد שָׁלוֹם 東京".chars() { fold_char(c, &mut |f| out.push(f)); }
/// assert_eq!(out, "cafe i احمد שלום 東京");
/// ```
pub fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    if is_cjk_letter(c) {
        emit(c);
        return;
    }
    if is_dropped(c) {
        return;
    }
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        if let Some(ascii) = char::from_u32(code - 0xFEE0) {
            emit(ascii.to_ascii_lowercase());
        }
        return;
    }
    if code == 0x3000 {
        emit(' ');
        return;
    }
    if is_kept_punctuation(c) {
        emit(c);
        return;
    }
    fold_letter(c, emit);
}

/// General and CJK punctuation (dashes, quotes, brackets, `、` `。`): characters
/// that folding keeps as they are, settled without the case and accent tables.
fn is_kept_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2010..=0x205E | 0x3001..=0x3004 | 0x3008..=0x3020 | 0x3030)
}

/// The case and accent part of [`fold_char`].
fn fold_letter(c: char, emit: &mut impl FnMut(char)) {
    if let Some(folded) = special_fold(c) {
        folded.chars().for_each(&mut *emit);
        return;
    }
    let base = base_letter(c);
    if let Some(folded) = special_fold(base) {
        folded.chars().for_each(&mut *emit);
        return;
    }
    for lower in base.to_lowercase() {
        if is_dropped(lower) {
            continue;
        }
        match special_fold(lower) {
            Some(folded) => folded.chars().for_each(&mut *emit),
            None => emit(lower),
        }
    }
}

/// The folded form of a whole text: [`fold_char`] applied to each character.
///
/// ```
/// assert_eq!(lectern_core::search::tokenize::normalize("Ｈｅｌｌｏ, Wörld!"), "hello, world!");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

/// Splits `text` into tokens (see the module docs), calling `each` for every token in order.
///
/// ```
/// use lectern_core::search::tokenize::{tokenize, TokenKind};
/// let mut tokens = Vec::new();
/// tokenize("Rust 東京タワー, naïve", |t| tokens.push((t.kind, t.text.to_owned(), t.glued)));
/// assert_eq!(tokens[0], (TokenKind::Word, "rust".to_owned(), false));
/// assert_eq!(tokens[1], (TokenKind::Cjk, "東".to_owned(), false));
/// assert_eq!(tokens[2], (TokenKind::Cjk, "京".to_owned(), true));
/// assert_eq!(tokens.last().unwrap().1, "naive");
/// ```
pub fn tokenize(text: &str, mut each: impl FnMut(&Token)) {
    tokenize_while(text, |token| {
        each(token);
        true
    });
}

/// Like [`tokenize`], but stops as soon as `each` returns false.
pub fn tokenize_while(text: &str, mut each: impl FnMut(&Token) -> bool) {
    // One compiled copy of the tokeniser, whatever the caller (smaller WebAssembly).
    tokenize_dyn(text, &mut each);
}

fn tokenize_dyn(text: &str, each: &mut dyn FnMut(&Token) -> bool) {
    let mut segmenter = Segmenter { word: String::new(), word_chars: 0, word_start: 0, word_end: 0, after_cjk: false, going: true };
    for (start, c) in text.char_indices() {
        if !segmenter.going {
            return;
        }
        let end = start + c.len_utf8();
        if c.is_ascii_alphanumeric() {
            // The most frequent case, without the checks for other scripts.
            segmenter.push_word_char(c.to_ascii_lowercase(), start, end);
        } else if c.is_ascii() {
            segmenter.feed(c, start, end, each);
        } else {
            fold_char(c, &mut |f| segmenter.feed(f, start, end, each));
        }
    }
    segmenter.flush(each);
}

/// The state of [`tokenize_dyn`] between folded characters.
struct Segmenter {
    word: String,
    word_chars: usize,
    word_start: usize,
    word_end: usize,
    /// Whether the last folded character was a CJK letter (for gluing).
    after_cjk: bool,
    /// False once the caller asked to stop.
    going: bool,
}

impl Segmenter {
    /// Takes one folded character that came from `text[start..end]`.
    fn feed(&mut self, f: char, start: usize, end: usize, each: &mut dyn FnMut(&Token) -> bool) {
        if !self.going {
            return;
        }
        if !is_cjk_letter(f) && is_word_char(f) {
            self.push_word_char(f, start, end);
        } else if is_cjk_letter(f) {
            self.flush(each);
            if !self.going {
                return;
            }
            let mut buf = [0u8; 4];
            let text = f.encode_utf8(&mut buf);
            self.going = each(&Token { kind: TokenKind::Cjk, text, start, end, glued: self.after_cjk });
            self.after_cjk = true;
        } else {
            self.flush(each);
            self.after_cjk = false;
        }
    }

    /// Adds a folded word character that came from `text[start..end]` to the pending word.
    #[inline]
    fn push_word_char(&mut self, f: char, start: usize, end: usize) {
        if self.word.is_empty() {
            self.word_start = start;
        }
        if self.word_chars < MAX_WORD_CHARS {
            self.word.push(f);
            self.word_chars += 1;
        }
        self.word_end = end;
        self.after_cjk = false;
    }

    /// Emits the pending word, if any.
    fn flush(&mut self, each: &mut dyn FnMut(&Token) -> bool) {
        if self.going && !self.word.is_empty() {
            self.going = each(&Token { kind: TokenKind::Word, text: &self.word, start: self.word_start, end: self.word_end, glued: false });
        }
        self.word.clear();
        self.word_chars = 0;
    }
}

/// True when folding `text` only drops or maps characters that cannot sit
/// between two CJK letters: then a run of CJK letters occurs in the folded text
/// exactly where it occurs in the original, and a plain substring search of the
/// original finds it.
pub fn cjk_raw_searchable(text: &str) -> bool {
    !text.chars().any(is_dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(text, |t| out.push(t.text.to_owned()));
        out
    }

    #[test]
    fn folds_case_width_and_latin_accents() {
        assert_eq!(normalize("ÉCOLE Ｓｃｈｏｏｌ １２３ Straße Ærø"), "ecole school 123 strasse aero");
        assert_eq!(normalize("Việt Nam"), "viet nam");
        assert_eq!(normalize("ΆΘΗΝΑ"), "αθηνα");
    }

    #[test]
    fn removes_arabic_tashkeel_tatweel_and_hamza_seats() {
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("كتـــاب"), "كتاب");
        assert_eq!(normalize("أإآ"), "ااا");
    }

    #[test]
    fn removes_hebrew_niqqud() {
        assert_eq!(normalize("בְּרֵאשִׁית"), "בראשית");
    }

    #[test]
    fn keeps_kana_voicing_and_hangul_syllables() {
        assert_eq!(normalize("ガギグ 한국어"), "ガギグ 한국어");
    }

    #[test]
    fn splits_words_on_punctuation_and_cjk_into_letters() {
        assert_eq!(tokens("iPhone14发布会, don't"), ["iphone14", "发", "布", "会", "don", "t"]);
    }

    #[test]
    fn glues_only_adjacent_cjk_letters() {
        let mut glued = Vec::new();
        tokenize("東京，大阪 x 京都", |t| glued.push(t.glued));
        assert_eq!(glued, [false, true, false, true, false, false, true]);
    }

    #[test]
    fn dropped_characters_do_not_break_words_or_runs() {
        assert_eq!(tokens("co\u{00AD}operate"), ["cooperate"]);
        let mut glued = Vec::new();
        tokenize("葛\u{E0100}城", |t| glued.push(t.glued));
        assert_eq!(glued, [false, true]);
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for code in 0..0x3_0000u32 {
            let Some(c) = char::from_u32(code) else { continue };
            let slow = (c.is_alphanumeric() && !is_cjk_letter(c))
                || (matches!(code, 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF)
                    && !matches!(code, 0x0964 | 0x0965 | 0x0E2F | 0x0E46 | 0x0E4F | 0x0E5A | 0x0E5B | 0x104A | 0x104B | 0x17D4..=0x17DA));
            assert_eq!(is_word_char(c), slow, "U+{code:04X}");
        }
    }

    #[test]
    fn punctuation_kept_as_is_folds_to_itself_and_is_not_a_word() {
        // fold_char drops the bidirectional controls among them before asking.
        for c in (0x2000..=0x3100u32).filter_map(char::from_u32).filter(|&c| is_kept_punctuation(c) && !is_dropped(c)) {
            let mut folded = Vec::new();
            fold_letter(c, &mut |f| folded.push(f));
            assert_eq!(folded, [c], "U+{:04X}", c as u32);
            assert!(!is_cjk_letter(c) && !is_word_char(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn nothing_in_the_range_skipped_by_is_dropped_is_listed() {
        assert!((0x2100..=0xDFFF).all(|code| !is_dropped_code(code)));
        assert!(is_dropped('\u{200B}') && is_dropped('\u{FE0F}') && is_dropped('\u{00AD}') && !is_dropped('、'));
    }

    #[test]
    fn cuts_very_long_words() {
        let long = "a".repeat(100);
        assert_eq!(tokens(&long), ["a".repeat(MAX_WORD_CHARS)]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Ａｂ 東京";
        let mut spans = Vec::new();
        tokenize(text, |t| spans.push(&text[t.start..t.end]));
        assert_eq!(spans, ["Ａｂ", "東", "京"]);
    }
}
