//! Which customer each order belongs to.
//!
//! Before the order table is clustered by customer this is a column, four
//! bytes an order. Clustered ([`crate::Engine::compact`]), customer `c`'s
//! orders are the run `runs[c]..runs[c + 1]`, so the runs say it for four
//! bytes a customer instead: two to eleven times less on the demo's shapes,
//! and the same runs are the orders-by-customer index
//! ([`crate::tables::orders::OrderTables::by_customer`]), which no longer needs a
//! copy. Orders appended after clustering (a catch-up) get a column entry
//! again (`rest`), until the next rebuild.
//!
//! A pass over every order reads the runs sequentially
//! ([`OrderCustomers::for_each_from`]); a single order's customer is a
//! binary search over the runs ([`OrderCustomers::get`]), for the few
//! readers that come to an order from elsewhere (a ticket line).

/// The customer of every order (see the module doc).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderCustomers {
    /// Customer `c`'s orders are `runs[c]..runs[c + 1]`, for the first
    /// `runs.last()` orders; empty before clustering.
    #[serde(with = "crate::columns::column_bytes")]
    runs: Vec<u32>,
    /// The customer of each order after those (every order before
    /// clustering).
    #[serde(with = "crate::columns::column_bytes")]
    rest: Vec<u32>,
}

impl OrderCustomers {
    /// How many orders there are.
    pub fn len(&self) -> usize {
        self.clustered() + self.rest.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many orders the runs cover.
    fn clustered(&self) -> usize {
        self.runs.last().map_or(0, |e| *e as usize)
    }

    /// Notes the customer of the next order.
    pub fn push(&mut self, c: u32) {
        self.rest.push(c);
    }

    /// The customer of order `o`.
    pub fn get(&self, o: usize) -> u32 {
        let clustered = self.clustered();
        if o >= clustered {
            return self.rest[o - clustered];
        }
        // The last customer whose run starts at or before `o`.
        (self.runs.partition_point(|s| *s as usize <= o) - 1) as u32
    }

    /// Calls `f` with every order from `from` on and its customer, in
    /// order of the table.
    #[inline]
    pub fn for_each_from(&self, from: usize, mut f: impl FnMut(usize, u32)) {
        let clustered = self.clustered();
        if from < clustered {
            let mut c = self.runs.partition_point(|s| *s as usize <= from) - 1;
            let mut o = from;
            while o < clustered {
                let end = self.runs[c + 1] as usize;
                while o < end {
                    f(o, c as u32);
                    o += 1;
                }
                c += 1;
            }
        }
        let skip = from.saturating_sub(clustered);
        for (i, &c) in self.rest.iter().enumerate().skip(skip) {
            f(clustered + i, c);
        }
    }

    /// Every order's customer, as a column.
    pub fn to_column(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each_from(0, |_, c| out.push(c));
        out
    }

    /// Whether every customer's orders are one run, in ascending order of
    /// customer.
    pub fn is_clustered(&self) -> bool {
        self.rest.is_empty() || (self.runs.is_empty() && self.rest.is_sorted())
    }

    /// The runs (customer `c`'s orders are `runs[c]..runs[c + 1]`), empty
    /// before clustering; orders from `runs.last()` on are not in them.
    pub fn runs(&self) -> &[u32] {
        &self.runs
    }

    /// The customers of the orders after the runs, from order
    /// `runs.last()` on.
    pub fn rest(&self) -> &[u32] {
        &self.rest
    }

    /// Replaces everything with runs over `customers` customers for a
    /// table whose orders are `column` (ascending by customer).
    pub fn set_runs(&mut self, column: &[u32], customers: usize) {
        debug_assert!(column.is_sorted(), "runs are of a clustered table");
        let mut runs = vec![0u32; customers + 1];
        for &c in column {
            runs[c as usize + 1] += 1;
        }
        for i in 1..runs.len() {
            runs[i] += runs[i - 1];
        }
        self.runs = runs;
        self.rest = Vec::new();
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.runs.shrink_to_fit();
        self.rest.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for OrderCustomers {
    fn heap_bytes(&self) -> usize {
        (self.runs.capacity() + self.rest.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Runs and a column give every order the same customer, however
        /// many orders were appended after clustering.
        #[test]
        fn runs_and_column_agree(
            mut clustered in proptest::collection::vec(0u32..30, 0..80),
            appended in proptest::collection::vec(0u32..40, 0..20),
            from in 0usize..120,
        ) {
            clustered.sort_unstable();
            let mut each = OrderCustomers::default();
            clustered.iter().chain(&appended).for_each(|c| each.push(*c));
            let mut runs = OrderCustomers::default();
            runs.set_runs(&clustered, 30);
            appended.iter().for_each(|c| runs.push(*c));
            let want: Vec<u32> = clustered.iter().chain(&appended).copied().collect();
            prop_assert_eq!(runs.len(), want.len());
            prop_assert_eq!(runs.to_column(), want.clone());
            for (o, c) in want.iter().enumerate() {
                prop_assert_eq!(runs.get(o), *c);
                prop_assert_eq!(each.get(o), *c);
            }
            let mut seen = Vec::new();
            runs.for_each_from(from, |o, c| seen.push((o, c)));
            let expected: Vec<(usize, u32)> = want.iter().copied().enumerate().skip(from).collect();
            prop_assert_eq!(seen, expected);
            prop_assert_eq!(runs.is_clustered(), appended.is_empty());
        }
    }
}
