//! How long the lists on one record may be.
//!
//! Shopify allows 250 tags on a customer; flokk allows more, but not
//! without bound: every list element is a string or a row in the store and
//! an entry in the engine's indexes, so a record of a million tags would
//! cost the whole store. Together with the line limit of the NDJSON reader
//! (1 MiB) these bound the memory one record may take.

use crate::RecordError;

/// The most tags, permissions or companies one customer, order or line
/// may carry.
pub const MAX_LIST_ITEMS: usize = 1_000;
/// The most addresses one customer may have.
pub const MAX_ADDRESSES: usize = 100;
/// The most lines one order may have.
pub const MAX_ORDER_LINES: usize = 10_000;
/// The most properties one record may carry.
pub const MAX_PROPERTIES: usize = 1_000;

/// Refuses a list longer than `max`.
pub(crate) fn check_len(field: &str, len: usize, max: usize) -> Result<(), RecordError> {
    if len > max {
        return Err(RecordError::invalid(
            field,
            format!("{len} items is more than the {max} one record may have"),
        ));
    }
    Ok(())
}
