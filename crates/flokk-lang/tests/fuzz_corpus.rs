//! Replays the fuzz corpus (`fuzz/corpus/parse_check/`, and any crash
//! inputs under `fuzz/artifacts/parse_check/`) on stable, with the fuzz
//! target's checks: parsing and checking never panic, in default and strict
//! mode, and whatever parses prints to text that parses to the same tree.
//! The seeds that are spec examples and legacy forms must also check.

use flokk_lang::{CheckOptions, Limits, PropertyTypes, ValueType, check, parse};
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The body of `fuzz/fuzz_targets/parse_check.rs`; returns whether the
/// text checks in default mode.
fn replay(text: &str) -> bool {
    let properties = PropertyTypes::from([("facts.birth_date".to_owned(), ValueType::Date)]);
    let mut checks = false;
    for strict in [false, true] {
        let checked = check(
            text,
            &CheckOptions {
                strict,
                properties: &properties,
            },
        );
        checks |= !strict && checked.is_ok();
    }
    if let Ok(query) = parse(text, &Limits::default()) {
        let printed = query.to_string();
        let again = parse(&printed, &Limits::default()).unwrap_or_else(|e| {
            panic!("the canonical form {printed:?} of {text:?} does not parse: {e:?}")
        });
        assert_eq!(
            again.without_spans(),
            query.without_spans(),
            "{text:?} printed as {printed:?}"
        );
    }
    checks
}

#[test]
fn every_fuzz_corpus_input_passes_the_fuzz_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let corpus = inputs(&fuzz.join("corpus/parse_check"));
    let artifacts = inputs(&fuzz.join("artifacts/parse_check"));
    // The committed seeds: 14 spec examples, 3 legacy forms, 95 wrong queries.
    assert!(corpus.len() >= 112, "only {} corpus files", corpus.len());
    let mut valid = 0;
    for path in corpus.iter().chain(&artifacts) {
        let bytes = std::fs::read(path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let checks = replay(text);
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("example-") || name.starts_with("legacy-") {
            assert!(checks, "{name} does not check: {text}");
            valid += 1;
        }
    }
    assert_eq!(valid, 17, "the spec examples and legacy forms");
}
