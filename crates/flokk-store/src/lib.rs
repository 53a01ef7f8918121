//! The durable store: SQLite (WAL, `synchronous=FULL`), migrations, the
//! change sequence, importers and exporters.
//!
//! The store is the source of truth; everything in memory (the engine, live
//! segment membership) is derived from it and can be rebuilt from it.
//!
//! Layers, bottom first; a module uses only its own layer's folder and the
//! layers below (never this file's re-exports):
//! 1. `error`
//! 2. `schema` (migrations, the encoding of instants)
//! 3. `store` (the connection)
//! 4. `writer` (records in), `readers` (records out), and the other tables:
//!    `settings`, `access` (tokens, sessions), `segments`, `models`, `lists`, `discounts`,
//!    `organisations`
//! 5. `import` (any reader's rows through the writer), `webhooks` (endpoints
//!    and their place in the segments' feed), `inbound` (deliveries from
//!    outside sources, kept before they are applied), `campaigns` (email
//!    campaigns and their send queue)
//! 6. `shopify` (the Shopify CSV readers and webhooks), `tracking` (the
//!    Segment tracking API's messages)

mod access;
mod campaigns;
mod discounts;
mod error;
mod import;
mod inbound;
mod lists;
mod models;
mod organisations;
mod readers;
mod schema;
mod segments;
mod settings;
pub mod shopify;
mod store;
pub mod tracking;
mod webhooks;
mod writer;

pub use access::scopes::{Scope, Scopes};
pub use access::secret::random_secret;
pub use access::sessions::{NewSession, SessionAccess};
pub use access::tokens::{ApiToken, NewToken, TOKEN_PREFIX};
pub use campaigns::activity::Attribution;
pub use campaigns::activity::{CampaignActivity, Suppressions};
pub use campaigns::definitions::{Campaign, NewCampaign};
pub use campaigns::queue::{FrozenRecipient, QueuedRecipient, STALE_SENDING_SECONDS, Settlement};
pub use discounts::amounts::checked_subtotal;
pub use discounts::check::{CheckReason, DiscountCheck};
pub use discounts::codes::CODE_ALPHABET;
pub use discounts::files::{CodeFileFormat, SHOPIFY_BULK_ADD_MAX, code_file, shopify_discount_gid};
pub use discounts::{Discount, DiscountKind, IssuedCode, NewCodes, NewDiscount, discount_instant};
pub use error::StoreError;
pub use import::ndjson::NdjsonReader;
pub use import::{
    ImportError, ImportOptions, ImportRow, ImportSummary, LocatedRow, RejectedRow, import_rows,
};
pub use inbound::{Delivery, Pruned};
pub use lists::file_rows::list_rows;
pub use lists::{CustomerList, ListRow, NewList, UnknownRow, validate_list_name};
pub use models::StoredModel;
pub use organisations::{OrganisationCatalogue, validate_organisation};
pub use readers::changes::{CustomerRecords, StoreChanges};
pub use readers::customers_by_id::{Coordinates, CustomerParts, ScanStep};
pub use readers::dump::dump;
pub use readers::profile::CustomerProfile;
pub use readers::scan::ScannedRecord;
pub use schema::SCHEMA_VERSION;
pub use segments::definitions::{Segment, SegmentFilter, SegmentVersion};
pub use segments::membership::{
    ChangeCause, ChangedCustomer, FeedEntry, MEMBERSHIP_AT, MEMBERSHIP_DAY, MEMBERSHIP_SEQUENCE,
};
pub use segments::writer::{NewSegment, SegmentWriter, validate_segment_name};
pub use settings::{
    SETTINGS, SettingSpec, Settings, is_secret_setting, origin_allowed, shown_value, url_host,
    url_without_password,
};
pub use store::{DB_FILE, Store};
pub use webhooks::status::{StatusBatch, StatusNotice};
pub use webhooks::{WebhookBatch, WebhookEndpoint};
pub use writer::{ApplyError, TagOutcome, Writer, checked_tag};
