//! Retention of what is kept only to de-duplicate or to wait: applied
//! Shopify deliveries (their raw bodies and webhook ids), seen tracking
//! `messageId`s and the events of visitors known only by an `anonymousId`.
//! Each is dropped once older than its setting
//! (`shopify_webhook_retention_days`, `tracking_message_id_retention_days`,
//! `anonymous_event_retention_days`).
//!
//! Decisions:
//! - A delivery still waiting to be applied is never dropped, however old:
//!   it is data not yet in the store. An applied one is aged from when it
//!   was applied; with it goes its webhook id, so a retry after the
//!   retention would be applied again — the default (7 days) is far beyond
//!   Shopify's retries (8 over 4 hours), and an older `updated_at` is still
//!   refused by `source_versions`, which is kept.
//! - The message id default (7 days) is beyond Segment's own de-duplication
//!   window (at least 24 hours of messageIds, "Handling Duplicate Data"),
//!   so a client retrying for as long as Segment would is still caught.
//! - Anonymous events wait 30 days by default: a visitor who has not
//!   signed in or bought within a month is rarely joined later, and events
//!   of nobody known should not be kept longer than they can serve.
//!   The join of an anonymous id to its customer (`anonymous_ids`) is kept:
//!   it is the customer's, and later events of that browser need it.
//! - Rows from before retention existed carry no time; the first prune
//!   stamps them with its now, so they are kept a whole period from then.
//! - Rows go in chunks, each its own statement, so a prune never holds the
//!   write lock long enough to delay the tracking API noticeably.

use crate::error::StoreError;
use crate::schema::time::to_nanos;
use crate::store::Store;
use flokk_model::Timestamp;
use serde::Serialize;

/// Rows dropped per statement.
const CHUNK: i64 = 5_000;

/// What a prune dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    /// Applied Shopify deliveries (body and webhook id).
    pub shopify_deliveries: u64,
    /// Remembered tracking `messageId`s.
    pub message_ids: u64,
    /// Waiting events of anonymous visitors.
    pub anonymous_events: u64,
}

impl Pruned {
    /// Whether nothing was dropped.
    pub fn is_empty(&self) -> bool {
        *self == Pruned::default()
    }
}

impl Store {
    /// The instant `days` (a retention setting `key`) before `now`, in
    /// nanoseconds.
    fn retention_cutoff(&self, key: &str, now: i64) -> Result<i64, StoreError> {
        let days: i64 = self.settings().get(key)?.parse().unwrap_or(7);
        Ok(now.saturating_sub(days.saturating_mul(86_400_000_000_000)))
    }

    /// Deletes, chunk by chunk, the rows `select` (with `?1` the cutoff and
    /// `?2` the chunk size) names in `delete`'s `IN (...)`.
    fn delete_in_chunks(&self, delete: &str, cutoff: i64) -> Result<u64, StoreError> {
        let mut total = 0u64;
        loop {
            let n = self
                .conn
                .prepare_cached(delete)?
                .execute(rusqlite::params![cutoff, CHUNK])?;
            total += n as u64;
            if (n as i64) < CHUNK {
                return Ok(total);
            }
        }
    }

    /// Drops the inbound data older than its retention as of `now` (see the
    /// module doc): what was dropped.
    pub fn prune_inbound(&self, now: Timestamp) -> Result<Pruned, StoreError> {
        let now = to_nanos(now).unwrap_or(0);
        self.conn.execute(
            "UPDATE seen_messages SET seen_at = ?1 WHERE seen_at IS NULL",
            [now],
        )?;
        self.conn.execute(
            "UPDATE anonymous_events SET kept_at = ?1 WHERE kept_at IS NULL",
            [now],
        )?;
        let deliveries = self.retention_cutoff("shopify_webhook_retention_days", now)?;
        let messages = self.retention_cutoff("tracking_message_id_retention_days", now)?;
        let anonymous = self.retention_cutoff("anonymous_event_retention_days", now)?;
        Ok(Pruned {
            shopify_deliveries: self.delete_in_chunks(
                "DELETE FROM inbound_deliveries WHERE seq IN (
                     SELECT seq FROM inbound_deliveries
                     WHERE applied_at IS NOT NULL AND applied_at < ?1 LIMIT ?2)",
                deliveries,
            )?,
            message_ids: self.delete_in_chunks(
                "DELETE FROM seen_messages WHERE (source, message_id) IN (
                     SELECT source, message_id FROM seen_messages WHERE seen_at < ?1 LIMIT ?2)",
                messages,
            )?,
            anonymous_events: self.delete_in_chunks(
                "DELETE FROM anonymous_events WHERE seq IN (
                     SELECT seq FROM anonymous_events WHERE kept_at < ?1 LIMIT ?2)",
                anonymous,
            )?,
        })
    }
}
