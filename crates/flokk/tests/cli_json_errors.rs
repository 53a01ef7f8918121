//! With `--json`, every failing command prints exactly one JSON error on
//! stderr, `{"error": {"code", "message", ...}}`, nothing on stdout, and
//! exits 2 for the user's mistakes, 1 for runtime failures (docs/cli.md,
//! "Exit codes and errors"). `check`'s verdict is its result, on stdout.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs")
}

/// Runs a failing command and returns its one JSON error.
fn json_error(data: &Path, args: &[&str], exit: i32) -> Value {
    let out = flokk(data, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(exit), "{args:?}: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut documents = serde_json::Deserializer::from_str(&stderr).into_iter::<Value>();
    let error = documents
        .next()
        .unwrap_or_else(|| panic!("{args:?}: no JSON on stderr"))
        .unwrap_or_else(|e| panic!("{args:?}: stderr is not JSON ({e}): {stderr}"));
    assert!(
        documents.next().is_none(),
        "{args:?}: more than one document on stderr: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    let body = error["error"]
        .as_object()
        .unwrap_or_else(|| panic!("{args:?}: no `error` object: {error}"));
    assert!(
        body["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{args:?}: {error}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{args:?}: {error}"
    );
    error
}

#[test]
fn every_failing_command_prints_one_json_error_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let good = tmp.path().join("good.ndjson");
    std::fs::write(&good, "{\"kind\":\"customer\",\"id\":\"1\"}\n").unwrap();
    assert_eq!(
        flokk(&data, &["import", good.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let bad = tmp.path().join("bad.ndjson");
    std::fs::write(
        &bad,
        "{\"kind\":\"customer\",\"id\":1.5}\n{\"kind\":\"nope\"}\n",
    )
    .unwrap();
    let missing = tmp.path().join("missing.ndjson");
    let unwritable = tmp.path().join("no/such/dir/out.csv");

    let e = json_error(
        &data,
        &[
            "segment",
            "create",
            "x",
            "--query",
            "amount_spnt > 1",
            "--json",
        ],
        2,
    );
    assert_eq!(e["error"]["code"], "invalid_query");
    assert_eq!(e["error"]["errors"][0]["code"], "unknown_filter");
    assert_eq!(e["error"]["errors"][0]["span"], serde_json::json!([0, 11]));

    let e = json_error(&data, &["count", "amount_spnt > 1", "--json"], 2);
    assert_eq!(e["error"]["code"], "invalid_query");
    assert_eq!(e["error"]["errors"][0]["suggestion"], "amount_spent");

    let e = json_error(
        &data,
        &["--json", "count", "customer_segments CONTAINS 'Nope'"],
        2,
    );
    assert_eq!(e["error"]["code"], "unknown_segment");

    let e = json_error(&data, &["members", "amount_spnt > 1", "--json"], 2);
    assert_eq!(e["error"]["code"], "invalid_query");

    let e = json_error(&data, &["import", bad.to_str().unwrap(), "--json"], 2);
    assert_eq!(e["error"]["code"], "invalid_rows");
    let rows = e["error"]["rejects"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{e}");
    assert_eq!(rows[0]["line"], 1);
    assert_eq!(rows[0]["field"], "id");
    assert!(
        rows[0]["reason"].as_str().unwrap().contains("not 1.5"),
        "{e}"
    );
    assert_eq!(rows[1]["line"], 2);

    let e = json_error(&data, &["import", missing.to_str().unwrap(), "--json"], 2);
    assert_eq!(e["error"]["code"], "io");

    let e = json_error(
        &data,
        &[
            "export",
            "--query",
            "amount_spent >= 0",
            "--format",
            "csv",
            "--out",
            unwritable.to_str().unwrap(),
            "--json",
        ],
        1,
    );
    assert_eq!(e["error"]["code"], "io");

    let e = json_error(&data, &["customer", "show", "nobody", "--json"], 2);
    assert_eq!(e["error"]["code"], "not_found");

    let e = json_error(&data, &["segment", "show", "nosuch", "--json"], 2);
    assert_eq!(e["error"]["code"], "not_found");

    let e = json_error(&data, &["config", "set", "nokey", "1", "--json"], 2);
    assert_eq!(e["error"]["code"], "invalid_setting");

    let e = json_error(&data, &["count", "--bogus", "x", "--json"], 2);
    assert_eq!(e["error"]["code"], "usage");

    let e = json_error(
        &data,
        &["--json", "--now", "yesterday", "count", "amount_spent > 1"],
        2,
    );
    assert_eq!(e["error"]["code"], "invalid_input");

    // Nothing was imported by the failures.
    let out = flokk(&data, &["dump"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "only the good customer"
    );
}

#[test]
fn without_json_errors_stay_text_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let out = flokk(&data, &["customer", "show", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no customer with id \"nobody\"\n"
    );
}

#[test]
fn checks_verdict_is_its_result_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let out = flokk(&data, &["check", "amount_spnt > 1", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "unknown_filter");
}
