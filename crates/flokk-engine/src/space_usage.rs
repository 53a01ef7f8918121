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
use crate::interner::Interner;
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};

/// Heap bytes owned by a value (not counting the value itself).
pub trait HeapSize {
    /// The heap bytes this value owns.
    fn heap_bytes(&self) -> usize;
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl HeapSize for $t {
            fn heap_bytes(&self) -> usize {
                0
            }
        }
    )*};
}
plain!(
    u8,
    u16,
    u32,
    u64,
    i32,
    i64,
    f64,
    bool,
    (i32, i32),
    (u32, u32),
    (f64, f64)
);

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap_bytes(&self) -> usize {
        self.as_ref().map_or(0, HeapSize::heap_bytes)
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_bytes(&self) -> usize {
        self.capacity() * size_of::<T>() + self.iter().map(HeapSize::heap_bytes).sum::<usize>()
    }
}

impl HeapSize for Box<str> {
    fn heap_bytes(&self) -> usize {
        self.len()
    }
}

impl HeapSize for String {
    fn heap_bytes(&self) -> usize {
        self.capacity()
    }
}

impl<K: HeapSize, V: HeapSize, S> HeapSize for HashMap<K, V, S> {
    fn heap_bytes(&self) -> usize {
        // hashbrown: one control byte per bucket besides the slot; buckets
        // are the capacity rounded up to a power of two over 7/8.
        let buckets = if self.capacity() == 0 {
            0
        } else {
            (self.capacity() * 8 / 7).next_power_of_two()
        };
        buckets * (size_of::<(K, V)>() + 1)
            + self
                .iter()
                .map(|(k, v)| k.heap_bytes() + v.heap_bytes())
                .sum::<usize>()
    }
}

impl<K: HeapSize, V: HeapSize> HeapSize for BTreeMap<K, V> {
    fn heap_bytes(&self) -> usize {
        // B-tree nodes hold up to 11 entries; count each entry with a share
        // of its node's overhead.
        self.len() * (size_of::<(K, V)>() + 8)
            + self
                .iter()
                .map(|(k, v)| k.heap_bytes() + v.heap_bytes())
                .sum::<usize>()
    }
}

impl HeapSize for RoaringBitmap {
    fn heap_bytes(&self) -> usize {
        // roaring 0.12's statistics count an array container's capacity in
        // 4-byte units (its values are 2 bytes) and a bitmap container in
        // bits; converted here. Each container is also a 32-byte struct in
        // the bitmap's vector. That vector's spare capacity (it grows by
        // doubling while members are inserted) is not visible from outside
        // and not counted: the engine's bitmaps are rewritten without it
        // after a bulk build ([`crate::tight_bitmap`]).
        let s = self.statistics();
        s.n_containers as usize * 32
            + s.n_bytes_array_containers as usize / 2
            + s.n_bitset_containers as usize * 8192
            + s.n_bytes_run_containers as usize
    }
}

impl HeapSize for Interner {
    fn heap_bytes(&self) -> usize {
        // The strings are held twice: once as the map's keys, once by id.
        let strings: usize = self.iter().map(|(_, s)| s.len()).sum();
        let map_buckets = (self.len() * 8 / 7 + 1).next_power_of_two();
        2 * strings + self.len() * size_of::<Box<str>>() + map_buckets * (16 + 4 + 1)
    }
}

/// What a table's size grows with, which decides the part of design.md's
/// memory allowance it is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Part {
    /// The number of customers: at most 100 bytes a customer together.
    Customers,
    /// The number of order lines (orders, lines and their indexes): at
    /// most 24 bytes a line together.
    OrderLines,
    /// The number of checkouts and email, storefront and custom events.
    /// design.md's allowance names only customers and order lines; flokk
    /// holds an event to what an order line may cost, 24 bytes (see
    /// ARCHITECTURE.md, "Memory").
    Events,
    /// Neither (the catalogue, interned strings): small and fixed.
    Shared,
}

impl Part {
    /// The allowance per unit, in bytes (none for [`Part::Shared`]).
    pub fn allowance(self) -> Option<usize> {
        match self {
            Part::Customers => Some(100),
            Part::OrderLines | Part::Events => Some(24),
            Part::Shared => None,
        }
    }
}

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
        self.orders.space_usage(&mut |t, p, b| u.add(t, p, b));
        let a = &self.activity;
        u.add("checkouts", Part::Events, a.checkouts.heap_bytes());
        u.add("email_events", Part::Events, a.email.heap_bytes());
        u.add("storefront_events", Part::Events, a.storefront.heap_bytes());
        u.add("custom_events", Part::Events, a.custom.heap_bytes());
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
