//! `customer_patch` records through `flokk import` (data.md §1.1): only
//! the fields present change, tags move with `tags_add`/`tags_remove`,
//! live segments follow, and a patch of an unknown customer is refused
//! with its line and field, the whole file unimported.

mod common;

use common::{flokk, stderr, stdout};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

const ANN: &str = concat!(
    r#"{"kind":"customer","id":"1001","email":"ann@example.no","first_name":"Ann","last_name":"Berg","tags":["new","newsletter"],"addresses":[{"address1":"Karl Johans gate 1","city":"Oslo","country":"NO","zip":"0154"}],"properties":{"color":"blue"}}"#,
    "\n",
    r#"{"kind":"customer","id":"1002","first_name":"Bo"}"#,
    "\n"
);

/// The dumped customer record of `id`.
fn dumped(data: &Path, id: &str) -> serde_json::Value {
    let out = flokk(data, &["dump"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["kind"] == "customer" && v["id"] == id)
        .expect("the customer is in the dump")
}

#[test]
fn a_patch_changes_only_the_fields_given() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(tmp.path(), "ann.ndjson", ANN);
    assert_eq!(flokk(&data, &["import", &file]).status.code(), Some(0));
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = dumped(&data, "1001");

    let patch = write(
        tmp.path(),
        "patch.ndjson",
        concat!(
            r#"{"kind":"customer_patch","id":"1001","email":"ann@berg.no","tags_add":["vip"],"tags_remove":["new"],"properties":{"size":"M"}}"#,
            "\n"
        ),
    );
    let out = flokk(&data, &["import", &patch, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["imported"]["customer_patch"], 1, "{summary}");

    let after = dumped(&data, "1001");
    assert_eq!(after["email"], "ann@berg.no");
    assert_eq!(after["tags"], serde_json::json!(["newsletter", "vip"]));
    assert_eq!(
        after["properties"],
        serde_json::json!({"custom.color": "blue", "custom.size": "M"})
    );
    for kept in ["first_name", "last_name", "addresses"] {
        assert_eq!(after[kept], before[kept], "{kept}");
    }
    assert_eq!(
        dumped(&data, "1002"),
        serde_json::json!({"kind": "customer", "id": "1002", "first_name": "Bo"})
    );

    // The live segment followed the patch.
    let out = flokk(&data, &["segment", "members", "VIP", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1001"), "{}", stdout(&out));
}

#[test]
fn a_patch_of_an_unknown_customer_imports_nothing_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(tmp.path(), "ann.ndjson", ANN);
    assert_eq!(flokk(&data, &["import", &file]).status.code(), Some(0));
    let before = stdout(&flokk(&data, &["dump"]));
    let bad = write(
        tmp.path(),
        "bad.ndjson",
        concat!(
            r#"{"kind":"customer_patch","id":"1001","tags_add":["vip"]}"#,
            "\n",
            r#"{"kind":"customer_patch","id":"9999","tags_add":["vip"]}"#,
            "\n",
            r#"{"kind":"customer_patch","id":"1002","emial":"x"}"#,
            "\n"
        ),
    );
    let out = flokk(&data, &["import", &bad]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("bad.ndjson:2: `id`: no customer is known by '9999'"),
        "{err}"
    );
    assert!(err.contains("bad.ndjson:3: unknown field `emial`"), "{err}");
    assert!(err.contains("nothing from this file was imported"), "{err}");
    assert_eq!(stdout(&flokk(&data, &["dump"])), before);
}

#[test]
fn a_patch_after_its_customer_in_the_same_file_applies() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(
        tmp.path(),
        "both.ndjson",
        &format!(
            "{ANN}{}\n",
            r#"{"kind":"customer_patch","id":"1002","last_name":"Li","first_name":null}"#
        ),
    );
    let out = flokk(&data, &["import", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        dumped(&data, "1002"),
        serde_json::json!({"kind": "customer", "id": "1002", "last_name": "Li"})
    );
}

#[test]
fn skip_invalid_keeps_the_good_patches_and_writes_the_bad_one_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let bad = r#"{"kind":"customer_patch","id":"2","tags_add":["x"],"email":"q@b.no"}"#;
    let file = write(
        tmp.path(),
        "mixed.ndjson",
        &format!(
            "{}\n{bad}\n{}\n",
            r#"{"kind":"customer","id":"1","email":"a@b.no"}"#,
            r#"{"kind":"customer_patch","id":"1","tags_add":["x"]}"#
        ),
    );
    let out = flokk(&data, &["import", &file, "--skip-invalid", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        summary,
        serde_json::json!({"imported": {"customer": 1, "customer_patch": 1}, "rejected": 1})
    );
    let rejects = std::fs::read_to_string(tmp.path().join("mixed.rejects.ndjson")).unwrap();
    assert_eq!(rejects, format!("{bad}\n"));
    assert_eq!(
        dumped(&data, "1"),
        serde_json::json!({"kind": "customer", "id": "1", "email": "a@b.no", "tags": ["x"]})
    );
}
