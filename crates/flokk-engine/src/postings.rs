//! Posting lists: the records (order lines, custom events) listed under a
//! key (a product id, a folded tag, an event name), so a MATCHES with
//! `tag = 'shorts'` reads only those records.
//!
//! Each key holds its records as a roaring bitmap (a dense key such as a
//! popular tag costs a bit per record instead of four bytes, a sparse one
//! two bytes) and the customers who own them. The customers are a
//! superset: a record that was voided later (replaced, cancelled) leaves
//! its customer listed, since every evaluation tests each record anyway.
//! They let a MATCHES intersect the customers still in play with the
//! key's customers first and then read only those customers' records,
//! instead of every record under the key.

use crate::CustomerSet;
use crate::customer_buckets::CustomerBuckets;
use crate::interner::Sym;
use roaring::RoaringBitmap;
use std::borrow::Cow;
use std::collections::HashMap;

/// The records under one key (or under several, for `IN`), with their
/// customers.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Posting {
    /// Record indexes, ascending.
    pub records: RoaringBitmap,
    /// Every customer with a record listed here (see the module doc).
    pub customers: CustomerSet,
    /// The customers with a live record listed here, by when the record
    /// happened (only for records with a time: order lines).
    pub buckets: CustomerBuckets,
}

impl Posting {
    /// Lists record `record` of customer `customer`.
    fn add(&mut self, record: u32, customer: u32) {
        // Records are appended in index order, so this is nearly always
        // an append; a record listed twice (a line with a tag twice) is
        // listed once.
        if self.records.try_push(record).is_err() {
            self.records.insert(record);
        }
        self.customers.insert(customer);
    }

    /// Adds every record and customer of `other`.
    fn union_with(&mut self, other: &Posting) {
        self.records |= &other.records;
        self.customers |= &other.customers;
        self.buckets.union_with(&other.buckets);
    }
}

/// Postings by key.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Postings {
    by_key: HashMap<Sym, Posting>,
}

impl Postings {
    /// Lists record `record` of customer `customer` under `key`.
    pub fn add(&mut self, key: Sym, record: u32, customer: u32) {
        self.by_key.entry(key).or_default().add(record, customer);
    }

    /// Like [`Postings::add`], for a record that happened at `live_at`
    /// (`None`: a record that counts nowhere, such as a line of a cancelled
    /// order).
    pub fn add_timed(&mut self, key: Sym, record: u32, customer: u32, live_at: Option<i64>) {
        let posting = self.by_key.entry(key).or_default();
        posting.add(record, customer);
        if let Some(t) = live_at {
            posting.buckets.add(t, customer);
        }
    }

    /// The posting of `key`.
    pub fn get(&self, key: Sym) -> Option<&Posting> {
        self.by_key.get(&key)
    }

    /// The records and customers under any of `keys` (keys without a
    /// posting add nothing); borrowed for one key, the usual case.
    pub fn union(&self, keys: impl IntoIterator<Item = Sym>) -> Cow<'_, Posting> {
        let mut keys = keys.into_iter().filter_map(|k| self.get(k));
        let Some(first) = keys.next() else {
            return Cow::Owned(Posting::default());
        };
        let Some(second) = keys.next() else {
            return Cow::Borrowed(first);
        };
        let mut out = first.clone();
        out.union_with(second);
        for p in keys {
            out.union_with(p);
        }
        Cow::Owned(out)
    }

    /// Whether record `record` is listed under `key`.
    pub fn lists(&self, key: Sym, record: u32) -> bool {
        self.get(key).is_some_and(|p| p.records.contains(record))
    }

    /// Renumbers every record: record `r` becomes `new_index[r]` (the
    /// customers stay).
    pub(crate) fn renumber_records(&mut self, new_index: &[u32]) {
        for posting in self.by_key.values_mut() {
            let mut records: Vec<u32> = posting
                .records
                .iter()
                .map(|r| new_index[r as usize])
                .collect();
            records.sort_unstable();
            posting.records = RoaringBitmap::from_sorted_iter(records).expect("sorted");
        }
    }

    /// Every key with its posting.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &Posting)> {
        self.by_key.iter().map(|(k, p)| (*k, p))
    }
}

impl crate::space_usage::HeapSize for Posting {
    fn heap_bytes(&self) -> usize {
        self.records.heap_bytes() + self.customers.heap_bytes() + self.buckets.heap_bytes()
    }
}

impl crate::space_usage::HeapSize for Postings {
    fn heap_bytes(&self) -> usize {
        self.by_key.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_listed_once_with_their_customers() {
        let mut p = Postings::default();
        p.add(7, 0, 10);
        p.add(7, 0, 10);
        p.add(7, 5, 11);
        p.add(8, 3, 12);
        // Out of order (an index appended before a lower one) still lists it.
        p.add(7, 2, 13);
        let seven = p.get(7).unwrap();
        assert_eq!(seven.records.iter().collect::<Vec<_>>(), [0, 2, 5]);
        assert_eq!(seven.customers.iter().collect::<Vec<_>>(), [10, 11, 13]);
        assert!(p.lists(7, 2) && !p.lists(7, 3) && p.lists(8, 3) && !p.lists(9, 0));
        let both = p.union([7, 8, 99]);
        assert_eq!(both.records.iter().collect::<Vec<_>>(), [0, 2, 3, 5]);
        assert_eq!(both.customers.len(), 4);
    }
}
