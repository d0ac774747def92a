//! Compact posting lists: for one term, the documents that contain it and how
//! often, field by field.
//!
//! A list is a byte string of entries in increasing document order. Each entry is
//! `varint(delta << 4 | fields)` followed by one `varint(tf)` per field set in
//! `fields` (bit 0 title, 1 categories, 2 author, 3 text), where `delta` is the
//! document's slot minus the previous entry's slot (the first entry's delta is
//! its slot). A typical entry takes 2 to 3 bytes, and a list of up to
//! [`INLINE_BYTES`] bytes (most terms occur in a few documents only) is kept
//! inside the list itself, without a heap allocation.

use smallvec::SmallVec;

/// Bytes of postings kept inline, without an allocation.
pub const INLINE_BYTES: usize = 16;

/// Number of indexed fields.
pub const FIELD_COUNT: usize = 4;

/// Term frequencies of one document, by field (title, categories, author, text).
pub type FieldCounts = [u32; FIELD_COUNT];

/// The documents containing one term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingList {
    bytes: SmallVec<[u8; INLINE_BYTES]>,
    last: u32,
    len: u32,
}

impl PostingList {
    /// Number of documents in the list (the term's document frequency).
    pub fn len(&self) -> u32 {
        self.len
    }

    /// True when no document contains the term.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The encoded entries.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Appends a document; `slot` must be greater than every slot in the list
    /// (it is ignored otherwise, which keeps the list valid).
    pub fn push(&mut self, slot: u32, counts: &FieldCounts) {
        if self.len > 0 && slot <= self.last {
            return;
        }
        let previous = if self.len == 0 { 0 } else { self.last };
        encode_entry(&mut self.bytes, slot - previous, counts);
        self.last = slot;
        self.len += 1;
    }

    /// Removes the document in `slot`; returns whether it was there.
    pub fn remove(&mut self, slot: u32) -> bool {
        if self.len == 0 || slot > self.last {
            return false;
        }
        let entries: Vec<(u32, FieldCounts)> = self.iter().collect();
        if !entries.iter().any(|(s, _)| *s == slot) {
            return false;
        }
        let mut rebuilt = PostingList::default();
        for (s, counts) in entries.iter().filter(|(s, _)| *s != slot) {
            rebuilt.push(*s, counts);
        }
        rebuilt.bytes.shrink_to_fit();
        *self = rebuilt;
        true
    }

    /// The entries in slot order.
    pub fn iter(&self) -> PostingIter<'_> {
        PostingIter::new(&self.bytes, self.len)
    }

    /// The last slot in the list (0 when empty).
    pub fn last(&self) -> u32 {
        self.last
    }

    /// Rebuilds a list from encoded bytes, checking every entry: slots must
    /// increase and stay below `slot_limit`, and each entry needs at least one field.
    pub fn from_bytes(bytes: &[u8], slot_limit: u32) -> Option<PostingList> {
        let mut at = 0usize;
        let mut slot = 0u32;
        let mut len = 0u32;
        while at < bytes.len() {
            let head = read_varint(bytes, &mut at)?;
            let fields = (head & 0xF) as u8;
            let delta = u32::try_from(head >> 4).ok()?;
            if fields == 0 || (len > 0 && delta == 0) {
                return None;
            }
            slot = slot.checked_add(delta)?;
            if slot >= slot_limit {
                return None;
            }
            for _ in 0..fields.count_ones() {
                let tf = read_varint(bytes, &mut at)?;
                if tf == 0 || tf > u64::from(u32::MAX) {
                    return None;
                }
            }
            len += 1;
        }
        Some(PostingList { bytes: SmallVec::from_slice(bytes), last: slot, len })
    }

    /// Bytes held on the heap (none while the list fits inline).
    pub fn heap_bytes(&self) -> usize {
        if self.bytes.spilled() {
            self.bytes.capacity()
        } else {
            0
        }
    }

    /// Releases spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

/// Iterator over `(slot, counts)` of a [`PostingList`], optionally followed
/// by a second list whose slots are shifted up (two corpora searched as one).
pub struct PostingIter<'a> {
    bytes: &'a [u8],
    at: usize,
    slot: u32,
    left: u32,
    /// Added to the slots of the list being read.
    shift: u32,
    /// The list read after this one: its bytes, entries and shift.
    then: Option<(&'a [u8], u32, u32)>,
}

impl<'a> PostingIter<'a> {
    /// Iterates `len` entries encoded in `bytes` (see the module docs).
    pub fn new(bytes: &'a [u8], len: u32) -> PostingIter<'a> {
        PostingIter { bytes, at: 0, slot: 0, left: len, shift: 0, then: None }
    }

    /// Iterates the entries of `bytes`, then those of `then` (bytes, entries)
    /// with `shift` added to their slots.
    pub fn chained(bytes: &'a [u8], len: u32, then: Option<(&'a [u8], u32, u32)>) -> PostingIter<'a> {
        PostingIter { bytes, at: 0, slot: 0, left: len, shift: 0, then }
    }
}

impl Iterator for PostingIter<'_> {
    type Item = (u32, FieldCounts);

    fn next(&mut self) -> Option<Self::Item> {
        while self.left == 0 {
            let (bytes, len, shift) = self.then.take()?;
            *self = PostingIter { bytes, at: 0, slot: 0, left: len, shift, then: None };
        }
        self.left -= 1;
        let head = read_varint(self.bytes, &mut self.at)?;
        let fields = (head & 0xF) as u8;
        self.slot = self.slot.wrapping_add((head >> 4) as u32);
        let mut counts = [0u32; FIELD_COUNT];
        for (field, count) in counts.iter_mut().enumerate() {
            if fields & (1 << field) != 0 {
                *count = read_varint(self.bytes, &mut self.at)? as u32;
            }
        }
        Some((self.slot.wrapping_add(self.shift), counts))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let more = self.then.map_or(0, |(_, len, _)| len);
        (0, Some(self.left as usize + more as usize))
    }
}

fn encode_entry(out: &mut SmallVec<[u8; INLINE_BYTES]>, delta: u32, counts: &FieldCounts) {
    let mut fields = 0u64;
    for (field, &count) in counts.iter().enumerate() {
        if count > 0 {
            fields |= 1 << field;
        }
    }
    // Encoded on the stack, then appended at once: a head of at most 6 bytes
    // (a 32-bit delta and 4 bits of fields) and at most 5 bytes per count.
    let mut entry = [0u8; 6 + 5 * FIELD_COUNT];
    let mut len = 0;
    let mut put = |mut value: u64| {
        while value >= 0x80 {
            entry[len] = (value as u8) | 0x80;
            len += 1;
            value >>= 7;
        }
        entry[len] = value as u8;
        len += 1;
    };
    put((u64::from(delta) << 4) | fields);
    for &count in counts.iter().filter(|&&c| c > 0) {
        put(u64::from(count));
    }
    out.extend_from_slice(&entry[..len]);
}

/// Appends `value` as a LEB128 varint.
pub fn write_varint(out: &mut impl Extend<u8>, mut value: u64) {
    while value >= 0x80 {
        out.extend([(value as u8) | 0x80]);
        value >>= 7;
    }
    out.extend([value as u8]);
}

/// Reads a LEB128 varint at `*at`, advancing it; `None` when truncated or over 64 bits.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_entries_in_order() {
        let mut list = PostingList::default();
        list.push(0, &[1, 0, 0, 3]);
        list.push(7, &[0, 0, 0, 1]);
        list.push(300, &[0, 2, 1, 200]);
        assert_eq!(list.len(), 3);
        let entries: Vec<_> = list.iter().collect();
        assert_eq!(entries, [(0, [1, 0, 0, 3]), (7, [0, 0, 0, 1]), (300, [0, 2, 1, 200])]);
        assert!(list.bytes().len() <= 12, "{} bytes", list.bytes().len());
    }

    #[test]
    fn encodes_the_largest_slot_and_counts_as_write_varint_does() {
        let mut list = PostingList::default();
        list.push(u32::MAX, &[u32::MAX; FIELD_COUNT]);
        let mut expected = Vec::new();
        write_varint(&mut expected, (u64::from(u32::MAX) << 4) | 0xF);
        for _ in 0..FIELD_COUNT {
            write_varint(&mut expected, u64::from(u32::MAX));
        }
        assert_eq!(list.bytes(), expected.as_slice());
        assert_eq!(list.iter().collect::<Vec<_>>(), [(u32::MAX, [u32::MAX; FIELD_COUNT])]);
    }

    #[test]
    fn removes_an_entry_and_keeps_the_rest() {
        let mut list = PostingList::default();
        for slot in [2, 5, 9] {
            list.push(slot, &[0, 0, 0, slot]);
        }
        assert!(list.remove(5));
        assert!(!list.remove(5));
        assert_eq!(list.iter().map(|(s, c)| (s, c[3])).collect::<Vec<_>>(), [(2, 2), (9, 9)]);
        list.push(10, &[1, 0, 0, 0]);
        assert_eq!(list.iter().last().map(|(s, _)| s), Some(10));
    }

    #[test]
    fn ignores_out_of_order_pushes() {
        let mut list = PostingList::default();
        list.push(4, &[1, 0, 0, 0]);
        list.push(4, &[1, 0, 0, 0]);
        list.push(1, &[1, 0, 0, 0]);
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn checks_bytes_read_from_outside() {
        let mut list = PostingList::default();
        list.push(1, &[0, 0, 0, 2]);
        list.push(3, &[1, 0, 0, 0]);
        assert_eq!(PostingList::from_bytes(list.bytes(), 4), Some(list.clone()));
        assert_eq!(PostingList::from_bytes(list.bytes(), 3), None, "slot out of range");
        assert_eq!(PostingList::from_bytes(&[0x80], 10), None, "truncated varint");
        assert_eq!(PostingList::from_bytes(&[0x10], 10), None, "no field");
    }
}
