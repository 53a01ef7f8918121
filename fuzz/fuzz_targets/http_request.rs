//! Any bytes as an HTTP request through the whole router over a small
//! store, in-process: no handler panics, every error is the JSON error.
//!
//! `cargo +nightly fuzz run http_request` (from the repository root; needs
//! `cargo install cargo-fuzz`). Seeds are in `fuzz/corpus/http_request/`
//! (`$TOKEN` stands for an admin token); the checks are in
//! `fuzz/bodies/http_request.rs`, which
//! `crates/flokk-server/tests/fuzz_http.rs` also runs on stable.

#![no_main]

#[path = "../bodies/http_request.rs"]
#[allow(dead_code)] // the dictionary is for the stable loop
mod http_request;

use std::sync::OnceLock;

/// One store and server for the whole run: building them per input would
/// leave no time for fuzzing.
static SERVER: OnceLock<http_request::Server> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    SERVER.get_or_init(http_request::Server::new).check(data)
});
