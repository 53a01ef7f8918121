//! Tables: what the store's records become, one table per kind of record.
//!
//! Customers (ids, attributes, properties), orders with their product and
//! ticket lines (and the line shapes lines point at), the behavioural
//! tables (checkouts, email, storefront and custom events with their
//! properties), subscriptions and the catalogue. A table appends and replaces rows and
//! answers "what does row `i` hold"; it knows nothing of queries, of
//! "now", or of the indexes built over it.
//!
//! May use: `columns`.

pub mod activity;
pub mod activity_by_customer;
pub mod catalogue;
pub mod customer_ids;
pub mod customers;
pub mod event_properties;
pub mod line_shapes;
pub mod order_clustering;
pub mod order_customers;
pub mod orders;
pub mod orders_by_customer;
pub mod properties;
pub mod record_tables;
pub mod sparse_values;
pub mod subscriptions;
