//! A bounded, deterministic fuzz loop for stable Rust: every corpus input
//! (and every saved crash input) through a target's checks, then mutations
//! of them from a seeded generator until a time budget is spent. libFuzzer
//! (`cargo +nightly fuzz run TARGET`) explores far better with coverage;
//! this loop is what `cargo test` and `scripts/test` can run anywhere.
//!
//! Budget: `FLOKK_FUZZ_SECONDS` (default 1 s, so plain `cargo test` stays
//! quick; `scripts/test` gives each target more); `FLOKK_FUZZ_SEED` picks
//! another sequence of mutations (default fixed, so a run is repeatable).
//! A failing input is written to `fuzz/artifacts/TARGET/` and replayed by
//! every later run until the bug is fixed and the file removed.

#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The `fuzz/` directory, from a crate's manifest directory.
pub fn fuzz_dir(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir).join("../../fuzz")
}

/// The files of a directory, sorted by name (none when it is missing).
pub fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a readable corpus file");
            (p, bytes)
        })
        .collect()
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Ran {
    /// Corpus and artifact inputs replayed.
    pub replayed: usize,
    /// Mutated inputs tried.
    pub mutated: u64,
}

/// The time budget from `FLOKK_FUZZ_SECONDS`.
pub fn budget() -> Duration {
    let seconds: f64 = std::env::var("FLOKK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    Duration::from_secs_f64(seconds.max(0.0))
}

/// The seed from `FLOKK_FUZZ_SEED`.
pub fn seed() -> u64 {
    std::env::var("FLOKK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f1a4)
}

/// Replays `fuzz/corpus/TARGET` and `fuzz/artifacts/TARGET`, then mutates
/// the corpus for the budget, each input through `check`. A panic in
/// `check` saves the input as an artifact and fails with its path.
pub fn run(fuzz: &Path, target: &str, dictionary: &[&[u8]], mut check: impl FnMut(&[u8])) -> Ran {
    let corpus = inputs(&fuzz.join("corpus").join(target));
    assert!(!corpus.is_empty(), "no corpus for {target}");
    let artifacts = inputs(&fuzz.join("artifacts").join(target));
    let mut ran = Ran::default();
    let mut try_one = |input: &[u8], origin: &str| {
        if catch_unwind(AssertUnwindSafe(|| check(input))).is_err() {
            let dir = fuzz.join("artifacts").join(target);
            std::fs::create_dir_all(&dir).expect("the artifacts directory");
            let path = dir.join(format!("crash-{:016x}", fnv(input)));
            std::fs::write(&path, input).expect("the artifact");
            panic!(
                "{target}: {origin} fails the target's checks; saved as {} ({:?})",
                path.display(),
                String::from_utf8_lossy(&input[..input.len().min(300)])
            );
        }
    };
    for (path, bytes) in corpus.iter().chain(&artifacts) {
        try_one(bytes, &path.display().to_string());
        ran.replayed += 1;
    }
    let seeds: Vec<&[u8]> = corpus.iter().map(|(_, b)| b.as_slice()).collect();
    let mut rng = Rng(seed() | 1);
    let until = Instant::now() + budget();
    while Instant::now() < until {
        let input = mutate(&mut rng, &seeds, dictionary);
        try_one(&input, "a mutated input");
        ran.mutated += 1;
    }
    ran
}

/// xorshift64*: small, fast and repeatable.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that make parsers take other paths.
const COMMON: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"\n",
    b"\r\n",
    b",",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xf0\x9f\x98",
    b"-0",
    b"1e999",
    b"-1e-999",
    b"18446744073709551616",
    b"NaN",
    b"null",
    b"true",
    b"9999-12-31",
    b"0000-00-00",
    b"+25:00",
    b"\xe2\x80\xae",
    b"%",
    b"%00",
    b"{",
    b"}",
    b"[",
    b"]",
];

/// One input made from the seeds by 1-4 mutations.
pub fn mutate(rng: &mut Rng, seeds: &[&[u8]], dictionary: &[&[u8]]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                data.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            5 | 6 => {
                let words = if rng.below(2) == 0 && !dictionary.is_empty() {
                    dictionary
                } else {
                    COMMON
                };
                let word = words[rng.below(words.len())];
                let i = rng.below(len + 1);
                data.splice(i..i, word.iter().copied());
            }
            7 => {
                let other = seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            8 if len > 0 => {
                data.truncate(rng.below(len));
            }
            _ => {
                // Repeat a line: long files, duplicate ids.
                if let Some(end) = data.iter().position(|b| *b == b'\n') {
                    let line = data[..=end].to_vec();
                    for _ in 0..1 + rng.below(8) {
                        data.extend_from_slice(&line);
                    }
                }
            }
        }
    }
    data
}

/// FNV-1a, to name an artifact by its content.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
