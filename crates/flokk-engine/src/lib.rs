//! The in-memory evaluation engine: columns, bitmaps and event indexes
//! derived from the store, and the planner/evaluator that turns a typed
//! query into the set of matching customers.
//!
//! Depends on `flokk-lang` and `flokk-model` only, never on SQLite or HTTP:
//! the binary feeds it the store's records ([`Engine::add`]).
//!
//! Customers are dense `u32` ordinals in store order, so every answer is a
//! [`CustomerSet`] (a roaring bitmap) and boolean logic is bitmap algebra.

pub mod activity;
pub mod aggregates;
mod answers;
pub mod catalogue;
pub mod catch_up;
pub mod column_bytes;
pub mod customer_ids;
pub mod customers;
mod engine;
pub mod eval;
pub mod event_properties;
pub mod i64_column;
pub mod interner;
pub mod key_buckets;
pub mod line_shapes;
pub mod location_grid;
pub mod money_column;
pub mod order_clustering;
pub mod order_customers;
pub mod orders;
pub mod orders_by_customer;
pub mod predictions;
pub mod prefetch;
pub mod properties;
pub mod saved_models;
pub mod snapshot;
pub mod space_usage;
mod sparse_column;
pub mod sparse_values;
pub mod suggestions;
pub mod sym_column;
pub mod tight_bitmap;
pub mod time_column;
pub mod uint_column;
pub mod value_index;

pub use answers::{ClauseCount, CountAnswer, MemberFacts, Statistics, parse_sort};
pub use catch_up::{CatchUp, KeyedRecord, ReplacedCustomer};
pub use engine::{Activity, Engine};
pub use eval::{EvalError, Evaluator, ScanTrace, SegmentDefinitions, take_scan_trace};
pub use i64_column::I64Column;
pub use snapshot::SnapshotError;
pub use space_usage::{Part, SpaceUsage, TableSpace};
pub use sparse_column::{SparseColumn, SparseCursor};
pub use suggestions::{Suggestion, ValueSource};

/// A set of customer ordinals.
pub type CustomerSet = roaring::RoaringBitmap;

/// A missing instant in a time column.
pub const NO_TIME: i64 = i64::MIN;
