//! The checks of the `ndjson_reader` fuzz target, shared by libFuzzer
//! (`fuzz/fuzz_targets/ndjson_reader.rs`) and the stable loop
//! (`crates/flokk-store/tests/fuzz_readers.rs`): any bytes, read as an NDJSON
//! import in strict and lenient mode, never panic; every row is a record or
//! a rejection with a reason, on strictly increasing lines; a rejected row
//! holds at most a bounded piece of its line; every record read writes back
//! to JSON that reads as the same record.

use flokk_model::{ParseOptions, parse_record};
use flokk_store::NdjsonReader;

/// Words the mutator inserts into NDJSON inputs.
pub const DICTIONARY: &[&[u8]] = &[
    b"{\"kind\":\"customer\",\"id\":\"1\"}\n",
    b"\"kind\":\"order\"",
    b"\"kind\":\"delete\",\"entity\":\"customer\"",
    b"\"customer_id\":",
    b"\"id\":123456789012345678901234567890",
    b"\"id\":1.5",
    b"\"tags\":[",
    b"\"properties\":{",
    b"\"total\":1.7e308",
    b"\"placed_at\":\"2025-03-01T12:30:00+25:00\"",
    b"\"birth_date\":\"0000-02-30\"",
    b"\"lines\":[{\"quantity\":",
    b"\"addresses\":[{\"lat\":91,\"lon\":",
    b"\\u0000",
    b"\\ud800",
];

/// The target: panics on any broken promise.
pub fn check(data: &[u8]) {
    for lenient in [false, true] {
        let options = ParseOptions { lenient };
        let mut last = 0;
        for item in NdjsonReader::new(data, options) {
            match item.expect("reading from memory cannot fail") {
                Ok((line, record)) => {
                    assert!(line > last, "line {line} after {last}");
                    last = line;
                    let json = serde_json::to_string(&record).expect("a record serialises");
                    let again = parse_record(&json, ParseOptions::default())
                        .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
                    assert_eq!(again, record, "{json}");
                }
                Err(rejected) => {
                    assert!(rejected.line > last, "line {} after {last}", rejected.line);
                    last = rejected.line;
                    assert!(!rejected.reason.is_empty(), "a rejection without a reason");
                    // A line is at most 1 MiB (ndjson.rs); a longer one keeps 200 bytes.
                    assert!(rejected.raw.len() <= (1 << 20) + 4);
                }
            }
        }
    }
}
