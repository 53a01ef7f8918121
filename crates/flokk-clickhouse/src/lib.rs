//! flokk on ClickHouse: the ClickHouse dialect of the segment language
//! (a typed query compiled to one statement with bound parameters), the
//! schema that statement reads, and the rows that load a store into it.
//!
//! Depends on `flokk-lang` and `flokk-model` only: no engine, no store, no
//! network. The layers, lowest first (`crates/flokk/tests/layering.rs`):
//! [`error`] and [`statement`] → [`schema`] → [`dialect`] → [`rows`]
//! (rows fold texts with the dialect's folding).

pub mod dialect;
pub mod error;
pub mod rows;
pub mod schema;
pub mod statement;

pub use dialect::{
    AsOf, SavedSegments, count_statement, members_statement, members_statement_with_segments,
};
pub use error::DialectError;
pub use statement::{BoundParam, ParamType, ParamValue, Statement};
