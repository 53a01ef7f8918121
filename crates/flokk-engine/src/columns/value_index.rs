//! Bitmaps of customers per value, for `=`, `!=`, CONTAINS and IS NULL.

use crate::CustomerSet;
use std::collections::HashMap;

/// For a single-valued text or enum field: the customers holding each value
/// (compared exactly: case- and whitespace-sensitive, as §5 says).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct ValueIndex {
    by_value: HashMap<Box<str>, CustomerSet>,
    with_value: CustomerSet,
}

impl ValueIndex {
    /// Records that customer `c` has `value`.
    pub fn insert(&mut self, c: u32, value: &str) {
        match self.by_value.get_mut(value) {
            Some(set) => {
                set.insert(c);
            }
            None => {
                self.by_value
                    .insert(value.into(), CustomerSet::from_iter([c]));
            }
        }
        self.with_value.insert(c);
    }

    /// Removes customer `c` from every value.
    pub fn remove_customer(&mut self, c: u32) {
        if self.with_value.remove(c) {
            for set in self.by_value.values_mut() {
                set.remove(c);
            }
        }
    }

    /// Customers whose value is exactly `value`.
    pub fn equal(&self, value: &str) -> CustomerSet {
        self.by_value.get(value).cloned().unwrap_or_default()
    }

    /// Gives back spare capacity (see [`crate::columns::tight_bitmap`]).
    pub fn shrink_to_fit(&mut self) {
        self.by_value
            .values_mut()
            .for_each(crate::columns::tight_bitmap::tighten);
        crate::columns::tight_bitmap::tighten(&mut self.with_value);
        self.by_value.shrink_to_fit();
    }

    /// Customers with any value (`IS NOT NULL`).
    pub fn present(&self) -> &CustomerSet {
        &self.with_value
    }

    /// Every value with its customers, for value suggestions and statistics.
    pub fn values(&self) -> impl Iterator<Item = (&str, &CustomerSet)> {
        self.by_value.iter().map(|(k, v)| (&**k, v))
    }
}

/// For a list field (`customer_tags`, `customer_cities`, ...): customers per
/// element, keyed case-folded because CONTAINS is case-insensitive (§5).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct ListIndex {
    by_element: HashMap<Box<str>, CustomerSet>,
    non_empty: CustomerSet,
    /// The stored spelling of each folded element that has another one
    /// (`no-03-oslo` → `NO-03-Oslo`), the first seen: suggestions and
    /// hints show values as the store holds them.
    spelling: HashMap<Box<str>, Box<str>>,
}

impl ListIndex {
    /// Records that customer `c`'s list holds `element`.
    pub fn insert(&mut self, c: u32, element: &str) {
        let key = crate::columns::interner::fold(element);
        if key != element && !self.spelling.contains_key(key.as_str()) {
            self.spelling
                .insert(key.clone().into_boxed_str(), element.into());
        }
        self.by_element
            .entry(key.into_boxed_str())
            .or_default()
            .insert(c);
        self.non_empty.insert(c);
    }

    /// Removes customer `c` from every element.
    pub fn remove_customer(&mut self, c: u32) {
        if self.non_empty.remove(c) {
            for set in self.by_element.values_mut() {
                set.remove(c);
            }
        }
    }

    /// Customers whose list holds `element` (case-insensitive).
    pub fn contains(&self, element: &str) -> CustomerSet {
        self.by_element
            .get(crate::columns::interner::fold(element).as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// Gives back spare capacity (see [`crate::columns::tight_bitmap`]).
    pub fn shrink_to_fit(&mut self) {
        self.by_element
            .values_mut()
            .for_each(crate::columns::tight_bitmap::tighten);
        crate::columns::tight_bitmap::tighten(&mut self.non_empty);
        self.by_element.shrink_to_fit();
        self.spelling.shrink_to_fit();
    }

    /// Customers with a non-empty list (`IS NOT NULL`).
    pub fn non_empty(&self) -> &CustomerSet {
        &self.non_empty
    }

    /// Every element with its customers (folded: the index key).
    pub fn elements(&self) -> impl Iterator<Item = (&str, &CustomerSet)> {
        self.by_element.iter().map(|(k, v)| (&**k, v))
    }

    /// Every element in its stored spelling, with its customers.
    pub fn spelled_elements(&self) -> impl Iterator<Item = (&str, &CustomerSet)> {
        self.by_element
            .iter()
            .map(|(k, v)| (self.spelling.get(k).map_or(&**k, |s| &**s), v))
    }
}

impl crate::columns::heap_size::HeapSize for ValueIndex {
    fn heap_bytes(&self) -> usize {
        self.by_value.heap_bytes() + self.with_value.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for ListIndex {
    fn heap_bytes(&self) -> usize {
        self.by_element.heap_bytes() + self.non_empty.heap_bytes() + self.spelling.heap_bytes()
    }
}
