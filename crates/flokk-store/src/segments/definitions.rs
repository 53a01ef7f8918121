//! Saved segments: their definitions, version history and drafts.
//!
//! Names are unique regardless of case (`name_key` holds the lower-cased
//! name). Deleting is soft: a deleted segment keeps its row, history and
//! feed, can be restored, and leaves the index until then; purging removes
//! it for good. Writes go through [`SegmentWriter`], one transaction that
//! also carries the membership changes the write causes, so a definition
//! and its members never disagree on disk.

use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};

/// One saved segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Stable id.
    pub id: i64,
    /// Name as saved.
    pub name: String,
    /// What it is for.
    pub description: Option<String>,
    /// The published query.
    pub query: String,
    /// An edited query not yet published.
    pub draft_query: Option<String>,
    /// `merchant`, `app:<name>` or `flokk`.
    pub author: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When its definition, name or description last changed.
    pub updated_at: Timestamp,
    /// When it was last evaluated on request (counted, listed, exported).
    pub used_at: Option<Timestamp>,
    /// When the draft was saved.
    pub draft_saved_at: Option<Timestamp>,
    /// Members now.
    pub member_count: u64,
    /// When the member count was computed.
    pub counted_at: Option<Timestamp>,
    /// When it was deleted (soft), if it was.
    pub deleted_at: Option<Timestamp>,
    /// How many query versions it has had (1 = as created).
    pub version: u32,
    /// Why its query cannot be evaluated now (its membership is then left
    /// as it was); `None` when it can.
    pub failing: Option<String>,
    /// The organisation it belongs to in a venue group; `None` for a
    /// segment shared by all (and in a store of one organisation).
    pub organisation: Option<String>,
}

impl Segment {
    /// Last activity: created, edited (query, draft, description, name),
    /// counted (shown), listed (its members) or exported, whichever is
    /// latest. Edits other than the query are noted in `used_at`.
    pub fn last_activity(&self) -> Timestamp {
        [Some(self.created_at), Some(self.updated_at), self.used_at]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.created_at)
    }
}

/// One earlier (or the current) query of a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentVersion {
    /// 1 for the query it was created with.
    pub version: u32,
    /// The query.
    pub query: String,
    /// When it was saved.
    pub saved_at: Timestamp,
    /// Who saved it.
    pub author: String,
}

pub(crate) const SEGMENT_COLUMNS: &str = "sid, name, description, query, draft_query, author, \
     created_at, updated_at, used_at, draft_saved_at, member_count, counted_at, deleted_at, \
     (SELECT max(version) FROM segment_versions v WHERE v.sid = segments.sid), failing, organisation";

fn optional_time(n: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    n.map(from_nanos).transpose()
}

pub(crate) fn segment_from_row(r: &Row<'_>) -> Result<Segment, StoreError> {
    Ok(Segment {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        query: r.get(3)?,
        draft_query: r.get(4)?,
        author: r.get(5)?,
        created_at: from_nanos(r.get(6)?)?,
        updated_at: from_nanos(r.get(7)?)?,
        used_at: optional_time(r.get(8)?)?,
        draft_saved_at: optional_time(r.get(9)?)?,
        member_count: r.get::<_, i64>(10)? as u64,
        counted_at: optional_time(r.get(11)?)?,
        deleted_at: optional_time(r.get(12)?)?,
        version: r.get::<_, Option<i64>>(13)?.unwrap_or(1) as u32,
        failing: r.get(14)?,
        organisation: r.get(15)?,
    })
}

/// Segments of the store, in a list that can leave out deleted ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentFilter {
    /// Segments not deleted.
    Live,
    /// Deleted segments only (the "restore" list).
    Deleted,
    /// Both.
    All,
}

impl Store {
    /// The segments, by id.
    pub fn segments(&self, filter: SegmentFilter) -> Result<Vec<Segment>, StoreError> {
        list_segments(&self.conn, filter)
    }

    /// The segment called `name` (any case), else the one whose id is
    /// `name`; deleted ones included.
    pub fn segment(&self, name: &str) -> Result<Option<Segment>, StoreError> {
        find_segment(&self.conn, name)
    }

    /// Whether any segment is live (not deleted).
    pub fn has_segments(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM segments WHERE deleted_at IS NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Every query the segment has had, oldest first.
    pub fn segment_versions(&self, id: i64) -> Result<Vec<SegmentVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT version, query, saved_at, author FROM segment_versions
             WHERE sid = ?1 ORDER BY version",
        )?;
        let mut rows = stmt.query([id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(SegmentVersion {
                version: r.get::<_, i64>(0)? as u32,
                query: r.get(1)?,
                saved_at: from_nanos(r.get(2)?)?,
                author: r.get(3)?,
            });
        }
        Ok(out)
    }
}

/// The segments, by id.
pub(crate) fn list_segments(
    conn: &rusqlite::Connection,
    filter: SegmentFilter,
) -> Result<Vec<Segment>, StoreError> {
    let condition = match filter {
        SegmentFilter::Live => "WHERE deleted_at IS NULL",
        SegmentFilter::Deleted => "WHERE deleted_at IS NOT NULL",
        SegmentFilter::All => "",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SEGMENT_COLUMNS} FROM segments {condition} ORDER BY sid"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(segment_from_row(r)?);
    }
    Ok(out)
}

/// By name first (names are what people type), then by numeric id.
pub(crate) fn find_segment(
    conn: &rusqlite::Connection,
    name: &str,
) -> Result<Option<Segment>, StoreError> {
    let by_name = conn
        .prepare_cached(&format!(
            "SELECT {SEGMENT_COLUMNS} FROM segments WHERE name_key = ?1"
        ))?
        .query_row([name.to_lowercase()], |r| Ok(segment_from_row(r)))
        .optional()?
        .transpose()?;
    if by_name.is_some() {
        return Ok(by_name);
    }
    let Ok(id) = name.parse::<i64>() else {
        return Ok(None);
    };
    conn.prepare_cached(&format!(
        "SELECT {SEGMENT_COLUMNS} FROM segments WHERE sid = ?1"
    ))?
    .query_row(params![id], |r| Ok(segment_from_row(r)))
    .optional()?
    .transpose()
}
