//! Random stores and random well-typed queries for the property tests.
//!
//! Stores are built from a seed by [`random_store`], so a failure is
//! reproduced from the seed printed with it (shrinking a whole store is
//! slow and rarely clearer than the diff the tests print). Queries are
//! proptest strategies over a grammar ([`query_grammar`]) and do shrink.
//!
//! Shared by several test crates, each of which uses only part of it.
#![allow(dead_code)]

pub mod moments;
pub mod query_grammar;
pub mod random_store;
pub mod vocabulary;
