//! Customers by time bucket: which customers have a live record (an order,
//! an order line under some key) in each stretch of 2^20 seconds (about
//! 12 days), so that "has a purchase since 2 years ago" is a union of
//! bitmaps instead of a pass over every record.
//!
//! Buckets come in two sizes: fine ones, and coarse ones of 2^23 seconds
//! (about 97 days, eight fine ones) holding the same customers, so a
//! two-year window is a union of about eight coarse bitmaps and a few fine
//! ones at its ends rather than of sixty fine ones.
//!
//! A bucket whose records all lie inside a query's time window (each bucket
//! knows the first and last instant it holds, so the bucket holding "now"
//! is inside a window that ends now) answers for its customers outright; a
//! bucket that straddles an edge of the window only names customers to
//! check record by record. A record that is voided after it
//! was bucketed (replaced or deleted on catch-up) leaves its customer in
//! the bucket, so the owner of [`CustomerBuckets`] also keeps the customers
//! with such records, whose answers are always checked record by record.
//! Records that are void from the start (cancelled orders) are never
//! bucketed.

use crate::CustomerSet;

/// log2 of a bucket's length in seconds.
const SHIFT: u32 = 20;
/// log2 of a coarse bucket's length in seconds.
const COARSE_SHIFT: u32 = 23;
#[cfg(test)]
const LENGTH: i64 = 1 << SHIFT;

/// One bucket: its customers and the span of instants its records have.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Bucket {
    index: i64,
    first: i64,
    last: i64,
    customers: CustomerSet,
}

/// Customers per time bucket, ascending by bucket.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CustomerBuckets {
    fine: Vec<Bucket>,
    coarse: Vec<Bucket>,
}

/// What the buckets say about a time window.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WindowCustomers {
    /// Customers with a record in a bucket wholly inside the window.
    pub sure: CustomerSet,
    /// Customers with a record in a bucket that straddles an edge.
    pub maybe: CustomerSet,
}

impl CustomerBuckets {
    /// Notes that customer `c` has a live record at `t` (seconds).
    pub fn add(&mut self, t: i64, c: u32) {
        add_to(&mut self.fine, t >> SHIFT, t, c);
        add_to(&mut self.coarse, t >> COARSE_SHIFT, t, c);
    }

    /// Adds every bucket of `other`.
    pub fn union_with(&mut self, other: &CustomerBuckets) {
        union_into(&mut self.fine, &other.fine);
        union_into(&mut self.coarse, &other.coarse);
    }

    /// The customers with a record in `[start, end)` (`start` `None`:
    /// unbounded): surely for buckets inside it, maybe for the buckets at
    /// its edges.
    pub fn within(&self, start: Option<i64>, end: i64) -> WindowCustomers {
        let inside = |b: &Bucket| start.is_none_or(|s| b.first >= s) && b.last < end;
        let mut sure: Vec<&CustomerSet> = Vec::new();
        let mut maybe: Vec<&CustomerSet> = Vec::new();
        // Coarse buckets wholly inside answer for their eight fine ones.
        let mut covered: Vec<i64> = Vec::new();
        for b in &self.coarse {
            if b.first >= end {
                break;
            }
            if inside(b) {
                sure.push(&b.customers);
                covered.push(b.index);
            }
        }
        for b in &self.fine {
            if b.first >= end {
                break;
            }
            if start.is_some_and(|s| b.last < s)
                || covered
                    .binary_search(&(b.index >> (COARSE_SHIFT - SHIFT)))
                    .is_ok()
            {
                continue;
            }
            if inside(b) {
                sure.push(&b.customers);
            } else {
                maybe.push(&b.customers);
            }
        }
        let union = |sets: Vec<&CustomerSet>| {
            use roaring::MultiOps;
            sets.into_iter().union()
        };
        let sure = union(sure);
        let maybe = union(maybe) - &sure;
        WindowCustomers { sure, maybe }
    }
}

fn add_to(buckets: &mut Vec<Bucket>, index: i64, t: i64, c: u32) {
    match buckets.binary_search_by_key(&index, |b| b.index) {
        Ok(i) => {
            let b = &mut buckets[i];
            b.first = b.first.min(t);
            b.last = b.last.max(t);
            b.customers.insert(c);
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

fn union_into(buckets: &mut Vec<Bucket>, other: &[Bucket]) {
    for theirs in other {
        match buckets.binary_search_by_key(&theirs.index, |b| b.index) {
            Ok(i) => {
                let b = &mut buckets[i];
                b.first = b.first.min(theirs.first);
                b.last = b.last.max(theirs.last);
                b.customers |= &theirs.customers;
            }
            Err(i) => buckets.insert(i, theirs.clone()),
        }
    }
}

impl crate::space_usage::HeapSize for CustomerBuckets {
    fn heap_bytes(&self) -> usize {
        [&self.fine, &self.coarse]
            .into_iter()
            .map(|list| {
                list.capacity() * size_of::<Bucket>()
                    + list.iter().map(|b| b.customers.heap_bytes()).sum::<usize>()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every customer with a record inside the window is sure or maybe;
        /// every sure one has a record inside it.
        #[test]
        fn sure_and_maybe_bracket_the_exact_answer(
            records in proptest::collection::vec((-(1i64 << 26)..(1i64 << 26), 0u32..50), 0..300),
            start in proptest::option::of(-(1i64 << 26)..(1i64 << 26)),
            len in 0i64..(1i64 << 26),
        ) {
            let mut b = CustomerBuckets::default();
            for (t, c) in &records {
                b.add(*t, *c);
            }
            let end = start.unwrap_or(0) + len;
            let w = b.within(start, end);
            let exact: CustomerSet = records
                .iter()
                .filter(|(t, _)| start.is_none_or(|s| *t >= s) && *t < end)
                .map(|(_, c)| *c)
                .collect();
            prop_assert!(w.sure.is_subset(&exact), "sure {:?} exact {:?}", w.sure, exact);
            prop_assert!(exact.is_subset(&(&w.sure | &w.maybe)));
            prop_assert!(w.sure.is_disjoint(&w.maybe));
        }
    }

    #[test]
    fn a_union_merges_buckets() {
        let mut a = CustomerBuckets::default();
        a.add(0, 1);
        a.add(3 * LENGTH, 2);
        let mut b = CustomerBuckets::default();
        b.add(5, 3);
        b.add(-LENGTH, 4);
        a.union_with(&b);
        let all = a.within(None, i64::MAX);
        assert_eq!(all.sure.iter().collect::<Vec<_>>(), [1, 2, 3, 4]);
        // The first bucket holds 0 and 5: partly inside from 1 on.
        let edge = a.within(Some(1), 4 * LENGTH);
        assert_eq!(edge.sure.iter().collect::<Vec<_>>(), [2]);
        assert_eq!(edge.maybe.iter().collect::<Vec<_>>(), [1, 3]);
        // From 0, all of it is inside; a window ending at 3·LENGTH leaves
        // out customer 2's bucket, and one ending at 3 cuts the first.
        assert_eq!(
            a.within(Some(0), 3 * LENGTH)
                .sure
                .iter()
                .collect::<Vec<_>>(),
            [1, 3]
        );
        let cut = a.within(Some(0), 3);
        assert!(cut.sure.is_empty());
        assert_eq!(cut.maybe.iter().collect::<Vec<_>>(), [1, 3]);
    }
}
