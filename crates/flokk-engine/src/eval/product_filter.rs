//! The record filters of a `products_purchased`, decided once per order
//! and once per line shape, and the passes that apply them: one over every
//! order (branch-free, into a bit vector of customers) or one over a few
//! customers' runs (newest first, asking for memory ahead).

use super::condition::TimeTest;
use super::customer_runs::{Ahead, each_customer};
use crate::CustomerSet;
use crate::columns::i64_column::I64Slice;
use crate::columns::uint_column::UintSlice;
use crate::indexes::key_buckets::LineKey;
use crate::tables::order_customers::OrderCustomers;
use crate::tables::orders::ByCustomer;

/// The record filters of a `products_purchased`, decided per order (live
/// as of now, in the `date` window) and per line (its shape passes the
/// `id`, `tag`, `category` and `vendor` filters).
pub(super) struct ProductFilter<'e> {
    pub(super) tables: &'e crate::tables::orders::OrderTables,
    pub(super) now: i64,
    /// The `date` filter.
    pub date: Option<TimeTest>,
    /// Whether each line shape passes (`None`: no line filter).
    pub shapes: Option<Vec<bool>>,
    /// The narrowest keyed filter, for the customers-by-latest-purchase
    /// index.
    pub keyed: Option<Keyed>,
}

/// A `=`/IN filter on `id`, `tag`, `category` or `vendor` as index keys.
pub(super) struct Keyed {
    /// The keys (any of them).
    pub keys: Vec<LineKey>,
    /// Whether it is the only line filter (then the index's sure
    /// customers pass it without a look at their lines).
    pub alone: bool,
}

impl ProductFilter<'_> {
    /// The first instant a line that counts may have (`i64::MIN`: any).
    pub fn since(&self) -> i64 {
        self.date.map_or(i64::MIN, |d| d.earliest())
    }

    /// Whether order `o` may hold lines that count.
    #[inline(always)]
    pub fn order(&self, o: u32) -> bool {
        self.tables.live(o, self.now)
            && self
                .date
                .is_none_or(|t| t.holds(self.tables.orders.time.get(o as usize)))
    }

    /// Whether line `l` (of an order that passes) counts.
    #[inline(always)]
    pub fn line(&self, l: u32) -> bool {
        self.shapes
            .as_ref()
            .is_none_or(|s| s[self.tables.products.shape.get(l as usize) as usize])
    }
}

impl ProductFilter<'_> {
    fn pass(&self) -> OrderPass<'_> {
        let orders = &self.tables.orders;
        OrderPass {
            flags: &orders.flags,
            customers: &orders.customers,
            first_line: &self.tables.first_line,
            shapes: self.shapes.as_deref(),
            now: self.now,
            date: self.date,
        }
    }

    /// Sets, in `bits` (a bit per customer ordinal), the bit of the
    /// customer of every order that has a line that counts: one pass over
    /// every order, without a branch on any value.
    pub fn mark_customers(&self, bits: &mut [u8]) {
        let tables = self.tables;
        let pass = self.pass();
        crate::i64_slice!(&tables.orders.time, time => {
            crate::uint_slice!(&tables.products.shape, shape => pass.mark(time, shape, bits))
        })
    }

    /// The customers of `customers` with an order that has a line that
    /// counts, reading each one's orders (newest first in a time-sorted
    /// run, which stops before `since`: no order before it counts).
    pub fn customers_among(
        &self,
        customers: &CustomerSet,
        by_customer: ByCustomer<'_>,
        since: i64,
    ) -> CustomerSet {
        let tables = self.tables;
        let pass = self.pass();
        crate::i64_slice!(&tables.orders.time, time => {
            crate::uint_slice!(&tables.products.shape, shape => {
                pass.among(time, shape, customers, by_customer, since)
            })
        })
    }
}

/// The columns a pass of a [`ProductFilter`] reads.
struct OrderPass<'e> {
    flags: &'e [u8],
    customers: &'e OrderCustomers,
    first_line: &'e [u32],
    shapes: Option<&'e [bool]>,
    now: i64,
    date: Option<TimeTest>,
}

impl OrderPass<'_> {
    /// Whether order `o` has a line that counts, tested without a branch
    /// on any value (each test goes either way at random).
    #[inline(always)]
    fn counts<T: I64Slice, S: UintSlice>(&self, time: T, shape: S, o: usize) -> bool {
        let t = time.at(o);
        let (start, end) = (self.first_line[o] as usize, self.first_line[o + 1] as usize);
        let any = match self.shapes {
            None => start < end,
            Some(pass) => (start..end).fold(false, |any, l| any | pass[shape.at(l) as usize]),
        };
        let in_window = self.date.is_none_or(|d| d.range.contains(t) != d.outside);
        let live = self.flags[o] & crate::tables::orders::VOID == 0;
        any & (t <= self.now) & live & in_window
    }

    fn mark<T: I64Slice, S: UintSlice>(&self, time: T, shape: S, bits: &mut [u8]) {
        self.customers.for_each_from(0, |o, c| {
            let counts = self.counts(time, shape, o);
            bits[c as usize >> 3] |= u8::from(counts) << (c & 7);
        });
    }

    fn among<T: I64Slice, S: UintSlice>(
        &self,
        time: T,
        shape: S,
        customers: &CustomerSet,
        by_customer: ByCustomer<'_>,
        since: i64,
    ) -> CustomerSet {
        let counts = |o: u32| self.counts(time, shape, o as usize);
        let ahead = PassAhead {
            pass: self,
            time,
            shape,
        };
        let mut found = Vec::new();
        each_customer(customers, by_customer, &ahead, |c, p| {
            if p.any_since(since, |o| time.at(o), counts) {
                found.push(c);
            }
        });
        CustomerSet::from_sorted_iter(found).expect("ascending")
    }
}

/// What [`OrderPass::among`] reads of an order.
struct PassAhead<'p, T, S> {
    pass: &'p OrderPass<'p>,
    time: T,
    shape: S,
}

impl<T: I64Slice, S: UintSlice> Ahead for PassAhead<'_, T, S> {
    fn order(&self, o: usize) {
        self.time.prefetch(o);
        crate::columns::prefetch::prefetch(self.pass.flags, o);
        crate::columns::prefetch::prefetch(self.pass.first_line, o);
    }

    fn lines(&self, o: usize) {
        self.shape.prefetch(self.pass.first_line[o] as usize);
    }
}
