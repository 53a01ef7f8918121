//! Bulk tags (`flokk tag add|remove`, `POST /api/segments/{name}/tags`):
//! one tag added to or removed from many customers in the writer's one
//! transaction. Each customer whose tags changed is noted with the feed
//! cause `tagged`; one that already had (or lacked) the tag is not touched,
//! so a second run changes nothing and moves nothing. Tags compare ignoring
//! case (`flokk_model::same_tag`), as `customer_tags CONTAINS` does: a
//! customer tagged `Gold` already has `gold`, and removing `gold` removes
//! `Gold`.

use super::{ApplyError, Writer};
use flokk_model::same_tag;
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
            let held: Vec<(i64, String)> = self
                .tx
                .prepare_cached("SELECT pos, tag FROM customer_tags WHERE cid = ?1")?
                .query_map([cid], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let matching: Vec<i64> = held
                .iter()
                .filter(|(_, t)| same_tag(t, tag))
                .map(|(pos, _)| *pos)
                .collect();
            let changed = if add {
                if matching.is_empty() {
                    let next = held.iter().map(|(pos, _)| pos + 1).max().unwrap_or(0);
                    self.tx
                        .prepare_cached(
                            "INSERT INTO customer_tags(cid, pos, tag) VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![cid, next, tag])?;
                }
                matching.is_empty()
            } else {
                let mut delete = self
                    .tx
                    .prepare_cached("DELETE FROM customer_tags WHERE cid = ?1 AND pos = ?2")?;
                for pos in &matching {
                    delete.execute(params![cid, pos])?;
                }
                !matching.is_empty()
            };
            if changed {
                outcome.changed += 1;
                self.note_tagged(cid);
            } else {
                outcome.unchanged += 1;
            }
        }
        outcome.total_with_tag = self.customers_with_tag(tag)?;
        Ok(outcome)
    }

    /// How many customers have `tag` (ignoring case).
    fn customers_with_tag(&self, tag: &str) -> Result<u64, ApplyError> {
        if tag.is_ascii() {
            // SQLite's NOCASE folds ASCII, which is all an ASCII tag needs.
            return Ok(self
                .tx
                .prepare_cached(
                    "SELECT count(DISTINCT cid) FROM customer_tags WHERE tag = ?1 COLLATE NOCASE",
                )?
                .query_row([tag], |r| r.get::<_, i64>(0))? as u64);
        }
        let mut stmt = self
            .tx
            .prepare_cached("SELECT DISTINCT cid, tag FROM customer_tags")?;
        let mut rows = stmt.query([])?;
        let mut with = std::collections::BTreeSet::new();
        while let Some(row) = rows.next()? {
            let t: String = row.get(1)?;
            if same_tag(&t, tag) {
                with.insert(row.get::<_, i64>(0)?);
            }
        }
        Ok(with.len() as u64)
    }
}
