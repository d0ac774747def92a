//! A strict YAML front-matter loader on yaml-rust2's event parser, with limits:
//! nesting depth and the number of values after alias expansion are bounded,
//! so alias bombs ("billion laughs") and deep nesting fail fast with a clear
//! message instead of exhausting memory or the stack.

use lectern_core::limits::{MAX_FRONT_MATTER_DEPTH, MAX_FRONT_MATTER_VALUES};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;
use yaml_rust2::Yaml;

/// Why strict YAML loading failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The text is not valid YAML.
    #[error("YAML: line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line within the front matter block (the fence is line 1).
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// The values nest deeper than [`MAX_FRONT_MATTER_DEPTH`].
    #[error("YAML nests deeper than {MAX_FRONT_MATTER_DEPTH} levels")]
    TooDeep,
    /// Aliases expand to more than [`MAX_FRONT_MATTER_VALUES`] values.
    #[error("YAML holds more than {MAX_FRONT_MATTER_VALUES} values once aliases are expanded (an alias bomb?)")]
    TooManyValues,
    /// The document is a list or a scalar, not a mapping of keys.
    #[error("YAML front matter is not a mapping of keys to values")]
    NotAMapping,
    /// An alias names an anchor that was not defined before it.
    #[error("YAML: an alias refers to an unknown anchor")]
    UnknownAnchor,
}

enum Frame {
    Sequence { items: Vec<Value>, anchor: usize },
    Mapping { map: Map<String, Value>, key: Option<String>, anchor: usize },
}

/// Loads one YAML document that must be a mapping. Empty text gives an empty map.
///
/// ```
/// let map = lectern_ingest::front_matter::yaml::load("title: x\ntags: [a, b]\ncomments: false").unwrap();
/// assert_eq!(map["tags"][1], "b");
/// assert_eq!(map["comments"], false);
/// ```
pub fn load(text: &str) -> Result<Map<String, Value>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut values = 0usize;
    let mut root: Option<Value> = None;
    loop {
        let (event, _) = parser.next_token().map_err(|e| YamlError::Syntax {
            line: e.marker().line() + 1,
            column: e.marker().col() + 1,
            message: e.info().to_owned(),
        })?;
        let finished = match event {
            Event::StreamEnd => break,
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                None
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart => None,
            Event::SequenceStart(anchor, _) => {
                push(&mut stack, Frame::Sequence { items: Vec::new(), anchor })?;
                None
            }
            Event::MappingStart(anchor, _) => {
                push(&mut stack, Frame::Mapping { map: Map::new(), key: None, anchor })?;
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Sequence { items, anchor }) => Some((Value::Array(items), anchor)),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Mapping { map, anchor, .. }) => Some((Value::Object(map), anchor)),
                _ => None,
            },
            Event::Scalar(text, style, anchor, _tag) => Some((scalar(text, style), anchor)),
            Event::Alias(id) => {
                let (value, count) = anchors.get(&id).ok_or(YamlError::UnknownAnchor)?;
                values += count;
                if values > MAX_FRONT_MATTER_VALUES {
                    return Err(YamlError::TooManyValues);
                }
                Some((value.clone(), 0))
            }
        };
        if let Some((value, anchor)) = finished {
            values += 1;
            if values > MAX_FRONT_MATTER_VALUES {
                return Err(YamlError::TooManyValues);
            }
            if anchor > 0 {
                let count = count_values(&value);
                anchors.insert(anchor, (value.clone(), count));
            }
            match stack.last_mut() {
                None => root = Some(value),
                Some(Frame::Sequence { items, .. }) => items.push(value),
                Some(Frame::Mapping { map, key, .. }) => match key.take() {
                    None => *key = Some(key_text(&value)),
                    Some(k) => {
                        map.insert(k, value);
                    }
                },
            }
        }
    }
    match root {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(YamlError::NotAMapping),
    }
}

fn push(stack: &mut Vec<Frame>, frame: Frame) -> Result<(), YamlError> {
    if stack.len() >= MAX_FRONT_MATTER_DEPTH {
        return Err(YamlError::TooDeep);
    }
    stack.push(frame);
    Ok(())
}

fn count_values(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// Resolves a scalar as YAML 1.2 core schema does: plain scalars may be
/// null, booleans or numbers; quoted ones are always strings.
fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match Yaml::from_str(&text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::String(text)),
        _ => Value::String(text),
    }
}

fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_zoneless_dates_as_strings() {
        let map = load("date: 2022-08-13 12:14:54\nday: 2021-11-05").unwrap();
        assert_eq!(map["date"], "2022-08-13 12:14:54");
        assert_eq!(map["day"], "2021-11-05");
    }

    #[test]
    fn keeps_quoted_numbers_as_strings() {
        let map = load("a: '12'\nb: 12\nc: 1.5").unwrap();
        assert_eq!(map["a"], "12");
        assert_eq!(map["b"], 12);
        assert_eq!(map["c"], 1.5);
    }

    #[test]
    fn reads_multi_line_plain_scalars() {
        let map = load("title: one\n  two\n  three\nx: 1").unwrap();
        assert_eq!(map["title"], "one two three");
    }

    #[test]
    fn stops_alias_bombs() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9u8 {
            let prev = (b'a' + i) as char;
            let name = (b'b' + i) as char;
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(load(&bomb), Err(YamlError::TooManyValues));
    }

    #[test]
    fn expands_small_aliases() {
        let map = load("base: &b {x: 1}\ncopy: *b").unwrap();
        assert_eq!(map["copy"]["x"], 1);
    }

    #[test]
    fn stops_deep_nesting() {
        let deep = format!("a: {}1{}", "[".repeat(10_000), "]".repeat(10_000));
        // yaml-rust2's own recursion limit or ours, whichever comes first.
        let err = load(&deep).unwrap_err();
        assert!(err == YamlError::TooDeep || err.to_string().contains("recursion limit"), "{err}");
        let deep_block = (0..100).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect::<String>();
        assert_eq!(load(&deep_block), Err(YamlError::TooDeep));
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = load("title: 'a'b'\n").unwrap_err();
        assert!(matches!(err, YamlError::Syntax { line: 2, .. }), "{err}");
    }

    #[test]
    fn rejects_a_list_document() {
        assert_eq!(load("- a\n- b"), Err(YamlError::NotAMapping));
    }
}
