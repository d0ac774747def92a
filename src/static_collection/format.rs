//! The binary files of a static collection: encoding (build) and checked
//! decoding (search). Every binary file is gzip-compressed on disk; the bytes
//! described here are what decompression gives.
//!
//! Integers are LEB128 varints unless said otherwise; a *string* is a varint
//! byte length and UTF-8; *front-coded* strings (sorted lists) are a varint
//! count of bytes shared with the previous string, then the rest as a string.
//!
//! ```text
//! header      4 bytes "LCTC", u16 little-endian FORMAT_VERSION, 1 byte kind
//! index.bin   kind I: documents, len sums (4), tables (categories, authors,
//!             sources: count + strings), term shards (count + front-coded first
//!             terms), typo shards (count + front-coded first keys), facets over
//!             all documents (categories, sources: count + (value id, count);
//!             years: count + (zigzag year, count)), in facet order
//! terms/N     kind T: count, then per term, sorted: front-coded term, document
//!             count, byte length and posting list (slots are final slots; see
//!             `search::postings`)
//! pos/N       kind P: count (as terms/N), then per term: byte length, then for
//!             each posting entry and each field it counts, that many token
//!             positions (first absolute, then gaps)
//! typos/N     kind Y: count, then per key, sorted: front-coded key, count of
//!             words, words (strings): the a–z words of 4+ letters having the key
//!             as themselves or as one of their one-letter deletions
//! docs/N      kind D: count, then per slot: 4 token counts (title, categories,
//!             author, text); date (0 none, else zigzag seconds + 1); source and
//!             author (0 none, else value id + 1); categories (count, value ids)
//! ```
//!
//! Token positions count the tokens (words and CJK letters) of a field; the
//! strings of one field (several categories) are separated by a gap of one, so
//! no phrase spans two. A CJK bigram sits at its first letter's position.

use crate::search::persist::{write_str, PersistError, Reader};
use crate::search::postings::{write_varint, FieldCounts, FIELD_COUNT};
use crate::search::FacetCount;

/// First bytes of every binary file of a static collection.
pub const MAGIC: [u8; 4] = *b"LCTC";
/// The version of the collection format this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// What a binary file holds (its header's kind byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `index.bin`.
    Index = b'I' as isize,
    /// A term shard.
    Terms = b'T' as isize,
    /// A positions shard.
    Positions = b'P' as isize,
    /// A typo shard.
    Typos = b'Y' as isize,
    /// A block of documents.
    Docs = b'D' as isize,
}

/// Why a file of a collection could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not a file of a Lectern collection, or of another kind.
    #[error("'{path}' is not a {what} file of a Lectern collection")]
    NotOurs {
        /// The file.
        path: String,
        /// The kind expected.
        what: &'static str,
    },
    /// Written by another version of the format.
    #[error("'{path}' was written in collection format version {found}, but this Lectern reads version {expected}: rebuild the collection with `lectern index`")]
    Version {
        /// The file.
        path: String,
        /// Version in the file.
        found: u32,
        /// [`FORMAT_VERSION`].
        expected: u32,
    },
    /// Malformed content.
    #[error("'{path}' is damaged: {detail}")]
    Damaged {
        /// The file.
        path: String,
        /// What was wrong.
        detail: String,
    },
}

/// Starts a binary file of `kind`.
pub fn header(kind: Kind) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out
}

/// Checks the header of a binary file and returns a reader after it.
pub(crate) fn open<'a>(path: &str, bytes: &'a [u8], kind: Kind) -> Result<Reader<'a>, FormatError> {
    let what = match kind {
        Kind::Index => "index",
        Kind::Terms => "term shard",
        Kind::Positions => "positions shard",
        Kind::Typos => "typo shard",
        Kind::Docs => "document block",
    };
    if bytes.len() < 7 || bytes[..4] != MAGIC {
        return Err(FormatError::NotOurs { path: path.to_owned(), what });
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(FormatError::Version { path: path.to_owned(), found: u32::from(version), expected: u32::from(FORMAT_VERSION) });
    }
    if bytes[6] != kind as u8 {
        return Err(FormatError::NotOurs { path: path.to_owned(), what });
    }
    Ok(Reader::new(bytes, 7))
}

/// Turns a reader error into a [`FormatError`] naming the file.
pub(crate) fn damaged(path: &str) -> impl Fn(PersistError) -> FormatError + '_ {
    move |e| FormatError::Damaged {
        path: path.to_owned(),
        detail: match e {
            PersistError::Corrupt { what, at } => format!("{what} at byte {at}"),
            other => other.to_string(),
        },
    }
}

/// Writes sorted strings front-coded.
pub struct FrontCoder {
    previous: String,
}

impl FrontCoder {
    /// A coder at the start of a list.
    pub fn new() -> FrontCoder {
        FrontCoder { previous: String::new() }
    }

    /// Appends `text` (which sorts after the previous one).
    pub fn push(&mut self, out: &mut Vec<u8>, text: &str) {
        let shared = self.previous.bytes().zip(text.bytes()).take_while(|(a, b)| a == b).count();
        // Only share whole characters.
        let shared = (0..=shared).rev().find(|&n| text.is_char_boundary(n)).unwrap_or(0);
        write_varint(out, shared as u64);
        write_str(out, &text[shared..]);
        self.previous.clear();
        self.previous.push_str(text);
    }
}

impl Default for FrontCoder {
    fn default() -> Self {
        FrontCoder::new()
    }
}

/// Reads what [`FrontCoder`] wrote.
pub struct FrontDecoder {
    previous: String,
}

impl FrontDecoder {
    /// A decoder at the start of a list.
    pub fn new() -> FrontDecoder {
        FrontDecoder { previous: String::new() }
    }

    /// The next string; it must sort after the previous one.
    pub(crate) fn next(&mut self, r: &mut Reader<'_>, what: &str) -> Result<String, PersistError> {
        let shared = r.varint(what)? as usize;
        let rest = r.string(what)?;
        if shared > self.previous.len() || !self.previous.is_char_boundary(shared) {
            return Err(r.corrupt(format!("{what}: shares {shared} bytes with a shorter string")));
        }
        let mut text = String::with_capacity(shared + rest.len());
        text.push_str(&self.previous[..shared]);
        text.push_str(rest);
        if !self.previous.is_empty() && text <= self.previous {
            return Err(r.corrupt(format!("{what}: '{text}' is out of order")));
        }
        self.previous.clone_from(&text);
        Ok(text)
    }
}

impl Default for FrontDecoder {
    fn default() -> Self {
        FrontDecoder::new()
    }
}

/// Writes a zigzag varint.
pub fn write_signed(out: &mut Vec<u8>, value: i64) {
    write_varint(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Reads a zigzag varint.
pub(crate) fn read_signed(r: &mut Reader<'_>, what: &str) -> Result<i64, PersistError> {
    let z = r.varint(what)?;
    Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
}

/// One document's row in a block of `docs/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocRow {
    /// Tokens per field.
    pub lens: FieldCounts,
    /// Seconds since the Unix epoch.
    pub date: Option<i64>,
    /// Source value id.
    pub source: Option<u32>,
    /// Author value id.
    pub author: Option<u32>,
    /// Category value ids.
    pub categories: Vec<u32>,
}

/// Encodes a block of document rows.
pub fn encode_docs(rows: &[DocRow]) -> Vec<u8> {
    let mut out = header(Kind::Docs);
    write_varint(&mut out, rows.len() as u64);
    for row in rows {
        for &len in &row.lens {
            write_varint(&mut out, u64::from(len));
        }
        match row.date {
            Some(seconds) => write_varint(&mut out, ((seconds << 1) ^ (seconds >> 63)) as u64 + 1),
            None => write_varint(&mut out, 0),
        }
        write_varint(&mut out, row.source.map_or(0, |s| u64::from(s) + 1));
        write_varint(&mut out, row.author.map_or(0, |a| u64::from(a) + 1));
        write_varint(&mut out, row.categories.len() as u64);
        for &c in &row.categories {
            write_varint(&mut out, u64::from(c));
        }
    }
    out
}

/// Decodes a block of document rows; value ids must be below the table sizes.
pub fn decode_docs(path: &str, bytes: &[u8], tables: [usize; 3]) -> Result<Vec<DocRow>, FormatError> {
    let mut r = open(path, bytes, Kind::Docs)?;
    let bad = damaged(path);
    let n = r.count("documents").map_err(&bad)?;
    let mut rows = Vec::with_capacity(n);
    let [categories, authors, sources] = tables;
    let value = |r: &mut Reader<'_>, what: &str, limit: usize| -> Result<Option<u32>, PersistError> {
        match r.u32(what)? {
            0 => Ok(None),
            v if (v as usize) <= limit => Ok(Some(v - 1)),
            v => Err(r.corrupt(format!("{what}: value {v} is not in its table"))),
        }
    };
    for _ in 0..n {
        let mut lens = [0u32; FIELD_COUNT];
        for len in &mut lens {
            *len = r.u32("token count").map_err(&bad)?;
        }
        let date = match r.varint("date").map_err(&bad)? {
            0 => None,
            z => {
                let z = z - 1;
                Some(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
        };
        let source = value(&mut r, "source", sources).map_err(&bad)?;
        let author = value(&mut r, "author", authors).map_err(&bad)?;
        let count = r.count("categories").map_err(&bad)?;
        let mut cats = Vec::with_capacity(count);
        for _ in 0..count {
            let c = r.u32("category").map_err(&bad)?;
            if c as usize >= categories {
                return Err(bad(r.corrupt(format!("category {c} is not in its table"))));
            }
            cats.push(c);
        }
        rows.push(DocRow { lens, date, source, author, categories: cats });
    }
    if !r.is_done() {
        return Err(bad(r.corrupt("unexpected bytes after the documents")));
    }
    Ok(rows)
}

/// Facet counts over a whole collection, as stored in `index.bin` (value ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredFacets {
    /// (category id, count), in facet order.
    pub categories: Vec<(u32, u32)>,
    /// (source id, count), in facet order.
    pub sources: Vec<(u32, u32)>,
    /// Years, newest first.
    pub years: Vec<FacetCount<i32>>,
}

/// What `index.bin` holds.
#[derive(Debug, Clone, Default)]
pub struct IndexMeta {
    /// Number of documents.
    pub documents: u32,
    /// Tokens per field over all documents.
    pub len_sums: [u64; FIELD_COUNT],
    /// Category values.
    pub categories: Vec<String>,
    /// Author values.
    pub authors: Vec<String>,
    /// Source values.
    pub sources: Vec<String>,
    /// First term of each term shard.
    pub term_shards: Vec<String>,
    /// First key of each typo shard.
    pub typo_shards: Vec<String>,
    /// Facets over all documents.
    pub facets: StoredFacets,
}

fn write_table(out: &mut Vec<u8>, values: &[String]) {
    write_varint(out, values.len() as u64);
    for v in values {
        write_str(out, v);
    }
}

fn write_front_coded(out: &mut Vec<u8>, values: &[String]) {
    write_varint(out, values.len() as u64);
    let mut coder = FrontCoder::new();
    for v in values {
        coder.push(out, v);
    }
}

/// Encodes `index.bin`.
pub fn encode_index(meta: &IndexMeta) -> Vec<u8> {
    let mut out = header(Kind::Index);
    write_varint(&mut out, u64::from(meta.documents));
    for &sum in &meta.len_sums {
        write_varint(&mut out, sum);
    }
    write_table(&mut out, &meta.categories);
    write_table(&mut out, &meta.authors);
    write_table(&mut out, &meta.sources);
    write_front_coded(&mut out, &meta.term_shards);
    write_front_coded(&mut out, &meta.typo_shards);
    for list in [&meta.facets.categories, &meta.facets.sources] {
        write_varint(&mut out, list.len() as u64);
        for &(id, count) in list {
            write_varint(&mut out, u64::from(id));
            write_varint(&mut out, u64::from(count));
        }
    }
    write_varint(&mut out, meta.facets.years.len() as u64);
    for year in &meta.facets.years {
        write_signed(&mut out, i64::from(year.value));
        write_varint(&mut out, u64::from(year.count));
    }
    out
}

/// Decodes `index.bin`.
pub fn decode_index(path: &str, bytes: &[u8]) -> Result<IndexMeta, FormatError> {
    let mut r = open(path, bytes, Kind::Index)?;
    let bad = damaged(path);
    let mut meta = IndexMeta { documents: r.u32("documents").map_err(&bad)?, ..IndexMeta::default() };
    for sum in &mut meta.len_sums {
        *sum = r.varint("token sums").map_err(&bad)?;
    }
    let table = |r: &mut Reader<'_>, what: &str| -> Result<Vec<String>, PersistError> {
        let n = r.count(what)?;
        (0..n).map(|_| r.string(what).map(str::to_owned)).collect()
    };
    meta.categories = table(&mut r, "categories").map_err(&bad)?;
    meta.authors = table(&mut r, "authors").map_err(&bad)?;
    meta.sources = table(&mut r, "sources").map_err(&bad)?;
    let front = |r: &mut Reader<'_>, what: &str| -> Result<Vec<String>, PersistError> {
        let n = r.count(what)?;
        let mut decoder = FrontDecoder::new();
        (0..n).map(|_| decoder.next(r, what)).collect()
    };
    meta.term_shards = front(&mut r, "term shards").map_err(&bad)?;
    meta.typo_shards = front(&mut r, "typo shards").map_err(&bad)?;
    for (list, limit, what) in [(&mut meta.facets.categories, meta.categories.len(), "category facet"), (&mut meta.facets.sources, meta.sources.len(), "source facet")] {
        let n = r.count(what).map_err(&bad)?;
        for _ in 0..n {
            let id = r.u32(what).map_err(&bad)?;
            if id as usize >= limit {
                return Err(bad(r.corrupt(format!("{what}: value {id} is not in its table"))));
            }
            list.push((id, r.u32(what).map_err(&bad)?));
        }
    }
    let n = r.count("year facet").map_err(&bad)?;
    for _ in 0..n {
        let year = read_signed(&mut r, "year").map_err(&bad)?;
        let value = i32::try_from(year).map_err(|_| bad(r.corrupt(format!("year {year} is out of range"))))?;
        meta.facets.years.push(FacetCount { value, count: r.u32("year count").map_err(&bad)? });
    }
    if !r.is_done() {
        return Err(bad(r.corrupt("unexpected bytes at the end")));
    }
    Ok(meta)
}

/// Which shard of a sorted list (given by each shard's first string) holds `key`.
pub fn shard_of(firsts: &[String], key: &str) -> Option<usize> {
    firsts.partition_point(|first| first.as_str() <= key).checked_sub(1)
}

/// The shards that may hold strings starting with `prefix`.
pub fn shards_with_prefix(firsts: &[String], prefix: &str) -> std::ops::Range<usize> {
    let start = shard_of(firsts, prefix).unwrap_or(0);
    let mut end = start + 1;
    while end < firsts.len() && firsts[end].starts_with(prefix) {
        end += 1;
    }
    start..end.min(firsts.len().max(start))
}

/// The typo-index keys of an indexed word: itself and, for 5+ letters, each
/// one-letter deletion (keys of fewer than 4 letters are not needed).
pub fn typo_keys(word: &str) -> Vec<String> {
    let mut keys = vec![word.to_owned()];
    if word.len() >= 5 {
        for i in 0..word.len() {
            let mut key = String::with_capacity(word.len() - 1);
            key.push_str(&word[..i]);
            key.push_str(&word[i + 1..]);
            keys.push(key);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// True for words the typo index holds: letters `a`–`z` only, 4 or more.
pub fn in_typo_index(word: &str) -> bool {
    word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_coding_round_trips_and_rejects_disorder() {
        let words = ["東京", "東京都", "東北", "a"].map(String::from);
        let mut sorted = words.to_vec();
        sorted.sort();
        let mut out = Vec::new();
        let mut coder = FrontCoder::new();
        for w in &sorted {
            coder.push(&mut out, w);
        }
        let mut r = Reader::new(&out, 0);
        let mut decoder = FrontDecoder::new();
        let back: Vec<String> = (0..sorted.len()).map(|_| decoder.next(&mut r, "w").unwrap()).collect();
        assert_eq!(back, sorted);
    }

    #[test]
    fn finds_shards_by_first_strings() {
        let firsts = ["", "m", "ru", "rz"].map(String::from);
        assert_eq!(shard_of(&firsts, "apple"), Some(0));
        assert_eq!(shard_of(&firsts, "rust"), Some(2));
        assert_eq!(shards_with_prefix(&firsts, "r"), 1..4);
        assert_eq!(shards_with_prefix(&firsts, "rus"), 2..3);
    }

    #[test]
    fn typo_keys_are_the_word_and_its_deletions() {
        assert_eq!(typo_keys("night"), ["ight", "nght", "nigh", "night", "nigt", "niht"]);
        assert_eq!(typo_keys("rust"), ["rust"]);
    }

    #[test]
    fn rejects_another_version_and_kind() {
        let mut bytes = encode_docs(&[DocRow::default()]);
        assert!(decode_docs("docs/0.bin", &bytes, [0, 0, 0]).is_ok());
        bytes[4] = 9;
        let err = decode_docs("docs/0.bin", &bytes, [0, 0, 0]).unwrap_err();
        assert!(err.to_string().contains("version 9") && err.to_string().contains("lectern index"), "{err}");
        assert!(matches!(decode_index("index.bin", &encode_docs(&[]), ), Err(FormatError::NotOurs { .. })));
    }
}
