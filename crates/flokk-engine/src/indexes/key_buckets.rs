//! Customers by their latest purchase of each line key: for every product
//! id, folded tag, category and vendor, the customers who bought a line
//! with it, each listed once, in the time bucket (2^22 seconds, about 49
//! days) of their latest live such line.
//!
//! "Has bought a line tagged `shorts` since `start`" is then a union of a
//! few bitmaps: a customer whose latest such line lies in a bucket wholly
//! inside the window has one in it; a customer whose latest one is before
//! `start` has none (no earlier line can be in the window either); only
//! the customers of a bucket that straddles an edge of the window are read
//! order by order. The `sure`/`maybe` split holds for any window
//! `[start, end)`: a bucket that ends after `end` only says maybe (an
//! earlier line may or may not be inside).
//!
//! Keeping the latest purchase only (not every bucket a customer bought
//! in) costs one entry per (key, customer), about five bytes a line on the
//! demo's shape, where the per-key posting lists of every line with every
//! bucket that this replaces cost 29 (design.md allows 24 for everything a
//! line holds). Keyed by value rather than by line shape: a tag covers
//! many shapes, and a union over shapes × buckets × 65,536-customer
//! containers grew with the catalogue (4.4 ms for one tag at 1M
//! customers); by key it is a handful of bitmaps.
//!
//! The index is built from the order tables ([`KeyBuckets::build`], at
//! [`crate::Engine::compact`]) and kept by later appends: a line added by a
//! catch-up lists its customer in its buckets too, and the customers whose
//! records a catch-up voided are [`KeyBuckets::revoked`]: their entries
//! may be stale (a later line deleted, a key bought no more), so their
//! answers are always read order by order. A rebuild clears them.

use crate::CustomerSet;
use crate::columns::interner::NO_SYM;
use crate::columns::interner::Sym;
use crate::tables::line_shapes::LineShapes;
use crate::tables::orders::OrderTables;
use std::borrow::Cow;
use std::collections::HashMap;

/// log2 of a bucket's length in seconds.
const SHIFT: u32 = 22;

/// A value a product line can be found by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum LineKey {
    /// A product id.
    Product(Sym),
    /// A folded tag.
    Tag(Sym),
    /// A folded category.
    Category(Sym),
    /// A folded vendor.
    Vendor(Sym),
}

impl LineKey {
    /// The keys of a line of shape `s`.
    pub fn of_shape(shapes: &LineShapes, s: u32, out: &mut Vec<LineKey>) {
        out.push(LineKey::Product(shapes.product(s)));
        out.extend(shapes.tags(s).iter().map(|t| LineKey::Tag(*t)));
        if shapes.category(s) != NO_SYM {
            out.push(LineKey::Category(shapes.category(s)));
        }
        if shapes.vendor(s) != NO_SYM {
            out.push(LineKey::Vendor(shapes.vendor(s)));
        }
    }
}

/// One bucket of one key: the customers whose latest line with the key
/// lies in it, and the span of those lines' instants.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Bucket {
    index: i64,
    first: i64,
    last: i64,
    customers: CustomerSet,
}

/// The index (see the module doc).
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyBuckets {
    /// Buckets of each key, ascending.
    by_key: HashMap<LineKey, Vec<Bucket>>,
    /// Customers whose entries may be stale.
    pub revoked: CustomerSet,
}

/// What the buckets say about a time window.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KeyWindow {
    /// Customers with a line of the keys inside the window (revoked ones
    /// left out).
    pub sure: CustomerSet,
    /// Customers that may have one.
    pub maybe: CustomerSet,
}

impl KeyBuckets {
    /// The index of every live line of `tables` (lines of void orders are
    /// left out).
    pub fn build(tables: &OrderTables, customers: u32) -> Self {
        let mut index = KeyBuckets::default();
        let by_customer = tables.by_customer(customers);
        let orders = &tables.orders;
        let lines = &tables.products;
        let mut keys = Vec::new();
        // The latest instant of each key, for one customer at a time;
        // customers come in ascending order, so each bitmap is appended to.
        let mut latest: Vec<(LineKey, i64)> = Vec::new();
        for c in 0..customers {
            latest.clear();
            for o in by_customer.of(c) {
                if orders.is_void(o as usize) {
                    continue;
                }
                let t = orders.time.get(o as usize);
                for l in tables.product_lines(o) {
                    keys.clear();
                    LineKey::of_shape(&lines.shapes, lines.shape.get(l as usize), &mut keys);
                    latest.extend(keys.iter().map(|k| (*k, t)));
                }
            }
            latest.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            latest.dedup_by_key(|(k, _)| *k);
            for &(k, t) in &latest {
                index.add(k, t, c);
            }
        }
        index
    }

    /// Lists customer `c` under the keys of every product line of order
    /// `order` (a live order just appended to `tables`).
    pub fn add_order(&mut self, tables: &OrderTables, order: u32, c: u32) {
        let t = tables.orders.time.get(order as usize);
        let shapes = &tables.products.shapes;
        for line in tables.product_lines(order) {
            self.add_line(shapes, tables.products.shape.get(line as usize), t, c);
        }
    }

    /// Notes that customer `c` bought a line of shape `s` at `t`.
    pub fn add_line(&mut self, shapes: &LineShapes, s: u32, t: i64, c: u32) {
        let mut keys = Vec::new();
        LineKey::of_shape(shapes, s, &mut keys);
        for k in keys {
            self.add(k, t, c);
        }
    }

    /// Notes that customer `c` bought a line with key `key` at `t`.
    pub fn add(&mut self, key: LineKey, t: i64, c: u32) {
        let buckets = self.by_key.entry(key).or_default();
        let index = t >> SHIFT;
        match buckets.binary_search_by_key(&index, |b| b.index) {
            Ok(i) => {
                let b = &mut buckets[i];
                b.first = b.first.min(t);
                b.last = b.last.max(t);
                if b.customers.try_push(c).is_err() {
                    b.customers.insert(c);
                }
            }
            Err(i) => buckets.insert(
                i,
                Bucket {
                    index,
                    first: t,
                    last: t,
                    customers: CustomerSet::from_iter([c]),
                },
            ),
        }
    }

    /// How many customers are listed under `key` (a cost estimate).
    pub fn listed(&self, key: LineKey) -> u64 {
        self.by_key
            .get(&key)
            .map_or(0, |b| b.iter().map(|b| b.customers.len()).sum())
    }

    /// The customers with a line of one of `keys` at an instant in
    /// `[start, end)` (`end` at most one past now: later lines are
    /// invisible), split into sure and maybe (see the module doc).
    /// `among`, when given, limits the answer to those customers (each
    /// bucket is cut down to them before the union, cheaper when they are
    /// few).
    pub fn within(
        &self,
        keys: &[LineKey],
        start: i64,
        end: i64,
        among: Option<&CustomerSet>,
    ) -> KeyWindow {
        fn limit<'a>(set: &'a CustomerSet, among: Option<&CustomerSet>) -> Cow<'a, CustomerSet> {
            match among {
                Some(among) => Cow::Owned(set & among),
                None => Cow::Borrowed(set),
            }
        }
        let mut sure: Vec<Cow<'_, CustomerSet>> = Vec::new();
        let mut maybe: Vec<Cow<'_, CustomerSet>> = Vec::new();
        for buckets in keys.iter().filter_map(|k| self.by_key.get(k)) {
            for b in buckets.iter().filter(|b| b.last >= start) {
                if b.first >= start && b.last < end {
                    sure.push(limit(&b.customers, among));
                } else {
                    maybe.push(limit(&b.customers, among));
                }
            }
        }
        let union = |sets: Vec<Cow<'_, CustomerSet>>| {
            use roaring::MultiOps;
            sets.iter().map(|s| s.as_ref()).union()
        };
        let mut sure = union(sure);
        let mut maybe = union(maybe);
        maybe |= &sure & &self.revoked;
        sure -= &self.revoked;
        maybe -= &sure;
        KeyWindow { sure, maybe }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        for buckets in self.by_key.values_mut() {
            buckets.shrink_to_fit();
            for b in buckets {
                crate::columns::tight_bitmap::tighten(&mut b.customers);
            }
        }
        self.by_key.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for LineKey {
    fn heap_bytes(&self) -> usize {
        0
    }
}

impl crate::columns::heap_size::HeapSize for Bucket {
    fn heap_bytes(&self) -> usize {
        self.customers.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for KeyBuckets {
    fn heap_bytes(&self) -> usize {
        self.by_key.heap_bytes() + self.revoked.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LENGTH: i64 = 1 << SHIFT;

    proptest! {
        /// Every customer with a line of the keys inside the window is sure
        /// or maybe; every sure one has one; a revoked customer is never
        /// sure.
        #[test]
        fn sure_and_maybe_bracket_the_exact_answer(
            lines in proptest::collection::vec((0u32..4, -(1i64 << 27)..(1i64 << 27), 0u32..60), 0..300),
            asked in proptest::collection::vec(any::<bool>(), 4),
            start in -(1i64 << 27)..(1i64 << 27),
            len in 0i64..(1i64 << 27),
            revoked in proptest::collection::vec(0u32..60, 0..5),
            every_line in any::<bool>(),
            among in proptest::option::of(proptest::collection::vec(0u32..60, 0..40)),
        ) {
            // Latest line per (key, customer), as a build lists them, or
            // every line, as appends after a build list them.
            let mut latest = std::collections::BTreeMap::new();
            for (k, t, c) in &lines {
                let e = latest.entry((*k, *c)).or_insert(*t);
                *e = (*e).max(*t);
            }
            let mut index = KeyBuckets::default();
            if every_line {
                for (k, t, c) in &lines {
                    index.add(LineKey::Tag(*k), *t, *c);
                }
            } else {
                for ((k, c), t) in &latest {
                    index.add(LineKey::Tag(*k), *t, *c);
                }
            }
            index.revoked = revoked.iter().copied().collect();
            let keys: Vec<LineKey> = (0..4).filter(|k| asked[*k as usize]).map(LineKey::Tag).collect();
            let among: Option<CustomerSet> = among.map(|a| a.into_iter().collect());
            let end = start + len;
            let w = index.within(&keys, start, end, among.as_ref());
            let exact: CustomerSet = lines
                .iter()
                .filter(|(k, t, c)| {
                    asked[*k as usize]
                        && start <= *t
                        && *t < end
                        && among.as_ref().is_none_or(|a| a.contains(*c))
                })
                .map(|(_, _, c)| *c)
                .collect();
            prop_assert!(w.sure.is_subset(&exact), "sure {:?} exact {:?}", w.sure, exact);
            prop_assert!(exact.is_subset(&(&w.sure | &w.maybe)));
            prop_assert!(w.sure.is_disjoint(&w.maybe));
            prop_assert!(w.sure.is_disjoint(&index.revoked));
        }
    }

    #[test]
    fn a_window_ending_before_the_latest_line_only_says_maybe() {
        let mut index = KeyBuckets::default();
        let (a, b) = (LineKey::Tag(0), LineKey::Vendor(0));
        index.add(a, 10 * LENGTH, 1);
        index.add(a, 3 * LENGTH + 5, 2);
        index.add(b, 3 * LENGTH, 3);
        let w = index.within(&[a], 3 * LENGTH, 4 * LENGTH, None);
        assert_eq!(w.sure.iter().collect::<Vec<_>>(), [2]);
        assert_eq!(w.maybe.iter().collect::<Vec<_>>(), [1]);
        assert_eq!(
            (
                index.listed(a),
                index.listed(b),
                index.listed(LineKey::Product(0))
            ),
            (2, 1, 0)
        );
        // Before every latest line: nobody.
        let w = index.within(&[a, b], 11 * LENGTH, 12 * LENGTH, Some(&(0..10).collect()));
        assert!(w.sure.is_empty() && w.maybe.is_empty());
    }
}
