//! `flokk check`: exit codes and output shapes of cli.md.

use std::process::{Command, Output};

fn flokk_check(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data.path())
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn a_valid_query_prints_its_canonical_form() {
    let output = flokk_check(&["amount_spent > 500 and customer_tags not contains 'wholesale'"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "amount_spent > 500 AND customer_tags NOT CONTAINS 'wholesale'\n"
    );
}

#[test]
fn a_valid_query_as_json() {
    let output = flokk_check(&["--json", "products_purchased(id: 123, date: -30d) = true"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout_json(&output),
        serde_json::json!({"valid": true, "canonical": "products_purchased MATCHES (id = 123, date = -30d)", "hints": [{
            // The store is empty: no record has that product, and the query
            // would count 0 without a word but for this hint.
            "code": "unknown_value",
            "message": "no record has the product id '123'",
            "span": [23, 26],
            "suggestion": null,
            "line": 1,
            "column": 24,
            "suggestions": []
        }]})
    );
}

#[test]
fn an_invalid_query_exits_2_with_the_span_underlined() {
    let output = flokk_check(&["emial_subscription_status = 'SUBSCRIBED'"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown_filter"), "{stderr}");
    assert!(
        stderr.contains("emial_subscription_status = 'SUBSCRIBED'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean email_subscription_status?"),
        "{stderr}"
    );
    // The underline sits under the misspelt name, which starts the query.
    assert!(stderr.contains("╰─"), "{stderr}");
}

#[test]
fn an_invalid_query_as_json() {
    let output = flokk_check(&["--json", "email_subscription_status = 'SUBSCRIBD'"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout_json(&output),
        serde_json::json!({"valid": false, "errors": [{
            "code": "unknown_enum_value",
            "message": "'SUBSCRIBD' is not a value of `email_subscription_status`",
            "line": 1,
            "column": 29,
            "span": [28, 39],
            "expected": ["'SUBSCRIBED'", "'NOT_SUBSCRIBED'", "'PENDING'", "'UNSUBSCRIBED'", "'INVALID'", "'REDACTED'"],
            "suggestion": "'SUBSCRIBED'"
        }], "hints": []})
    );
}

#[test]
fn json_fields_come_in_the_order_of_the_contract() {
    let output = flokk_check(&["--json", "age > 1pm"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"valid\":false,\"errors\":[{\"code\":\"time_only_value\",\"message\":\"a time of day needs a date: write a date and time like 2024-05-30T13:00:00\",\"line\":1,\"column\":7,\"span\":[6,9],\"expected\":[],\"suggestion\":null}],\"hints\":[]}\n"
    );
    let output = flokk_check(&["--json", "age > 1"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"valid\":true,\"canonical\":\"age > 1\",\"hints\":[]}\n"
    );
}

#[test]
fn a_missing_value_is_pointed_at_after_the_query() {
    let output = flokk_check(&["amount_spent >"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("expected_value"), "{stderr}");
    // The caret sits in the column just past the `>`.
    let query_line = stderr
        .lines()
        .find(|l| l.contains("amount_spent >"))
        .unwrap();
    let caret_line = stderr.lines().find(|l| l.contains('┬')).unwrap();
    let after_operator = query_line.find('>').unwrap() + 1;
    assert_eq!(
        caret_line.chars().position(|c| c == '┬'),
        Some(query_line[..after_operator].chars().count())
    );
}

#[test]
fn strict_mode_applies_shopify_limits() {
    let query = ["age > 1"; 11].join(" OR ");
    assert_eq!(flokk_check(&[&query]).status.code(), Some(0));
    let output = flokk_check(&["--strict", "--json", &query]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout_json(&output)["errors"][0]["code"],
        "too_many_clauses"
    );
}
