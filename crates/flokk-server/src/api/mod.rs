//! Layer 4, the JSON API: one module per resource, each holding its
//! handlers with their `#[utoipa::path]` documentation; `router` registers a
//! handler with the access it needs and `openapi` holds the rest of the
//! document. The crate root lists every endpoint (`api()` in `lib.rs`).
//!
//! May use every layer below: `state`, `webhooks`, `export_job`, `auth`,
//! `limits`, `views`, `live`, `error_body`, `freed_memory`.

pub(crate) mod campaign_sending;
pub(crate) mod campaigns;
pub(crate) mod catalog;
pub(crate) mod customers;
pub(crate) mod discounts;
pub(crate) mod events;
pub(crate) mod export_run;
pub(crate) mod exports;
pub(crate) mod lists;
pub(crate) mod openapi;
pub(crate) mod organisation_scope;
pub(crate) mod queries;
pub(crate) mod router;
pub(crate) mod segment_tags;
pub(crate) mod segments;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod shopify_webhooks;
pub(crate) mod tokens;
pub(crate) mod tracking;
pub(crate) mod tracking_calls;
pub(crate) mod tracking_schema;
pub(crate) mod transfer;
pub(crate) mod webhooks;
