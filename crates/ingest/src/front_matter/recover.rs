//! Line-by-line recovery of YAML front matter that a strict parser rejects.
//!
//! Real generators write titles made of runs of unbalanced quotes, unquoted
//! titles whose continuation lines start at column 0, and similar. Recovery
//! reads `key: value` lines, `- item` lists under a key, and continuation
//! lines, so that every readable field survives. Each value is then re-read
//! with the strict parser when it is valid YAML on its own.

use super::yaml;
use serde_json::{Map, Value};

/// The fields recovered, and what was guessed or skipped.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Keys and values, in file order.
    pub fields: Map<String, Value>,
    /// One line per guess or skipped line.
    pub warnings: Vec<String>,
}

enum Pending {
    /// A `key:` with nothing after it yet: list items or text may follow.
    Empty,
    /// A scalar value that continuation lines extend.
    Text(String),
    /// A list under the key.
    List(Vec<Value>),
}

/// Recovers the fields of a YAML block line by line.
///
/// ```
/// let r = lectern_ingest::front_matter::recover::recover("title: 'a'b'\ncategories:\n    - x\n    - y\nauthor: me");
/// assert_eq!(r.fields["title"], "a'b");
/// assert_eq!(r.fields["categories"][1], "y");
/// assert_eq!(r.fields["author"], "me");
/// ```
pub fn recover(block: &str) -> Recovered {
    let mut out = Recovered::default();
    let mut current: Option<(String, Pending)> = None;
    for (index, line) in block.lines().enumerate() {
        let line_number = index + 2; // the opening fence is line 1
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let trimmed = line.trim();
        if !indented {
            if let Some((key, value)) = split_key(trimmed) {
                finish(&mut out, current.take());
                let pending = if value.is_empty() { Pending::Empty } else { Pending::Text(value.to_owned()) };
                current = Some((key.to_owned(), pending));
                continue;
            }
        }
        match current.as_mut() {
            Some((_, pending)) if trimmed.starts_with("- ") || trimmed == "-" => {
                let item = scalar_value(trimmed.trim_start_matches('-').trim());
                match pending {
                    Pending::List(items) => items.push(item),
                    Pending::Empty => *pending = Pending::List(vec![item]),
                    Pending::Text(text) => {
                        text.push(' ');
                        text.push_str(trimmed);
                    }
                }
            }
            Some((_, pending)) => match pending {
                Pending::Text(text) => {
                    text.push(' ');
                    text.push_str(trimmed);
                }
                Pending::Empty => *pending = Pending::Text(trimmed.to_owned()),
                Pending::List(_) => out.warnings.push(format!("front matter: line {line_number}: ignored '{}'", shorten(trimmed))),
            },
            None => out.warnings.push(format!("front matter: line {line_number}: ignored '{}'", shorten(trimmed))),
        }
    }
    finish(&mut out, current.take());
    out
}

fn finish(out: &mut Recovered, current: Option<(String, Pending)>) {
    let Some((key, pending)) = current else { return };
    let value = match pending {
        Pending::Empty => Value::Null,
        Pending::Text(text) => scalar_value(&text),
        Pending::List(items) => Value::Array(items),
    };
    out.fields.insert(key, value);
}

/// Splits `key: value` at the first `: ` (or a final `:`); keys are plain words.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line.char_indices().find(|&(i, c)| {
        c == ':' && line[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t')
    })?;
    let key = line[..colon.0].trim();
    let plain = !key.is_empty()
        && key.len() <= 64
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    plain.then(|| (key, line[colon.0 + 1..].trim()))
}

/// Reads one value: valid YAML on its own is read strictly (lists, numbers,
/// quoted strings); otherwise the text is unquoted leniently.
fn scalar_value(text: &str) -> Value {
    if let Ok(map) = yaml::load(&format!("v: {text}")) {
        if let Some(value) = map.get("v") {
            return value.clone();
        }
    }
    Value::String(unquote_leniently(text))
}

/// Strips one pair of outer quotes and undoes YAML's quote doubling; when the
/// quotes are unbalanced (runs like `"""'title'"""`), trims every quote at
/// both ends instead.
fn unquote_leniently(text: &str) -> String {
    let text = text.trim();
    let is_quote = |c: char| c == '\'' || c == '"';
    let first = text.chars().next();
    let last = text.chars().next_back();
    match (first, last) {
        (Some(q), Some(l)) if is_quote(q) && q == l && text.len() >= 2 => {
            let inner = &text[1..text.len() - 1];
            let balanced = if q == '\'' { !inner.replace("''", "").contains('\'') } else { !inner.replace("\\\"", "").contains('"') };
            if balanced {
                return if q == '\'' { inner.replace("''", "'") } else { inner.replace("\\\"", "\"") };
            }
            text.trim_matches(is_quote).to_owned()
        }
        (Some(q), _) | (_, Some(q)) if is_quote(q) => text.trim_matches(is_quote).to_owned(),
        _ => text.to_owned(),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_column_zero_continuation_lines_into_the_title() {
        let r = recover("title: 2021 sale ends\n      \n\nShop only\n   Tea pack Vol.1\ncategories: \n    - anime\nauthor: shop");
        assert_eq!(r.fields["title"], "2021 sale ends Shop only Tea pack Vol.1");
        assert_eq!(r.fields["categories"][0], "anime");
        assert_eq!(r.fields["author"], "shop");
    }

    #[test]
    fn unquotes_runs_of_unbalanced_quotes() {
        let r = recover("title: '\"import\"car'of'rules\"\"\n");
        assert_eq!(r.fields["title"], "import\"car'of'rules");
        let r = recover("title: \"\"\"\"'Illustration by A'\"\"\"\"\n");
        assert_eq!(r.fields["title"], "Illustration by A");
    }

    #[test]
    fn keeps_empty_keys_as_null() {
        let r = recover("thumbnail:\nheadimg: ''\n");
        assert_eq!(r.fields["thumbnail"], Value::Null);
        assert_eq!(r.fields["headimg"], "");
    }

    #[test]
    fn reads_flow_lists_and_booleans() {
        let r = recover("tags: [a, b]\ncomments: false\ntitle: x'y");
        assert_eq!(r.fields["tags"][1], "b");
        assert_eq!(r.fields["comments"], false);
        assert_eq!(r.fields["title"], "x'y");
    }

    #[test]
    fn reports_lines_it_cannot_place() {
        let r = recover("  stray\ntitle: t");
        assert_eq!(r.fields["title"], "t");
        assert!(r.warnings[0].contains("line 2"));
    }
}
