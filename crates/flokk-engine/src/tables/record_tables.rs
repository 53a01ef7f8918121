//! The record tables together, borrowed: what the columns derived from
//! the records (aggregates, purchase histories, predictions) are computed
//! from. The engine holds the tables and hands out this view
//! ([`crate::Engine::tables`]), so nothing below the engine needs the
//! engine itself.

use crate::tables::activity::Activity;
use crate::tables::customers::Customers;
use crate::tables::orders::OrderTables;

/// Every record table, borrowed (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct RecordTables<'a> {
    /// Customer attributes.
    pub customers: &'a Customers,
    /// Orders and lines.
    pub orders: &'a OrderTables,
    /// Checkouts and events.
    pub activity: &'a Activity,
}
