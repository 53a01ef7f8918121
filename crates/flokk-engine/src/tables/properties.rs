//! Custom properties (`metafields.<namespace>.<key>`), one column per key.
//!
//! Decision: a key whose values have different types in different customers
//! (a number here, a text there) is typed by its most common type; values of
//! the other types read as missing for that key's filter.

use crate::CustomerSet;
use crate::columns::value_index::{ListIndex, ValueIndex};
use flokk_model::PropertyValue;
use std::collections::BTreeMap;

/// The values of one property key, by the type each customer's value has.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct PropertyColumn {
    /// Numeric values.
    pub numbers: crate::tables::sparse_values::SparseNumbers,
    /// Date values, as days since 1970-01-01.
    pub dates: crate::tables::sparse_values::SparseDays,
    /// Text values.
    pub strings: ValueIndex,
    /// Boolean values (`"true"` / `"false"`).
    pub booleans: ValueIndex,
    /// List values.
    pub lists: ListIndex,
    /// Customers given a list, empty ones included: an empty list still
    /// says the property is a list (for typing), though it reads as NULL.
    list_holders: CustomerSet,
}

/// The type a property's filter has, as the query checker needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PropertyKind {
    /// Numbers.
    Number,
    /// Dates.
    Date,
    /// Text.
    String,
    /// Booleans.
    Boolean,
    /// Lists of text.
    List,
}

impl PropertyColumn {
    /// How many customers hold a value of each kind.
    fn counts(&self) -> [(PropertyKind, u64); 5] {
        [
            (PropertyKind::Number, self.numbers.len() as u64),
            (PropertyKind::Date, self.dates.len() as u64),
            (PropertyKind::String, self.strings.present().len()),
            (PropertyKind::Boolean, self.booleans.present().len()),
            (PropertyKind::List, self.list_holders.len()),
        ]
    }

    /// The kind most customers' values have.
    pub fn kind(&self) -> PropertyKind {
        let counts = self.counts();
        // Ties go to the first kind in declaration order, so the answer is stable.
        counts
            .iter()
            .fold(counts[0], |best, c| if c.1 > best.1 { *c } else { best })
            .0
    }

    /// Customers with a value of this column's kind.
    pub fn present(&self) -> CustomerSet {
        match self.kind() {
            PropertyKind::Number => self.numbers.holders(),
            PropertyKind::Date => self.dates.holders(),
            PropertyKind::String => self.strings.present().clone(),
            PropertyKind::Boolean => self.booleans.present().clone(),
            PropertyKind::List => self.lists.non_empty().clone(),
        }
    }
}

/// Every property key's column.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct PropertyColumns {
    columns: BTreeMap<String, PropertyColumn>,
    holders: CustomerSet,
}

impl PropertyColumns {
    /// Records customer `o`'s value for `key` (`namespace.key`).
    pub fn insert(&mut self, o: u32, key: &str, value: &PropertyValue) {
        self.holders.insert(o);
        let col = self.columns.entry(key.to_owned()).or_default();
        match value {
            PropertyValue::Number(n) => {
                col.numbers.insert(o, *n);
            }
            PropertyValue::Date(d) => {
                col.dates
                    .insert(o, (*d - jiff::civil::date(1970, 1, 1)).get_days());
            }
            PropertyValue::String(s) => col.strings.insert(o, s),
            PropertyValue::Boolean(b) => col.booleans.insert(o, if *b { "true" } else { "false" }),
            PropertyValue::List(items) => {
                col.list_holders.insert(o);
                for item in items {
                    col.lists.insert(o, item);
                }
            }
        }
    }

    /// Removes customer `o`'s values.
    pub fn remove_customer(&mut self, o: u32) {
        if !self.holders.remove(o) {
            return;
        }
        for col in self.columns.values_mut() {
            col.numbers.remove(o);
            col.dates.remove(o);
            col.strings.remove_customer(o);
            col.booleans.remove_customer(o);
            col.lists.remove_customer(o);
            col.list_holders.remove(o);
        }
    }

    /// The column of `key` (`namespace.key`).
    pub fn get(&self, key: &str) -> Option<&PropertyColumn> {
        self.columns.get(key)
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        for col in self.columns.values_mut() {
            col.numbers.shrink_to_fit();
            col.dates.shrink_to_fit();
            col.strings.shrink_to_fit();
            col.booleans.shrink_to_fit();
            col.lists.shrink_to_fit();
            crate::columns::tight_bitmap::tighten(&mut col.list_holders);
        }
        crate::columns::tight_bitmap::tighten(&mut self.holders);
    }

    /// Every key with its kind, for the query checker.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, PropertyKind)> {
        self.columns.iter().map(|(k, c)| (k.as_str(), c.kind()))
    }
}

impl crate::columns::heap_size::HeapSize for PropertyColumn {
    fn heap_bytes(&self) -> usize {
        self.numbers.heap_bytes()
            + self.dates.heap_bytes()
            + self.strings.heap_bytes()
            + self.booleans.heap_bytes()
            + self.lists.heap_bytes()
            + self.list_holders.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for PropertyColumns {
    fn heap_bytes(&self) -> usize {
        self.columns.heap_bytes() + self.holders.heap_bytes()
    }
}
