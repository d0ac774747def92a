//! Language and direction from the script of the text, when the front matter
//! does not say.

/// Counts of letters per script.
#[derive(Debug, Default, Clone, Copy)]
struct Scripts {
    han: usize,
    kana: usize,
    hangul: usize,
    arabic: usize,
    persian_letters: usize,
    urdu_letters: usize,
    hebrew: usize,
    cyrillic: usize,
    greek: usize,
    thai: usize,
    devanagari: usize,
    latin: usize,
}

/// The language of `text` guessed from its script (`zh`, `ja`, `ko`, `ar`,
/// `fa`, `ur`, `he`, `ru`, `el`, `th`, `hi`, `en`), or `None` when there are
/// too few letters to tell. Latin-script text is only called `en` when common
/// English words are frequent.
///
/// ```
/// assert_eq!(lectern_core::lang::detect("今天的天气很好"), Some("zh"));
/// assert_eq!(lectern_core::lang::detect("きょうは いい てんき です"), Some("ja"));
/// assert_eq!(lectern_core::lang::detect("שלום עולם, מה נשמע"), Some("he"));
/// ```
pub fn detect(text: &str) -> Option<&'static str> {
    detect_joined(&[text])
}

/// Characters of the text looked at to tell its script.
const SCRIPT_SAMPLE_CHARS: usize = 20_000;

/// [`detect`] of `parts` joined by line breaks (a title and a body), without
/// copying them into one string.
///
/// ```
/// assert_eq!(lectern_core::lang::detect_joined(&["東京", "今天的天气很好"]), lectern_core::lang::detect("東京\n今天的天气很好"));
/// ```
pub fn detect_joined(parts: &[&str]) -> Option<&'static str> {
    let mut s = Scripts::default();
    let mut budget = SCRIPT_SAMPLE_CHARS;
    for (i, part) in parts.iter().enumerate() {
        // The line break between two parts counts as a character (not a letter).
        if i > 0 {
            if budget == 0 {
                break;
            }
            budget -= 1;
        }
        // ASCII (most text) byte by byte; other characters decoded one by one.
        let bytes = part.as_bytes();
        let mut at = 0;
        while at < bytes.len() && budget > 0 {
            budget -= 1;
            let byte = bytes[at];
            if byte.is_ascii() {
                s.latin += usize::from(byte.is_ascii_alphabetic());
                at += 1;
                continue;
            }
            let Some(c) = part.get(at..).and_then(|rest| rest.chars().next()) else { break };
            s.count(c);
            at += c.len_utf8();
        }
    }
    let cjk = s.han + s.kana + s.hangul;
    let candidates = [
        (cjk, "cjk"),
        (s.arabic, "arabic"),
        (s.hebrew, "he"),
        (s.cyrillic, "ru"),
        (s.greek, "el"),
        (s.thai, "th"),
        (s.devanagari, "hi"),
        // A CJK character carries about as much as a short Latin word.
        (s.latin / 3, "latin"),
    ];
    let (count, script) = candidates.iter().copied().max_by_key(|(n, _)| *n)?;
    if count < 4 {
        return None;
    }
    Some(match script {
        "cjk" if s.hangul > s.han / 2 && s.hangul >= s.kana => "ko",
        "cjk" if s.kana * 10 >= cjk => "ja",
        "cjk" => "zh",
        "arabic" if s.urdu_letters * 20 > s.arabic => "ur",
        "arabic" if s.persian_letters * 30 > s.arabic => "fa",
        "arabic" => "ar",
        "latin" => return looks_english(parts).then_some("en"),
        other => other,
    })
}

impl Scripts {
    /// Counts one character.
    #[inline]
    fn count(&mut self, c: char) {
        // Most text is ASCII: settle it before the table of scripts.
        if c.is_ascii() {
            self.latin += usize::from(c.is_ascii_alphabetic());
            return;
        }
        match c as u32 {
            0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FA1F | 0xF900..=0xFAFF => self.han += 1,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => self.kana += 1,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => self.hangul += 1,
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                self.arabic += 1;
                match c {
                    'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' => self.persian_letters += 1,
                    'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ھ' => self.urdu_letters += 1,
                    _ => {}
                }
            }
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => self.hebrew += 1,
            0x0400..=0x04FF => self.cyrillic += 1,
            0x0370..=0x03FF => self.greek += 1,
            0x0E00..=0x0E7F => self.thai += 1,
            0x0900..=0x097F => self.devanagari += 1,
            0xC0..=0x24F if c.is_alphabetic() => self.latin += 1,
            _ => {}
        }
    }
}

const ENGLISH_WORDS: &[&str] =
    &["the", "and", "of", "to", "is", "in", "that", "it", "for", "with", "was", "on", "are", "this", "you", "be", "we"];

/// The longest of [`ENGLISH_WORDS`], in bytes.
const LONGEST_ENGLISH_WORD: usize = 4;

/// Whether common English words are frequent in `parts` (no word spans two parts:
/// the line break between them is not a letter).
fn looks_english(parts: &[&str]) -> bool {
    let mut words = 0usize;
    let mut common = 0usize;
    let all_words = parts.iter().flat_map(|part| part.split(|c: char| !c.is_alphabetic()));
    for word in all_words.filter(|w| !w.is_empty()).take(2_000) {
        words += 1;
        if word.len() <= LONGEST_ENGLISH_WORD && ENGLISH_WORDS.iter().any(|e| e.eq_ignore_ascii_case(word)) {
            common += 1;
        }
    }
    words > 0 && common * 100 >= words * 8
}

/// Languages written right to left.
const RTL_LANGUAGES: &[&str] = &["ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "ku-arab"];

/// `rtl` for a right-to-left language tag (`ar`, `he-IL`, `fa`, `ur`, ...), else `ltr`.
///
/// ```
/// assert_eq!(lectern_core::lang::direction("he-IL"), "rtl");
/// assert_eq!(lectern_core::lang::direction("zh-CN"), "ltr");
/// ```
pub fn direction(lang: &str) -> &'static str {
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    if RTL_LANGUAGES.contains(&primary) || lower.contains("-arab") || lower.contains("-hebr") {
        "rtl"
    } else {
        "ltr"
    }
}

/// A front-matter language value, if it looks like a BCP 47 tag (`zh-CN`,
/// `en_US` becomes `en-US`).
pub fn normalize_tag(value: &str) -> Option<String> {
    let value = value.trim().replace('_', "-");
    let valid = !value.is_empty()
        && value.len() <= 35
        && value.split('-').all(|part| !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric()))
        && value.split('-').next().is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    valid.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_common_english_word_is_longer_than_the_limit_checked() {
        assert!(ENGLISH_WORDS.iter().all(|w| w.len() <= LONGEST_ENGLISH_WORD));
    }

    #[test]
    fn detects_scripts() {
        assert_eq!(detect("안녕하세요 부산 자갈치 시장"), Some("ko"));
        assert_eq!(detect("مرحبا بالعالم هذا نص عربي"), Some("ar"));
        assert_eq!(detect("این یک متن فارسی است که می‌خوانیم"), Some("fa"));
        assert_eq!(detect("Привет, как дела сегодня"), Some("ru"));
        assert_eq!(detect("This is the text of an English post about the weather."), Some("en"));
    }

    #[test]
    fn mostly_latin_text_in_an_arabic_post_is_not_arabic() {
        assert_eq!(detect("I2P router 0.9.50 released with the new SSU2 transport, مرحبا"), Some("en"));
    }

    #[test]
    fn does_not_guess_from_too_little_text() {
        assert_eq!(detect("ok"), None);
        assert_eq!(detect("Dies ist ein deutscher Satz ohne englische Wörter"), None);
    }

    #[test]
    fn joined_parts_read_as_the_joined_text() {
        let long_body = format!("{} the and of", "x".repeat(SCRIPT_SAMPLE_CHARS));
        for (title, body) in [("Night buses", "The new routes open today, and it is the first of them."), ("東京", "今天的天气很好"), ("", "ok"), ("שלום", &long_body)] {
            assert_eq!(detect_joined(&[title, body]), detect(&format!("{title}\n{body}")), "{title:?}");
        }
    }

    #[test]
    fn normalizes_tags() {
        assert_eq!(normalize_tag("en_US").as_deref(), Some("en-US"));
        assert_eq!(normalize_tag("<script>"), None);
        assert_eq!(normalize_tag("zh-Hans-CN").as_deref(), Some("zh-Hans-CN"));
    }
}
