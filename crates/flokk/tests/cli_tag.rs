//! `flokk tag add|remove AUDIENCE TAG` (cli.md): the `--json` shapes, the
//! idempotency (a second run tags 0, already N), live segments following
//! with the feed cause `tagged`, and bad input (an unknown segment, a tag
//! of only spaces) refused with nothing written.

mod common;

use common::{flokk, json, stderr, stdout};
use std::path::Path;
use std::process::Command;

/// A store of five customers: 1 to 3 in Oslo, 3 already tagged `Gold`
/// (tags compare ignoring case, as `CONTAINS` does), 5 tagged `gold`
/// outside the segment.
fn store(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("store");
    let file = dir.join("c.ndjson");
    let lines = [
        r#"{"kind":"customer","id":"1","first_name":"Ann","addresses":[{"city":"Oslo","country":"NO"}]}"#,
        r#"{"kind":"customer","id":"2","addresses":[{"city":"Oslo","country":"NO"}],"tags":["new"]}"#,
        r#"{"kind":"customer","id":"3","addresses":[{"city":"Oslo","country":"NO"}],"tags":["Gold"]}"#,
        r#"{"kind":"customer","id":"4","addresses":[{"city":"Bergen","country":"NO"}]}"#,
        r#"{"kind":"customer","id":"5","tags":["gold"]}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (name, query) in [
        ("Oslo", "customer_cities CONTAINS 'NO--Oslo'"),
        ("Gold", "customer_tags CONTAINS 'gold'"),
    ] {
        let out = flokk(&data, &["segment", "create", name, "--query", query]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    data
}

fn tags_of(data: &Path, id: &str) -> serde_json::Value {
    let dump = stdout(&flokk(data, &["dump"]));
    let customer: serde_json::Value = dump
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["kind"] == "customer" && v["id"] == id)
        .unwrap();
    customer["tags"].clone()
}

#[test]
fn tagging_a_segment_is_idempotent_and_moves_live_segments() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let v = json(&data, &["tag", "add", "Oslo", "gold", "--json"]);
    assert_eq!(
        v,
        serde_json::json!({"tagged": 2, "already": 1, "total_with_tag": 4})
    );
    // The tag is appended; the customer's other fields and tags stay.
    assert_eq!(tags_of(&data, "2"), serde_json::json!(["new", "gold"]));
    assert_eq!(tags_of(&data, "3"), serde_json::json!(["Gold"]));
    let dump = stdout(&flokk(&data, &["dump"]));
    assert!(dump.contains(r#""first_name":"Ann""#), "{dump}");

    // The Gold segment followed, with the cause `tagged`.
    let feed = stdout(&flokk(&data, &["segment", "changes", "Gold", "--json"]));
    let tagged = feed.matches("\"tagged\"").count();
    assert_eq!(tagged, 2, "{feed}");

    // Again: nothing changes, nothing moves.
    let v = json(&data, &["tag", "add", "Oslo", "gold", "--json"]);
    assert_eq!(
        v,
        serde_json::json!({"tagged": 0, "already": 3, "total_with_tag": 4})
    );
    let again = stdout(&flokk(&data, &["segment", "changes", "Gold", "--json"]));
    assert_eq!(again.matches("\"tagged\"").count(), 2, "{again}");

    let v = json(&data, &["tag", "remove", "Oslo", "gold", "--json"]);
    assert_eq!(v, serde_json::json!({"untagged": 3, "total_with_tag": 1}));
    let v = json(&data, &["tag", "remove", "Oslo", "gold", "--json"]);
    assert_eq!(v, serde_json::json!({"untagged": 0, "total_with_tag": 1}));
    assert_eq!(tags_of(&data, "2"), serde_json::json!(["new"]));
    assert_eq!(
        tags_of(&data, "3"),
        serde_json::Value::Null,
        "`Gold` is removed too"
    );
}

#[test]
fn a_query_audience_is_tagged_too() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let v = json(
        &data,
        &[
            "tag",
            "add",
            "--query",
            "customer_cities CONTAINS 'NO--Bergen'",
            "west",
            "--json",
        ],
    );
    assert_eq!(
        v,
        serde_json::json!({"tagged": 1, "already": 0, "total_with_tag": 1})
    );
    assert_eq!(tags_of(&data, "4"), serde_json::json!(["west"]));
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let before = stdout(&flokk(&data, &["dump"]));
    for (args, code) in [
        (
            &["tag", "add", "Nope", "gold", "--json"][..],
            "unknown_segment",
        ),
        (&["tag", "add", "Oslo", "   ", "--json"][..], "invalid_tag"),
        (&["tag", "remove", "Oslo", "", "--json"][..], "invalid_tag"),
    ] {
        let out = flokk(&data, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(code), "{args:?}: {}", stderr(&out));
    }
    let out = flokk(&data, &["tag", "add", "Oslo", "   "]);
    assert!(
        stderr(&out).contains("a tag may not be empty or only spaces"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&flokk(&data, &["dump"])), before);
}

#[test]
fn two_bulk_tags_of_overlapping_segments_at_once_each_tag_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    // "Norway" (1 to 4) overlaps "Oslo" (1 to 3); 3 already has `gold`.
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "Norway",
            "--query",
            "customer_countries CONTAINS 'NO'",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let spawn = |segment: &str| {
        Command::new(env!("CARGO_BIN_EXE_flokk"))
            .arg("--data")
            .arg(&data)
            .args(["tag", "add", segment, "gold", "--json"])
            .env_remove("FLOKK_NOW")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("Oslo"), spawn("Norway"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut tagged = 0;
    for out in [&a, &b] {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
        let v: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        tagged += v["tagged"].as_u64().unwrap();
    }
    // 1, 2 and 4 were tagged, each by exactly one of the two runs.
    assert_eq!(tagged, 3, "{} / {}", stdout(&a), stdout(&b));
    for id in ["1", "2", "3", "4", "5"] {
        let tags = tags_of(&data, id);
        let gold = tags
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t.as_str().unwrap().eq_ignore_ascii_case("gold"))
            .count();
        assert_eq!(gold, 1, "customer {id}: {tags}");
    }
}
