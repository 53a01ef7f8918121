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
use rusqlite::params;

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
    ///
    /// Set-based, so a million customers cost a few statements rather than
    /// three a customer: the ids go in as one JSON array into a temporary
    /// table of keys, the spellings of the tag the audience holds are read
    /// once (tags compare ignoring case, `same_tag`, which SQLite's NOCASE
    /// does only for ASCII), and one `INSERT ... SELECT` (or `DELETE`) with
    /// `RETURNING` writes the tags and names the customers that changed.
    pub fn set_tag<'i>(
        &mut self,
        ids: impl IntoIterator<Item = &'i str>,
        tag: &str,
        add: bool,
    ) -> Result<TagOutcome, ApplyError> {
        let tag = checked_tag(tag)?;
        let ids: Vec<&str> = ids.into_iter().collect();
        let ids = serde_json::to_string(&ids).expect("strings serialise");
        self.tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS tag_audience(cid INTEGER PRIMARY KEY);
             DELETE FROM temp.tag_audience;",
        )?;
        let audience = self.tx.execute(
            "INSERT OR IGNORE INTO temp.tag_audience(cid)
             SELECT c.cid FROM json_each(?1) j JOIN customers c ON c.id = j.value",
            [&ids],
        )? as u64;
        // The spellings of the tag among the audience's tags (`Gold` for
        // `gold`): what "already has it" and "remove it" match.
        let held: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT t.tag FROM temp.tag_audience a
                 JOIN customer_tags t ON t.cid = a.cid",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut spellings: Vec<String> = held.into_iter().filter(|t| same_tag(t, tag)).collect();
        if !spellings.iter().any(|s| s == tag) {
            spellings.push(tag.to_owned());
        }
        let spellings = serde_json::to_string(&spellings).expect("strings serialise");
        let changed: Vec<i64> = if add {
            self.tx
                .prepare_cached(
                    "INSERT INTO customer_tags(cid, pos, tag)
                     SELECT a.cid,
                            coalesce((SELECT max(pos) + 1 FROM customer_tags t WHERE t.cid = a.cid), 0),
                            ?2
                     FROM temp.tag_audience a
                     WHERE NOT EXISTS (SELECT 1 FROM customer_tags t
                                       WHERE t.cid = a.cid
                                         AND t.tag IN (SELECT value FROM json_each(?1)))
                     ORDER BY a.cid
                     RETURNING cid",
                )?
                .query_map(params![spellings, tag], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        } else {
            let mut cids: Vec<i64> = self
                .tx
                .prepare_cached(
                    "DELETE FROM customer_tags
                     WHERE cid IN (SELECT cid FROM temp.tag_audience)
                       AND tag IN (SELECT value FROM json_each(?1))
                     RETURNING cid",
                )?
                .query_map([&spellings], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            // A customer may have held the tag in two spellings.
            cids.sort_unstable();
            cids.dedup();
            cids
        };
        self.tx.execute("DELETE FROM temp.tag_audience", [])?;
        for &cid in &changed {
            self.note_tagged(cid);
        }
        Ok(TagOutcome {
            changed: changed.len() as u64,
            unchanged: audience - changed.len() as u64,
            total_with_tag: self.customers_with_tag(tag)?,
        })
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
