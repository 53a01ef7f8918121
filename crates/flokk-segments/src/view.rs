//! The JSON form of a segment, shared by the CLI (`--json`) and the API so
//! both print the same shape.

use flokk_store::{Segment, SegmentVersion};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

/// A segment as the index and the editor show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentView {
    /// Stable id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Always `segment` (the index lists static lists beside segments,
    /// with `kind` `list`).
    pub kind: &'static str,
    /// What it is for.
    pub description: Option<String>,
    /// The published query.
    pub query: String,
    /// Whether an edited query waits as a draft ("Draft" in the index).
    pub draft: bool,
    /// The draft query.
    pub draft_query: Option<String>,
    /// `merchant`, `app:<name>` or `flokk`.
    pub author: String,
    /// Members now.
    pub count: u64,
    /// Members as a percentage of all customers.
    pub percent: f64,
    /// When the count was computed.
    pub counted_at: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// When its definition, name or description last changed.
    pub updated_at: String,
    /// Created, edited or used, whichever is latest.
    pub last_activity: String,
    /// Whether it is deleted (restorable).
    pub deleted: bool,
    /// When it was deleted.
    pub deleted_at: Option<String>,
    /// How many queries it has had.
    pub version: u32,
    /// Why its query cannot be evaluated now (its members are then as they
    /// were when it last could be); `null` when it can.
    pub failing: Option<String>,
    /// The organisation it belongs to in a venue group; left out for a
    /// segment shared by all, so a store of one organisation never sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// One entry of a segment's query history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionView {
    /// 1 for the query it was created with.
    pub version: u32,
    /// The query.
    pub query: String,
    /// When it was saved.
    pub saved_at: String,
    /// Who saved it.
    pub author: String,
}

/// An instant in the store's time zone, to the second (RFC 3339).
pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// `count` as a percentage of `total` (0 for an empty store).
pub fn percent(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 * 100.0 / total as f64
    }
}

impl SegmentView {
    /// The view of `s` in a store of `total` customers.
    pub fn new(s: &Segment, total: u64, tz: &TimeZone) -> Self {
        SegmentView {
            id: s.id,
            name: s.name.clone(),
            kind: "segment",
            description: s.description.clone(),
            query: s.query.clone(),
            draft: s.draft_query.is_some(),
            draft_query: s.draft_query.clone(),
            author: s.author.clone(),
            count: s.member_count,
            percent: percent(s.member_count, total),
            counted_at: s.counted_at.map(|t| local_time(t, tz)),
            created_at: local_time(s.created_at, tz),
            updated_at: local_time(s.updated_at, tz),
            last_activity: local_time(s.last_activity(), tz),
            deleted: s.deleted_at.is_some(),
            deleted_at: s.deleted_at.map(|t| local_time(t, tz)),
            version: s.version,
            failing: s.failing.clone(),
            organisation: s.organisation.clone(),
        }
    }
}

impl VersionView {
    /// The view of one version.
    pub fn new(v: &SegmentVersion, tz: &TimeZone) -> Self {
        VersionView {
            version: v.version,
            query: v.query.clone(),
            saved_at: local_time(v.saved_at, tz),
            author: v.author.clone(),
        }
    }
}

/// A static list as the segment index shows it (`kind` `list`), beside the
/// segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListView {
    /// Name.
    pub name: String,
    /// Always `list`.
    pub kind: &'static str,
    /// `file`, `freeze`, `sample` or `holdout`.
    pub source: String,
    /// The file or segment it came from.
    pub origin: Option<String>,
    /// A sample's seed.
    pub seed: Option<u64>,
    /// Customers on it.
    pub count: u64,
    /// As a percentage of all customers.
    pub percent: f64,
    /// File rows that named no customer.
    pub unknown: Vec<flokk_store::UnknownRow>,
    /// When it was created (its last activity: a list never changes).
    pub created_at: String,
}

impl ListView {
    /// The view of one list.
    pub fn new(l: &flokk_store::CustomerList, total: u64, tz: &TimeZone) -> Self {
        ListView {
            name: l.name.clone(),
            kind: "list",
            source: l.source.clone(),
            origin: l.origin.clone(),
            seed: l.seed,
            count: l.count,
            percent: percent(l.count, total),
            unknown: l.unknown.clone(),
            created_at: local_time(l.created_at, tz),
        }
    }
}
