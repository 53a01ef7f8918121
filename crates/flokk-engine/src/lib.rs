//! The in-memory evaluation engine: columns, bitmaps and event indexes
//! derived from the store, and the planner/evaluator that turns a typed
//! query into the set of matching customers.
//!
//! Depends on `flokk-lang` and `flokk-model` only, never on SQLite or HTTP:
//! the binary feeds it the store's records ([`Engine::add`]).
//!
//! Customers are dense `u32` ordinals in store order, so every answer is a
//! [`CustomerSet`] (a roaring bitmap) and boolean logic is bitmap algebra.
//!
//! The crate is in layers, each a folder that uses only the ones before
//! it (`crates/flokk/tests/layering.rs` keeps it so):
//! [`columns`] → [`tables`] → [`indexes`] → [`predictions`] → the
//! [`Engine`] (`engine.rs`: the tables together) → [`eval`] → the façade
//! at the top (snapshot, catch-up, answers, space usage, suggestions, hints).

pub mod columns;
pub mod eval;
pub mod indexes;
pub mod predictions;
pub mod tables;

mod answers;
pub mod backend;
pub mod catch_up;
mod compaction;
mod engine;
pub mod hints;
mod prediction_rescoring;
pub mod snapshot;
pub mod space_usage;
pub mod suggestions;

pub use answers::{ClauseCount, CountAnswer, MemberFacts, Statistics, money_rounded, parse_sort};
pub use backend::{CustomerKey, QueryBackend};
pub use catch_up::{CatchUp, KeyedRecord, ReplacedCustomer, RetaggedCustomer};
pub use columns::customer_set::CustomerSet;
pub use columns::i64_column::I64Column;
pub use columns::sparse_column::{SparseColumn, SparseCursor};
pub use columns::time_column::NO_TIME;
pub use engine::Engine;
pub use eval::{EvalError, Evaluator, ScanTrace, SegmentDefinitions, StaticLists, take_scan_trace};
pub use hints::Hint;
/// The store's predictive models, at the path dependents know.
pub use predictions::saved_models;
pub use snapshot::SnapshotError;
pub use space_usage::{Part, SpaceUsage, TableSpace};
pub use suggestions::{Suggestion, ValueSource};
pub use tables::activity::Activity;
