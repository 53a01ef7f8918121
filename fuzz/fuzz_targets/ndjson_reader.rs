//! Any bytes as an NDJSON import: no panic, rows placed and reasons given,
//! every record read writes back as the same record.
//!
//! `cargo +nightly fuzz run ndjson_reader` (from the repository root; needs
//! `cargo install cargo-fuzz`). Seeds are in `fuzz/corpus/ndjson_reader/`;
//! the checks are in `fuzz/bodies/ndjson_reader.rs`, which
//! `crates/flokk-store/tests/fuzz_readers.rs` also runs on stable.

#![no_main]

#[path = "../bodies/ndjson_reader.rs"]
#[allow(dead_code)] // the dictionary is for the stable loop
mod ndjson_reader;

libfuzzer_sys::fuzz_target!(|data: &[u8]| ndjson_reader::check(data));
