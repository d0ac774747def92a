//! The articles a saved library carries in its index's payload (see
//! [`crate::search::persist`]), without their text (the index holds it).
//!
//! ```text
//! count       varint
//! article     per article: id, name, title: strings;
//!             date, author, source, image, link, lang, siteName: byte 0 (none) or 1 then a string;
//!             categories, tags: varint count then strings;
//!             dir, excerpt: strings; words, readingMinutes: varints;
//!             outline: varint count then (level byte, text string);
//!             html: string; warnings: count then strings; extra: a value
//! value       byte tag: 0 null, 1 false, 2 true, 3 integer (zigzag varint),
//!             4 unsigned (varint), 5 float (8 bytes little-endian), 6 string,
//!             7 array (count, values), 8 object (count, then key string and value)
//! ```

use crate::article::{Article, Heading};
use crate::limits::MAX_FRONT_MATTER_DEPTH;
use crate::search::persist::{write_str, PersistError, Reader};
use crate::search::postings::write_varint;
use serde_json::{Map, Number, Value};

fn write_opt(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(text) => {
            out.push(1);
            write_str(out, text);
        }
        None => out.push(0),
    }
}

fn write_list(out: &mut Vec<u8>, list: &[String]) {
    write_varint(out, list.len() as u64);
    for item in list {
        write_str(out, item);
    }
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0),
        Value::Bool(false) => out.push(1),
        Value::Bool(true) => out.push(2),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push(3);
                write_varint(out, ((i << 1) ^ (i >> 63)) as u64);
            } else if let Some(u) = n.as_u64() {
                out.push(4);
                write_varint(out, u);
            } else {
                out.push(5);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(6);
            write_str(out, s);
        }
        Value::Array(items) => {
            out.push(7);
            write_varint(out, items.len() as u64);
            items.iter().for_each(|item| write_value(out, item));
        }
        Value::Object(map) => {
            out.push(8);
            write_map(out, map);
        }
    }
}

fn write_map(out: &mut Vec<u8>, map: &Map<String, Value>) {
    write_varint(out, map.len() as u64);
    for (key, value) in map {
        write_str(out, key);
        write_value(out, value);
    }
}

/// Encodes articles (their `text` is not written).
pub fn encode(articles: &[&Article]) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, articles.len() as u64);
    for a in articles {
        write_str(&mut out, &a.id);
        write_str(&mut out, &a.name);
        write_str(&mut out, &a.title);
        for value in [&a.date, &a.author, &a.source, &a.image, &a.link, &a.lang, &a.site_name] {
            write_opt(&mut out, value.as_deref());
        }
        write_list(&mut out, &a.categories);
        write_list(&mut out, &a.tags);
        write_str(&mut out, &a.dir);
        write_str(&mut out, &a.excerpt);
        write_varint(&mut out, a.words as u64);
        write_varint(&mut out, u64::from(a.reading_minutes));
        write_varint(&mut out, a.outline.len() as u64);
        for heading in &a.outline {
            out.push(heading.level);
            write_str(&mut out, &heading.text);
        }
        write_str(&mut out, &a.html);
        write_list(&mut out, &a.warnings);
        write_map(&mut out, &a.extra);
    }
    out
}

fn read_opt(r: &mut Reader<'_>, what: &str) -> Result<Option<String>, PersistError> {
    match r.byte(what)? {
        0 => Ok(None),
        1 => Ok(Some(r.string(what)?.to_owned())),
        other => Err(r.corrupt(format!("{what}: flag {other}"))),
    }
}

fn read_list(r: &mut Reader<'_>, what: &str) -> Result<Vec<String>, PersistError> {
    let n = r.count(what)?;
    (0..n).map(|_| r.string(what).map(str::to_owned)).collect()
}

fn read_map(r: &mut Reader<'_>, depth: usize) -> Result<Map<String, Value>, PersistError> {
    let n = r.count("extra")?;
    let mut map = Map::new();
    for _ in 0..n {
        let key = r.string("extra key")?.to_owned();
        let value = read_value(r, depth)?;
        map.insert(key, value);
    }
    Ok(map)
}

fn read_value(r: &mut Reader<'_>, depth: usize) -> Result<Value, PersistError> {
    if depth > MAX_FRONT_MATTER_DEPTH {
        return Err(r.corrupt("extra: nested too deeply"));
    }
    Ok(match r.byte("extra value")? {
        0 => Value::Null,
        1 => Value::Bool(false),
        2 => Value::Bool(true),
        3 => {
            let z = r.varint("extra number")?;
            Value::Number(Number::from(((z >> 1) as i64) ^ -((z & 1) as i64)))
        }
        4 => Value::Number(Number::from(r.varint("extra number")?)),
        5 => {
            let mut raw = [0u8; 8];
            for byte in &mut raw {
                *byte = r.byte("extra number")?;
            }
            Number::from_f64(f64::from_le_bytes(raw)).map_or(Value::Null, Value::Number)
        }
        6 => Value::String(r.string("extra string")?.to_owned()),
        7 => {
            let n = r.count("extra list")?;
            Value::Array((0..n).map(|_| read_value(r, depth + 1)).collect::<Result<_, _>>()?)
        }
        8 => Value::Object(read_map(r, depth + 1)?),
        other => return Err(r.corrupt(format!("extra: value tag {other}"))),
    })
}

/// Decodes what [`encode`] wrote (each article's `text` empty).
pub fn decode(bytes: &[u8]) -> Result<Vec<Article>, PersistError> {
    let mut r = Reader::new(bytes, 0);
    let n = r.count("articles")?;
    let mut articles = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.string("article id")?.to_owned();
        let name = r.string("article name")?.to_owned();
        let title = r.string("article title")?.to_owned();
        let date = read_opt(&mut r, "article date")?;
        let author = read_opt(&mut r, "article author")?;
        let source = read_opt(&mut r, "article source")?;
        let image = read_opt(&mut r, "article image")?;
        let link = read_opt(&mut r, "article link")?;
        let lang = read_opt(&mut r, "article lang")?;
        let site_name = read_opt(&mut r, "article site name")?;
        let categories = read_list(&mut r, "article categories")?;
        let tags = read_list(&mut r, "article tags")?;
        let dir = r.string("article dir")?.to_owned();
        let excerpt = r.string("article excerpt")?.to_owned();
        let words = r.varint("article words")? as usize;
        let reading_minutes = r.u32("article reading minutes")?;
        let headings = r.count("article outline")?;
        let mut outline = Vec::with_capacity(headings);
        for _ in 0..headings {
            let level = r.byte("heading level")?;
            outline.push(Heading { level, text: r.string("heading text")?.to_owned() });
        }
        let html = r.string("article html")?.to_owned();
        let warnings = read_list(&mut r, "article warnings")?;
        let extra = read_map(&mut r, 0)?;
        articles.push(Article {
            id, name, title, date, author, source, site_name, categories, tags, image, link, lang, dir, excerpt, words,
            reading_minutes, outline, html, text: String::new(), warnings, extra,
        });
    }
    if !r.is_done() {
        return Err(r.corrupt("unexpected bytes after the articles"));
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::testing::article;

    #[test]
    fn round_trips_every_field_and_nested_extra() {
        let mut article = article("a.md", "T", "", Some("2021-03-04T00:00:00Z"));
        article.tags = vec!["x".into()];
        article.outline = vec![Heading { level: 1, text: "H".into() }];
        article.author = Some("Ann".into());
        article.extra = serde_json::json!({ "n": -3, "f": 1.5, "big": 18446744073709551615u64, "nested": { "a": [1, null, true] } })
            .as_object()
            .cloned()
            .unwrap();
        let decoded = decode(&encode(&[&article])).unwrap();
        assert_eq!(decoded, [article]);
    }

    #[test]
    fn rejects_damaged_bytes_without_panicking() {
        let mut article = article("a.md", "H", "", None);
        article.text.clear();
        let bytes = encode(&[&article]);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
