//! Bitmaps of customers per value, for `=`, `!=`, CONTAINS and IS NULL.

use crate::CustomerSet;
use crate::columns::held_values::{HeldValues, MANY_VALUES};
use std::collections::HashMap;

/// For a single-valued text or enum field: the customers holding each value
/// (compared exactly: case- and whitespace-sensitive, as §5 says).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct ValueIndex {
    by_value: HashMap<Box<str>, CustomerSet>,
    with_value: CustomerSet,
    /// Each customer's value, once the index has many and a customer was
    /// removed (see [`crate::columns::held_values`]).
    #[serde(skip)]
    held: Option<HeldValues>,
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
        if let Some(held) = &mut self.held {
            held.insert(c, value);
        }
    }

    /// Removes customer `c` from every value (visiting only their own
    /// value's bitmap when the index has many values).
    pub fn remove_customer(&mut self, c: u32) {
        if self.with_value.remove(c) {
            remove_from(&mut self.by_value, &mut self.held, c);
        }
    }

    /// Customers whose value is exactly `value`.
    pub fn equal(&self, value: &str) -> CustomerSet {
        self.by_value.get(value).cloned().unwrap_or_default()
    }

    /// The customers of `universe` whose value is exactly `value`: costs
    /// what `universe` holds, not what the value's bitmap holds (a write
    /// evaluates segments over the few customers it touched).
    pub fn equal_within(&self, value: &str, universe: &CustomerSet) -> CustomerSet {
        self.by_value
            .get(value)
            .map_or_else(CustomerSet::new, |set| universe & set)
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
    /// Each customer's elements (folded), once the index has many and a
    /// customer was removed (see [`crate::columns::held_values`]).
    #[serde(skip)]
    held: Option<HeldValues>,
}

/// Removes customer `c` from the bitmaps of `by_value`: from their own
/// values' alone once there are many values (building `held` the first
/// time), else from each.
fn remove_from(
    by_value: &mut HashMap<Box<str>, CustomerSet>,
    held: &mut Option<HeldValues>,
    c: u32,
) {
    if held.is_none() && by_value.len() < MANY_VALUES {
        for set in by_value.values_mut() {
            set.remove(c);
        }
        return;
    }
    let held =
        held.get_or_insert_with(|| HeldValues::build(by_value.iter().map(|(k, v)| (&**k, v))));
    for value in held.take(c) {
        if let Some(set) = by_value.get_mut(value) {
            set.remove(c);
        }
    }
}

impl ListIndex {
    /// Records that customer `c`'s list holds `element`.
    pub fn insert(&mut self, c: u32, element: &str) {
        let key = crate::columns::interner::fold(element);
        if key != element && !self.spelling.contains_key(key.as_str()) {
            self.spelling
                .insert(key.clone().into_boxed_str(), element.into());
        }
        if let Some(held) = &mut self.held {
            held.insert(c, &key);
        }
        self.by_element
            .entry(key.into_boxed_str())
            .or_default()
            .insert(c);
        self.non_empty.insert(c);
    }

    /// Removes customer `c` from every element (visiting only their own
    /// elements' bitmaps when the index has many elements).
    pub fn remove_customer(&mut self, c: u32) {
        if self.non_empty.remove(c) {
            remove_from(&mut self.by_element, &mut self.held, c);
        }
    }

    /// Customers whose list holds `element` (case-insensitive).
    pub fn contains(&self, element: &str) -> CustomerSet {
        self.by_element
            .get(crate::columns::interner::fold(element).as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// The customers of `universe` whose list holds `element`
    /// (case-insensitive), at the cost of `universe` (see
    /// [`ValueIndex::equal_within`]).
    pub fn contains_within(&self, element: &str, universe: &CustomerSet) -> CustomerSet {
        self.by_element
            .get(crate::columns::interner::fold(element).as_str())
            .map_or_else(CustomerSet::new, |set| universe & set)
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
        self.by_value.heap_bytes() + self.with_value.heap_bytes() + self.held.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for ListIndex {
    fn heap_bytes(&self) -> usize {
        self.by_element.heap_bytes()
            + self.non_empty.heap_bytes()
            + self.spelling.heap_bytes()
            + self.held.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Customers' lists replaced again and again, in an index of many
    /// elements (each customer's own elements are remembered) and of few
    /// (every element probed): every element's customers are always those
    /// whose current list holds it.
    #[test]
    fn replacing_lists_leaves_exactly_the_current_elements() {
        for elements in [MANY_VALUES * 3, 4] {
            let mut list = ListIndex::default();
            let mut single = ValueIndex::default();
            let mut now: Vec<Vec<String>> = vec![Vec::new(); 50];
            let mut seed = 29u64;
            let mut next = |n: usize| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 33) as usize % n
            };
            for round in 0..400 {
                let c = next(50) as u32;
                // (The first removals find few elements yet: the list of each
                // customer's own is built once there are many.)
                list.remove_customer(c);
                single.remove_customer(c);
                let values: Vec<String> = (0..next(4))
                    .map(|_| format!("City{}", next(elements)))
                    .collect();
                for v in &values {
                    list.insert(c, v);
                }
                if let Some(v) = values.first() {
                    single.insert(c, v);
                }
                now[c as usize] = values;
                for e in 0..elements {
                    let name = format!("City{e}");
                    let want: BTreeSet<u32> = (0..50u32)
                        .filter(|c| now[*c as usize].contains(&name))
                        .collect();
                    let got: BTreeSet<u32> = list.contains(&name.to_lowercase()).iter().collect();
                    assert_eq!(got, want, "{name} after round {round}");
                    let first: BTreeSet<u32> = (0..50u32)
                        .filter(|c| now[*c as usize].first() == Some(&name))
                        .collect();
                    assert_eq!(single.equal(&name).iter().collect::<BTreeSet<_>>(), first);
                }
            }
            assert_eq!(list.held.is_some(), elements > MANY_VALUES);
        }
    }
}
