//! Layer 2, the documents the API and the CLI both print: a customer's
//! document with its timeline and segments (`customer`), and a token as
//! listed and as created (`token`).
//!
//! May use: `error_body`. Nothing here touches the server state.

pub mod customer;
pub mod token;
