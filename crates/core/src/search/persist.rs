//! Saving an index to bytes and loading it back.
//!
//! # Format (version [`FORMAT_VERSION`])
//!
//! All integers are unsigned LEB128 varints unless said otherwise; a *string*
//! is a varint byte length followed by UTF-8; a *table* is a varint count
//! followed by that many strings (value ids are positions in the table).
//!
//! ```text
//! magic       8 bytes  "LCTNSRCH"
//! version     u32 little-endian
//! root        string   the folder the index was built from ("" when none)
//! categories  table
//! authors     table
//! sources     table
//! documents   count, then per document (slot = position, from 0):
//!               id, name, title: strings
//!               author, source: varint (0 = none, else value id + 1)
//!               categories: count, then value ids
//!               date: byte 0 (none) or 1 followed by a zigzag varint (seconds since 1970, UTC)
//!               lengths: 4 varints (tokens in title, categories, author, text)
//!               raw_searchable: byte 0 or 1 (the text has no characters that folding drops)
//!               text: string
//! terms       count, then per term, in byte order of the term:
//!               term: string (a folded word, CJK letter or CJK bigram)
//!               postings: varint byte length, then the posting list
//!                 (see `postings`: entries of varint(slot delta << 4 | fields) and a tf per field)
//! payload     varint byte length, then bytes the caller stored with the index
//!             (a `Library` stores its articles there, without their text:
//!             see `src/library/payload.rs`; a bare index has an empty payload)
//! checksum    u64 little-endian: FNV-1a 64 of every byte before it
//! ```
//!
//! Loading checks the magic, the version (a different version is reported as
//! [`PersistError::Version`], so the caller can rebuild), the checksum, and every
//! count, id and posting list, so a damaged file is an error, never a panic.

use super::index::{DocEntry, SearchIndex};
use super::postings::{read_varint, write_varint, PostingList, FIELD_COUNT};
use super::strings::StringTable;
use super::tokenize::is_cjk_letter;

/// The first bytes of a saved index.
pub const MAGIC: [u8; 8] = *b"LCTNSRCH";
/// The version of the format this build writes and reads.
pub const FORMAT_VERSION: u32 = 2;

/// Why bytes could not be loaded as an index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersistError {
    /// The bytes do not start with [`MAGIC`].
    #[error("not a Lectern search index (the data does not start with \"LCTNSRCH\")")]
    NotAnIndex,
    /// Written by another version of the format.
    #[error("the search index was saved in format version {found}, but this Lectern reads version {expected}: rebuild the index from the articles")]
    Version {
        /// The version in the data.
        found: u32,
        /// [`FORMAT_VERSION`].
        expected: u32,
    },
    /// The checksum does not match: the data was cut short or changed.
    #[error("the search index is damaged: its checksum does not match (was it cut short or changed?)")]
    Checksum,
    /// A part of the data is malformed.
    #[error("the search index is damaged: {what} at byte {at}")]
    Corrupt {
        /// What was wrong.
        what: String,
        /// Byte offset where it was found.
        at: usize,
    },
}

/// What [`load`] returns.
#[derive(Debug)]
pub struct Loaded {
    /// The index.
    pub index: SearchIndex,
    /// The folder it was built from, as saved ("" when none).
    pub root: String,
    /// The caller's bytes saved with it.
    pub payload: Vec<u8>,
}

/// FNV-1a 64 of `bytes` (checksums and content hashes).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Appends a string: varint byte length, then UTF-8.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    write_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn write_table(out: &mut Vec<u8>, table: &StringTable) {
    write_varint(out, table.len() as u64);
    for text in table.iter() {
        write_str(out, text);
    }
}

/// Saves `index` with the folder it came from and the caller's `payload`.
/// Slots are renumbered densely and unused terms and values are dropped.
pub fn save(index: &SearchIndex, root: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(index.postings_heap_bytes() + index.docs.len() * 256 + payload.len() + 64);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    write_str(&mut out, root);

    // New slots for the documents, and the facet values they use.
    let mut new_slot = vec![u32::MAX; index.docs.len()];
    let mut live: Vec<&DocEntry> = Vec::with_capacity(index.len());
    for (slot, doc) in index.docs.iter().enumerate() {
        if let Some(doc) = doc {
            new_slot[slot] = live.len() as u32;
            live.push(doc);
        }
    }
    let (mut categories, mut authors, mut sources) = (StringTable::default(), StringTable::default(), StringTable::default());
    let remapped: Vec<(Vec<u32>, Option<u32>, Option<u32>)> = live
        .iter()
        .map(|doc| {
            (
                doc.categories.iter().map(|&c| categories.intern(index.categories.get(c))).collect(),
                doc.author.map(|a| authors.intern(index.authors.get(a))),
                doc.source.map(|s| sources.intern(index.sources.get(s))),
            )
        })
        .collect();
    write_table(&mut out, &categories);
    write_table(&mut out, &authors);
    write_table(&mut out, &sources);

    write_varint(&mut out, live.len() as u64);
    for (doc, (cats, author, source)) in live.iter().zip(&remapped) {
        write_str(&mut out, &doc.id);
        write_str(&mut out, &doc.name);
        write_str(&mut out, &doc.title);
        write_varint(&mut out, author.map_or(0, |a| u64::from(a) + 1));
        write_varint(&mut out, source.map_or(0, |s| u64::from(s) + 1));
        write_varint(&mut out, cats.len() as u64);
        for &c in cats {
            write_varint(&mut out, u64::from(c));
        }
        match doc.date {
            Some(seconds) => {
                out.push(1);
                write_varint(&mut out, ((seconds << 1) ^ (seconds >> 63)) as u64);
            }
            None => out.push(0),
        }
        for &len in &doc.lens {
            write_varint(&mut out, u64::from(len));
        }
        out.push(u8::from(doc.raw_searchable));
        write_str(&mut out, &doc.text);
    }

    let mut term_ids: Vec<u32> = (0..index.terms.len() as u32).filter(|&id| !index.postings[id as usize].is_empty()).collect();
    index.terms.sort_ids(&mut term_ids);
    write_varint(&mut out, term_ids.len() as u64);
    for id in term_ids {
        write_str(&mut out, index.terms.get(id));
        let mut rebuilt = PostingList::default();
        for (slot, counts) in index.postings[id as usize].iter() {
            if let Some(&s) = new_slot.get(slot as usize).filter(|&&s| s != u32::MAX) {
                rebuilt.push(s, &counts);
            }
        }
        write_varint(&mut out, rebuilt.bytes().len() as u64);
        out.extend_from_slice(rebuilt.bytes());
    }
    write_varint(&mut out, payload.len() as u64);
    out.extend_from_slice(payload);
    let checksum = fnv1a(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// Reads what the writers of this module wrote, checking bounds.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from offset `at`.
    pub(crate) fn new(bytes: &'a [u8], at: usize) -> Reader<'a> {
        Reader { bytes, at }
    }

    /// True when every byte was read.
    pub(crate) fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(crate) fn corrupt(&self, what: impl Into<String>) -> PersistError {
        PersistError::Corrupt { what: what.into(), at: self.at }
    }

    pub(crate) fn varint(&mut self, what: &str) -> Result<u64, PersistError> {
        read_varint(self.bytes, &mut self.at).ok_or_else(|| self.corrupt(format!("{what}: truncated number")))
    }

    /// A count of items each taking at least one byte: never more than the bytes left.
    pub(crate) fn count(&mut self, what: &str) -> Result<usize, PersistError> {
        let n = self.varint(what)?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(self.corrupt(format!("{what}: count {n} is larger than the data")));
        }
        Ok(n as usize)
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, PersistError> {
        let n = self.varint(what)?;
        u32::try_from(n).map_err(|_| self.corrupt(format!("{what}: {n} is out of range")))
    }

    pub(crate) fn bytes(&mut self, what: &str) -> Result<&'a [u8], PersistError> {
        let len = self.count(what)?;
        let slice = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(slice)
    }

    pub(crate) fn string(&mut self, what: &str) -> Result<&'a str, PersistError> {
        let start = self.at;
        let bytes = self.bytes(what)?;
        std::str::from_utf8(bytes).map_err(|_| PersistError::Corrupt { what: format!("{what}: not UTF-8"), at: start })
    }

    pub(crate) fn byte(&mut self, what: &str) -> Result<u8, PersistError> {
        let byte = *self.bytes.get(self.at).ok_or_else(|| self.corrupt(format!("{what}: truncated")))?;
        self.at += 1;
        Ok(byte)
    }

    fn table(&mut self, what: &str) -> Result<StringTable, PersistError> {
        let n = self.count(what)?;
        let mut table = StringTable::default();
        for _ in 0..n {
            let text = self.string(what)?;
            if table.intern(text) as usize != table.len() - 1 {
                return Err(self.corrupt(format!("{what}: '{text}' is listed twice")));
            }
        }
        Ok(table)
    }

    fn value(&mut self, what: &str, table: &StringTable) -> Result<Option<u32>, PersistError> {
        match self.u32(what)? {
            0 => Ok(None),
            n if (n as usize) <= table.len() => Ok(Some(n - 1)),
            n => Err(self.corrupt(format!("{what}: value {n} is not in its table"))),
        }
    }
}

/// Loads bytes written by [`save`].
pub fn load(bytes: &[u8]) -> Result<Loaded, PersistError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(PersistError::NotAnIndex);
    }
    let version_bytes: [u8; 4] = bytes
        .get(8..12)
        .and_then(|b| b.try_into().ok())
        .ok_or(PersistError::Corrupt { what: "the version is cut short".into(), at: 8 })?;
    let version = u32::from_le_bytes(version_bytes);
    if version != FORMAT_VERSION {
        return Err(PersistError::Version { found: version, expected: FORMAT_VERSION });
    }
    if bytes.len() < 20 {
        return Err(PersistError::Checksum);
    }
    let (body, checksum) = bytes.split_at(bytes.len() - 8);
    let stored = u64::from_le_bytes(checksum.try_into().map_err(|_| PersistError::Checksum)?);
    if fnv1a(body) != stored {
        return Err(PersistError::Checksum);
    }
    let mut r = Reader { bytes: body, at: 12 };
    let root = r.string("root")?.to_owned();
    let categories = r.table("categories")?;
    let authors = r.table("authors")?;
    let sources = r.table("sources")?;

    let doc_count = r.count("documents")?;
    let mut index = SearchIndex { categories, authors, sources, ..SearchIndex::default() };
    index.docs.reserve_exact(doc_count);
    for _ in 0..doc_count {
        let id = r.string("document id")?;
        let name = r.string("document name")?;
        let title = r.string("document title")?;
        let author = r.value("document author", &index.authors)?;
        let source = r.value("document source", &index.sources)?;
        let category_count = r.count("document categories")?;
        let mut cats = Vec::with_capacity(category_count);
        for _ in 0..category_count {
            let c = r.u32("document category")?;
            if c as usize >= index.categories.len() {
                return Err(r.corrupt(format!("document category {c} is not in its table")));
            }
            cats.push(c);
        }
        let date = match r.byte("document date")? {
            0 => None,
            1 => {
                let z = r.varint("document date")?;
                Some(((z >> 1) as i64) ^ -((z & 1) as i64))
            }
            other => return Err(r.corrupt(format!("document date: flag {other}"))),
        };
        let mut lens = [0u32; FIELD_COUNT];
        for len in &mut lens {
            *len = r.u32("document lengths")?;
        }
        let raw_searchable = match r.byte("document flags")? {
            0 => false,
            1 => true,
            other => return Err(r.corrupt(format!("document flags: {other}"))),
        };
        let text = r.string("document text")?;
        let slot = index.docs.len() as u32;
        if index.slots.insert(id.into(), slot).is_some() {
            return Err(r.corrupt(format!("document id '{id}' is listed twice")));
        }
        for (sum, &len) in index.len_sums.iter_mut().zip(&lens) {
            *sum += u64::from(len);
        }
        index.docs.push(Some(DocEntry {
            id: id.into(),
            name: name.into(),
            title: title.into(),
            categories: cats.into(),
            author,
            source,
            date,
            text: text.into(),
            lens,
            raw_searchable,
        }));
    }
    index.live = doc_count as u32;

    let term_count = r.count("terms")?;
    index.postings.reserve_exact(term_count);
    let mut previous: Option<&str> = None;
    for _ in 0..term_count {
        let term = r.string("term")?;
        if term.is_empty() || previous.is_some_and(|p| p >= term) {
            return Err(r.corrupt(format!("term '{term}' is out of order")));
        }
        previous = Some(term);
        let start = r.at;
        let list = r.bytes("postings")?;
        let list = PostingList::from_bytes(list, doc_count as u32)
            .ok_or(PersistError::Corrupt { what: format!("postings of '{term}'"), at: start })?;
        if list.is_empty() {
            return Err(r.corrupt(format!("term '{term}' has no documents")));
        }
        let id = index.terms.intern(term);
        if !term.chars().next().is_some_and(is_cjk_letter) {
            index.sorted_words.push(id);
        }
        index.postings.push(list);
    }
    let payload = r.bytes("payload")?.to_vec();
    if r.at != body.len() {
        return Err(r.corrupt("unexpected bytes after the payload"));
    }
    Ok(Loaded { index, root, payload })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Document, SearchOptions};

    fn sample() -> SearchIndex {
        let mut index = SearchIndex::new();
        for (id, title, text, date) in [
            ("a", "东京夜班巴士", "新的夜班巴士线路", Some("2022-01-01T00:00:00Z")),
            ("b", "Sourdough", "A starter needs flour and water", None),
            ("c", "Gone", "removed later", Some("1999-12-31T23:59:59Z")),
        ] {
            index.add(Document {
                id: id.into(),
                name: format!("{id}.md"),
                title: title.into(),
                categories: vec!["News".into(), title.into()],
                author: Some("Ann".into()),
                source: Some("example.com".into()),
                date: date.map(str::to_owned),
                text: text.into(),
            });
        }
        index.remove("c");
        index
    }

    #[test]
    fn round_trips_search_results_root_and_payload() {
        let index = sample();
        let bytes = save(&index, "/data/posts", b"extra");
        let loaded = load(&bytes).unwrap();
        assert_eq!(loaded.root, "/data/posts");
        assert_eq!(loaded.payload, b"extra");
        assert_eq!(loaded.index.len(), 2);
        for query in ["夜班", "夜班巴士", "sourdo", "\"flour and water\"", "", "starter"] {
            let options = SearchOptions::default();
            assert_eq!(index.search(query, &options), loaded.index.search(query, &options), "{query}");
        }
        assert_eq!(save(&loaded.index, "/data/posts", b"extra"), bytes, "saving again gives the same bytes");
    }

    #[test]
    fn reports_a_version_mismatch() {
        let mut bytes = save(&sample(), "", b"");
        bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
        let err = load(&bytes).unwrap_err();
        assert_eq!(err, PersistError::Version { found: 7, expected: FORMAT_VERSION });
        assert!(err.to_string().contains("version 7") && err.to_string().contains("rebuild"), "{err}");
    }

    #[test]
    fn rejects_other_and_damaged_data() {
        assert_eq!(load(b"PK\x03\x04").unwrap_err(), PersistError::NotAnIndex);
        let bytes = save(&sample(), "", b"");
        assert_eq!(load(&bytes[..bytes.len() - 1]).unwrap_err(), PersistError::Checksum);
        let mut flipped = bytes.clone();
        flipped[40] ^= 0x55;
        assert_eq!(load(&flipped).unwrap_err(), PersistError::Checksum);
    }

    #[test]
    fn never_panics_on_damaged_bodies_with_valid_checksums() {
        let bytes = save(&sample(), "", b"payload");
        for cut in 12..bytes.len() - 8 {
            let mut body = bytes[..cut].to_vec();
            let checksum = fnv1a(&body);
            body.extend_from_slice(&checksum.to_le_bytes());
            assert!(load(&body).is_err(), "cut at {cut}");
            let mut changed = bytes[..bytes.len() - 8].to_vec();
            changed[cut] = changed[cut].wrapping_add(1 + (cut % 200) as u8);
            let checksum = fnv1a(&changed);
            changed.extend_from_slice(&checksum.to_le_bytes());
            let _ = load(&changed);
        }
    }
}
