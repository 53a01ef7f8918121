//! Heap-size accounting: what a container owns on the heap, and what a
//! table's size grows with. Every column and table reports its bytes
//! through [`HeapSize`]; the engine adds them up table by table
//! (`crate::space_usage`).

use crate::columns::interner::Interner;
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
    flokk_model::Money,
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
        // after a bulk build ([`crate::columns::tight_bitmap`]).
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
