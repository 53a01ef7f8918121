//! `flokk export` (cli.md, data.md §3) through the real binary: a segment
//! or a query, every format, chosen columns, the consent summary, errors
//! with exit code 2, and no half-written file when an export fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2025-06-01T12:00:00Z";

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("FLOKK_NOW", NOW)
        .output()
        .expect("the binary runs")
}

const STORE: &str = r#"{"kind":"customer","id":"a","email":"A@x.no","first_name":"Åse","tags":["vip"],"email_subscription":"SUBSCRIBED","addresses":[{"city":"Oslo","country":"NO","zip":"0150","phone":"22 33 44 55"}]}
{"kind":"customer","id":"b","phone":"+4791234567","first_name":"@b"}
{"kind":"customer","id":"c","tags":["vip"],"sms_subscription":"SUBSCRIBED"}
{"kind":"order","id":"1","customer_id":"a","placed_at":"2025-05-30T10:00:00Z","total":600}
"#;

fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("store.ndjson");
    std::fs::write(&file, STORE).unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
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
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, data)
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_segment_by_name_or_id_in_spreadsheet_formats() {
    let (_tmp, data) = store();
    let csv = ok(&flokk(
        &data,
        &[
            "export",
            "VIP",
            "--format",
            "csv",
            "--columns",
            "id,customer_tags,amount_spent,segments",
        ],
    ));
    assert_eq!(
        csv,
        "id,customer_tags,amount_spent,segments\n\
         a,vip,600.00,\"Customers who have purchased at least once, Email subscribers, VIP\"\n\
         c,vip,0.00,\"Customers who haven't purchased, VIP\"\n"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&flokk(&data, &["--json", "segment", "show", "VIP"]))).unwrap();
    let id = shown["id"].to_string();
    let by_id = ok(&flokk(
        &data,
        &[
            "export",
            &id,
            "--format",
            "csv",
            "--columns",
            "id,customer_tags,amount_spent,segments",
        ],
    ));
    assert_eq!(by_id, csv);
    let excel = flokk(
        &data,
        &[
            "export",
            "--query",
            "number_of_orders >= 0",
            "--format",
            "csv-excel",
        ],
    );
    let text = ok(&excel);
    assert!(text.starts_with("\u{feff}Customer ID,"), "{text}");
    assert!(text.contains("\r\nb,'@b,"), "{text}");
    assert!(String::from_utf8_lossy(&excel.stderr).contains("exported 3 customers"));
}

#[test]
fn ad_audiences_leave_out_who_has_not_consented_and_say_so() {
    let (tmp, data) = store();
    let out_file = tmp.path().join("meta.csv");
    let out = flokk(
        &data,
        &[
            "--json",
            "export",
            "--query",
            "number_of_orders >= 0",
            "--format",
            "meta",
            "--raw",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    let summary: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(summary["exported"], 1, "{summary}");
    assert_eq!(summary["left_out"]["no_consent"], 1, "{summary}");
    assert_eq!(summary["left_out"]["no_contact"], 1, "{summary}");
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(
        written,
        "email,phone,fn,ln,ct,st,zip,country,doby,gen\na@x.no,,åse,,oslo,,0150,no,,\n"
    );
}

#[test]
fn xlsx_goes_to_a_file() {
    let (tmp, data) = store();
    let file = tmp.path().join("vip.xlsx");
    ok(&flokk(
        &data,
        &[
            "export",
            "VIP",
            "--format",
            "xlsx",
            "--out",
            file.to_str().unwrap(),
        ],
    ));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn mistakes_are_user_errors_and_leave_no_file() {
    let (tmp, data) = store();
    let file = tmp.path().join("x.csv");
    let f = file.to_str().unwrap();
    for (args, message) in [
        (
            vec!["export", "VIP", "--format", "pdf", "--out", f],
            "unknown export format",
        ),
        (
            vec!["export", "Nope", "--format", "csv", "--out", f],
            "no segment or list named 'Nope'",
        ),
        (
            vec![
                "export",
                "VIP",
                "--format",
                "csv",
                "--columns",
                "id,amount_spnt",
                "--out",
                f,
            ],
            "did you mean 'amount_spent'",
        ),
        (
            vec!["export", "VIP", "--format", "csv", "--raw", "--out", f],
            "--raw applies to --format meta only",
        ),
        (
            vec![
                "export",
                "--query",
                "amount_spnt > 1",
                "--format",
                "csv",
                "--out",
                f,
            ],
            "amount_spnt",
        ),
        (
            vec!["export", "--format", "csv", "--out", f],
            "give a segment name or --query",
        ),
    ] {
        let out = flokk(&data, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!file.exists(), "{args:?} left a file");
        assert!(!tmp.path().join("x.csv.partial").exists());
    }
}
