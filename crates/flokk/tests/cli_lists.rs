//! Static lists and samples (cli.md "Acting on segments"): `flokk list
//! create|show|delete`, `flokk segment sample`, `customer_lists CONTAINS`,
//! lists as an AUDIENCE (`segment members`, `tag add`, `export`) and in
//! `segment list`; bad input (a sample larger than the segment, a
//! percentage over 100, a taken name, a file naming nobody, deleting a list
//! a segment names) refused with nothing written.

mod common;

use common::{flokk, json, refused, stderr, stdout};
use std::path::Path;

fn count(data: &Path, query: &str) -> u64 {
    json(data, &["--json", "count", query])["count"]
        .as_u64()
        .unwrap()
}

/// Twenty customers `c00`..`c19` (emails `c00@x.no`...); the segment
/// `Even` holds the ten with an even number.
fn store(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("store");
    let file = dir.join("c.ndjson");
    let lines: Vec<String> = (0..20)
        .map(|i: u32| {
            format!(
                r#"{{"kind":"customer","id":"c{i:02}","email":"c{i:02}@x.no","tags":["{}"]}}"#,
                if i.is_multiple_of(2) { "even" } else { "odd" }
            )
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let even = "customer_tags CONTAINS 'even'";
    let out = flokk(&data, &["segment", "create", "Even", "--query", even]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    data
}

fn lists_in_index(data: &Path) -> Vec<String> {
    json(data, &["--json", "segment", "list"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "list")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_list_from_a_file_reports_the_rows_that_named_nobody() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let csv = tmp.path().join("people.csv");
    // An id, an email in another case, an unknown id, an unknown email, a
    // duplicate of the first.
    std::fs::write(
        &csv,
        "Email,Customer ID\n,c01\nC02@X.NO,\n,nobody\nnone@x.no,\n,c01\n",
    )
    .unwrap();
    // One column is read (ids before emails), so a row with only an email
    // is refused, naming its line.
    let e = refused(
        &data,
        &[
            "--json",
            "list",
            "create",
            "VIPs",
            "--from-file",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(e["error"]["code"], "invalid_file", "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("line 3"),
        "{e}"
    );
    assert!(lists_in_index(&data).is_empty(), "nothing written");

    let ndjson = tmp.path().join("people.ndjson");
    std::fs::write(
        &ndjson,
        "{\"id\":\"c01\"}\n{\"email\":\"C02@X.NO\"}\n{\"id\":\"nobody\"}\n\"none@x.no\"\n{\"id\":\"c01\"}\n",
    )
    .unwrap();
    let list = json(
        &data,
        &[
            "--json",
            "list",
            "create",
            "VIPs",
            "--from-file",
            ndjson.to_str().unwrap(),
        ],
    );
    assert_eq!(list["name"], "VIPs");
    assert_eq!(list["kind"], "list");
    assert_eq!(list["source"], "file");
    assert_eq!(list["count"], 2, "{list}");
    assert_eq!(
        list["unknown"],
        serde_json::json!([{"line": 3, "value": "nobody"}, {"line": 4, "value": "none@x.no"}])
    );
    assert_eq!(json(&data, &["--json", "list", "show", "vips"]), list);
    assert_eq!(count(&data, "customer_lists CONTAINS 'vips'"), 2);
    assert_eq!(count(&data, "customer_lists NOT CONTAINS 'VIPs'"), 18);
    assert_eq!(count(&data, "customer_lists IS NOT NULL"), 2);
    let members = stdout(&flokk(&data, &["segment", "members", "VIPs"]));
    assert_eq!(members, "c01\nc02\n");
    assert_eq!(lists_in_index(&data), vec!["VIPs"]);

    // A file naming nobody at all is refused.
    let empty = tmp.path().join("empty.csv");
    std::fs::write(&empty, "id\n").unwrap();
    let e = refused(
        &data,
        &[
            "--json",
            "list",
            "create",
            "Empty",
            "--from-file",
            empty.to_str().unwrap(),
        ],
    );
    assert_eq!(e["error"]["code"], "invalid_file");
}

#[test]
fn a_frozen_segment_does_not_move_with_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let list = json(
        &data,
        &["--json", "list", "create", "Even now", "--freeze", "Even"],
    );
    assert_eq!(list["count"], 10);
    assert_eq!(list["source"], "freeze");
    assert_eq!(list["origin"], "Even");
    // c01 becomes even, c00 odd: the segment moves, the list does not.
    let file = tmp.path().join("move.ndjson");
    std::fs::write(
        &file,
        "{\"kind\":\"customer_patch\",\"id\":\"c01\",\"tags_add\":[\"even\"]}\n\
         {\"kind\":\"customer_patch\",\"id\":\"c00\",\"tags_remove\":[\"even\"]}\n",
    )
    .unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let in_segment = stdout(&flokk(&data, &["segment", "members", "Even"]));
    assert!(in_segment.starts_with("c01\nc02\n"), "{in_segment}");
    let on_list = stdout(&flokk(&data, &["segment", "members", "Even now"]));
    assert!(on_list.starts_with("c00\nc02\n"), "{on_list}");
    assert_eq!(
        json(&data, &["--json", "list", "show", "Even now"])["count"],
        10
    );
}

#[test]
fn a_sample_is_exact_stable_for_a_seed_and_comes_with_its_hold_out() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let drawn = json(
        &data,
        &[
            "--json",
            "segment",
            "sample",
            "Even",
            "--size",
            "3",
            "--seed",
            "42",
            "--name",
            "Test",
            "--holdout",
            "Control",
        ],
    );
    let drawn = drawn.as_array().unwrap();
    assert_eq!(drawn.len(), 2);
    assert_eq!(drawn[0]["name"], "Test");
    assert_eq!(drawn[0]["source"], "sample");
    assert_eq!(drawn[0]["seed"], 42);
    assert_eq!(drawn[0]["count"], 3);
    assert_eq!(drawn[1]["name"], "Control");
    assert_eq!(drawn[1]["source"], "holdout");
    assert_eq!(drawn[1]["count"], 7);
    // Sample and hold-out split the segment.
    assert_eq!(
        count(
            &data,
            "customer_lists CONTAINS 'Test' AND customer_lists CONTAINS 'Control'"
        ),
        0
    );
    assert_eq!(
        count(
            &data,
            "(customer_lists CONTAINS 'Test' OR customer_lists CONTAINS 'Control') AND customer_segments CONTAINS 'Even'"
        ),
        10
    );
    // The same seed draws the same customers.
    json(
        &data,
        &[
            "--json", "segment", "sample", "Even", "--size", "3", "--seed", "42", "--name", "Again",
        ],
    );
    assert_eq!(
        stdout(&flokk(&data, &["segment", "members", "Test"])),
        stdout(&flokk(&data, &["segment", "members", "Again"]))
    );
    // --percent rounds to the nearest customer; no seed: one is chosen and reported.
    let pct = json(
        &data,
        &[
            "--json",
            "segment",
            "sample",
            "Even",
            "--percent",
            "25",
            "--name",
            "Quarter",
        ],
    );
    assert_eq!(pct[0]["count"], 3, "{pct}");
    assert!(pct[0]["seed"].is_u64(), "{pct}");
    // A list is an audience for a sample too.
    let sub = json(
        &data,
        &[
            "--json",
            "segment",
            "sample",
            "Control",
            "--size",
            "7",
            "--name",
            "All control",
        ],
    );
    assert_eq!(sub[0]["count"], 7);
}

#[test]
fn bad_samples_and_names_are_refused_with_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let e = refused(
        &data,
        &[
            "--json", "segment", "sample", "Even", "--size", "11", "--name", "Big",
        ],
    );
    assert_eq!(e["error"]["code"], "sample_too_large", "{e}");
    let e = refused(
        &data,
        &[
            "--json",
            "segment",
            "sample",
            "Even",
            "--percent",
            "100.5",
            "--name",
            "Big",
        ],
    );
    assert_eq!(e["error"]["code"], "invalid_sample", "{e}");
    let e = refused(
        &data,
        &[
            "--json", "segment", "sample", "Nope", "--size", "1", "--name", "Big",
        ],
    );
    assert_eq!(e["error"]["code"], "unknown_segment", "{e}");
    // A name a segment has, or the hold-out named like the sample.
    let e = refused(
        &data,
        &[
            "--json", "segment", "sample", "Even", "--size", "1", "--name", "even",
        ],
    );
    assert_eq!(e["error"]["code"], "conflict", "{e}");
    let e = refused(
        &data,
        &[
            "--json",
            "segment",
            "sample",
            "Even",
            "--size",
            "1",
            "--name",
            "A",
            "--holdout",
            "a",
        ],
    );
    assert_eq!(e["error"]["code"], "invalid", "{e}");
    assert!(lists_in_index(&data).is_empty(), "nothing written");
    // A segment may not take a list's name either.
    json(
        &data,
        &["--json", "list", "create", "Frozen", "--freeze", "Even"],
    );
    let e = refused(
        &data,
        &[
            "--json",
            "segment",
            "create",
            "frozen",
            "--query",
            "number_of_orders > 0",
        ],
    );
    assert_eq!(e["error"]["code"], "conflict", "{e}");
}

#[test]
fn a_list_is_an_audience_and_cannot_be_deleted_while_a_segment_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    json(
        &data,
        &[
            "--json", "segment", "sample", "Even", "--size", "4", "--seed", "1", "--name", "Test",
        ],
    );
    let tagged = json(&data, &["--json", "tag", "add", "Test", "picked"]);
    assert_eq!(tagged["tagged"], 4);
    assert_eq!(count(&data, "customer_tags CONTAINS 'picked'"), 4);
    let csv = tmp.path().join("out.csv");
    let out = flokk(
        &data,
        &[
            "export",
            "Test",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 5);

    // A saved segment may name only a list that exists (a typo is an
    // error with the nearest name), and keeps the list from being deleted.
    let e = refused(
        &data,
        &[
            "--json",
            "segment",
            "create",
            "Typo",
            "--query",
            "customer_lists CONTAINS 'Tset'",
        ],
    );
    assert_eq!(e["error"]["code"], "invalid_query", "{e}");
    assert_eq!(e["error"]["errors"][0]["code"], "unknown_list", "{e}");
    assert_eq!(e["error"]["errors"][0]["suggestion"], "'Test'", "{e}");
    let check = flokk(
        &data,
        &["--json", "check", "customer_lists CONTAINS 'Tset'"],
    );
    assert_eq!(check.status.code(), Some(2));
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(check["errors"][0]["code"], "unknown_list", "{check}");
    json(
        &data,
        &[
            "--json",
            "segment",
            "create",
            "Picked even",
            "--query",
            "customer_lists CONTAINS 'Test'",
        ],
    );
    let e = refused(&data, &["--json", "list", "delete", "Test"]);
    assert_eq!(e["error"]["code"], "list_in_use", "{e}");
    json(&data, &["--json", "segment", "delete", "Picked even"]);
    let deleted = json(&data, &["--json", "list", "delete", "test"]);
    assert_eq!(deleted["name"], "Test");
    let e = refused(&data, &["--json", "list", "show", "Test"]);
    assert_eq!(e["error"]["code"], "unknown_list", "{e}");
    let e = refused(
        &data,
        &["--json", "count", "customer_lists CONTAINS 'Test'"],
    );
    assert_eq!(e["error"]["code"], "unknown_list", "{e}");
}
