//! Each customer's orders, for reading a few customers without scanning
//! every order: the clustered runs of [`crate::tables::order_customers`] (with the
//! orders appended since listed by customer), or, before clustering,
//! compressed rows over the table.

use crate::tables::order_customers::OrderCustomers;

/// Orders grouped by customer, for the orders not in the clustered runs
/// (see [`crate::tables::order_customers`]): before clustering, compressed rows
/// (customer `c`'s orders are `orders[start[c]..start[c + 1]]`, in table
/// order); after, only the orders appended since, by customer (`later`),
/// so a catch-up does not rebuild anything.
#[derive(Debug, Default, Clone)]
pub struct CustomerOrders {
    pub(crate) start: Vec<u32>,
    pub(crate) orders: Vec<u32>,
    pub(crate) later: std::collections::HashMap<u32, Vec<u32>>,
    /// The table is clustered and every customer's run is in ascending
    /// order of time (as a store that records orders as they are placed
    /// delivers them), so a reader of recent orders can stop early.
    pub(crate) time_sorted: bool,
}

/// Each customer's orders: the clustered runs, or the index's rows, plus
/// the orders added since (see [`crate::tables::orders::OrderTables::by_customer`]).
#[derive(Debug, Clone, Copy)]
pub struct ByCustomer<'a> {
    /// Customer `c`'s run (or rows) is `start[c]..start[c + 1]`.
    start: &'a [u32],
    /// The rows, before clustering (empty: `start` gives runs).
    rows: &'a [u32],
    later: &'a std::collections::HashMap<u32, Vec<u32>>,
    time_sorted: bool,
}

/// Where one customer's orders are (see [`ByCustomer::parts`]).
pub struct CustomerRun<'a> {
    /// A run of the clustered table (empty when it is not clustered).
    pub run: std::ops::Range<u32>,
    /// Whether `run` is in ascending order of time.
    pub time_sorted: bool,
    /// The orders in table order, when the table is not clustered.
    pub rows: &'a [u32],
    /// Orders added after the index was built.
    pub later: &'a [u32],
}

impl<'a> ByCustomer<'a> {
    /// The orders of customer `c` (void ones included: callers test `live`).
    pub fn of(self, c: u32) -> impl Iterator<Item = u32> + 'a {
        let p = self.parts(c);
        p.run
            .chain(p.rows.iter().copied())
            .chain(p.later.iter().copied())
    }

    /// Asks for the cache line where customer `c`'s orders start.
    #[inline(always)]
    pub fn prefetch(self, c: u32) {
        crate::columns::prefetch::prefetch(self.start, c as usize + 1);
    }

    /// The orders of customer `c`, by where they are held.
    #[inline]
    pub fn parts(self, c: u32) -> CustomerRun<'a> {
        let i = c as usize;
        let (s, e) = match (self.start.get(i), self.start.get(i + 1)) {
            (Some(s), Some(e)) => (*s, *e),
            _ => (0, 0),
        };
        let (run, rows) = if self.rows.is_empty() {
            (s..e, &[][..])
        } else {
            (0..0, &self.rows[s as usize..e as usize])
        };
        CustomerRun {
            run,
            time_sorted: self.time_sorted,
            rows,
            // Most indexes have no later orders: no hashing per customer.
            later: if self.later.is_empty() {
                &[]
            } else {
                self.later.get(&c).map_or(&[][..], Vec::as_slice)
            },
        }
    }

    /// The orders of customer `c` that may be placed at or after `since`
    /// (in a time-sorted run, only those; otherwise all of them).
    pub fn since(
        self,
        c: u32,
        since: i64,
        time: &'a crate::I64Column,
    ) -> impl Iterator<Item = u32> + 'a {
        let p = self.parts(c);
        let mut run = p.run;
        if p.time_sorted && since != i64::MIN {
            // Backwards from the newest: a recent window stops after a few.
            let mut first = run.end;
            while first > run.start && time.get(first as usize - 1) >= since {
                first -= 1;
            }
            run.start = first;
        }
        run.chain(p.rows.iter().copied())
            .chain(p.later.iter().copied())
    }

    /// Whether customer `c` has an order that `passes` among those it may
    /// have placed at or after `since`: the orders of a time-sorted run
    /// are read newest first and the reading stops before `since`; all
    /// others are read.
    #[inline]
    pub fn any_since(
        self,
        c: u32,
        since: i64,
        time: &crate::I64Column,
        passes: impl Fn(u32) -> bool,
    ) -> bool {
        self.parts(c).any_since(since, |o| time.get(o), passes)
    }
}

impl CustomerRun<'_> {
    /// Whether an order that `passes` is among these, where no order
    /// before `since` can pass: a time-sorted run is read newest first and
    /// the reading stops before `since` (`time` gives an order's instant);
    /// everything else is read.
    #[inline]
    pub fn any_since(
        &self,
        since: i64,
        time: impl Fn(usize) -> i64,
        passes: impl Fn(u32) -> bool,
    ) -> bool {
        let in_run = if self.time_sorted {
            self.run
                .clone()
                .rev()
                .take_while(|&o| time(o as usize) >= since)
                .any(&passes)
        } else {
            self.run.clone().any(&passes)
        };
        in_run || self.rows.iter().any(|&o| passes(o)) || self.later.iter().any(|&o| passes(o))
    }
}

impl CustomerOrders {
    /// Groups the orders of `order_customers` (each order's customer)
    /// by customer, for `customers` customers; `time` is the orders' time
    /// column (clustered runs in time order need no sorting per customer).
    pub(crate) fn build(
        order_customers: &OrderCustomers,
        time: &crate::I64Column,
        customers: u32,
    ) -> Self {
        let runs = order_customers.runs();
        let mut later: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        if !runs.is_empty() {
            // Clustered: the runs are the index; the orders after them
            // are listed by customer.
            let first = order_customers.len() - order_customers.rest().len();
            for (i, c) in order_customers.rest().iter().enumerate() {
                later.entry(*c).or_default().push((first + i) as u32);
            }
            let time_sorted = runs.windows(2).all(|w| {
                (w[0] as usize + 1..w[1] as usize).all(|o| time.get(o - 1) <= time.get(o))
            });
            return CustomerOrders {
                later,
                time_sorted,
                ..Default::default()
            };
        }
        let column = order_customers.rest();
        let mut start = vec![0u32; customers as usize + 1];
        for c in column {
            start[*c as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut orders = vec![0u32; column.len()];
        for (o, c) in column.iter().enumerate() {
            orders[next[*c as usize] as usize] = o as u32;
            next[*c as usize] += 1;
        }
        CustomerOrders {
            start,
            orders,
            later,
            time_sorted: false,
        }
    }

    /// The index as read: over the clustered `runs` when there are any.
    pub(crate) fn view<'a>(&'a self, runs: &'a [u32]) -> ByCustomer<'a> {
        if runs.is_empty() {
            ByCustomer {
                start: &self.start,
                rows: &self.orders,
                later: &self.later,
                time_sorted: false,
            }
        } else {
            ByCustomer {
                start: runs,
                rows: &[],
                later: &self.later,
                time_sorted: self.time_sorted,
            }
        }
    }
}
