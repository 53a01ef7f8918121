//! `flokk token create|list|revoke`: a secret is shown once and never
//! listed; scopes are checked; revoking is final.

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

#[test]
fn tokens_are_made_listed_and_revoked() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = flokk(
        &data,
        &["--json", "token", "create", "ci", "--scopes", "read,export"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let secret = made["secret"].as_str().unwrap();
    assert!(secret.starts_with("flk_") && secret.len() > 60);
    assert_eq!(
        made["token"]["scopes"],
        serde_json::json!(["read", "export"])
    );

    let out = flokk(&data, &["--json", "token", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains(secret), "a listed token shows its secret");
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list[0]["name"], "ci");
    assert!(list[0]["revoked_at"].is_null());

    let bad = flokk(&data, &["token", "create", "x", "--scopes", "root"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a scope"));

    let id = list[0]["id"].to_string();
    assert_eq!(
        flokk(&data, &["token", "revoke", &id]).status.code(),
        Some(0)
    );
    let list: serde_json::Value =
        serde_json::from_slice(&flokk(&data, &["--json", "token", "list"]).stdout).unwrap();
    assert!(list[0]["revoked_at"].is_string());
    assert_eq!(
        flokk(&data, &["token", "revoke", &id]).status.code(),
        Some(2)
    );
}
