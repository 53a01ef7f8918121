//! Changing saved segments: one write transaction that carries both the
//! definition change and the membership changes it causes.

use super::definitions::{Segment, SegmentFilter, find_segment, list_segments};
use crate::error::StoreError;
use crate::schema::time::to_nanos;
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// What a new segment is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSegment<'a> {
    /// Unique name (regardless of case).
    pub name: &'a str,
    /// What it is for.
    pub description: Option<&'a str>,
    /// The query, already checked by the caller.
    pub query: &'a str,
    /// `merchant`, `app:<name>` or `flokk`.
    pub author: &'a str,
}

/// An open write transaction over segments and their membership. Nothing
/// is visible or durable until [`SegmentWriter::commit`]; dropping it rolls
/// everything back.
pub struct SegmentWriter<'a> {
    pub(crate) tx: Transaction<'a>,
    /// The instant written as "now" (nanoseconds).
    pub(crate) now: i64,
    /// The store change range a sync is catching up with, written beside
    /// the feed entries store writes cause (see [`SegmentWriter::syncing`]).
    pub(crate) synced: Option<(i64, i64)>,
}

impl Store {
    /// Starts a segment write transaction as of `now`. It takes the write
    /// lock at once, so two processes never evaluate and record the same
    /// membership changes twice.
    pub fn segment_writer(&self, now: Timestamp) -> Result<SegmentWriter<'_>, StoreError> {
        let now = to_nanos(now).ok_or_else(|| {
            StoreError::Invalid(format!("{now} is outside the supported years 1678–2261"))
        })?;
        Ok(SegmentWriter {
            tx: Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?,
            now,
            synced: None,
        })
    }

    /// Notes that segment `sid` was used (counted, listed, exported) at
    /// `at`, on its own: last activity is not membership, so reads that use
    /// a segment need no segment transaction for it.
    pub fn touch_segment_used(&self, sid: i64, at: Timestamp) -> Result<(), StoreError> {
        let mut w = self.segment_writer(at)?;
        w.touch_used(sid)?;
        w.commit()
    }
}

/// A name a segment can have: not blank, no longer than 255 characters.
pub fn validate_segment_name(name: &str) -> Result<&str, StoreError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(StoreError::Invalid("a segment name cannot be empty".into()));
    }
    if trimmed.chars().count() > 255 {
        return Err(StoreError::Invalid(
            "a segment name can have at most 255 characters".into(),
        ));
    }
    Ok(trimmed)
}

impl SegmentWriter<'_> {
    /// Commits everything written.
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit()?;
        Ok(())
    }

    /// The last committed store change sequence, as this transaction sees it.
    pub fn store_sequence(&self) -> Result<u64, StoreError> {
        let seq: Option<i64> = self
            .tx
            .query_row("SELECT max(seq) FROM changes", [], |r| r.get(0))?;
        Ok(seq.unwrap_or(0) as u64)
    }

    /// The segments (as in [`Store::segments`]).
    pub fn segments(&self, filter: SegmentFilter) -> Result<Vec<Segment>, StoreError> {
        list_segments(&self.tx, filter)
    }

    /// The segment called `name`, else with id `name` (deleted included).
    pub fn segment(&self, name: &str) -> Result<Option<Segment>, StoreError> {
        find_segment(&self.tx, name)
    }

    /// The segment called `name`, or a not-found error.
    pub fn existing(&self, name: &str) -> Result<Segment, StoreError> {
        self.segment(name)?
            .ok_or_else(|| StoreError::NotFound(format!("there is no segment named '{name}'")))
    }

    fn ensure_name_free(&self, name: &str, except: Option<i64>) -> Result<(), StoreError> {
        let holder: Option<(i64, String)> = self
            .tx
            .query_row(
                "SELECT sid, name FROM segments WHERE name_key = ?1",
                [name.to_lowercase()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match holder {
            Some((sid, held)) if Some(sid) != except => Err(StoreError::Conflict(format!(
                "a segment named '{held}' already exists (names are unique regardless of case)"
            ))),
            _ => {
                // Lists and segments share one namespace: both name an audience.
                let list: Option<String> = self
                    .tx
                    .query_row(
                        "SELECT name FROM customer_lists WHERE name_key = ?1",
                        [name.to_lowercase()],
                        |r| r.get(0),
                    )
                    .optional()?;
                match list {
                    Some(held) => Err(StoreError::Conflict(format!(
                        "a list named '{held}' already exists; a segment needs a name no list has"
                    ))),
                    None => Ok(()),
                }
            }
        }
    }

    /// Saves a new segment (version 1 of its query); returns its id.
    pub fn create(&mut self, new: &NewSegment<'_>) -> Result<i64, StoreError> {
        let name = validate_segment_name(new.name)?;
        self.ensure_name_free(name, None)?;
        self.tx
            .prepare_cached("INSERT INTO segments(name, name_key, description, query, author, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)")?
            .execute(params![name, name.to_lowercase(), new.description, new.query, new.author, self.now])?;
        let sid = self.tx.last_insert_rowid();
        self.add_version(sid, new.query, new.author)?;
        Ok(sid)
    }

    fn add_version(&self, sid: i64, query: &str, author: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO segment_versions(sid, version, query, saved_at, author)
             VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM segment_versions WHERE sid = ?1),
                     ?2, ?3, ?4)")?
            .execute(params![sid, query, self.now, author])?;
        Ok(())
    }

    /// Publishes a new query (the old one stays in the history); a draft
    /// is dropped, since what was drafted is now either this or discarded.
    pub fn update_query(&mut self, sid: i64, query: &str, author: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE segments SET query = ?2, draft_query = NULL, draft_saved_at = NULL,
                 updated_at = ?3 WHERE sid = ?1",
            )?
            .execute(params![sid, query, self.now])?;
        self.add_version(sid, query, author)
    }

    /// Saves (`Some`) or discards (`None`) the segment's draft query.
    pub fn set_draft(&mut self, sid: i64, draft: Option<&str>) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE segments SET draft_query = ?2, draft_saved_at = ?3 WHERE sid = ?1",
            )?
            .execute(params![sid, draft, draft.map(|_| self.now)])?;
        Ok(())
    }

    /// Renames the segment.
    pub fn rename(&mut self, sid: i64, new_name: &str) -> Result<(), StoreError> {
        let name = validate_segment_name(new_name)?;
        self.ensure_name_free(name, Some(sid))?;
        self.tx
            .prepare_cached(
                "UPDATE segments SET name = ?2, name_key = ?3, updated_at = ?4 WHERE sid = ?1",
            )?
            .execute(params![sid, name, name.to_lowercase(), self.now])?;
        Ok(())
    }

    /// Replaces the description.
    pub fn set_description(
        &mut self,
        sid: i64,
        description: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE segments SET description = ?2, updated_at = ?3 WHERE sid = ?1")?
            .execute(params![sid, description, self.now])?;
        Ok(())
    }

    /// `name` as an organisation the store knows, or why not.
    pub fn known_organisation(&self, name: &str) -> Result<String, StoreError> {
        crate::organisations::known_organisation(&self.tx, name)
    }

    /// Puts the segment in `organisation` (one the store knows), or
    /// shares it with every organisation (`None`).
    pub fn set_organisation(
        &mut self,
        sid: i64,
        organisation: Option<&str>,
    ) -> Result<(), StoreError> {
        let organisation = organisation
            .map(|o| crate::organisations::known_organisation(&self.tx, o))
            .transpose()?;
        self.tx
            .prepare_cached(
                "UPDATE segments SET organisation = ?2, updated_at = ?3 WHERE sid = ?1",
            )?
            .execute(params![sid, organisation, self.now])?;
        Ok(())
    }

    /// Marks the segment deleted (`true`) or restores it (`false`).
    pub fn set_deleted(&mut self, sid: i64, deleted: bool) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE segments SET deleted_at = ?2, updated_at = ?3 WHERE sid = ?1")?
            .execute(params![sid, deleted.then_some(self.now), self.now])?;
        Ok(())
    }

    /// Removes a segment for good: its row, history and members. Its feed
    /// entries stay (webhook receivers and audits may still need them).
    pub fn purge(&mut self, sid: i64) -> Result<(), StoreError> {
        for table in ["segment_members", "segment_versions", "segments"] {
            self.tx
                .execute(&format!("DELETE FROM {table} WHERE sid = ?1"), [sid])?;
        }
        Ok(())
    }

    /// Marks the segment failing with `reason`, or clears the mark (`None`).
    /// True when that changed its state; a change is also noted for webhook
    /// receivers (`segment.status`), in this transaction.
    pub fn set_failing(&mut self, sid: i64, reason: Option<&str>) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE segments SET failing = ?2 WHERE sid = ?1 AND failing IS NOT ?2",
            )?
            .execute(params![sid, reason])?
            > 0;
        if changed {
            self.tx
                .prepare_cached(
                    "INSERT INTO segment_status_changes (sid, failing, at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![sid, reason, self.now])?;
        }
        Ok(changed)
    }

    /// Notes that the segment was used (counted, listed, exported) or its
    /// draft or description edited now. Last activity only moves forward: a
    /// command as of an earlier instant leaves a later one in place.
    pub fn touch_used(&mut self, sid: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE segments SET used_at = ?2 WHERE sid = ?1 AND (used_at IS NULL OR used_at < ?2)",
            )?
            .execute(params![sid, self.now])?;
        Ok(())
    }
}
