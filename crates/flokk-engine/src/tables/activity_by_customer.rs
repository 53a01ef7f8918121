//! The rows of an activity table (checkouts, email, storefront and custom
//! events) grouped by customer, so that the work for a few customers — a
//! write's catch-up voiding their old events, a segment re-evaluated for
//! the customers a write touched — is proportional to their rows, not to
//! the table. Built on first such use (a store that is only read in bulk
//! never pays for it: about four bytes a row) and kept current by every
//! row appended after, like the orders' by-customer index.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Row numbers by customer ordinal: the rows present when it was built in
/// one array, the ones appended since in a map.
#[derive(Debug, Default, Clone)]
pub struct RowsByCustomer {
    /// `rows[start[c]..start[c + 1]]` are customer `c`'s rows at the build.
    start: Vec<u32>,
    rows: Vec<u32>,
    /// Rows appended after the build, per customer.
    later: HashMap<u32, Vec<u32>>,
}

impl RowsByCustomer {
    /// Groups the rows of a table whose row `i` belongs to `customers[i]`.
    fn build(customers: &[u32]) -> Self {
        let n = customers.iter().max().map_or(0, |&c| c as usize + 1);
        let mut start = vec![0u32; n + 1];
        for &c in customers {
            start[c as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![0u32; customers.len()];
        for (i, &c) in customers.iter().enumerate() {
            rows[next[c as usize] as usize] = i as u32;
            next[c as usize] += 1;
        }
        RowsByCustomer {
            start,
            rows,
            later: HashMap::new(),
        }
    }

    /// Customer `c`'s rows, ascending (table order).
    pub fn of(&self, c: u32) -> impl Iterator<Item = u32> + '_ {
        let c = c as usize;
        let base = match (self.start.get(c), self.start.get(c + 1)) {
            (Some(&s), Some(&e)) => &self.rows[s as usize..e as usize],
            _ => &[],
        };
        base.iter()
            .copied()
            .chain(self.later.get(&(c as u32)).into_iter().flatten().copied())
    }
}

/// The index a table holds: empty until first asked for.
#[derive(Debug, Default, Clone)]
pub struct RowsIndex(OnceLock<RowsByCustomer>);

impl RowsIndex {
    /// The index of a table whose row `i` belongs to `customers[i]`.
    pub fn get(&self, customers: &[u32]) -> &RowsByCustomer {
        self.0.get_or_init(|| RowsByCustomer::build(customers))
    }

    /// Notes row `row` of customer `c`, appended (when the index is built).
    pub fn push(&mut self, c: u32, row: u32) {
        if let Some(index) = self.0.get_mut() {
            index.later.entry(c).or_default().push(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_per_customer_in_table_order() {
        let mut customers = vec![2, 0, 2, 5, 0];
        let mut index = RowsIndex::default();
        let rows = |index: &RowsIndex, customers: &[u32], c| -> Vec<u32> {
            index.get(customers).of(c).collect()
        };
        assert_eq!(rows(&index, &customers, 2), [0, 2]);
        assert_eq!(rows(&index, &customers, 1), Vec::<u32>::new());
        // Appended after the build, for a known and a new customer.
        for c in [0, 9] {
            index.push(c, customers.len() as u32);
            customers.push(c);
        }
        assert_eq!(rows(&index, &customers, 0), [1, 4, 5]);
        assert_eq!(rows(&index, &customers, 9), [6]);
        assert_eq!(rows(&index, &customers, 42), Vec::<u32>::new());
    }
}
