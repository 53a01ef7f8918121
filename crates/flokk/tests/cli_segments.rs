//! `flokk segment ...` (cli.md): the lifecycle, JSON shapes, the change
//! feed with its causes, built-in segments, templates, and membership
//! following imports, through the real binary.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn flokk_at(data: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("FLOKK_NOW", now)
        .output()
        .expect("the binary runs")
}

const NOW: &str = "2025-06-01T12:00:00Z";

fn flokk(data: &Path, args: &[&str]) -> Output {
    flokk_at(data, NOW, args)
}

/// Runs a command that must succeed with `--json` and parses its output.
fn json(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = flokk(data, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const STORE: &str = r#"{"kind":"customer","id":"a","tags":["vip"],"email_subscription":"SUBSCRIBED"}
{"kind":"customer","id":"b"}
{"kind":"customer","id":"c","tags":["vip"]}
{"kind":"order","id":"1","customer_id":"a","placed_at":"2025-05-30T10:00:00Z","total":600}
{"kind":"order","id":"2","customer_id":"b","placed_at":"2025-01-02T10:00:00Z","total":50}
"#;

fn import(data: &Path, tmp: &Path, name: &str, ndjson: &str, now: &str) -> Output {
    let file = tmp.join(name);
    std::fs::write(&file, ndjson).unwrap();
    flokk_at(data, now, &["import", file.to_str().unwrap()])
}

fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = import(&data, tmp.path(), "store.ndjson", STORE, NOW);
    assert_eq!(out.status.code(), Some(0));
    (tmp, data)
}

fn members(data: &Path, segment: &str) -> Vec<String> {
    let out = flokk(
        data,
        &[
            "members",
            &format!("customer_segments CONTAINS '{segment}'"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn feed(data: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["segment", "changes"];
    all.extend_from_slice(args);
    json(data, &all)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["segment"].as_str().unwrap(),
                e["customer"].as_str().unwrap(),
                e["change"].as_str().unwrap(),
                e["cause"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn create_shows_the_segment_in_cli_md_shape() {
    let (_t, data) = store();
    let v = json(
        &data,
        &[
            "segment",
            "create",
            "Big spenders",
            "--query",
            "amount_spent > 500",
            "--description",
            "over 500",
        ],
    );
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "kind",
            "description",
            "query",
            "draft",
            "draft_query",
            "author",
            "count",
            "percent",
            "counted_at",
            "created_at",
            "updated_at",
            "last_activity",
            "deleted",
            "deleted_at",
            "version",
            "failing"
        ]
    );
    assert_eq!(v["name"], "Big spenders");
    assert_eq!(v["author"], "merchant");
    assert_eq!(v["count"], 1);
    assert!((v["percent"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(v["counted_at"], "2025-06-01T12:00:00+00:00");
    assert_eq!(members(&data, "big SPENDERS"), ["a"]);
    // Names are unique regardless of case.
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "BIG spenders",
            "--query",
            "number_of_orders > 0",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

#[test]
fn built_ins_are_installed_once_and_stay_deleted() {
    let (_t, data) = store();
    let list = json(&data, &["segment", "list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Abandoned checkouts in the last 30 days",
            "Customers who have purchased at least once",
            "Customers who have purchased more than once",
            "Customers who haven't purchased",
            "Email subscribers",
        ]
    );
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|s| s["author"] == "flokk")
    );
    let counts: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [0, 2, 0, 1, 1]);
    json(&data, &["segment", "delete", "Email subscribers"]);
    let list = json(&data, &["segment", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    let deleted = json(&data, &["segment", "list", "--deleted"]);
    assert_eq!(deleted[0]["name"], "Email subscribers");
    assert_eq!(deleted[0]["deleted"], true);
}

#[test]
fn list_searches_and_sorts() {
    let (_t, data) = store();
    json(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    let found = json(&data, &["segment", "list", "--search", "PURCHASED"]);
    assert_eq!(found.as_array().unwrap().len(), 3);
    let by_count = json(&data, &["segment", "list", "--sort", "count"]);
    let first: Vec<(&str, u64)> = by_count.as_array().unwrap()[..2]
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        first,
        [
            ("Customers who have purchased at least once", 2),
            ("VIP", 2)
        ]
    );
    // The segment just created was the last activity.
    // cli.md spells it last_activity.
    let recent = json(&data, &["segment", "list", "--sort", "last_activity"]);
    assert_eq!(recent[0]["name"], "VIP");
}

#[test]
fn update_draft_rename_delete_restore_purge() {
    let (_t, data) = store();
    json(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    json(
        &data,
        &[
            "segment",
            "create",
            "VIP buyers",
            "--query",
            "customer_segments CONTAINS 'VIP' AND number_of_orders > 0",
        ],
    );
    assert_eq!(members(&data, "VIP buyers"), ["a"]);

    // A draft leaves members alone until published.
    let v = json(
        &data,
        &[
            "segment",
            "update",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip' OR number_of_orders > 0",
            "--draft",
        ],
    );
    assert_eq!(v["draft"], true);
    assert_eq!(v["query"], "customer_tags CONTAINS 'vip'");
    assert_eq!(members(&data, "VIP"), ["a", "c"]);
    let v = json(&data, &["segment", "publish", "VIP"]);
    assert_eq!(
        (
            v["draft"].as_bool(),
            v["version"].as_u64(),
            v["count"].as_u64()
        ),
        (Some(false), Some(2), Some(3))
    );
    assert_eq!(members(&data, "VIP buyers"), ["a", "b"]);

    // Rename rewrites the segments that name it.
    json(&data, &["segment", "rename", "VIP", "Insiders"]);
    let v = json(&data, &["segment", "show", "VIP buyers"]);
    assert_eq!(
        v["query"],
        "customer_segments CONTAINS 'Insiders' AND number_of_orders > 0"
    );
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);

    // Cycles and deleting what others use are refused with clear errors.
    let out = flokk(
        &data,
        &[
            "--json",
            "segment",
            "update",
            "Insiders",
            "--query",
            "customer_segments CONTAINS 'VIP buyers'",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["errors"][0]["code"], "segment_cycle");
    assert_eq!(e["error"]["errors"][0]["column"], 28);
    let out = flokk(&data, &["segment", "delete", "Insiders"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("used by 'VIP buyers'"));

    // Delete, restore, purge.
    json(&data, &["segment", "delete", "VIP buyers"]);
    let out = flokk(&data, &["count", "customer_segments CONTAINS 'VIP buyers'"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&data, &["segment", "restore", "VIP buyers"]);
    assert_eq!(
        (v["deleted"].as_bool(), v["count"].as_u64()),
        (Some(false), Some(2))
    );
    json(&data, &["segment", "delete", "VIP buyers"]);
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "vip BUYERS",
            "--query",
            "number_of_orders > 0",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("restore it, or purge it"));
    json(&data, &["segment", "purge", "VIP buyers"]);
    json(
        &data,
        &[
            "segment",
            "create",
            "vip BUYERS",
            "--query",
            "number_of_orders > 0",
        ],
    );

    let changes = feed(&data, &["VIP buyers"]);
    assert_eq!(
        changes,
        [
            "vip BUYERS a entered created",
            "vip BUYERS b entered created"
        ]
    );
}

#[test]
fn membership_follows_imports_and_midnights_with_causes() {
    let (t, data) = store();
    json(
        &data,
        &[
            "segment",
            "create",
            "Recent",
            "--query",
            "last_order_date >= -3d",
        ],
    );
    json(
        &data,
        &[
            "segment",
            "create",
            "Tagged",
            "--query",
            "customer_tags CONTAINS 'new'",
        ],
    );
    assert_eq!(members(&data, "Recent"), ["a"]);
    let since = json(&data, &["segment", "changes"])
        .as_array()
        .unwrap()
        .last()
        .unwrap()["seq"]
        .as_u64()
        .unwrap();
    let more = r#"{"kind":"order","id":"3","customer_id":"b","placed_at":"2025-06-01T09:00:00Z","total":5}
{"kind":"customer","id":"c","tags":["new"]}
{"kind":"delete","entity":"customer","id":"a"}
"#;
    let out = import(&data, t.path(), "more.ndjson", more, NOW);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let since_arg = since.to_string();
    let changes = feed(&data, &["--since", &since_arg]);
    assert!(
        changes.contains(&"Recent b entered record_added".to_owned()),
        "{changes:?}"
    );
    assert!(
        changes.contains(&"Recent a exited customer_changed".to_owned()),
        "{changes:?}"
    );
    assert!(
        changes.contains(&"Tagged c entered customer_changed".to_owned()),
        "{changes:?}"
    );
    // Four days later b's order is older than three days: it leaves at midnight.
    let later = "2025-06-05T08:00:00Z";
    let out = flokk_at(
        &data,
        later,
        &[
            "--json", "segment", "changes", "Recent", "--since", &since_arg,
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = v.as_array().unwrap().last().unwrap();
    assert_eq!(
        (
            last["customer"].as_str(),
            last["change"].as_str(),
            last["cause"].as_str()
        ),
        (Some("b"), Some("exited"), Some("midnight"))
    );
    // Feed entries carry cli.md's fields first.
    let keys: Vec<&str> = last
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "seq",
            "segment",
            "customer",
            "change",
            "cause",
            "at",
            "segment_id"
        ]
    );
}

#[test]
fn customer_show_lists_segments_and_templates_create() {
    let (_t, data) = store();
    json(
        &data,
        &["segment", "create", "High AOV", "--template", "high_aov"],
    );
    let v = json(&data, &["segment", "show", "High AOV"]);
    assert_eq!(v["query"], "average_order_value > 200");
    assert_eq!(
        v["description"],
        "Customers whose orders average more than 200."
    );
    let c = json(&data, &["customer", "show", "a"]);
    let segments: Vec<&str> = c["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        segments,
        [
            "Customers who have purchased at least once",
            "Email subscribers",
            "High AOV"
        ]
    );
    let templates = json(&data, &["segment", "templates"]);
    assert!(templates.as_array().unwrap().len() >= 10);
    let out = flokk(&data, &["segment", "create", "X", "--template", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn evaluating_as_of_an_earlier_instant_never_rewrites_history() {
    let (_t, data) = store();
    json(
        &data,
        &[
            "segment",
            "create",
            "Recent",
            "--query",
            "last_order_date > -7d",
        ],
    );
    // A month later, customer a's order is old: a exits at midnight.
    let later = "2025-07-01T12:00:00Z";
    let out = flokk_at(&data, later, &["--json", "segment", "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        feed(&data, &["Recent"]),
        ["Recent a entered created", "Recent a exited midnight"]
    );

    // Back at the earlier instant: counted as of then, written nowhere.
    let out = flokk_at(&data, NOW, &["--json", "segment", "list"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let recent = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Recent")
        .unwrap();
    assert_eq!(recent["count"], 1, "as of the earlier instant");
    assert_eq!(
        feed(&data, &["Recent"]),
        ["Recent a entered created", "Recent a exited midnight"],
        "no entry written backwards"
    );

    // Changes as of the earlier instant are refused with a stable code.
    let out = flokk_at(
        &data,
        NOW,
        &[
            "segment",
            "create",
            "Old",
            "--query",
            "number_of_orders > 0",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("now_before_last_sync"), "{stderr}");

    // Forward again: the stored state is where the later sync left it.
    let out = flokk_at(&data, later, &["--json", "segment", "list"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(
        feed(&data, &["Recent"]),
        ["Recent a entered created", "Recent a exited midnight"]
    );
}

#[test]
fn last_activity_follows_edits_drafts_counts_member_lists_and_exports() {
    let (tmp, data) = store();
    let activity = |now: &str| -> String {
        let out = flokk_at(&data, now, &["--json", "segment", "list"]);
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "VIP")
            .unwrap()["last_activity"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let step = |now: &str, args: &[&str]| {
        let out = flokk_at(&data, now, args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    step(
        NOW,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    assert_eq!(activity(NOW), "2025-06-01T12:00:00+00:00", "created");

    // Listing the index is not using each segment: nothing moves.
    assert_eq!(
        activity("2025-06-01T13:00:00Z"),
        "2025-06-01T12:00:00+00:00"
    );

    let t = "2025-06-01T14:00:00Z";
    step(
        t,
        &[
            "segment",
            "update",
            "VIP",
            "--query",
            "number_of_orders > 0",
            "--draft",
        ],
    );
    assert_eq!(activity(t), "2025-06-01T14:00:00+00:00", "draft saved");

    let t = "2025-06-01T15:00:00Z";
    let file = tmp.path().join("vip.csv");
    step(
        t,
        &[
            "export",
            "VIP",
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(activity(t), "2025-06-01T15:00:00+00:00", "exported");

    let t = "2025-06-01T16:00:00Z";
    step(t, &["segment", "members", "VIP"]);
    assert_eq!(activity(t), "2025-06-01T16:00:00+00:00", "members listed");

    let t = "2025-06-01T17:00:00Z";
    step(t, &["segment", "show", "VIP"]);
    assert_eq!(activity(t), "2025-06-01T17:00:00+00:00", "shown (counted)");

    let t = "2025-06-01T18:00:00Z";
    step(
        t,
        &["segment", "update", "VIP", "--description", "Our best"],
    );
    assert_eq!(
        activity(t),
        "2025-06-01T18:00:00+00:00",
        "description edited"
    );
}

#[test]
fn segment_members_lists_a_saved_segments_members() {
    let (_t, data) = store();
    json(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    let out = flokk(&data, &["segment", "members", "VIP"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\nc\n");
    assert_eq!(members(&data, "VIP"), ["a", "c"], "as `members` lists them");
    let out = flokk(&data, &["segment", "members", "Nobody"]);
    assert_eq!(out.status.code(), Some(2));
}
