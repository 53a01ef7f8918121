//! The `http_request` fuzz target on stable: the corpus in
//! `fuzz/corpus/http_request/` (and any saved crash input) through the
//! whole router, then seeded mutations of it for `FLOKK_FUZZ_SECONDS`
//! (default 1 s; `scripts/test` runs it longer). The checks are in
//! `fuzz/bodies/http_request.rs`, shared with the libFuzzer target.

#[path = "../../../fuzz/bodies/mutate.rs"]
mod mutate;

#[path = "../../../fuzz/bodies/http_request.rs"]
mod http_request;

#[test]
fn http_requests_never_panic_and_errors_are_json() {
    let server = http_request::Server::new();
    let fuzz = mutate::fuzz_dir(env!("CARGO_MANIFEST_DIR"));
    let ran = mutate::run(&fuzz, "http_request", http_request::DICTIONARY, |data| {
        server.check(data)
    });
    assert!(ran.replayed >= 20, "only {} corpus inputs", ran.replayed);
    eprintln!(
        "http_request: {} corpus inputs, {} mutated inputs",
        ran.replayed, ran.mutated
    );
}
