//! The store commands of the CLI contract (cli.md): import, dump, config,
//! customer show; exit codes 0/1/2 and JSON shapes.

use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = include_str!("../../flokk-store/tests/fixtures/spec_example.ndjson");

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn import_prints_the_json_summary_and_dump_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(tmp.path(), "spec.ndjson", SPEC);
    let out = flokk(&data, &["import", &file, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["rejected"], 0);
    assert_eq!(json["imported"]["customer"], 1);
    assert_eq!(json["imported"]["order"], 2);
    assert_eq!(json["imported"]["performance"], 1);

    let dumped = tmp.path().join("dump.ndjson");
    let out = flokk(&data, &["dump", "--out", dumped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let data2 = tmp.path().join("store2");
    let out = flokk(&data2, &["import", dumped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = flokk(&data2, &["dump"]);
    assert_eq!(stdout(&again), std::fs::read_to_string(&dumped).unwrap());
}

#[test]
fn a_bad_file_exits_2_names_file_line_and_field_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let good = write(tmp.path(), "good.ndjson", SPEC);
    assert_eq!(flokk(&data, &["import", &good]).status.code(), Some(0));
    let before = stdout(&flokk(&data, &["dump"]));
    let bad = write(
        tmp.path(),
        "bad.ndjson",
        "{\"kind\":\"customer\",\"id\":\"77\"}\n{\"kind\":\"order\",\"id\":\"x\",\"customer_id\":\"77\",\"placed_at\":\"2025-01-01T00:00:00Z\",\"channel\":\"web\"}\n",
    );
    let out = flokk(&data, &["import", &bad]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.ndjson:2: `channel`: unknown variant `web`"),
        "{err}"
    );
    assert!(err.contains("nothing from this file was imported"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(stdout(&flokk(&data, &["dump"])), before);
}

#[test]
fn skip_invalid_writes_a_reject_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(
        tmp.path(),
        "mixed.ndjson",
        "{\"kind\":\"customer\",\"id\":\"1\"}\n{\"kind\":\"custmer\",\"id\":\"2\"}\n{\"kind\":\"customer\",\"id\":\"3\"}\n",
    );
    let out = flokk(&data, &["import", &file, "--skip-invalid", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["imported"]["customer"], 2);
    assert_eq!(json["rejected"], 1);
    let rejects = std::fs::read_to_string(tmp.path().join("mixed.rejects.ndjson")).unwrap();
    assert_eq!(rejects, "{\"kind\":\"custmer\",\"id\":\"2\"}\n");
}

#[test]
fn missing_files_and_bad_flags_are_user_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let out = flokk(&data, &["import", "/nonexistent/file.ndjson"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot open /nonexistent/file.ndjson"));
    assert_eq!(
        flokk(&data, &["import", "--no-such-flag", "x"])
            .status
            .code(),
        Some(2)
    );
    let out = flokk(&data, &["--now", "yesterday", "customer", "show", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--now"), "{}", stderr(&out));
}

#[test]
fn config_validates_keys_and_values() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    assert_eq!(
        stdout(&flokk(&data, &["config", "get", "timezone"])),
        "UTC\n"
    );
    assert_eq!(
        flokk(&data, &["config", "set", "timezone", "Europe/Oslo"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        stdout(&flokk(&data, &["config", "get", "timezone"])),
        "Europe/Oslo\n"
    );
    let out = flokk(&data, &["config", "set", "timezone", "Europe/Osloo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not an IANA time zone"));
    let out = flokk(&data, &["config", "set", "timzone", "UTC"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown setting \"timzone\""));
    assert_eq!(
        stdout(&flokk(&data, &["config", "set", "currency", "nok"])),
        ""
    );
    assert_eq!(
        stdout(&flokk(&data, &["config", "get", "currency"])),
        "NOK\n"
    );
}

#[test]
fn customer_show_prints_computed_fields_under_their_filter_names() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = write(tmp.path(), "spec.ndjson", SPEC);
    assert_eq!(flokk(&data, &["import", &file]).status.code(), Some(0));
    flokk(&data, &["config", "set", "timezone", "Europe/Oslo"]);
    let out = flokk(
        &data,
        &[
            "--now",
            "2026-02-01T00:00:00Z",
            "customer",
            "show",
            "1001",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["amount_spent"], 149.9);
    assert_eq!(v["number_of_orders"], 1);
    assert_eq!(v["first_order_date"], "2025-03-01T13:30:00+01:00");
    assert_eq!(v["customer_cities"], serde_json::json!(["NO-03-Oslo"]));
    assert_eq!(v["customer_regions"], serde_json::json!(["NO-03"]));
    assert_eq!(v["customer_email_domain"], "example.no");
    assert_eq!(v["number_of_tickets"], 2);
    assert_eq!(v["number_of_events"], 1);
    assert_eq!(v["age"], 37);
    assert_eq!(v["average_days_between_orders"], serde_json::Value::Null);
    assert_eq!(v["segments"], serde_json::json!([]));
    // Title "Ms"; two buyers are far too few for predictions (NULL), but RFM
    // needs no model.
    assert_eq!(v["predicted_gender"], "LIKELY_FEMALE");
    assert_eq!(v["churn_probability"], serde_json::Value::Null);
    assert_eq!(v["predicted_clv"], serde_json::Value::Null);
    assert!(v["rfm_group"].is_string(), "{}", v["rfm_group"]);
    // "As of now": before the order was placed, it does not count.
    let out = flokk(
        &data,
        &[
            "--now",
            "2025-01-01T00:00:00Z",
            "customer",
            "show",
            "1001",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["number_of_orders"], 0);
    assert_eq!(v["amount_spent"], 0.0);
    let out = flokk(&data, &["customer", "show", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../flokk-store/tests/fixtures/shopify/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn shopify_exports_import_and_orders_find_their_customers_by_email() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let out = flokk(
        &data,
        &[
            "import",
            &fixture("customers_export.csv"),
            &fixture("orders_export.csv"),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["rejected"], 0);
    // Four customer rows (the blank row is no record); four orders: #1001,
    // #1003 (voided, kept as cancelled), #1004 and #1005; #1002 has no
    // email, a walk-in sale of no customer, and is skipped.
    assert_eq!(json["imported"]["customer"], 4, "{json}");
    assert_eq!(json["imported"]["order"], 4, "{json}");
    // Ann's orders (by email) belong to her exported customer id.
    let out = flokk(&data, &["customer", "show", "5012345678901", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["email"], "ann@example.no");
    // #1001 and #1004, neither cancelled.
    assert_eq!(v["records"]["orders"], 2, "{v}");
    assert_eq!(v["number_of_orders"], 2, "{v}");
}

#[test]
fn a_bad_shopify_file_is_refused_whole_and_skip_invalid_keeps_the_header() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let bad = tmp.path().join("customers_bad.csv");
    std::fs::copy(fixture("customers_bad.csv"), &bad).unwrap();
    let out = flokk(&data, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("customers_bad.csv:"), "{err}");
    assert!(err.contains("nothing from this file was imported"), "{err}");
    assert_eq!(stdout(&flokk(&data, &["dump"])), "");

    let out = flokk(
        &data,
        &["import", bad.to_str().unwrap(), "--skip-invalid", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Rows 1002, 1003, the one without an id, 1005, 1006, 1007, 1009 and
    // 1010 (whose open quote swallows 1011); 1001 and 1008 are good.
    let rejected = json["rejected"].as_u64().unwrap();
    assert_eq!(rejected, 8, "{json}");
    assert_eq!(json["imported"]["customer"], 2, "{json}");
    let rejects = std::fs::read_to_string(tmp.path().join("customers_bad.rejects.csv")).unwrap();
    assert!(rejects.starts_with("Customer ID,"), "{rejects}");
    // The reject file is itself a Shopify file whose rows are bad again, but
    // for the row with a non-UTF-8 byte: the reject file holds it as UTF-8
    // (with a replacement character), which then reads.
    let out = flokk(
        &data,
        &[
            "import",
            tmp.path()
                .join("customers_bad.rejects.csv")
                .to_str()
                .unwrap(),
            "--skip-invalid",
            "--json",
        ],
    );
    let again: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        again["rejected"].as_u64().unwrap(),
        rejected - 1,
        "{}",
        stderr(&out)
    );
    let out = flokk(&data, &["import", &fixture("not_shopify.csv")]);
    assert_eq!(out.status.code(), Some(2));
}
