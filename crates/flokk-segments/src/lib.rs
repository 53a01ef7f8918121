//! Saved segments that keep themselves current.
//!
//! A segment is a saved query. A customer is in a segment iff its query
//! matches them as of now, and the store keeps who is in each segment
//! (`segment_members`) together with every entry and exit (the feed,
//! `segment_changes`). This crate keeps the two true to the queries:
//!
//! - [`lifecycle`]: create, update with a version history, drafts, rename
//!   (segments naming the renamed one are rewritten), delete and restore,
//!   purge; each in one store transaction with the membership changes it
//!   causes.
//! - [`live`]: after store writes, re-evaluates every segment for only the
//!   customers the writes touched; after a store-local midnight, every
//!   segment whose answer moves with the calendar; after a refit, every
//!   segment that reads the predictive models.
//! - [`graph`]: nested segments (`customer_segments CONTAINS 'X'`) form a
//!   graph evaluated dependencies first; a cycle is refused when saving.
//! - [`analysis`]: what a query depends on (segments, the day, the models).
//! - [`builtins`]: the segments every store starts with, and templates.
//! - [`name_hint`]: the hint for a segment's name given as a query.
//!
//! The engine answers `customer_segments` by evaluating the named query
//! (`flokk_engine::SegmentDefinitions`), so a fresh evaluation never
//! depends on stored state; the property tests check that replaying the
//! feed gives the stored members, which equal a fresh evaluation.

pub mod analysis;
pub mod builtins;
mod cache;
pub mod catch_up;
mod error;
pub mod graph;
pub mod index;
pub mod lifecycle;
pub mod live;
pub mod name_hint;
pub mod reconcile;
pub mod sample;
pub mod view;

pub use cache::MembershipCache;
pub use error::SegmentsError;
pub use graph::{SegmentGraph, static_lists};
pub use lifecycle::{Segments, with_segments};
pub use live::{Clock, SyncReport};
pub use view::{ListView, SegmentView, VersionView};
