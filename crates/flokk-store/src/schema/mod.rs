//! Layer 2, the schema: the tables, their migrations, and how values are
//! encoded in them (instants as nanoseconds).
//!
//! May use: `error`. Everything above reads and writes the tables laid out
//! here.

mod migrations;
pub(crate) mod time;

pub use migrations::SCHEMA_VERSION;
pub(crate) use migrations::migrate;
