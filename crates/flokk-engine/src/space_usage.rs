//! How much memory the engine's tables hold, table by table (in the
//! manner of tantivy's `space_usage`): the figure an operator sizes a
//! machine by, and the breakdown that says which table to make smaller.
//!
//! Counts are of heap bytes a table owns (a vector's capacity, a map's
//! buckets and what its keys and values own, a bitmap's containers), not
//! of what the allocator adds on top; they are meant to be within a few per
//! cent of the resident memory the tables cause, which
//! `scripts/bench-memory` measures from the outside.

use crate::Engine;
pub use crate::columns::heap_size::{HeapSize, Part};

/// One table's share.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableSpace {
    /// What the table is (`orders`, `customers.tags`, ...).
    pub table: &'static str,
    /// What it grows with.
    pub part: Part,
    /// Heap bytes it holds.
    pub bytes: usize,
}

/// The engine's memory, table by table.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SpaceUsage {
    /// Every table, in the engine's order.
    pub tables: Vec<TableSpace>,
}

impl SpaceUsage {
    /// Every table's bytes added up.
    pub fn total(&self) -> usize {
        self.tables.iter().map(|t| t.bytes).sum()
    }

    fn add(&mut self, table: &'static str, part: Part, bytes: usize) {
        self.tables.push(TableSpace { table, part, bytes });
    }

    /// The bytes of every table of `part`.
    pub fn of(&self, part: Part) -> usize {
        self.tables
            .iter()
            .filter(|t| t.part == part)
            .map(|t| t.bytes)
            .sum()
    }
}

impl std::fmt::Display for SpaceUsage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = |b: usize| b as f64 / f64::from(1 << 20);
        for t in &self.tables {
            writeln!(f, "{:<44} {:>10.1} MiB", t.table, mib(t.bytes))?;
        }
        write!(f, "{:<44} {:>10.1} MiB", "total", mib(self.total()))
    }
}

impl Engine {
    /// The memory the engine's tables hold, table by table, including the
    /// cached now-dependent columns and the lazily built indexes that
    /// exist at the moment.
    pub fn space_usage(&self) -> SpaceUsage {
        let mut u = SpaceUsage::default();
        self.customers
            .space_usage(&mut |t, b| u.add(t, Part::Customers, b));
        u.add(
            "customers.locations",
            Part::Customers,
            self.locations.heap_bytes(),
        );
        self.orders.space_usage(&mut |t, p, b| u.add(t, p, b));
        u.add(
            "customers by last purchase of a line key",
            Part::OrderLines,
            self.key_buckets.heap_bytes(),
        );
        let a = &self.activity;
        u.add("checkouts", Part::Events, a.checkouts.heap_bytes());
        u.add("email_events", Part::Events, a.email.heap_bytes());
        u.add("storefront_events", Part::Events, a.storefront.heap_bytes());
        u.add("custom_events", Part::Events, a.custom.heap_bytes());
        u.add("subscriptions", Part::Events, a.subscriptions.heap_bytes());
        u.add("catalogue", Part::Shared, self.catalogue.heap_bytes());
        u.add("strings", Part::Shared, self.strings.heap_bytes());
        let aggregates = self
            .cache
            .lock()
            .map(|c| c.as_ref().map_or(0, |(_, _, a)| a.heap_bytes()))
            .unwrap_or(0);
        u.add("now-dependent columns", Part::Customers, aggregates);
        u.add(
            "predictions",
            Part::Customers,
            self.predictions_heap_bytes(),
        );
        u
    }
}
