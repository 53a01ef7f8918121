//! Any bytes as a Shopify CSV export, detected or forced to each format: no
//! panic, header errors explained, rows placed past the header.
//!
//! `cargo +nightly fuzz run shopify_csv` (from the repository root; needs
//! `cargo install cargo-fuzz`). Seeds are in `fuzz/corpus/shopify_csv/`;
//! the checks are in `fuzz/bodies/shopify_csv.rs`, which
//! `crates/flokk-store/tests/fuzz_readers.rs` also runs on stable.

#![no_main]

#[path = "../bodies/shopify_csv.rs"]
#[allow(dead_code)] // the dictionary is for the stable loop
mod shopify_csv;

libfuzzer_sys::fuzz_target!(|data: &[u8]| shopify_csv::check(data));
