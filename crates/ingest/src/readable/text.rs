//! Text measures used by the scoring: lengths as a browser counts them
//! (UTF-16 code units), whitespace as JavaScript's `\s` and `trim()` see it.

use super::dom::text_content;
use ammonia::rcdom::Handle;

/// JavaScript's `\s`: Unicode white space plus the byte order mark.
pub fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// `s.trim()` as JavaScript trims.
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// The length JavaScript reports (`s.length`: UTF-16 code units).
pub fn js_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Replaces each run of two or more white-space characters with one space.
pub fn normalize_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if is_js_space(c) {
            run.push(c);
            continue;
        }
        flush_run(&mut out, &mut run);
        out.push(c);
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut String) {
    match run.chars().count() {
        0 => {}
        1 => out.push_str(run),
        _ => out.push(' '),
    }
    run.clear();
}

/// The trimmed text of a node, with runs of white space collapsed when
/// `normalize` is set (`_getInnerText`).
pub fn inner_text(node: &Handle, normalize: bool) -> String {
    let text = text_content(node);
    let trimmed = js_trim(&text);
    if normalize {
        normalize_spaces(trimmed)
    } else {
        trimmed.to_owned()
    }
}

/// The JavaScript length of a node's trimmed, normalised text.
pub fn inner_text_len(node: &Handle) -> usize {
    js_len(&inner_text(node, true))
}

/// Commas of the scripts that use them (Latin, Arabic, CJK full-width, ...).
pub fn count_commas(s: &str) -> usize {
    s.chars()
        .filter(|c| {
            matches!(
                c,
                ',' | '\u{060C}'
                    | '\u{FE50}'
                    | '\u{FE10}'
                    | '\u{FE11}'
                    | '\u{2E41}'
                    | '\u{2E34}'
                    | '\u{2E32}'
                    | '\u{FF0C}'
            )
        })
        .count()
}

/// Words as JavaScript's `/\W+/` splits them: runs of ASCII letters, digits
/// and `_`, lowercased.
pub fn ascii_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// How much of `b` is also in `a`, by words: 1 when every word of `b` is in
/// `a`, 0 when none is (`_textSimilarity`).
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let words_a = ascii_words(a);
    let words_b = ascii_words(b);
    if words_a.is_empty() || words_b.is_empty() {
        return 0.0;
    }
    let unique_b: Vec<&str> = words_b.iter().filter(|w| !words_a.contains(w)).map(String::as_str).collect();
    let distance = js_len(&unique_b.join(" ")) as f64 / js_len(&words_b.join(" ")) as f64;
    1.0 - distance
}

/// Words separated by white space, as `s.split(/\s+/).length` counts them:
/// one more than the runs of white space.
pub fn split_word_count(s: &str) -> usize {
    let mut runs = 0;
    let mut in_run = false;
    for c in s.chars() {
        let space = is_js_space(c);
        if space && !in_run {
            runs += 1;
        }
        in_run = space;
    }
    runs + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_only_runs_of_two_or_more_spaces() {
        assert_eq!(normalize_spaces("a\nb  c \t\n d"), "a\nb c d");
    }

    #[test]
    fn counts_lengths_in_utf16_units() {
        assert_eq!(js_len("a😀"), 3);
        assert_eq!(js_len("你好"), 2);
    }

    #[test]
    fn similarity_counts_words_of_the_second_text_found_in_the_first() {
        assert_eq!(text_similarity("Hello World", "hello world"), 1.0);
        assert_eq!(text_similarity("Hello", "other words"), 0.0);
        assert!(text_similarity("The big title", "The big title - Site").abs() > 0.7);
    }

    #[test]
    fn word_count_matches_javascript_split() {
        // "a b".split(/\s+/) has 2 items; " a b " has 4 ("", "a", "b", "").
        assert_eq!(split_word_count("a b"), 2);
        assert_eq!(split_word_count(" a b "), 4);
        assert_eq!(split_word_count(""), 1);
    }
}
