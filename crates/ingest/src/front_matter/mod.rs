//! Splitting an article file into front matter and body, and reading the front
//! matter (YAML between `---`, TOML between `+++`, or a leading JSON object)
//! into a JSON map.
//!
//! Real files start with blank lines, a BOM or CRLF line ends; real generators
//! write YAML that a strict parser rejects. Such front matter is recovered line
//! by line ([`recover`]) with a warning, so the file still becomes an article.

pub mod recover;
pub mod yaml;

use lectern_core::limits::{MAX_FRONT_MATTER_BYTES, MAX_FRONT_MATTER_DEPTH};
use serde_json::{Map, Value};

/// The syntax a front matter block was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML between `---` fences.
    Yaml,
    /// TOML between `+++` fences.
    Toml,
    /// A JSON object at the start of the file (optionally closed by `;;;`).
    Json,
}

/// The front matter of a file, read into a map, and the body after it.
#[derive(Debug, Default)]
pub struct FrontMatter<'a> {
    /// The syntax found, if the file has front matter.
    pub format: Option<Format>,
    /// The keys and values, in file order.
    pub fields: Map<String, Value>,
    /// The body: everything after the front matter.
    pub body: &'a str,
    /// What was recovered or ignored while reading.
    pub warnings: Vec<String>,
}

/// Splits `text` (already without a BOM, with `\n` line ends) into front matter
/// and body, and reads the front matter.
///
/// ```
/// let fm = lectern_ingest::front_matter::read("\n---\ntitle: 'Hi'\n---\n<p>x</p>");
/// assert_eq!(fm.fields["title"], "Hi");
/// assert_eq!(fm.body, "<p>x</p>");
/// ```
pub fn read(text: &str) -> FrontMatter<'_> {
    let start = skip_blank_lines(text);
    let rest = &text[start..];
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    let mut fm = FrontMatter { body: text, ..Default::default() };
    match first_line {
        "---" => read_fenced(rest, "---", Format::Yaml, &mut fm),
        "+++" => read_fenced(rest, "+++", Format::Toml, &mut fm),
        _ if rest.starts_with('{') => read_json(rest, &mut fm),
        _ => {}
    }
    fm
}

fn skip_blank_lines(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        offset += line.len();
    }
    offset
}

/// Finds the closing fence line; returns (block, body).
fn split_fenced<'a>(rest: &'a str, fence: &str, format: Format) -> Option<(&'a str, &'a str)> {
    let after_open = rest.find('\n').map(|i| i + 1)?;
    let mut offset = after_open;
    for line in rest[after_open..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        let closes = trimmed == fence || (format == Format::Yaml && trimmed == "...");
        if closes {
            let block = &rest[after_open..offset];
            let body = &rest[offset + line.len()..];
            return Some((block, body));
        }
        offset += line.len();
    }
    None
}

fn read_fenced<'a>(rest: &'a str, fence: &str, format: Format, fm: &mut FrontMatter<'a>) {
    let Some((block, body)) = split_fenced(rest, fence, format) else {
        fm.warnings.push(format!(
            "front matter: the opening '{fence}' has no closing '{fence}' line; the whole file is read as the body"
        ));
        return;
    };
    fm.body = body;
    if block.len() > MAX_FRONT_MATTER_BYTES {
        fm.warnings.push(format!(
            "front matter: {} bytes is over the limit of {MAX_FRONT_MATTER_BYTES}; its fields were ignored",
            block.len()
        ));
        return;
    }
    fm.format = Some(format);
    if format == Format::Toml {
        read_toml(block, fm);
        return;
    }
    match yaml::load(block) {
        Ok(fields) => fm.fields = fields,
        Err(err) => {
            fm.warnings.push(format!("front matter: {err}; recovered line by line"));
            let recovered = recover::recover(block);
            fm.fields = recovered.fields;
            fm.warnings.extend(recovered.warnings);
        }
    }
}

fn read_toml(block: &str, fm: &mut FrontMatter<'_>) {
    match toml::from_str::<toml::Table>(block) {
        Ok(table) => match toml_to_json(toml::Value::Table(table), 0) {
            Some(Value::Object(map)) => fm.fields = map,
            _ => fm.warnings.push(format!(
                "front matter: TOML nested deeper than {MAX_FRONT_MATTER_DEPTH} levels; its fields were ignored"
            )),
        },
        Err(err) => {
            let message = err.message().trim_end().to_owned();
            // +2: the fence line, and lines count from 1.
            match err.span().and_then(|span| block.get(..span.start)).map(|before| before.matches('\n').count() + 2) {
                Some(line) => fm.warnings.push(format!("front matter: TOML: line {line}: {message}; its fields were ignored")),
                None => fm.warnings.push(format!("front matter: TOML: {message}; its fields were ignored")),
            }
        }
    }
}

fn read_json<'a>(rest: &'a str, fm: &mut FrontMatter<'a>) {
    let window = &rest[..rest.len().min(MAX_FRONT_MATTER_BYTES + 1)];
    let mut stream = serde_json::Deserializer::from_str(window).into_iter::<Value>();
    match stream.next() {
        Some(Ok(Value::Object(map))) => {
            let end = stream.byte_offset();
            if depth_of(&Value::Object(map.clone())) > MAX_FRONT_MATTER_DEPTH {
                fm.warnings.push(format!(
                    "front matter: JSON nested deeper than {MAX_FRONT_MATTER_DEPTH} levels; its fields were ignored"
                ));
            } else {
                fm.fields = map;
            }
            fm.format = Some(Format::Json);
            let mut body = &rest[end..];
            // Hexo closes JSON front matter with an optional ";;;" line.
            let after_ws = body.trim_start_matches([' ', '\t', '\r', '\n']);
            if let Some(stripped) = after_ws.strip_prefix(";;;") {
                body = stripped;
            }
            fm.body = body;
        }
        // `{"key"...` that does not parse was meant as front matter: say why it was not read.
        Some(Err(err)) if rest[1..].trim_start().starts_with('"') => {
            fm.warnings.push(format!(
                "front matter: JSON: line {}, column {}: {err}; the whole file is read as the body",
                err.line(),
                err.column()
            ));
        }
        // A body that starts with "{" but is not a JSON object is just a body.
        _ => {}
    }
}

fn depth_of(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

fn toml_to_json(value: toml::Value, depth: usize) -> Option<Value> {
    if depth > MAX_FRONT_MATTER_DEPTH {
        return None;
    }
    Some(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| toml_to_json(v, depth + 1)).collect::<Option<_>>()?)
        }
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| toml_to_json(v, depth + 1).map(|v| (k, v)))
                .collect::<Option<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_after_blank_lines() {
        let fm = read("\n\n---\ntitle: a\n---\nbody");
        assert_eq!(fm.format, Some(Format::Yaml));
        assert_eq!(fm.fields["title"], "a");
        assert_eq!(fm.body, "body");
    }

    #[test]
    fn reads_toml_between_plus_fences() {
        let fm = read("+++\ntitle = \"t\"\ndate = 2024-05-17T10:00:00Z\ntags = [\"a\"]\n+++\n\n# Body");
        assert_eq!(fm.format, Some(Format::Toml));
        assert_eq!(fm.fields["title"], "t");
        assert_eq!(fm.fields["date"], "2024-05-17T10:00:00Z");
        assert_eq!(fm.body, "\n# Body");
    }

    #[test]
    fn reads_json_object_front_matter() {
        let fm = read("{\"title\": \"j\", \"tags\": [\"x\"]}\n\nText");
        assert_eq!(fm.format, Some(Format::Json));
        assert_eq!(fm.fields["title"], "j");
        assert_eq!(fm.body.trim(), "Text");
    }

    #[test]
    fn reads_json_closed_by_hexo_semicolons() {
        let fm = read("{\"title\": \"j\"}\n;;;\nText");
        assert_eq!(fm.body.trim(), "Text");
    }

    #[test]
    fn treats_file_without_front_matter_as_body() {
        let fm = read("# Title\n\ntext");
        assert_eq!(fm.format, None);
        assert_eq!(fm.body, "# Title\n\ntext");
    }

    #[test]
    fn rejects_front_matter_without_closing_fence() {
        let fm = read("---\ntitle: x\nno end");
        assert_eq!(fm.format, None);
        assert!(fm.fields.is_empty());
        assert!(fm.warnings[0].contains("no closing"), "{:?}", fm.warnings);
        assert_eq!(fm.body, "---\ntitle: x\nno end");
    }

    #[test]
    fn recovers_yaml_that_strict_parsers_reject() {
        let fm = read("---\ntitle: '\"a\"b'c'\nauthor: me\n---\nbody");
        assert_eq!(fm.fields["author"], "me");
        assert!(fm.fields["title"].as_str().unwrap().contains('b'));
        assert!(fm.warnings.iter().any(|w| w.contains("recovered")));
    }

    #[test]
    fn reports_toml_errors_with_a_line() {
        let fm = read("+++\ntitle = \"t\"\nbad = \n+++\nx");
        assert!(fm.fields.is_empty());
        assert!(fm.warnings[0].contains("TOML: line 3"), "{:?}", fm.warnings);
    }

    #[test]
    fn ignores_deeply_nested_toml_and_json() {
        let deep_toml = format!("+++\na = {}1{}\n+++\n", "[".repeat(100), "]".repeat(100));
        let fm = read(&deep_toml);
        assert!(fm.fields.is_empty());
        let deep_json = format!("{{\"a\": {}1{}}}\nx", "[".repeat(100), "]".repeat(100));
        let fm = read(&deep_json);
        assert!(fm.fields.is_empty(), "{:?}", fm.fields);
        assert!(!fm.warnings.is_empty());
        let deeper_than_serde_allows = format!("{{\"a\": {}1{}}}\nx", "[".repeat(200), "]".repeat(200));
        let fm = read(&deeper_than_serde_allows);
        assert!(fm.fields.is_empty());
        assert!(fm.warnings[0].contains("recursion limit"), "{:?}", fm.warnings);
    }
}
