//! Customer ids by ordinal, in one buffer: a boxed string per customer
//! costs its 16-byte handle plus an allocation (32 bytes or more for an id
//! of a few characters); here an id costs its bytes and an 8-byte end.

use std::ops::Index;

/// Every customer's id, by ordinal.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerIds {
    text: String,
    /// Where each id ends in `text`; id `i` starts where `i - 1` ends.
    ends: Vec<u64>,
}

impl CustomerIds {
    /// Appends the id of the next ordinal.
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u64);
    }

    /// The id of ordinal `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    /// How many ids there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every id, by ordinal.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| &self[i])
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl Index<usize> for CustomerIds {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i).expect("a customer ordinal")
    }
}

impl crate::space_usage::HeapSize for CustomerIds {
    fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.heap_bytes()
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
    }
}
