//! Word counts, reading time and excerpts from an article's plain text.

/// True for Han, Kana, Hangul and CJK punctuation: scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// CJK characters read per minute.
pub const CJK_CHARS_PER_MINUTE: usize = 400;
/// Other words read per minute.
pub const WORDS_PER_MINUTE: usize = 230;

/// Words in a text: each CJK character counts as one, and so does each run of
/// other letters or digits.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WordCount {
    /// Han, Kana and Hangul characters.
    pub cjk_chars: usize,
    /// Words of other scripts.
    pub words: usize,
}

impl WordCount {
    /// Counts the words of `text`.
    ///
    /// ```
    /// let c = lectern_core::metrics::WordCount::of("Hello world, 你好世界");
    /// assert_eq!((c.words, c.cjk_chars), (2, 4));
    /// ```
    pub fn of(text: &str) -> Self {
        let mut count = WordCount::default();
        let mut in_word = false;
        for c in text.chars() {
            // ASCII first (most text): a letter or digit, or what continues a word, or a break.
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    count.words += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word &= matches!(c, '\'' | '-');
                }
                continue;
            }
            // Han ideographs and Hangul syllables (most CJK text) are all
            // letters: counted without asking the Unicode tables.
            let alphanumeric = is_alphanumeric(c);
            if is_cjk(c) && alphanumeric {
                count.cjk_chars += 1;
                in_word = false;
            } else if alphanumeric || (in_word && matches!(c, '\'' | '’' | '-' | '\u{200c}')) {
                if !in_word {
                    count.words += 1;
                }
                in_word = true;
            } else if !is_combining(c) {
                in_word = false;
            }
        }
        count
    }

    /// The total shown as an article's `words`.
    pub fn total(&self) -> usize {
        self.cjk_chars + self.words
    }

    /// Minutes to read, rounded up, at least 1.
    pub fn reading_minutes(&self) -> u32 {
        let minutes = self.cjk_chars as f64 / CJK_CHARS_PER_MINUTE as f64 + self.words as f64 / WORDS_PER_MINUTE as f64;
        (minutes.ceil() as u32).max(1)
    }
}

/// `char::is_alphanumeric`, with the most frequent non-ASCII characters settled
/// without the Unicode tables: Han ideographs, Hangul syllables, the common
/// Latin, Greek, Cyrillic, Hebrew and Arabic letters (all letters), general and
/// CJK punctuation (none).
fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xAC00..=0xD7A3 => true,
        0x00C0..=0x024F | 0x03B1..=0x03C9 | 0x0410..=0x044F | 0x05D0..=0x05EA | 0x0620..=0x064A => c != '\u{00D7}' && c != '\u{00F7}',
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 => false,
        _ => c.is_alphanumeric(),
    }
}

fn is_combining(c: char) -> bool {
    // Arabic tashkeel, Hebrew niqqud, Devanagari signs and general combining marks.
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F)
}

/// The first `max_chars` characters of `text` as one line, cut at a word
/// boundary for spaced scripts, with `…` when cut.
///
/// ```
/// assert_eq!(lectern_core::metrics::excerpt("one two three", 9), "one two…");
/// assert_eq!(lectern_core::metrics::excerpt("一二三四五", 3), "一二三…");
/// ```
pub fn excerpt(text: &str, max_chars: usize) -> String {
    // The text as one line, built only as far as the cut needs (a character
    // past `max_chars` tells it is cut and what follows the cut).
    let mut line = String::new();
    let mut chars = 0usize;
    for word in text.split_whitespace() {
        if chars > max_chars {
            break;
        }
        if !line.is_empty() {
            line.push(' ');
            chars += 1;
        }
        line.push_str(word);
        chars += word.chars().count();
    }
    let Some((cut, _)) = line.char_indices().nth(max_chars) else { return line };
    let head = &line[..cut];
    let last = head.chars().next_back().unwrap_or(' ');
    let next = line[cut..].chars().next().unwrap_or(' ');
    let head = if !is_cjk(last) && !is_cjk(next) && next != ' ' {
        match head.rfind(' ') {
            Some(space) if space > cut / 2 => &head[..space],
            _ => head,
        }
    } else {
        head
    };
    format!("{}…", head.trim_end_matches([' ', ',', '，', '、', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cjk_and_other_words_separately() {
        let count = WordCount::of("Rust 1.0 发布了！It's great.");
        assert_eq!(count.cjk_chars, 3);
        assert_eq!(count.words, 5); // Rust, 1, 0, It's, great
    }

    #[test]
    fn excerpt_cuts_long_text_as_the_whole_line_would() {
        let joined = |text: &str, max: usize| {
            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            excerpt(&line, max)
        };
        let text = "  one\ttwo  three\n\nfour 五六七八 nine ten  ";
        for max in 0..40 {
            assert_eq!(excerpt(text, max), joined(text, max), "max {max}");
        }
        assert_eq!(excerpt(text, 100), "one two three four 五六七八 nine ten");
    }

    #[test]
    fn reading_time_uses_both_rates() {
        let count = WordCount { cjk_chars: 800, words: 230 };
        assert_eq!(count.reading_minutes(), 3);
        assert_eq!(WordCount::default().reading_minutes(), 1);
    }

    #[test]
    fn the_fast_paths_agree_with_the_unicode_tables() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn counts_arabic_words_with_tashkeel_as_one() {
        assert_eq!(WordCount::of("كَتَبَ الوَلَدُ").words, 2);
    }
}
