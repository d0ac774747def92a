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
//!             all documents (categories, sources: count + (value id, count), in
//!             facet order), years (count + (zigzag year, first slot, count),
//!             oldest first), dates of each block's first and last slot (count +
//!             pairs of dates: 0 none, else zigzag seconds + 1), id shards
//!             (count + front-coded first ids)
//! terms/N     kind T: count, then per term, sorted: front-coded term, document
//!             count, byte length and posting list (slots are final slots; see
//!             `search::postings`), byte length and lengths: for each posting
//!             entry and each field it counts, the document's token count in
//!             that field (what BM25 needs of the matches, without a block of
//!             every document)
//! pos/N       kind P: count (as terms/N), then per term: byte length, then for
//!             each posting entry and each field it counts, that many token
//!             positions (first absolute, then gaps)
//! typos/N     kind Y: count, then per key, sorted: front-coded key, count of
//!             words, words (strings): the a–z words of 4+ letters having the key
//!             as themselves or as one of their one-letter deletions
//! meta/N      kind M: count, then each slot's source, then each slot's author
//!             (0 none, else value id + 1), then each slot's categories (count,
//!             value ids)
//! dates/N     kind A: count, then per slot 0 (no date) or the zigzag difference
//!             in seconds from the previous date of the block (from 0), plus 1
//! ids/N       kind D: count, then per article, sorted by id: front-coded id,
//!             slot (which article an id is: a reader's marks and its own
//!             articles are kept by id)
//! ```
//!
//! Slots are in date order, so the newest/oldest sort and recency ties need no
//! dates, a year is a range of slots (`index.bin`), and a date range is one
//! too: its ends are found from the block dates in `index.bin` and, when an
//! end falls inside a block, that block's `dates/N`.
//!
//! Token positions count the tokens (words and CJK letters) of a field; the
//! strings of one field (several categories) are separated by a gap of one, so
//! no phrase spans two. A CJK bigram sits at its first letter's position.

use crate::search::persist::{write_str, PersistError, Reader};
use crate::search::postings::{write_varint, FIELD_COUNT};

/// First bytes of every binary file of a static collection.
pub const MAGIC: [u8; 4] = *b"LCTC";
/// The version of the collection format this build writes and reads.
pub const FORMAT_VERSION: u16 = 3;

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
    /// A block of facet values (sources, authors, categories).
    Meta = b'M' as isize,
    /// A block of dates.
    Dates = b'A' as isize,
    /// A shard of ids.
    Ids = b'D' as isize,
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
        Kind::Meta => "facet value block",
        Kind::Dates => "date block",
        Kind::Ids => "id shard",
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

/// One document's facet values, as a block of `meta/` holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Source value id.
    pub source: Option<u32>,
    /// Author value id.
    pub author: Option<u32>,
    /// Category value ids.
    pub categories: Vec<u32>,
}

fn check_end(r: &Reader<'_>, path: &str, what: &str) -> Result<(), FormatError> {
    if r.is_done() {
        Ok(())
    } else {
        Err(damaged(path)(r.corrupt(format!("unexpected bytes after the {what}"))))
    }
}

/// Encodes a block of facet values (`meta/N`): the sources, the authors,
/// then the categories of every slot.
pub fn encode_meta(rows: &[DocMeta]) -> Vec<u8> {
    let mut out = header(Kind::Meta);
    write_varint(&mut out, rows.len() as u64);
    for row in rows {
        write_varint(&mut out, row.source.map_or(0, |s| u64::from(s) + 1));
    }
    for row in rows {
        write_varint(&mut out, row.author.map_or(0, |a| u64::from(a) + 1));
    }
    for row in rows {
        write_varint(&mut out, row.categories.len() as u64);
        for &c in &row.categories {
            write_varint(&mut out, u64::from(c));
        }
    }
    out
}

/// Decodes a block of facet values; value ids must be below the table sizes
/// (categories, authors, sources).
pub fn decode_meta(path: &str, bytes: &[u8], tables: [usize; 3]) -> Result<Vec<DocMeta>, FormatError> {
    let mut r = open(path, bytes, Kind::Meta)?;
    let bad = damaged(path);
    let n = r.count("documents").map_err(&bad)?;
    let mut rows = vec![DocMeta::default(); n];
    let [categories, authors, sources] = tables;
    let value = |r: &mut Reader<'_>, what: &str, limit: usize| -> Result<Option<u32>, PersistError> {
        match r.u32(what)? {
            0 => Ok(None),
            v if (v as usize) <= limit => Ok(Some(v - 1)),
            v => Err(r.corrupt(format!("{what}: value {v} is not in its table"))),
        }
    };
    for row in &mut rows {
        row.source = value(&mut r, "source", sources).map_err(&bad)?;
    }
    for row in &mut rows {
        row.author = value(&mut r, "author", authors).map_err(&bad)?;
    }
    for row in &mut rows {
        let count = r.count("categories").map_err(&bad)?;
        for _ in 0..count {
            let c = r.u32("category").map_err(&bad)?;
            if c as usize >= categories {
                return Err(bad(r.corrupt(format!("category {c} is not in its table"))));
            }
            row.categories.push(c);
        }
    }
    check_end(&r, path, "facet values")?;
    Ok(rows)
}

/// Encodes a block of dates (`dates/N`): per slot 0 for none, else the
/// zigzag difference from the previous date in the block (from 0) plus one.
pub fn encode_dates(dates: &[Option<i64>]) -> Vec<u8> {
    let mut out = header(Kind::Dates);
    write_varint(&mut out, dates.len() as u64);
    let mut previous = 0i64;
    for date in dates {
        match *date {
            Some(seconds) => {
                let delta = seconds.wrapping_sub(previous);
                write_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64 + 1);
                previous = seconds;
            }
            None => write_varint(&mut out, 0),
        }
    }
    out
}

/// Decodes a block of dates.
pub fn decode_dates(path: &str, bytes: &[u8]) -> Result<Vec<Option<i64>>, FormatError> {
    let mut r = open(path, bytes, Kind::Dates)?;
    let bad = damaged(path);
    let n = r.count("documents").map_err(&bad)?;
    let mut dates = Vec::with_capacity(n);
    let mut previous = 0i64;
    for _ in 0..n {
        match r.varint("date").map_err(&bad)? {
            0 => dates.push(None),
            z => {
                let z = z - 1;
                let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
                previous = previous.wrapping_add(delta);
                dates.push(Some(previous));
            }
        }
    }
    check_end(&r, path, "dates")?;
    Ok(dates)
}

/// Encodes a shard of ids (`ids/N`): `(id, slot)`, sorted by id.
pub fn encode_ids(entries: &[(String, u32)]) -> Vec<u8> {
    let mut out = header(Kind::Ids);
    write_varint(&mut out, entries.len() as u64);
    let mut coder = FrontCoder::new();
    for (id, slot) in entries {
        coder.push(&mut out, id);
        write_varint(&mut out, u64::from(*slot));
    }
    out
}

/// Decodes a shard of ids; slots must be below `documents`, ids sorted.
pub fn decode_ids(path: &str, bytes: &[u8], documents: u32) -> Result<Vec<(String, u32)>, FormatError> {
    let mut r = open(path, bytes, Kind::Ids)?;
    let bad = damaged(path);
    let n = r.count("ids").map_err(&bad)?;
    let mut decoder = FrontDecoder::new();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = decoder.next(&mut r, "id").map_err(&bad)?;
        let slot = r.u32("slot").map_err(&bad)?;
        if slot >= documents {
            return Err(bad(r.corrupt(format!("id {id} is in slot {slot}, beyond the collection"))));
        }
        out.push((id, slot));
    }
    check_end(&r, path, "ids")?;
    Ok(out)
}

/// The articles of one year: slots `first..first + count` (slots are in date order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearSpan {
    /// The UTC year.
    pub year: i32,
    /// Its first slot.
    pub first: u32,
    /// Its number of articles.
    pub count: u32,
}

/// Facet counts over a whole collection, as stored in `index.bin` (value ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredFacets {
    /// (category id, count), in facet order.
    pub categories: Vec<(u32, u32)>,
    /// (source id, count), in facet order.
    pub sources: Vec<(u32, u32)>,
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
    /// The years, oldest first, with their slots.
    pub years: Vec<YearSpan>,
    /// Per block of `docs`: the dates of its first and last slots.
    pub block_dates: Vec<(Option<i64>, Option<i64>)>,
    /// First id of each id shard.
    pub id_shards: Vec<String>,
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
    write_varint(&mut out, meta.years.len() as u64);
    for span in &meta.years {
        write_signed(&mut out, i64::from(span.year));
        write_varint(&mut out, u64::from(span.first));
        write_varint(&mut out, u64::from(span.count));
    }
    write_varint(&mut out, meta.block_dates.len() as u64);
    for &(first, last) in &meta.block_dates {
        for date in [first, last] {
            match date {
                Some(seconds) => write_varint(&mut out, ((seconds << 1) ^ (seconds >> 63)) as u64 + 1),
                None => write_varint(&mut out, 0),
            }
        }
    }
    write_front_coded(&mut out, &meta.id_shards);
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
    let n = r.count("years").map_err(&bad)?;
    let mut end = 0u64;
    for _ in 0..n {
        let year = read_signed(&mut r, "year").map_err(&bad)?;
        let year = i32::try_from(year).map_err(|_| bad(r.corrupt(format!("year {year} is out of range"))))?;
        let first = r.u32("first slot of a year").map_err(&bad)?;
        let count = r.u32("articles of a year").map_err(&bad)?;
        let ordered = meta.years.last().is_none_or(|p: &YearSpan| p.year < year) && u64::from(first) >= end;
        end = u64::from(first) + u64::from(count);
        if !ordered || count == 0 || end > u64::from(meta.documents) {
            return Err(bad(r.corrupt(format!("the slots of year {year} are out of order"))));
        }
        meta.years.push(YearSpan { year, first, count });
    }
    let n = r.count("block dates").map_err(&bad)?;
    for _ in 0..n {
        let mut date = || -> Result<Option<i64>, PersistError> {
            Ok(match r.varint("block date")? {
                0 => None,
                z => {
                    let z = z - 1;
                    Some(((z >> 1) as i64) ^ -((z & 1) as i64))
                }
            })
        };
        let first = date().map_err(&bad)?;
        let last = date().map_err(&bad)?;
        meta.block_dates.push((first, last));
    }
    meta.id_shards = front(&mut r, "id shards").map_err(&bad)?;
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
        let mut bytes = encode_meta(&[DocMeta::default()]);
        assert!(decode_meta("meta/0.bin", &bytes, [0, 0, 0]).is_ok());
        bytes[4] = 9;
        let err = decode_meta("meta/0.bin", &bytes, [0, 0, 0]).unwrap_err();
        assert!(err.to_string().contains("version 9") && err.to_string().contains("lectern index"), "{err}");
        assert!(matches!(decode_index("index.bin", &encode_meta(&[])), Err(FormatError::NotOurs { .. })));
        assert!(matches!(decode_dates("dates/0.bin", &encode_meta(&[])), Err(FormatError::NotOurs { .. })));
    }

    #[test]
    fn columns_round_trip() {
        let meta = vec![DocMeta { source: Some(1), author: None, categories: vec![0, 2] }, DocMeta::default()];
        assert_eq!(decode_meta("meta/0.bin", &encode_meta(&meta), [3, 0, 2]).unwrap(), meta);
        assert!(decode_meta("meta/0.bin", &encode_meta(&meta), [2, 0, 2]).is_err(), "category 2 of a table of 2");
        let dates = vec![None, Some(-86_400), Some(0), Some(1_700_000_000), Some(1_700_000_000)];
        assert_eq!(decode_dates("dates/0.bin", &encode_dates(&dates)).unwrap(), dates);
    }

    #[test]
    fn index_keeps_years_and_block_dates() {
        let meta = IndexMeta {
            documents: 5,
            years: vec![YearSpan { year: 1999, first: 1, count: 2 }, YearSpan { year: 2024, first: 3, count: 2 }],
            block_dates: vec![(None, Some(1_700_000_000))],
            ..IndexMeta::default()
        };
        let back = decode_index("index.bin", &encode_index(&meta)).unwrap();
        assert_eq!((back.years, back.block_dates), (meta.years.clone(), meta.block_dates.clone()));
        let overlapping = IndexMeta { years: vec![YearSpan { year: 1999, first: 1, count: 3 }, YearSpan { year: 2024, first: 3, count: 2 }], ..meta };
        assert!(decode_index("index.bin", &encode_index(&overlapping)).is_err());
    }
}
