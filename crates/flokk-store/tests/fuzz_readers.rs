//! The `ndjson_reader` and `shopify_csv` fuzz targets on stable: their
//! corpora in `fuzz/corpus/` (and any saved crash input), then seeded
//! mutations for `FLOKK_FUZZ_SECONDS` each (default 1 s; `scripts/test` runs
//! them longer). The checks are in `fuzz/bodies/`, shared with the
//! libFuzzer targets.

#[path = "../../../fuzz/bodies/mutate.rs"]
mod mutate;

#[path = "../../../fuzz/bodies/ndjson_reader.rs"]
mod ndjson_reader;

#[path = "../../../fuzz/bodies/shopify_csv.rs"]
mod shopify_csv;

#[test]
fn ndjson_reader_never_panics_and_what_it_reads_round_trips() {
    let fuzz = mutate::fuzz_dir(env!("CARGO_MANIFEST_DIR"));
    let ran = mutate::run(
        &fuzz,
        "ndjson_reader",
        ndjson_reader::DICTIONARY,
        ndjson_reader::check,
    );
    assert!(ran.replayed >= 20, "only {} corpus inputs", ran.replayed);
    eprintln!(
        "ndjson_reader: {} corpus inputs, {} mutated inputs",
        ran.replayed, ran.mutated
    );
}

#[test]
fn shopify_csv_reader_never_panics_and_rows_are_placed() {
    let fuzz = mutate::fuzz_dir(env!("CARGO_MANIFEST_DIR"));
    let ran = mutate::run(
        &fuzz,
        "shopify_csv",
        shopify_csv::DICTIONARY,
        shopify_csv::check,
    );
    assert!(ran.replayed >= 10, "only {} corpus inputs", ran.replayed);
    eprintln!(
        "shopify_csv: {} corpus inputs, {} mutated inputs",
        ran.replayed, ran.mutated
    );
}
