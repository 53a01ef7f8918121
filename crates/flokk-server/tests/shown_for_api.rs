//! `shown_for=production:ID|performance:ID` on the count, members,
//! segment members and export endpoints (issue 22): the customers holding
//! tickets to it are left out, and an id that names nothing is an error,
//! not a silent "nobody left out". Answers worked out by hand.

mod common;

use axum::http::StatusCode;
use flokk_model::{ParseOptions, Record, parse_record};
use serde_json::json;

/// ann holds Carmen (10 January), bob Carmen (12 January), cid Tosca; dag
/// holds nothing.
const RECORDS: &str = r#"{"kind":"venue","id":"operaen","name":"Operaen","lat":59.9075,"lon":10.7531}
{"kind":"production","id":"carmen","name":"Carmen"}
{"kind":"production","id":"tosca","name":"Tosca"}
{"kind":"performance","id":"carmen-0110","production_id":"carmen","venue_id":"operaen","starts_at":"2026-01-10T19:00:00+01:00"}
{"kind":"performance","id":"carmen-0112","production_id":"carmen","venue_id":"operaen","starts_at":"2026-01-12T19:00:00+01:00"}
{"kind":"performance","id":"tosca-0201","production_id":"tosca","venue_id":"operaen","starts_at":"2026-02-01T19:00:00+01:00"}
{"kind":"customer","id":"ann","email":"ann@example.no"}
{"kind":"customer","id":"bob","email":"bob@example.no"}
{"kind":"customer","id":"cid","email":"cid@example.no"}
{"kind":"customer","id":"dag","email":"dag@example.no"}
{"kind":"order","id":"o1","customer_id":"ann","placed_at":"2025-03-01T10:00:00Z","total":900,"lines":[{"performance_id":"carmen-0110","quantity":2,"price":450}]}
{"kind":"order","id":"o3","customer_id":"bob","placed_at":"2025-03-03T10:00:00Z","total":450,"lines":[{"performance_id":"carmen-0112","quantity":1,"price":450}]}
{"kind":"order","id":"o4","customer_id":"cid","placed_at":"2025-03-04T10:00:00Z","total":300,"lines":[{"performance_id":"tosca-0201","quantity":1,"price":300}]}
"#;

/// `number_of_orders >= 0`, URL-encoded: everyone.
const EVERYONE: &str = "number_of_orders%20%3E%3D%200";

fn records() -> Vec<Record> {
    RECORDS
        .lines()
        .map(|l| parse_record(l, ParseOptions { lenient: false }).expect("a record"))
        .collect()
}

fn ids(page: &serde_json::Value) -> Vec<String> {
    page["members"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn count_members_and_segment_members_leave_out_the_holders() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = common::call(
        &state,
        "GET",
        &format!("/api/count?query={EVERYONE}&shown_for=production:carmen"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["count"], 2, "cid and dag: {v}");
    let (status, v) = common::call(
        &state,
        "GET",
        &format!("/api/members?query={EVERYONE}&shown_for=performance:carmen-0110"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(ids(&v), ["bob", "cid", "dag"]);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Buyers", "query": "number_of_orders >= 1" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = common::call(
        &state,
        "GET",
        "/api/segments/Buyers/members?shown_for=production:tosca",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(ids(&v), ["ann", "bob"]);
}

#[tokio::test]
async fn exports_leave_out_the_holders() {
    let (_dir, state) = common::state_with(&records());
    let (status, body) = {
        let exporter = common::token(&state, "read,export");
        let answer = common::send(
            &state,
            common::request(
                "GET",
                &format!(
                    "/api/export?query={EVERYONE}&format=csv&columns=id&shown_for=production:carmen"
                ),
                None,
                &[("authorization", &format!("Bearer {exporter}"))],
            ),
        )
        .await;
        (answer.status, answer.body)
    };
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "id\ncid\ndag\n");
}

#[tokio::test]
async fn an_unknown_or_malformed_shown_for_is_refused() {
    let (_dir, state) = common::state_with(&records());
    for (uri, status, code) in [
        (
            format!("/api/count?query={EVERYONE}&shown_for=production:carmne"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_production",
        ),
        (
            format!("/api/members?query={EVERYONE}&shown_for=performance:nope"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_performance",
        ),
        (
            format!("/api/count?query={EVERYONE}&shown_for=carmen"),
            StatusCode::BAD_REQUEST,
            "invalid_shown_for",
        ),
    ] {
        let (got, v) = common::call(&state, "GET", &uri, None).await;
        assert_eq!(got, status, "{uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri}: {v}");
    }
    let (_, v) = common::call(
        &state,
        "GET",
        &format!("/api/count?query={EVERYONE}&shown_for=production:carmne"),
        None,
    )
    .await;
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("'carmne'") && message.contains("'carmen'"),
        "{message}"
    );
}
