//! Any input: parsing and checking never panic, and whatever parses prints
//! to text that parses to the same tree.
//!
//! `cargo +nightly fuzz run parse_check` (from the workspace root; needs
//! `cargo install cargo-fuzz`). Seeds are in `fuzz/corpus/parse_check/`.

#![no_main]

use flokk_lang::{CheckOptions, Limits, PropertyTypes, ValueType, check, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let properties = PropertyTypes::from([("facts.birth_date".to_owned(), ValueType::Date)]);
    for strict in [false, true] {
        let _ = check(text, &CheckOptions { strict, properties: &properties });
    }
    if let Ok(query) = parse(text, &Limits::default()) {
        let printed = query.to_string();
        let again = parse(&printed, &Limits::default()).expect("the canonical form parses");
        assert_eq!(again.without_spans(), query.without_spans());
    }
});
