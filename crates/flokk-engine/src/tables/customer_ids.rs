//! Customer ids by ordinal, in one buffer: a boxed string per customer
//! costs its 16-byte handle plus an allocation (32 bytes or more for an id
//! of a few characters); here an id costs its bytes, its length (one byte
//! while ids are shorter than 256) and a sixteenth of an offset.

use crate::columns::uint_column::UintColumn;
use std::ops::Index;

/// Ids per block of one stored offset.
const BLOCK: usize = 16;

/// Every customer's id, by ordinal.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerIds {
    text: String,
    /// Each id's length in bytes.
    lengths: UintColumn,
    /// Where every [`BLOCK`]-th id starts in `text`.
    block_starts: crate::I64Column,
}

impl CustomerIds {
    /// Appends the id of the next ordinal.
    pub fn push(&mut self, id: &str) {
        if self.lengths.len().is_multiple_of(BLOCK) {
            self.block_starts.push(self.text.len() as i64);
        }
        self.text.push_str(id);
        self.lengths.push(id.len() as u32);
    }

    /// The id of ordinal `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.lengths.len() {
            return None;
        }
        let block = i / BLOCK;
        let start = self.block_starts.get(block) as usize
            + (block * BLOCK..i)
                .map(|j| self.lengths.get(j) as usize)
                .sum::<usize>();
        Some(&self.text[start..start + self.lengths.get(i) as usize])
    }

    /// How many ids there are.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// Every id by ordinal.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        (0..self.len()).map(move |i| {
            let end = start + self.lengths.get(i) as usize;
            let id = &self.text[start..end];
            start = end;
            id
        })
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.lengths.shrink_to_fit();
        self.block_starts.shrink_to_fit();
    }
}

impl Index<usize> for CustomerIds {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i).expect("a customer ordinal")
    }
}

impl crate::columns::heap_size::HeapSize for CustomerIds {
    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.lengths.heap_bytes() + self.block_starts.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_back_by_ordinal() {
        let mut ids = CustomerIds::default();
        for id in ["1001", "", "ø-λ", "x"] {
            ids.push(id);
        }
        assert_eq!(ids.iter().collect::<Vec<_>>(), ["1001", "", "ø-λ", "x"]);
        assert_eq!((&ids[2], ids.get(4), ids.len()), ("ø-λ", None, 4));
        // Across blocks, and an id longer than a byte can count.
        let long = "x".repeat(300);
        let many: Vec<String> = (0..50)
            .map(|i| {
                if i == 33 {
                    long.clone()
                } else {
                    format!("c{i}")
                }
            })
            .collect();
        let mut ids = CustomerIds::default();
        many.iter().for_each(|id| ids.push(id));
        for (i, id) in many.iter().enumerate() {
            assert_eq!(&ids[i], id);
        }
        assert!(ids.iter().eq(many.iter().map(String::as_str)));
    }
}
