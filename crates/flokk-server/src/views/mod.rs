//! Layer 2, the documents the API and the CLI both print: a customer's
//! document with its timeline and segments (`customer`), and a token as
//! listed and as created (`token`), and the local-time form of instants
//! they share (`local_time`).
//!
//! May use: `error_body`. Nothing here touches the server state.

pub mod customer;
pub mod local_time;
pub mod token;
