//! Segment status notices for webhook receivers: a segment started failing
//! (its query cannot be evaluated, with the reason) or evaluates again.
//!
//! They are not membership changes, so they are not in the membership feed
//! (whose entries name a customer): `segment_status_changes` is their own
//! outbox and each endpoint has its own `status_cursor` in it. An endpoint
//! added later starts after the current end, like its feed cursor (or at
//! the beginning with `from_start`). A failed delivery is retried from the
//! cursor, so a receiver gets each notice at least once.

use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use rusqlite::params;

/// One notice, as delivered (`segment.status`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatusNotice {
    /// Position among the notices (increasing, never reused).
    pub seq: u64,
    /// The segment's name now (its id when it was purged).
    pub segment: String,
    /// The segment's stable id.
    pub segment_id: i64,
    /// True: it cannot be evaluated; its membership stays as it was until
    /// it can. False: it evaluates again.
    pub failing: bool,
    /// Why it cannot be evaluated (with `failing`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// The notices an endpoint is to receive next, and the position its
/// cursor moves to once they are acknowledged.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBatch {
    /// The notices, in order.
    pub notices: Vec<StatusNotice>,
    /// The last position the batch covers.
    pub to: u64,
}

impl Store {
    /// The last notice's position (0 when there is none): where a new
    /// endpoint's status cursor starts.
    pub(crate) fn last_status_notice(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(seq), 0) FROM segment_status_changes",
            [],
            |r| r.get(0),
        )?)
    }

    /// Up to `limit` notices after endpoint `id`'s status cursor for the
    /// segments it wants. Notices for other segments are passed over by
    /// moving the cursor. `None` when there is nothing to send.
    pub fn webhook_status_batch(
        &self,
        id: i64,
        limit: u64,
    ) -> Result<Option<StatusBatch>, StoreError> {
        let (cursor, segments): (i64, Option<String>) = self.conn.query_row(
            "SELECT status_cursor, segments FROM webhook_endpoints WHERE wid = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let wanted: Option<Vec<i64>> = segments
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("webhook segments: {e}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.seq, coalesce(s.name, c.sid), c.sid, c.failing, c.at
             FROM segment_status_changes c LEFT JOIN segments s ON s.sid = c.sid
             WHERE c.seq > ?1 ORDER BY c.seq LIMIT 1000",
        )?;
        let mut rows = stmt.query(params![cursor])?;
        let mut notices = Vec::new();
        let mut last = cursor as u64;
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            let segment_id: i64 = r.get(2)?;
            if wanted.as_ref().is_some_and(|w| !w.contains(&segment_id)) {
                last = seq;
                continue;
            }
            let reason: Option<String> = r.get(3)?;
            notices.push(StatusNotice {
                seq,
                segment: match r.get::<_, rusqlite::types::Value>(1)? {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    _ => String::new(),
                },
                segment_id,
                failing: reason.is_some(),
                reason,
                at: from_nanos(r.get(4)?)?.to_string(),
            });
            last = seq;
            if notices.len() as u64 >= limit {
                break;
            }
        }
        if notices.is_empty() {
            if last > cursor as u64 {
                self.conn.execute(
                    "UPDATE webhook_endpoints SET status_cursor = ?2 WHERE wid = ?1",
                    params![id, last as i64],
                )?;
            }
            return Ok(None);
        }
        Ok(Some(StatusBatch { notices, to: last }))
    }

    /// The status batch ending at `to` was acknowledged: the status cursor
    /// moves on and the failure count resets.
    pub fn webhook_status_delivered(&self, id: i64, to: u64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE webhook_endpoints SET status_cursor = ?2, failures = 0,
                 next_attempt_at = NULL, last_error = NULL WHERE wid = ?1",
            params![id, to as i64],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn now() -> Timestamp {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn failing_and_recovering_are_noticed_once_each_and_delivered_after_the_cursor() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut w = store.segment_writer(now()).unwrap();
        let sid = w
            .create(&crate::NewSegment {
                name: "Far",
                query: "number_of_orders > 1",
                description: None,
                author: "test",
            })
            .unwrap();
        w.commit().unwrap();
        let early = store
            .add_webhook("http://example.com/a", None, false, "whsec_x", now())
            .unwrap();
        let mut w = store.segment_writer(now()).unwrap();
        assert!(w.set_failing(sid, Some("broken")).unwrap());
        // The same state again is no change and no notice.
        assert!(!w.set_failing(sid, Some("broken")).unwrap());
        w.commit().unwrap();
        let late = store
            .add_webhook("http://example.com/b", None, false, "whsec_y", now())
            .unwrap();
        let mut w = store.segment_writer(now()).unwrap();
        assert!(w.set_failing(sid, None).unwrap());
        w.commit().unwrap();

        let batch = store.webhook_status_batch(early.id, 10).unwrap().unwrap();
        let states: Vec<_> = batch
            .notices
            .iter()
            .map(|n| (n.segment.as_str(), n.failing, n.reason.as_deref()))
            .collect();
        assert_eq!(
            states,
            [("Far", true, Some("broken")), ("Far", false, None)]
        );
        // Not acknowledged: the same notices again.
        assert_eq!(
            store.webhook_status_batch(early.id, 10).unwrap(),
            Some(batch.clone())
        );
        store.webhook_status_delivered(early.id, batch.to).unwrap();
        assert_eq!(store.webhook_status_batch(early.id, 10).unwrap(), None);
        // An endpoint added later starts after the notices then written.
        let batch = store.webhook_status_batch(late.id, 10).unwrap().unwrap();
        assert_eq!(batch.notices.len(), 1);
        assert!(!batch.notices[0].failing);
    }
}
