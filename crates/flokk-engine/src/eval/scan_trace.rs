//! Which way MATCHES over orders read its records, counted per thread so
//! tests can tell the paths apart (`tests/scan_paths.rs`): one count per
//! decision, never per record, so it costs nothing measurable.

use std::cell::Cell;

/// How many times each path answered since the last [`take_scan_trace`]
/// on this thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScanTrace {
    /// Orders read customer by customer (few customers in play).
    pub per_customer: u32,
    /// One pass over every order (many in play).
    pub all_orders: u32,
    /// An existence question answered from the first/last-order and
    /// latest-purchase indexes, without tallies.
    pub existence: u32,
}

thread_local! {
    static TRACE: Cell<ScanTrace> = const {
        Cell::new(ScanTrace {
            per_customer: 0,
            all_orders: 0,
            existence: 0,
        })
    };
}

/// The paths taken on this thread since the last call, and a fresh count.
pub fn take_scan_trace() -> ScanTrace {
    TRACE.with(Cell::take)
}

/// Counts one decision.
pub(crate) fn note(path: impl FnOnce(&mut ScanTrace)) {
    TRACE.with(|t| {
        let mut now = t.get();
        path(&mut now);
        t.set(now);
    });
}
