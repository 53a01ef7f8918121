//! `flokk members --format csv|json` on a demo store: the documents are
//! `customer show`'s (predictive fields and segments included, `records`
//! left out), whichever way the store is read (in one pass for a long list
//! in id order, member by member otherwise), and the CSV has every member.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-24T12:00:00Z";

fn flokk(data: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .arg("--now")
        .arg(NOW)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "flokk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON")
}

const PREDICTIVE: &[&str] = &[
    "predicted_gender",
    "predicted_number_of_orders",
    "predicted_clv",
    "total_clv",
    "churn_probability",
    "churn_risk",
    "predicted_spend_tier",
    "rfm_group",
];

#[test]
fn member_documents_are_customer_shows_with_predictions_and_segments() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    flokk(&data, &["demo", "--customers", "1500", "--no-serve"]);
    flokk(
        &data,
        &[
            "segment",
            "create",
            "Big spenders",
            "--query",
            "amount_spent > 300",
        ],
    );

    // A query on a predictive field: every member has it, as `customer
    // show` gives it, and so has every other field but `records`.
    let risky = json(&flokk(
        &data,
        &["members", "churn_risk = 'HIGH'", "--format", "json"],
    ));
    let risky = risky.as_array().unwrap();
    assert!(risky.len() > 10, "{}", risky.len());
    for member in risky {
        assert_eq!(member["churn_risk"], "HIGH", "{member}");
        assert!(member.get("records").is_none(), "{member}");
    }
    for member in [&risky[0], &risky[risky.len() / 2], &risky[risky.len() - 1]] {
        let id = member["id"].as_str().unwrap();
        let mut shown = json(&flokk(&data, &["--json", "customer", "show", id]));
        shown.as_object_mut().unwrap().remove("records");
        assert_eq!(member, &shown, "{id}");
    }

    // Everyone, read in one pass in id order (streamed) and in descending
    // id order (through a temporary file), and the first hundred in
    // descending order (member by member): the same documents, with
    // predictions and segments.
    let all = json(&flokk(
        &data,
        &["members", "number_of_orders >= 0", "--format", "json"],
    ));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1500);
    let mut backwards = json(&flokk(
        &data,
        &[
            "members",
            "number_of_orders >= 0",
            "--sort",
            "-id",
            "--format",
            "json",
        ],
    ));
    let backwards = backwards.as_array_mut().unwrap();
    let last_hundred = json(&flokk(
        &data,
        &[
            "members",
            "number_of_orders >= 0",
            "--sort",
            "-id",
            "--limit",
            "100",
            "--format",
            "json",
        ],
    ));
    assert_eq!(last_hundred.as_array().unwrap(), &backwards[..100]);
    backwards.reverse();
    assert_eq!(all.len(), backwards.len());
    for (a, b) in all.iter().zip(backwards.iter()) {
        for (key, value) in a.as_object().unwrap() {
            assert_eq!(value, &b[key], "{key} of {}", a["id"]);
        }
        assert_eq!(a, b);
    }
    for field in PREDICTIVE {
        assert!(
            all.iter().any(|m| !m[field].is_null()),
            "{field} is null for everyone"
        );
    }
    let big = |m: &Value| m["amount_spent"].as_f64().unwrap() > 300.0;
    for m in all {
        let segments = m["segments"].as_array().unwrap();
        assert_eq!(segments.contains(&"Big spenders".into()), big(m), "{m}");
    }
    assert!(all.iter().any(big));
    let ids: Vec<&str> = all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);

    // The CSV has a row per member, in the same order, with the same values.
    let csv = flokk(
        &data,
        &["members", "number_of_orders >= 0", "--format", "csv"],
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "id,email,first_name,last_name,amount_spent,number_of_orders,last_order_date"
    );
    assert_eq!(rows.len(), 1501);
    // Sorted by spend (a temporary file between the read and the output):
    // the same rows, by spend.
    let by_spend = flokk(
        &data,
        &[
            "members",
            "number_of_orders >= 0",
            "--sort",
            "-amount_spent",
            "--format",
            "csv",
        ],
    );
    let by_spend = String::from_utf8(by_spend.stdout).unwrap();
    let mut by_spend: Vec<&str> = by_spend.lines().collect();
    let spent = |row: &str| row.split(',').nth(4).unwrap().parse::<f64>().unwrap();
    assert!(by_spend[1..].windows(2).all(|w| spent(w[0]) >= spent(w[1])));
    let mut by_id = rows.clone();
    by_spend[1..].sort_unstable();
    by_id[1..].sort_unstable();
    assert_eq!(by_spend, by_id);
    for (row, member) in rows[1..].iter().zip(all).step_by(97) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[0], member["id"]);
        assert_eq!(cells[5], member["number_of_orders"].to_string());
        assert_eq!(
            cells[4].parse::<f64>().unwrap(),
            member["amount_spent"].as_f64().unwrap()
        );
    }
}
