//! Values for some customers (a number or date property that some
//! customers have): a hash map while few have one, a column by ordinal
//! with a presence bitmap once many do.
//!
//! A map entry costs 15 to 30 bytes (key, value, control byte, the load
//! factor's slack); a column costs the value's width for every ordinal
//! up to the highest. Past a third of the ordinals the column is smaller,
//! and a property every customer has (a loyalty points balance) costs its
//! value's width instead of a map entry.

use crate::CustomerSet;
use crate::columns::number_column::NumberColumn;
use std::collections::HashMap;

/// A column of values by ordinal that can be written in any order.
pub trait ValueColumn<T>: Default {
    /// The `i`-th value.
    fn value(&self, i: usize) -> T;
    /// Replaces the `i`-th value.
    fn set_value(&mut self, i: usize, v: T);
    /// How many values there are.
    fn rows(&self) -> usize;
    /// Appends default values up to `n` rows.
    fn grow(&mut self, n: usize);
    /// Heap bytes held.
    fn bytes(&self) -> usize;
    /// Gives back spare capacity.
    fn shrink(&mut self);
}

impl ValueColumn<i32> for Vec<i32> {
    fn value(&self, i: usize) -> i32 {
        self[i]
    }
    fn set_value(&mut self, i: usize, v: i32) {
        self[i] = v;
    }
    fn rows(&self) -> usize {
        self.len()
    }
    fn grow(&mut self, n: usize) {
        self.resize(n.max(self.len()), 0);
    }
    fn bytes(&self) -> usize {
        self.capacity() * 4
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

/// Numbers as [`NumberColumn`]: cents in a few bytes while every number is
/// a whole number of cents (points balances, prices), `f64` otherwise.
impl ValueColumn<f64> for NumberColumn {
    fn value(&self, i: usize) -> f64 {
        self.get(i)
    }
    fn set_value(&mut self, i: usize, v: f64) {
        self.set(i, v);
    }
    fn rows(&self) -> usize {
        self.len()
    }
    fn grow(&mut self, n: usize) {
        while self.len() < n {
            self.push(0.0);
        }
    }
    fn bytes(&self) -> usize {
        crate::columns::heap_size::HeapSize::heap_bytes(self)
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

/// Fewer entries than this stay in a map whatever the fill.
const SMALL: usize = 1024;

/// Values by customer ordinal (see the module doc).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SparseValues<T: Copy, C> {
    /// The customers that have a value.
    Map(HashMap<u32, T>),
    /// A value per ordinal up to the highest with one, and who has one.
    Column {
        /// Values by ordinal (the default where none).
        values: C,
        /// The ordinals with a value.
        present: CustomerSet,
    },
}

/// Number properties.
pub type SparseNumbers = SparseValues<f64, NumberColumn>;
/// Date properties (days since 1970-01-01).
pub type SparseDays = SparseValues<i32, Vec<i32>>;

impl<T: Copy, C> Default for SparseValues<T, C> {
    fn default() -> Self {
        SparseValues::Map(HashMap::new())
    }
}

impl<T: Copy, C: ValueColumn<T>> SparseValues<T, C> {
    /// The value of customer `c`.
    #[inline]
    pub fn get(&self, c: u32) -> Option<T> {
        match self {
            SparseValues::Map(map) => map.get(&c).copied(),
            SparseValues::Column { values, present } => {
                present.contains(c).then(|| values.value(c as usize))
            }
        }
    }

    /// Gives customer `c` the value `v`.
    pub fn insert(&mut self, c: u32, v: T) {
        match self {
            SparseValues::Map(map) => {
                map.insert(c, v);
                // Checked every SMALL entries: the scan for the highest
                // ordinal is then paid once per SMALL inserts.
                if map.len() < SMALL || !map.len().is_multiple_of(SMALL) {
                    return;
                }
                let highest = map.keys().max().copied().unwrap_or(0) as usize;
                if map.len() * 3 > highest {
                    let mut values = C::default();
                    values.grow(highest + 1);
                    let mut present = CustomerSet::new();
                    for (c, v) in map.drain() {
                        values.set_value(c as usize, v);
                        present.insert(c);
                    }
                    *self = SparseValues::Column { values, present };
                }
            }
            SparseValues::Column { values, present } => {
                values.grow(c as usize + 1);
                values.set_value(c as usize, v);
                present.insert(c);
            }
        }
    }

    /// Removes customer `c`'s value.
    pub fn remove(&mut self, c: u32) {
        match self {
            SparseValues::Map(map) => {
                map.remove(&c);
            }
            SparseValues::Column { present, .. } => {
                present.remove(c);
            }
        }
    }

    /// How many customers have a value.
    pub fn len(&self) -> usize {
        match self {
            SparseValues::Map(map) => map.len(),
            SparseValues::Column { present, .. } => present.len() as usize,
        }
    }

    /// Whether nobody has one.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            SparseValues::Map(map) => map.shrink_to_fit(),
            SparseValues::Column { values, .. } => values.shrink(),
        }
    }

    /// The customers with a value.
    pub fn holders(&self) -> CustomerSet {
        match self {
            SparseValues::Map(map) => map.keys().copied().collect(),
            SparseValues::Column { present, .. } => present.clone(),
        }
    }
}

impl<T: Copy + crate::columns::heap_size::HeapSize, C: ValueColumn<T>>
    crate::columns::heap_size::HeapSize for SparseValues<T, C>
{
    fn heap_bytes(&self) -> usize {
        match self {
            SparseValues::Map(map) => map.heap_bytes(),
            SparseValues::Column { values, present } => values.bytes() + present.heap_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Map or column, a customer has what was given last, or nothing
        /// after a removal.
        #[test]
        fn values_as_given_whichever_form(
            steps in proptest::collection::vec((0u32..3000, proptest::option::of(-5i32..5)), 0..4000),
        ) {
            let mut v = SparseDays::default();
            let mut want = std::collections::BTreeMap::new();
            for (c, x) in steps {
                match x {
                    Some(x) => {
                        v.insert(c, x);
                        want.insert(c, x);
                    }
                    None => {
                        v.remove(c);
                        want.remove(&c);
                    }
                }
            }
            prop_assert_eq!(v.len(), want.len());
            for c in 0..3000 {
                prop_assert_eq!(v.get(c), want.get(&c).copied());
            }
            let holders: Vec<u32> = v.holders().iter().collect();
            prop_assert_eq!(holders, want.keys().copied().collect::<Vec<_>>());
        }
    }

    #[test]
    fn many_values_turn_into_a_column() {
        let mut v = SparseNumbers::default();
        for c in 0..2000 {
            v.insert(c, f64::from(c));
        }
        assert!(matches!(v, SparseValues::Column { .. }));
        assert_eq!((v.get(7), v.get(5000)), (Some(7.0), None));
        v.insert(3000, 0.5);
        v.insert(3, 1.0 / 3.0);
        assert_eq!(
            (v.get(3000), v.get(3), v.get(2999)),
            (Some(0.5), Some(1.0 / 3.0), None)
        );
    }
}
