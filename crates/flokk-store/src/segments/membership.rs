//! Live segment membership and its change feed.
//!
//! `segment_members` holds who is in each segment now; `segment_changes`
//! holds every entry and exit, once, in order. Both are written together by
//! [`SegmentWriter::record_changes`], so replaying the feed from the start
//! always gives the member table. Markers say how far derived state has
//! got: which store change sequence membership reflects, and the
//! store-local day it was last re-evaluated for.

use super::writer::SegmentWriter;
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

/// Why a customer entered or left a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeCause {
    /// The segment was created (or restored).
    Created,
    /// The segment's query changed (or it was deleted).
    DefinitionChanged,
    /// The customer's own record was written or deleted.
    CustomerChanged,
    /// One of the customer's orders, checkouts or events was added,
    /// replaced or removed (or a catalogue entity they relate to changed).
    RecordAdded,
    /// A bulk tag (`flokk tag add|remove`) changed the customer's tags.
    Tagged,
    /// A store-local midnight moved the relative dates.
    Midnight,
    /// The predictive models were refitted.
    Refit,
}

impl ChangeCause {
    /// The name in the feed (cli.md).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeCause::Created => "created",
            ChangeCause::DefinitionChanged => "definition_changed",
            ChangeCause::CustomerChanged => "customer_changed",
            ChangeCause::RecordAdded => "record_added",
            ChangeCause::Tagged => "tagged",
            ChangeCause::Midnight => "midnight",
            ChangeCause::Refit => "refit",
        }
    }
}

/// One entry of the membership change feed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeedEntry {
    /// Position in the feed (increasing, no reuse).
    pub seq: u64,
    /// The segment's name now (its id when it was purged).
    pub segment: String,
    /// The customer's id.
    pub customer: String,
    /// `entered` or `exited`.
    pub change: &'static str,
    /// Why (see [`ChangeCause`]).
    pub cause: String,
    /// When (RFC 3339).
    pub at: String,
    /// The segment's id.
    pub segment_id: i64,
}

/// A customer's change since some sequence, with the reason for the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangedCustomer {
    /// The customer's store key.
    pub key: i64,
    /// `CustomerChanged` when the customer record itself was written or
    /// deleted, else `Tagged` when a bulk tag changed its tags, else
    /// `RecordAdded`.
    pub cause: ChangeCause,
    /// Whether every change was a bulk tag: then only segments that read
    /// tags can move for this customer.
    pub only_tagged: bool,
}

/// Marker: the store change sequence live membership reflects.
pub const MEMBERSHIP_SEQUENCE: &str = "membership_sequence";
/// Marker: the store-local day (days since 1970-01-01) membership was last
/// brought up to date for.
pub const MEMBERSHIP_DAY: &str = "membership_day";
/// Marker: the instant (nanoseconds) membership was last brought up to
/// date as of. Stored membership and the feed only move forward from it: a
/// command whose now is earlier evaluates without writing.
pub const MEMBERSHIP_AT: &str = "membership_at";

impl SegmentWriter<'_> {
    /// A progress marker.
    pub fn marker(&self, key: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .tx
            .query_row("SELECT value FROM markers WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a progress marker.
    pub fn set_marker(&mut self, key: &str, value: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO markers(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }

    /// The customers changed by store writes after sequence `after` up to
    /// `upto`, by key, each once.
    pub fn changed_customers(
        &self,
        after: u64,
        upto: u64,
    ) -> Result<Vec<ChangedCustomer>, StoreError> {
        let mut stmt = self.tx.prepare(
            "SELECT cid, max(cause = 'customer_changed'), max(cause = 'tagged'),
                    min(coalesce(cause, '') = 'tagged')
             FROM changes
             WHERE seq > ?1 AND seq <= ?2 AND entity = 'customer' GROUP BY cid ORDER BY cid",
        )?;
        let rows = stmt.query_map(params![after as i64, upto as i64], |r| {
            Ok(ChangedCustomer {
                key: r.get(0)?,
                cause: if r.get::<_, Option<bool>>(1)?.unwrap_or(false) {
                    ChangeCause::CustomerChanged
                } else if r.get::<_, Option<bool>>(2)?.unwrap_or(false) {
                    ChangeCause::Tagged
                } else {
                    ChangeCause::RecordAdded
                },
                only_tagged: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether a venue, production or performance changed after `after` up
    /// to `upto` (ticketing answers of any customer may move).
    pub fn catalogue_changed(&self, after: u64, upto: u64) -> Result<bool, StoreError> {
        Ok(self.tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM changes WHERE seq > ?1 AND seq <= ?2 AND entity != 'customer')")?.query_row(
            params![after as i64, upto as i64],
            |r| r.get(0),
        )?)
    }

    /// Every member of a segment, by customer key, ascending.
    pub fn members(&self, sid: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT cid FROM segment_members WHERE sid = ?1 ORDER BY cid")?;
        let rows = stmt.query_map([sid], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored members of `sid` with the customer id each entered
    /// under, by key.
    pub fn members_with_ids(&self, sid: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT m.cid, c.customer_id FROM segment_members m
             JOIN segment_changes c ON c.seq = m.joined_seq
             WHERE m.sid = ?1 ORDER BY m.cid",
        )?;
        let rows = stmt.query_map([sid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Calls `f(sid, key)` for every stored membership.
    pub fn each_member(&self, f: &mut dyn FnMut(i64, i64)) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare("SELECT sid, cid FROM segment_members ORDER BY sid, cid")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }

    /// The last feed sequence number (0 for an empty feed).
    pub fn feed_end(&self) -> Result<u64, StoreError> {
        let seq: Option<i64> =
            self.tx
                .query_row("SELECT max(seq) FROM segment_changes", [], |r| r.get(0))?;
        Ok(seq.unwrap_or(0) as u64)
    }

    /// Calls `f(sid, key, entered)` for every feed entry after `since`, in order.
    pub fn each_change_since(
        &self,
        since: u64,
        f: &mut dyn FnMut(i64, i64, bool),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare("SELECT sid, cid, entered FROM segment_changes WHERE seq > ?1 ORDER BY seq")?;
        let mut rows = stmt.query([since as i64])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?, r.get(1)?, r.get(2)?);
        }
        Ok(())
    }

    /// The segments a customer key is a member of, by id, each with the
    /// customer id it entered under (a key of a deleted customer can be
    /// given to a new one; the id tells them apart).
    pub fn memberships(&self, key: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT m.sid, c.customer_id FROM segment_members m
             JOIN segment_changes c ON c.seq = m.joined_seq
             WHERE m.cid = ?1 ORDER BY m.sid",
        )?;
        let rows = stmt.query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes the store change range `(after, upto]` that the entries recorded
    /// next (with cause `customer_changed`, `record_added` or `tagged`) catch up
    /// with; `None` when done.
    pub fn syncing(&mut self, range: Option<(u64, u64)>) {
        self.synced = range.map(|(a, u)| (a as i64, u as i64));
    }

    /// Records entries and exits of one segment, appending each to the feed
    /// in the order given, and refreshes the segment's member count.
    /// `entered` holds (key, customer id); an exit finds the customer's id
    /// in the feed entry of its entry, so it works for deleted customers.
    /// Returns the last feed position written (`None` when nothing was).
    pub fn record_changes(
        &mut self,
        sid: i64,
        entered: &[(i64, &str)],
        exited: &[i64],
        cause: ChangeCause,
    ) -> Result<Option<u64>, StoreError> {
        let mut last = None;
        let now = self.now;
        let (from, to) = match (cause, self.synced) {
            (
                ChangeCause::CustomerChanged | ChangeCause::RecordAdded | ChangeCause::Tagged,
                Some((f, t)),
            ) => (Some(f), Some(t)),
            _ => (None, None),
        };
        let mut feed = self.tx.prepare_cached(
            "INSERT INTO segment_changes(sid, cid, customer_id, entered, cause, at, synced_from, synced_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut leave = self.tx.prepare_cached(
            "DELETE FROM segment_members WHERE sid = ?1 AND cid = ?2 RETURNING
                 (SELECT customer_id FROM segment_changes WHERE seq = joined_seq)",
        )?;
        for &key in exited {
            let id: Option<Option<String>> = leave
                .query_row(params![sid, key], |r| r.get(0))
                .optional()?;
            let Some(id) = id else {
                return Err(StoreError::Corrupt(format!(
                    "customer {key} left segment {sid} without being a member"
                )));
            };
            let id = id.unwrap_or_default();
            feed.execute(params![sid, key, id, 0, cause.as_str(), now, from, to])?;
            last = Some(self.tx.last_insert_rowid() as u64);
        }
        let mut join = self.tx.prepare_cached(
            "INSERT INTO segment_members(sid, cid, joined_seq, joined_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for &(key, id) in entered {
            feed.execute(params![sid, key, id, 1, cause.as_str(), now, from, to])?;
            let seq = self.tx.last_insert_rowid();
            join.execute(params![sid, key, seq, now])?;
            last = Some(seq as u64);
        }
        // Kept by difference: counting a large segment's rows on every
        // change would cost more than the change itself.
        self.tx
            .prepare_cached(
                "UPDATE segments SET member_count = member_count + ?3 - ?4, counted_at = ?2
             WHERE sid = ?1",
            )?
            .execute(params![sid, now, entered.len() as i64, exited.len() as i64])?;
        Ok(last)
    }

    /// Notes that the member count is current as of now (nothing changed).
    pub fn mark_counted(&mut self, sid: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE segments SET counted_at = ?2 WHERE sid = ?1")?
            .execute(params![sid, self.now])?;
        Ok(())
    }
}

impl Store {
    /// What the feed recorded for the store changes `(after, upto]` (an
    /// import's): entries and exits of the customers they touched, written
    /// by the syncs that caught up with them, whichever process ran them.
    pub fn feed_moves_of_changes(&self, after: u64, upto: u64) -> Result<(u64, u64), StoreError> {
        let (entered, exited): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(entered = 1), 0), coalesce(sum(entered = 0), 0)
             FROM segment_changes
             WHERE synced_from < ?2 AND synced_to > ?1
               AND cause IN ('customer_changed', 'record_added', 'tagged')
               AND cid IN (SELECT cid FROM changes
                           WHERE seq > ?1 AND seq <= ?2 AND entity = 'customer')",
            params![after as i64, upto as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((entered as u64, exited as u64))
    }

    /// Feed entries after `since`, oldest first, of one segment or all,
    /// at most `limit`.
    pub fn feed(
        &self,
        since: u64,
        segment: Option<i64>,
        limit: Option<u64>,
    ) -> Result<Vec<FeedEntry>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.seq, coalesce(s.name, c.sid), c.sid, c.customer_id, c.entered, c.cause, c.at
             FROM segment_changes c LEFT JOIN segments s ON s.sid = c.sid
             WHERE c.seq > ?1 AND (?2 IS NULL OR c.sid = ?2)
             ORDER BY c.seq LIMIT ?3",
        )?;
        let limit = limit.map(|l| l.min(i64::MAX as u64) as i64).unwrap_or(-1);
        let mut rows = stmt.query(params![since as i64, segment, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(FeedEntry {
                seq: r.get::<_, i64>(0)? as u64,
                segment: r.get::<_, rusqlite::types::Value>(1).map(|v| match v {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    _ => String::new(),
                })?,
                segment_id: r.get(2)?,
                customer: r.get(3)?,
                change: if r.get::<_, bool>(4)? {
                    "entered"
                } else {
                    "exited"
                },
                cause: r.get(5)?,
                at: from_nanos(r.get(6)?)?.to_string(),
            });
        }
        Ok(out)
    }

    /// The newest feed position (0 before any change): where a reader
    /// that wants only what happens from now on starts.
    pub fn feed_position(&self) -> Result<u64, StoreError> {
        let seq: i64 = self.conn.query_row(
            "SELECT coalesce(max(seq), 0) FROM segment_changes",
            [],
            |r| r.get(0),
        )?;
        Ok(seq as u64)
    }

    /// The names of the live segments customer `id` is in, by name.
    pub fn segments_of(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.name FROM customers c
             JOIN segment_members m ON m.cid = c.cid
             JOIN segments s ON s.sid = m.sid AND s.deleted_at IS NULL
             WHERE c.id = ?1 ORDER BY s.name_key",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Members of a segment by customer id, with when each joined.
    pub fn segment_members(&self, sid: i64) -> Result<Vec<(String, Timestamp)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, m.joined_at FROM segment_members m JOIN customers c ON c.cid = m.cid
             WHERE m.sid = ?1 ORDER BY c.id",
        )?;
        let mut rows = stmt.query([sid])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.get(0)?, from_nanos(r.get(1)?)?));
        }
        Ok(out)
    }
}
