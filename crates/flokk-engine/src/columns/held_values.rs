//! Which values each customer holds in a value or list index
//! ([`crate::columns::value_index`]), so that removing a customer visits
//! only the bitmaps of their own values.
//!
//! Without it, removing one customer (every write replaces the attributes
//! of the customers it touched) probes every value's bitmap: thousands of
//! cities or email domains, each a cache miss or three, on every write, and
//! more the larger the store (issue 29). The index keeps this only once it
//! has many values ([`MANY_VALUES`]) and builds it on the first removal,
//! from its own bitmaps (never stored: a snapshot loads without it), so an
//! engine that is never written to, or an index of a few values, pays no
//! memory for it: 4 bytes a customer for an index that has it.

use crate::CustomerSet;
use std::collections::HashMap;

/// From this many distinct values on, an index remembers each customer's
/// values instead of probing every value's bitmap on removal (below it the
/// probes cost less than keeping the list).
pub const MANY_VALUES: usize = 32;

/// Each customer's values, as ids into a table of the index's values.
#[derive(Debug, Default, Clone)]
pub struct HeldValues {
    /// Value by id.
    names: Vec<Box<str>>,
    /// Id by value.
    ids: HashMap<Box<str>, u32>,
    /// By customer: 1 + the id of their first value, 0 for none.
    first: Vec<u32>,
    /// The further values of customers with more than one.
    more: HashMap<u32, Vec<u32>>,
}

impl HeldValues {
    /// From the index's value → customers bitmaps.
    pub fn build<'a>(values: impl Iterator<Item = (&'a str, &'a CustomerSet)>) -> Self {
        let mut held = HeldValues::default();
        for (value, customers) in values {
            let id = held.id(value);
            for c in customers {
                held.add(c, id);
            }
        }
        held
    }

    /// Records that customer `c` holds `value`.
    pub fn insert(&mut self, c: u32, value: &str) {
        let id = self.id(value);
        self.add(c, id);
    }

    /// Forgets customer `c`'s values and gives them back.
    pub fn take(&mut self, c: u32) -> impl Iterator<Item = &str> {
        let first = self
            .first
            .get_mut(c as usize)
            .map_or(0, std::mem::take)
            .checked_sub(1);
        let more = self.more.remove(&c).unwrap_or_default();
        first
            .into_iter()
            .chain(more)
            .map(|id| &*self.names[id as usize])
    }

    fn id(&mut self, value: &str) -> u32 {
        if let Some(id) = self.ids.get(value) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(value.into());
        self.ids.insert(value.into(), id);
        id
    }

    fn add(&mut self, c: u32, id: u32) {
        let i = c as usize;
        if self.first.len() <= i {
            self.first.resize(i + 1, 0);
        }
        match self.first[i] {
            0 => self.first[i] = id + 1,
            f if f == id + 1 => {}
            _ => {
                let more = self.more.entry(c).or_default();
                if !more.contains(&id) {
                    more.push(id);
                }
            }
        }
    }
}

impl crate::columns::heap_size::HeapSize for HeldValues {
    fn heap_bytes(&self) -> usize {
        self.names.heap_bytes()
            + self.ids.heap_bytes()
            + self.first.heap_bytes()
            + self.more.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(held: &mut HeldValues, c: u32) -> Vec<String> {
        let mut v: Vec<String> = held.take(c).map(str::to_owned).collect();
        v.sort();
        v
    }

    #[test]
    fn gives_back_each_customers_own_values_once() {
        let oslo = CustomerSet::from_iter([1, 5]);
        let bergen = CustomerSet::from_iter([5, 9]);
        let mut held = HeldValues::build([("oslo", &oslo), ("bergen", &bergen)].into_iter());
        held.insert(9, "bergen");
        held.insert(12, "tromsø");
        assert_eq!(taken(&mut held, 5), ["bergen", "oslo"]);
        assert_eq!(taken(&mut held, 5), Vec::<String>::new());
        assert_eq!(taken(&mut held, 9), ["bergen"]);
        assert_eq!(taken(&mut held, 12), ["tromsø"]);
        assert_eq!(taken(&mut held, 1), ["oslo"]);
        assert_eq!(taken(&mut held, 400), Vec::<String>::new());
    }
}
