//! Webhook endpoints and their place in the membership feed.
//!
//! The feed is the outbox: an endpoint's `cursor` is the last feed entry it
//! has acknowledged, so nothing is copied and nothing is lost when the
//! process dies between delivery and acknowledgement (the batch is sent
//! again: at least once). A batch in flight is pinned by `batch_to`, so a
//! retry sends exactly the same entries under the same message id, and the
//! receiver can drop the duplicate.
//!
//! Layer 5: reads the segments' feed. May use: `segments`, `store`,
//! `schema`, `error`.

use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::segments::membership::FeedEntry;
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};

pub mod status;

/// A subscribed endpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WebhookEndpoint {
    /// Stable id.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The signing secret (`whsec_` + base64), per Standard Webhooks. Never
    /// serialised: it is shown once, when it is made (`add`, `rotate`), like
    /// an API token.
    #[serde(skip_serializing)]
    pub secret: String,
    /// Segment ids it wants; `None` for all.
    pub segments: Option<Vec<i64>>,
    /// The last feed entry acknowledged.
    pub cursor: u64,
    /// Failed deliveries in a row.
    pub failures: u32,
    /// When the next attempt may be made (after a failure).
    pub next_attempt_at: Option<String>,
    /// When it was disabled, if it was.
    pub disabled_at: Option<String>,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was added.
    pub created_at: String,
}

const COLUMNS: &str = "wid, url, secret, segments, cursor, failures, next_attempt_at, \
                       disabled_at, disabled_reason, last_error, created_at";

fn time(n: Option<i64>) -> Result<Option<String>, StoreError> {
    Ok(n.map(from_nanos).transpose()?.map(|t| t.to_string()))
}

fn endpoint(r: &Row<'_>) -> Result<WebhookEndpoint, StoreError> {
    let segments: Option<String> = r.get(3)?;
    Ok(WebhookEndpoint {
        id: r.get(0)?,
        url: r.get(1)?,
        secret: r.get(2)?,
        segments: segments
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("webhook segments: {e}")))?,
        cursor: r.get::<_, i64>(4)? as u64,
        failures: r.get::<_, i64>(5)? as u32,
        next_attempt_at: time(r.get(6)?)?,
        disabled_at: time(r.get(7)?)?,
        disabled_reason: r.get(8)?,
        last_error: r.get(9)?,
        created_at: time(Some(r.get(10)?))?.unwrap_or_default(),
    })
}

fn nanos(t: Timestamp) -> Result<i64, StoreError> {
    to_nanos(t).ok_or_else(|| StoreError::Invalid(format!("{t} is out of range")))
}

/// A batch to deliver: the entries and the feed position that
/// acknowledging it moves the cursor to.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookBatch {
    /// The entries, in feed order.
    pub entries: Vec<FeedEntry>,
    /// The first feed position after the cursor this batch covers.
    pub from: u64,
    /// The last feed position it covers.
    pub to: u64,
}

impl Store {
    /// Subscribes `url` (http or https) to the changes of `segments` (all
    /// when `None`), starting after the current end of the feed, or from
    /// its beginning with `from_start`.
    pub fn add_webhook(
        &self,
        url: &str,
        segments: Option<Vec<i64>>,
        from_start: bool,
        secret: &str,
        now: Timestamp,
    ) -> Result<WebhookEndpoint, StoreError> {
        let lower = url.to_ascii_lowercase();
        let host = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        if host.is_none_or(|h| h.is_empty() || h.starts_with('/')) {
            return Err(StoreError::Invalid(format!(
                "{url:?} is not an http:// or https:// address"
            )));
        }
        if let Some(ids) = &segments {
            for id in ids {
                let exists: bool = self.conn.query_row(
                    "SELECT EXISTS(SELECT 1 FROM segments WHERE sid = ?1)",
                    [id],
                    |r| r.get(0),
                )?;
                if !exists {
                    return Err(StoreError::NotFound(format!("there is no segment {id}")));
                }
            }
        }
        let cursor: i64 = if from_start {
            0
        } else {
            self.conn.query_row(
                "SELECT coalesce(max(seq), 0) FROM segment_changes",
                [],
                |r| r.get(0),
            )?
        };
        let segments_json = segments
            .as_ref()
            .map(|s| serde_json::to_string(s).expect("ids serialise"));
        let status_cursor = if from_start {
            0
        } else {
            self.last_status_notice()?
        };
        self.conn.execute(
            "INSERT INTO webhook_endpoints(url, secret, segments, cursor, created_at, status_cursor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![url, secret, segments_json, cursor, nanos(now)?, status_cursor],
        )?;
        let id = self.conn.last_insert_rowid();
        self.webhook(id)?
            .ok_or_else(|| StoreError::Corrupt("a webhook vanished".into()))
    }

    /// Every endpoint, by id.
    pub fn webhooks(&self) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM webhook_endpoints ORDER BY wid"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(endpoint(r)?);
        }
        Ok(out)
    }

    /// One endpoint.
    pub fn webhook(&self, id: i64) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE wid = ?1"),
                [id],
                |r| Ok(endpoint(r)),
            )
            .optional()?
            .transpose()
    }

    /// Unsubscribes an endpoint; false when there was none.
    pub fn remove_webhook(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM webhook_endpoints WHERE wid = ?1", [id])?
            > 0)
    }

    /// Replaces endpoint `id`'s signing secret; deliveries from now on are
    /// signed with the new one. False when there is no such endpoint.
    pub fn rotate_webhook_secret(&self, id: i64, secret: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE webhook_endpoints SET secret = ?2 WHERE wid = ?1",
            params![id, secret],
        )? > 0)
    }

    /// Enables a disabled endpoint again (its failures are forgotten; it
    /// resumes at its cursor, so nothing is skipped).
    pub fn enable_webhook(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL,
                 failures = 0, next_attempt_at = NULL WHERE wid = ?1",
            [id],
        )? > 0)
    }

    /// The batch to deliver to endpoint `id` now: the one in flight if a
    /// delivery failed, else up to `limit` entries after the cursor that
    /// the endpoint wants. Entries it does not want are skipped by moving
    /// the cursor past them. `None` when there is nothing to send.
    pub fn webhook_batch(&self, id: i64, limit: u64) -> Result<Option<WebhookBatch>, StoreError> {
        let (cursor, pinned, segments): (i64, Option<i64>, Option<String>) = self.conn.query_row(
            "SELECT cursor, batch_to, segments FROM webhook_endpoints WHERE wid = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let wanted: Option<Vec<i64>> = segments
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("webhook segments: {e}")))?;
        let keep = |e: &FeedEntry| wanted.as_ref().is_none_or(|w| w.contains(&e.segment_id));
        if let Some(to) = pinned {
            let entries: Vec<FeedEntry> = self
                .feed_between(cursor as u64, to as u64)?
                .into_iter()
                .filter(keep)
                .collect();
            return Ok(Some(WebhookBatch {
                entries,
                from: cursor as u64 + 1,
                to: to as u64,
            }));
        }
        let mut entries = Vec::new();
        let mut last = cursor as u64;
        // Read ahead in pages until `limit` wanted entries or the feed's end.
        loop {
            let page = self.feed(last, None, Some(1000))?;
            let at_end = page.len() < 1000;
            for e in page {
                last = e.seq;
                if keep(&e) {
                    entries.push(e);
                    if entries.len() as u64 >= limit {
                        break;
                    }
                }
            }
            if entries.len() as u64 >= limit || at_end {
                break;
            }
        }
        if entries.is_empty() {
            if last > cursor as u64 {
                self.conn.execute(
                    "UPDATE webhook_endpoints SET cursor = ?2 WHERE wid = ?1",
                    params![id, last as i64],
                )?;
            }
            return Ok(None);
        }
        let to = entries.last().map(|e| e.seq).unwrap_or(last);
        self.conn.execute(
            "UPDATE webhook_endpoints SET batch_to = ?2 WHERE wid = ?1",
            params![id, to as i64],
        )?;
        Ok(Some(WebhookBatch {
            entries,
            from: cursor as u64 + 1,
            to,
        }))
    }

    fn feed_between(&self, after: u64, upto: u64) -> Result<Vec<FeedEntry>, StoreError> {
        Ok(self
            .feed(after, None, Some(upto.saturating_sub(after)))?
            .into_iter()
            .filter(|e| e.seq <= upto)
            .collect())
    }

    /// Whether endpoint `id` is disabled (or gone), and when it may be
    /// tried next.
    pub fn webhook_schedule(&self, id: i64) -> Result<(bool, Option<Timestamp>), StoreError> {
        let row: Option<(Option<i64>, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT disabled_at, next_attempt_at FROM webhook_endpoints WHERE wid = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            None => (true, None),
            Some((disabled, next)) => (disabled.is_some(), next.map(from_nanos).transpose()?),
        })
    }

    /// The batch ending at `to` was acknowledged: the cursor moves on and
    /// the failure count resets.
    pub fn webhook_delivered(&self, id: i64, to: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE webhook_endpoints SET cursor = ?2, batch_to = NULL, failures = 0,
                 next_attempt_at = NULL, last_error = NULL WHERE wid = ?1",
            params![id, to as i64],
        )?;
        Ok(())
    }

    /// A delivery failed: counts it, schedules the retry at `retry_at`, and
    /// disables the endpoint after `max_failures` in a row (the reason stays
    /// visible). Returns whether it is now disabled.
    pub fn webhook_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        max_failures: u32,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.conn.execute(
            "UPDATE webhook_endpoints SET failures = failures + 1, last_error = ?2,
                 next_attempt_at = ?3 WHERE wid = ?1",
            params![id, error, nanos(retry_at)?],
        )?;
        let disabled = self.conn.execute(
            "UPDATE webhook_endpoints SET disabled_at = ?3,
                 disabled_reason = 'disabled after ' || failures || ' failed deliveries in a row; last: ' || ?4
             WHERE wid = ?1 AND failures >= ?2 AND disabled_at IS NULL",
            params![id, max_failures, nanos(now)?, error],
        )? > 0;
        Ok(disabled)
    }
}
