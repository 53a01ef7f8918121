//! The in-memory evaluation engine: columns, bitmaps and event indexes
//! derived from the store, and the planner/evaluator that turns a typed
//! query into the set of matching customers.
//!
//! Filled in by the engine issue. Depends on `flokk-lang` and
//! `flokk-model` only: never on SQLite or HTTP.
