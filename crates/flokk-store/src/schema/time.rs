//! Instants are stored as INTEGER nanoseconds since the Unix epoch, which
//! keeps every instant an RFC 3339 input can carry (so a dump re-imports to
//! an identical store) and sorts numerically.

use crate::error::StoreError;
use jiff::Timestamp;

/// The stored form of an instant, or `None` outside 1677–2262.
pub(crate) fn to_nanos(t: Timestamp) -> Option<i64> {
    i64::try_from(t.as_nanosecond()).ok()
}

/// Reads a stored instant back.
pub(crate) fn from_nanos(n: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_nanosecond(n as i128)
        .map_err(|e| StoreError::Corrupt(format!("instant {n} out of range: {e}")))
}
