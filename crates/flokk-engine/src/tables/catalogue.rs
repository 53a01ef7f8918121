//! Venues, productions and performances, resolved when a ticket query runs
//! (a performance may become known after the tickets for it).

use crate::columns::interner::Sym;
use std::collections::HashMap;

/// A performance as ticket queries need it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PerformanceInfo {
    /// Production symbol.
    pub production: Sym,
    /// Venue symbol.
    pub venue: Sym,
    /// Start (seconds).
    pub starts_at: i64,
}

/// The ticketing catalogue.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Catalogue {
    /// Performances by id symbol.
    pub performances: HashMap<Sym, PerformanceInfo>,
    /// Venue coordinates by id symbol.
    pub venues: HashMap<Sym, Option<(f64, f64)>>,
    /// Known production ids.
    pub productions: HashMap<Sym, String>,
}

impl crate::columns::heap_size::HeapSize for PerformanceInfo {
    fn heap_bytes(&self) -> usize {
        0
    }
}

impl crate::columns::heap_size::HeapSize for Catalogue {
    fn heap_bytes(&self) -> usize {
        self.performances.heap_bytes() + self.venues.heap_bytes() + self.productions.heap_bytes()
    }
}
