//! A compact table of distinct strings, each with a dense `u32` id: all the
//! bytes live in one buffer and the hash table holds only ids, so no string is
//! stored twice and there is no allocation per string.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Distinct strings with dense ids (0, 1, 2, ... in order of insertion).
#[derive(Default, Clone)]
pub struct StringTable {
    bytes: Vec<u8>,
    /// `ends[i]` is the end of string `i` in `bytes`; it starts where `i - 1` ends.
    ends: Vec<u32>,
    lookup: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for StringTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StringTable").field("len", &self.len()).field("bytes", &self.bytes.len()).finish()
    }
}

impl StringTable {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the table holds no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string with id `id` (empty for an unknown id).
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else { return "" };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        // Every string was inserted as a whole &str, so its bounds are char boundaries.
        std::str::from_utf8(&self.bytes[start as usize..end as usize]).unwrap_or("")
    }

    /// The bytes of string `id` (empty for an unknown id): compared as bytes,
    /// strings order as their text does.
    #[inline]
    pub(crate) fn bytes_of(&self, id: u32) -> &[u8] {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else { return &[] };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start as usize..end as usize]
    }

    /// The id of `text`, if present.
    pub fn find(&self, text: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(text.as_bytes());
        self.lookup.find(hash, |&id| self.bytes_of(id) == text.as_bytes()).copied()
    }

    /// The id of `text`, inserting it when absent.
    pub fn intern(&mut self, text: &str) -> u32 {
        let hash = self.hasher.hash_one(text.as_bytes());
        if let Some(&id) = self.lookup.find(hash, |&id| self.bytes_of(id) == text.as_bytes()) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.bytes.extend_from_slice(text.as_bytes());
        self.ends.push(self.bytes.len() as u32);
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.lookup.insert_unique(hash, id, |&other| hasher.hash_one(slice(bytes, ends, other)));
        id
    }

    /// Bytes held on the heap (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.lookup.capacity() * (4 + 1)
    }

    /// Releases spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.lookup.shrink_to_fit(|&id| hasher.hash_one(slice(bytes, ends, id)));
    }

    /// Sorts string ids by their text (byte order).
    pub fn sort_ids(&self, ids: &mut [u32]) {
        ids.sort_unstable_by(|&a, &b| self.bytes_of(a).cmp(self.bytes_of(b)));
    }

    /// Iterates the strings in id order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as u32).map(move |id| self.get(id))
    }
}

/// The bytes of string `id` (hashed as bytes: no UTF-8 check when the table grows).
fn slice<'a>(bytes: &'a [u8], ends: &[u32], id: u32) -> &'a [u8] {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &bytes[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_each_string_once_with_dense_ids() {
        let mut table = StringTable::default();
        assert_eq!(table.intern("東京"), 0);
        assert_eq!(table.intern("rust"), 1);
        assert_eq!(table.intern("東京"), 0);
        assert_eq!(table.find("rust"), Some(1));
        assert_eq!(table.find("go"), None);
        assert_eq!(table.get(0), "東京");
        assert_eq!(table.iter().collect::<Vec<_>>(), ["東京", "rust"]);
    }

    #[test]
    fn survives_growth() {
        let mut table = StringTable::default();
        for i in 0..10_000 {
            assert_eq!(table.intern(&i.to_string()), i);
        }
        table.shrink_to_fit();
        assert_eq!(table.find("9999"), Some(9999));
        assert_eq!(table.get(1234), "1234");
    }
}
