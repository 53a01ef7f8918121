//! Email campaigns: their definitions (`definitions.rs`), the send queue
//! with a state per recipient (`queue.rs`), and what the store knows about
//! their outcome and about addresses that must not be mailed
//! (`activity.rs`). Rendering, the consent gate and SMTP live in the
//! `flokk-campaigns` crate; this is only their tables.
//!
//! Layer 5 (beside `import` and `webhooks`): settling a recipient writes its
//! email event through the writer in the same transaction as its new state,
//! so the queue and the events never disagree on disk. May use: `writer`,
//! `access`, `store`, `schema`, `error`.

pub mod activity;
pub mod definitions;
pub mod queue;
