//! `flokk webhook`: the signing secret is printed when it is made (`add`,
//! `rotate`) and never by `list` (issue 18).

use std::path::Path;
use std::process::{Command, Output};

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok_json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_secret_is_shown_once_and_rotated() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let made = ok_json(
        &data,
        &["webhook", "add", "https://example.com/h", "--json"],
    );
    let first = made["secret"].as_str().unwrap().to_owned();
    assert!(first.starts_with("whsec_"));
    let id = made["id"].as_i64().unwrap().to_string();

    let listed = ok_json(&data, &["webhook", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("whsec_"), "{listed}");
    let text = flokk(&data, &["webhook", "list"]);
    assert!(!String::from_utf8_lossy(&text.stdout).contains("whsec_"));

    let rotated = ok_json(&data, &["webhook", "rotate", &id, "--json"]);
    let second = rotated["secret"].as_str().unwrap();
    assert!(second.starts_with("whsec_") && second != first);
    let listed = ok_json(&data, &["webhook", "list", "--json"]);
    assert!(!listed.to_string().contains("whsec_"), "{listed}");

    let missing = flokk(&data, &["webhook", "rotate", "99"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no webhook endpoint 99"));
}
