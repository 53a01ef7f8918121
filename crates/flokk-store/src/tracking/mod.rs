//! The Segment HTTP tracking API's messages (`identify`, `track`, `page`,
//! `screen`, `alias`; <https://segment.com/docs/connections/spec/>) as
//! store records.
//!
//! Layer 6, beside `shopify`: it applies records with the `writer` and
//! keeps anonymous visitors and seen message ids in `inbound`'s tables.
//!
//! [`read_message`] checks one message's shape; [`apply_messages`] applies
//! a request's messages in one transaction, each accepted, a duplicate, or
//! refused with its reason (a refused message writes nothing; the others
//! are applied: partial success). The mapping is in `records.rs`.

mod apply;
mod message;
mod records;

pub use apply::{MessageOutcome, TRACKING_SOURCE, apply_messages};
pub use message::{MAX_MESSAGE_BYTES, Message, MessageType, read_message};
