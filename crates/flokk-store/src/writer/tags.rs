//! Bulk tags (`flokk tag add|remove`, `POST /api/segments/{name}/tags`):
//! one tag added to or removed from many customers in the writer's one
//! transaction. Each customer whose tags changed is noted with the feed
//! cause `tagged`; one that already had (or lacked) the tag is not touched,
//! so a second run changes nothing and moves nothing.

use super::{ApplyError, Writer};
use rusqlite::{OptionalExtension, params};

/// What a bulk tag did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagOutcome {
    /// Customers whose tags changed (tagged, or untagged).
    pub changed: u64,
    /// Customers that already were as asked (had the tag, or lacked it).
    pub unchanged: u64,
    /// Customers in the whole store with the tag afterwards.
    pub total_with_tag: u64,
}

/// The tag as it is stored: trimmed; empty (or only spaces) is refused.
// Trimming is a decision: a tag with edge spaces is a typing slip, and
// `customer_tags CONTAINS 'vip'` would never find `' vip'`.
pub fn checked_tag(tag: &str) -> Result<&str, ApplyError> {
    let tag = tag.trim();
    if tag.is_empty() {
        return Err(ApplyError::Invalid {
            field: "tag".into(),
            reason: "a tag may not be empty or only spaces".into(),
        });
    }
    if tag.chars().count() > 255 {
        return Err(ApplyError::Invalid {
            field: "tag".into(),
            reason: "a tag may be at most 255 characters".into(),
        });
    }
    Ok(tag)
}

impl Writer<'_> {
    /// Adds (`add`) or removes `tag` for each customer in `ids`; unknown
    /// ids are skipped (an audience names only stored customers).
    pub fn set_tag<'i>(
        &mut self,
        ids: impl IntoIterator<Item = &'i str>,
        tag: &str,
        add: bool,
    ) -> Result<TagOutcome, ApplyError> {
        let tag = checked_tag(tag)?;
        let mut outcome = TagOutcome::default();
        for id in ids {
            let cid: Option<i64> = self
                .tx
                .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            let Some(cid) = cid else { continue };
            let changed = if add {
                let has: bool = self
                    .tx
                    .prepare_cached(
                        "SELECT EXISTS(SELECT 1 FROM customer_tags WHERE cid = ?1 AND tag = ?2)",
                    )?
                    .query_row(params![cid, tag], |r| r.get(0))?;
                if !has {
                    self.tx
                        .prepare_cached(
                            "INSERT INTO customer_tags(cid, pos, tag)
                             SELECT ?1, coalesce(max(pos) + 1, 0), ?2 FROM customer_tags
                             WHERE cid = ?1",
                        )?
                        .execute(params![cid, tag])?;
                }
                !has
            } else {
                self.tx
                    .prepare_cached("DELETE FROM customer_tags WHERE cid = ?1 AND tag = ?2")?
                    .execute(params![cid, tag])?
                    > 0
            };
            if changed {
                outcome.changed += 1;
                self.note_tagged(cid);
            } else {
                outcome.unchanged += 1;
            }
        }
        outcome.total_with_tag = self
            .tx
            .prepare_cached("SELECT count(DISTINCT cid) FROM customer_tags WHERE tag = ?1")?
            .query_row([tag], |r| r.get::<_, i64>(0))? as u64;
        Ok(outcome)
    }
}
