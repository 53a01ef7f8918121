//! Email campaigns: what a campaign's message is made of and how its queue
//! is sent.
//!
//! Layers, bottom first; a module uses only its own layer and those below:
//! 1. `error`
//! 2. `template` (merge-field templates: parsed strictly, rendered per
//!    customer), `links` (signed per-recipient tokens), `gate` (the consent
//!    gate), `report` (a campaign's figures)
//! 3. `message` (the body as HTML and text, the RFC 5322 message)
//! 4. `send` (the SMTP relay and draining a campaign's queue), `create`
//!    (a new campaign checked and stored)
//!
//! The campaign tables and the send queue are the store's
//! (`flokk_store::Campaign`); the audience is evaluated by the caller.

mod create;
mod error;
mod gate;
mod links;
mod message;
mod report;
mod send;
mod template;

pub use create::{CampaignRequest, create_campaign};
pub use error::CampaignError;
pub use gate::{
    HOLDS_TICKETS, LEFT_OUT_REASONS, MISSING_PERMISSION, NO_DISCOUNT_CODE, left_out_reason,
};
pub use links::{LINK_KEY, LinkKind, LinkSigner};
pub use message::body::{BodyFormat, CompiledCampaign};
pub use message::build::{MessageParts, build_message, mailbox};
pub use message::recipient::{CampaignMessage, with_utm};
pub use report::{Bounces, CampaignReport, Opens, campaign_report};
pub use send::drain::{DrainSummary, SendSettings, WRITTEN_EVERY, drain_queue};
pub use send::lock::SenderLock;
pub use send::relay::{Relay, RelayFailure, SMTP_TIMEOUT_SECONDS, SmtpRelay, smtp_url_redacted};
pub use send::start::{
    Audience, AudienceMember, AudienceQueries, Frozen, Sending, audience_queries, check_sendable,
    evaluate_audience, freeze_audience, preview_values, send_settings, settings_relay,
};
pub use template::computed::{COMPUTED_FIELDS, computed_values};
pub use template::fields::{CAMPAIGN_FIELDS, CUSTOMER_FIELDS, MergeValues};
pub use template::parse::{Piece, Template};
