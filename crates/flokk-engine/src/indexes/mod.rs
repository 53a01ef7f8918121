//! Indexes: structures derived from the tables so a filter reads a few
//! bitmaps or cells instead of every row.
//!
//! Customers by their latest purchase of each line key ([`key_buckets`]),
//! address positions by grid cell ([`location_grid`]) and the per-customer
//! order figures as of a day ([`aggregates`]). Each is built from tables
//! and kept current by the engine as rows are appended; none is stored in
//! a table.
//!
//! May use: `tables`, `columns`.

pub mod aggregates;
pub mod key_buckets;
pub mod location_grid;
