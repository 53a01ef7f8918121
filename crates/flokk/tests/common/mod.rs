//! What the CLI test files share: running the built `flokk` against a
//! store with the real clock (no `FLOKK_NOW`), and reading its output.
//! Each test binary uses part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `flokk --data DATA ARGS...`, as of the real clock.
pub fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs")
}

/// What a command printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// What a command printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The JSON a command that must succeed prints.
pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The JSON error of a command that must fail with exit 2.
pub fn refused(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stderr(&out)).unwrap()
}
