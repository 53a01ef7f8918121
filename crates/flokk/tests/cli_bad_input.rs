//! Bad input at the CLI (issue 18): each case is refused with a clear
//! message that names the real cause, exit 2, and nothing is written.

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn customers(data: &Path) -> String {
    let out = flokk(data, &["dump"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn files_that_are_not_text_are_named_for_what_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let utf16: Vec<u8> = "{\"kind\":\"customer\",\"id\":\"1\"}\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut with_bom = vec![0xff, 0xfe];
    with_bom.extend(&utf16);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "a.ndjson.gz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
            "gzip-compressed",
        ),
        (
            "a.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            "Excel workbook",
        ),
        ("bom.csv", with_bom, "UTF-16 text"),
        ("nobom.ndjson", utf16, "UTF-16 or binary"),
    ];
    for (name, bytes, said) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = flokk(&data, &["import", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(said), "{name}: {err}");
        assert!(!err.contains("Shopify exports are UTF-8"), "{name}: {err}");
    }
    assert_eq!(customers(&data), "");
}

#[test]
fn a_cause_is_said_once() {
    // Regression: "I/O error: No such file or directory (os error 2): No
    // such file or directory (os error 2)".
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.ndjson");
    std::fs::write(&file, "{\"kind\":\"customer\",\"id\":\"1\"}\n").unwrap();
    let cause = std::fs::File::open("/proc/no-such-store")
        .unwrap_err()
        .to_string();
    let out = flokk(
        Path::new("/proc/no-such-store"),
        &["import", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches(cause.as_str()).count(), 1, "{err}");
    assert!(err.contains("/proc/no-such-store"), "{err}");
}

#[test]
fn absurd_amounts_and_offsets_are_refused_with_line_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = tmp.path().join("bad.ndjson");
    std::fs::write(
        &file,
        concat!(
            "{\"kind\":\"customer\",\"id\":\"1\"}\n",
            "{\"kind\":\"order\",\"id\":\"o1\",\"customer_id\":\"1\",\"placed_at\":\"2025-03-01T12:30:00Z\",\"total\":1.7e308}\n",
            "{\"kind\":\"order\",\"id\":\"o2\",\"customer_id\":\"1\",\"placed_at\":\"2025-03-01T12:30:00+25:00\",\"total\":1}\n",
        ),
    )
    .unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        // A number too large to hold is refused where it is read (the
        // field in backticks, as for any value of the wrong form).
        err.contains("bad.ndjson:2: `total`: 1.7e308 is beyond the largest amount"),
        "{err}"
    );
    assert!(err.contains("bad.ndjson:3: `placed_at`"), "{err}");
    assert!(err.contains("outside RFC 3339"), "{err}");
    // All or nothing: the valid customer on line 1 is not written either.
    assert_eq!(customers(&data), "");
}

#[test]
fn check_refuses_a_relative_date_past_the_calendar_with_its_span() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let query = "last_order_date > +7973y";
    let out = flokk(&data, &["check", query, "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    let error = &json["errors"][0];
    assert_eq!(error["code"], "date_out_of_range");
    assert_eq!(error["span"], serde_json::json!([18, 24]));
    assert!(
        error["message"].as_str().unwrap().contains("9999-12-31"),
        "{error}"
    );
    // And a saved segment cannot be created with it.
    let out = flokk(&data, &["segment", "create", "far", "--query", query]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn check_refuses_a_segment_that_does_not_exist_like_count_does() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let out = flokk(
        &data,
        &["segment", "create", "VIP", "--query", "amount_spent > 100"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let query = "customer_segments CONTAINS 'VPI' OR customer_segments CONTAINS 'VIP'";
    let out = flokk(&data, &["check", query, "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json}");
    assert_eq!(errors[0]["code"], "unknown_segment");
    assert_eq!(errors[0]["span"], serde_json::json!([27, 32]));
    assert_eq!(errors[0]["suggestion"], "'VIP'");
    // The existing name checks, in any case.
    let out = flokk(&data, &["check", "customer_segments CONTAINS 'vip'"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_segment_that_cannot_be_evaluated_is_failing_and_the_others_go_on() {
    // Regression: one segment whose evaluation failed stopped every sync,
    // so imports exited 2, no segment moved and it could not be removed.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let ok = |args: &[&str]| {
        let out = flokk(&data, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        out
    };
    let numbers = file(
        "numbers.ndjson",
        "{\"kind\":\"customer\",\"id\":\"1\",\"properties\":{\"n\":5}}\n",
    );
    ok(&["import", &numbers]);
    ok(&[
        "segment",
        "create",
        "Big",
        "--query",
        "metafields.custom.n > 3",
    ]);
    ok(&[
        "segment",
        "create",
        "Nested",
        "--query",
        "customer_segments CONTAINS 'Big'",
    ]);
    ok(&[
        "segment",
        "create",
        "Everyone",
        "--query",
        "number_of_orders >= 0",
    ]);
    // `n` becomes text for most customers: Big's query no longer checks,
    // so Nested cannot be evaluated either.
    let words = file(
        "words.ndjson",
        concat!(
            "{\"kind\":\"customer\",\"id\":\"2\",\"properties\":{\"n\":\"x\"}}\n",
            "{\"kind\":\"customer\",\"id\":\"3\",\"properties\":{\"n\":\"y\"}}\n",
            "{\"kind\":\"customer\",\"id\":\"4\",\"properties\":{\"n\":\"z\"}}\n",
        ),
    );
    ok(&["import", &words]);
    let list: serde_json::Value =
        serde_json::from_slice(&ok(&["segment", "list", "--json"]).stdout).unwrap();
    let find = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {list}"))
            .clone()
    };
    let big = find("Big");
    assert!(
        big["failing"]
            .as_str()
            .unwrap()
            .contains("no longer checks"),
        "{big}"
    );
    let nested = find("Nested");
    assert!(
        nested["failing"]
            .as_str()
            .unwrap()
            .contains("unknown_segment"),
        "{nested}"
    );
    let everyone = find("Everyone");
    assert_eq!(everyone["failing"], serde_json::Value::Null);
    assert_eq!(everyone["count"], 4, "the other segments moved: {everyone}");
    // A failing segment can be shown, edited, deleted and purged.
    let shown = ok(&["segment", "show", "Nested"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("FAILING"));
    ok(&[
        "segment",
        "update",
        "Nested",
        "--query",
        "customer_tags CONTAINS 'a'",
    ]);
    let list: serde_json::Value =
        serde_json::from_slice(&ok(&["segment", "list", "--json"]).stdout).unwrap();
    let nested = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Nested")
        .unwrap();
    assert_eq!(nested["failing"], serde_json::Value::Null, "{nested}");
    ok(&["segment", "delete", "Big"]);
    ok(&["segment", "purge", "Big"]);
}

#[test]
fn integer_ids_beyond_64_bits_import_as_their_digits_and_fractions_do_not() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = tmp.path().join("long.ndjson");
    std::fs::write(
        &file,
        concat!(
            "{\"kind\":\"customer\",\"id\":18446744073709551616}\n",
            "{\"kind\":\"customer\",\"id\":123456789012345678901234567890}\n",
            "{\"kind\":\"order\",\"id\":98765432109876543210987654321,\"customer_id\":123456789012345678901234567890,\"placed_at\":\"2025-03-01T12:30:00Z\",\"total\":10}\n",
        ),
    )
    .unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dump = customers(&data);
    assert!(dump.contains("\"id\":\"18446744073709551616\""), "{dump}");
    assert!(
        dump.contains("\"id\":\"123456789012345678901234567890\""),
        "{dump}"
    );
    assert!(
        dump.contains("\"id\":\"98765432109876543210987654321\""),
        "{dump}"
    );
    assert!(
        dump.contains("\"customer_id\":\"123456789012345678901234567890\""),
        "{dump}"
    );
    // The dump imports into an identical store (the round trip).
    let again = tmp.path().join("again");
    let dumped = tmp.path().join("dump.ndjson");
    std::fs::write(&dumped, &dump).unwrap();
    let out = flokk(&again, &["import", dumped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(customers(&again), dump);

    let bad = tmp.path().join("fraction.ndjson");
    std::fs::write(&bad, "{\"kind\":\"customer\",\"id\":1.5}\n").unwrap();
    let out = flokk(&data, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("fraction.ndjson:1: `id`: an id must be a string or an integer written in digits, not 1.5"),
        "{err}"
    );
}
