//! Layer 4, saved segments: their definitions and history (`definitions`),
//! the write transaction that changes them (`writer`), and live membership
//! with its change feed (`membership`).
//!
//! May use: `store`, `schema`, `error`. Webhooks (above) read the feed.

pub(crate) mod definitions;
pub(crate) mod membership;
pub(crate) mod writer;
