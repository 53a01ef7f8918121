//! The durable store: SQLite (WAL, `synchronous=FULL`), migrations, the
//! change sequence, importers and exporters.
//!
//! The store is the source of truth; everything in memory (the engine, live
//! segment membership) is derived from it and can be rebuilt from it.

mod changes;
mod customers_by_id;
mod dump;
mod error;
mod geocode;
mod import;
mod membership;
mod models;
mod ndjson;
mod profile;
mod reader;
mod scan;
mod schema;
mod scopes;
mod secret;
mod segment_writer;
mod segments;
mod sessions;
mod settings;
pub mod shopify;
mod store;
mod time;
mod tokens;
mod webhooks;
mod writer;

pub use changes::{CustomerRecords, StoreChanges};
pub use customers_by_id::ScanStep;
pub use dump::dump;
pub use error::StoreError;
pub use import::{
    ImportError, ImportOptions, ImportRow, ImportSummary, LocatedRow, RejectedRow, import_rows,
};
pub use membership::{
    ChangeCause, ChangedCustomer, FeedEntry, MEMBERSHIP_DAY, MEMBERSHIP_SEQUENCE,
};
pub use models::StoredModel;
pub use ndjson::NdjsonReader;
pub use profile::CustomerProfile;
pub use scan::ScannedRecord;
pub use schema::SCHEMA_VERSION;
pub use scopes::{Scope, Scopes};
pub use secret::random_secret;
pub use segment_writer::{NewSegment, SegmentWriter, validate_segment_name};
pub use segments::{Segment, SegmentFilter, SegmentVersion};
pub use sessions::{NewSession, SessionAccess};
pub use settings::{SETTINGS, SettingSpec, Settings};
pub use store::{DB_FILE, Store};
pub use tokens::{ApiToken, NewToken, TOKEN_PREFIX};
pub use webhooks::{WebhookBatch, WebhookEndpoint};
pub use writer::{ApplyError, Writer};
