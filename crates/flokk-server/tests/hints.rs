//! Hints from `GET /api/check` and `GET /api/count`: values no record has
//! (with the nearest stored ones), predictive fields without models, a
//! segment name given as a query. Not errors: the query still runs.

mod common;

use axum::http::StatusCode;
use flokk_model::{ParseOptions, Record, parse_record};
use serde_json::json;

const STORE: &str = r#"{"kind":"customer","id":"a","tags":["VIP"],"email":"a@gmail.com","addresses":[{"city":"Oslo","region":"03","country":"NO"}]}
{"kind":"customer","id":"b","tags":["vip","Newsletter"],"addresses":[{"city":"Bergen","region":"46","country":"NO"}]}
{"kind":"customer","id":"c","addresses":[{"city":"Stockholm","region":"AB","country":"SE"}]}
{"kind":"order","id":"1","customer_id":"a","placed_at":"2025-05-30T10:00:00Z","total":600}"#;

fn records() -> Vec<Record> {
    STORE
        .lines()
        .map(|l| parse_record(l, ParseOptions::default()).unwrap())
        .collect()
}

fn uri(path: &str, query: &str) -> String {
    let encoded: String = query
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{path}?query={encoded}")
}

#[tokio::test]
async fn values_no_record_has_get_hints_with_the_nearest_stored_values() {
    let (_dir, state) = common::state_with(&records());
    let query = "customer_cities CONTAINS 'Oslo' OR customer_countries CONTAINS 'Norway' \
                 OR customer_tags CONTAINS 'vipp' OR customer_email_domain = 'gmail.con'";
    let (status, v) = common::call(&state, "GET", &uri("/api/check", query), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true);
    insta::assert_json_snapshot!(v["hints"], @r#"
    [
      {
        "code": "unknown_value",
        "message": "no record has the city 'Oslo': did you mean 'NO-03-Oslo'?",
        "span": [
          25,
          31
        ],
        "suggestion": "'NO-03-Oslo'",
        "line": 1,
        "column": 26,
        "suggestions": [
          "'NO-03-Oslo'"
        ]
      },
      {
        "code": "unknown_value",
        "message": "no record has the country 'Norway': did you mean 'NO'?",
        "span": [
          63,
          71
        ],
        "suggestion": "'NO'",
        "line": 1,
        "column": 64,
        "suggestions": [
          "'NO'"
        ]
      },
      {
        "code": "unknown_value",
        "message": "no record has the tag 'vipp': did you mean 'VIP'?",
        "span": [
          98,
          104
        ],
        "suggestion": "'VIP'",
        "line": 1,
        "column": 99,
        "suggestions": [
          "'VIP'"
        ]
      },
      {
        "code": "unknown_value",
        "message": "no record has the email domain 'gmail.con': did you mean 'gmail.com'?",
        "span": [
          132,
          143
        ],
        "suggestion": "'gmail.com'",
        "line": 1,
        "column": 133,
        "suggestions": [
          "'gmail.com'"
        ]
      }
    ]
    "#);

    // The count still runs (and says why it is low).
    let (status, v) = common::call(&state, "GET", &uri("/api/count", query), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["count"], 0);
    assert_eq!(v["hints"].as_array().unwrap().len(), 4);

    // Values the store has: no hints, whatever their case in a list field.
    let (_, v) = common::call(
        &state,
        "GET",
        &uri(
            "/api/check",
            "customer_cities CONTAINS 'no-03-oslo' AND customer_tags CONTAINS 'VIP'",
        ),
        None,
    )
    .await;
    assert_eq!(v["hints"], json!([]));
}

#[tokio::test]
async fn predictive_fields_without_models_get_a_hint_with_the_reasons() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = common::call(
        &state,
        "GET",
        &uri("/api/count", "churn_risk = 'HIGH'"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    insta::assert_json_snapshot!(v["hints"], @r#"
    [
      {
        "code": "predictions_unavailable",
        "message": "`churn_risk` has no value for any customer yet: the store has not enough data for predictive models (only 1 customers have an order; predictions need at least 500; order history spans 2 days; predictions need at least 180; no customer has 3 or more orders (the most is 1))",
        "span": [
          0,
          10
        ],
        "suggestion": null,
        "line": 1,
        "column": 1,
        "suggestions": []
      }
    ]
    "#);
}

#[tokio::test]
async fn a_segment_name_given_as_a_query_gets_a_hint_beside_the_error() {
    let (_dir, state) = common::state_with(&records());
    let (status, made) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "VIP", "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, v) = common::call(&state, "GET", &uri("/api/count", "VIP"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    // /api/count answers with the one API error shape; the hints ride in it.
    assert_eq!(v["error"]["code"], "invalid_query", "{v}");
    insta::assert_json_snapshot!(v["error"]["hints"], @r#"
    [
      {
        "code": "segment_name_as_query",
        "message": "'VIP' is a saved segment, not a query: its members are `customer_segments CONTAINS 'VIP'` (or list them with `flokk segment members VIP`, GET /api/segments/{name}/members)",
        "span": [
          0,
          3
        ],
        "suggestion": "customer_segments CONTAINS 'VIP'",
        "line": 1,
        "column": 1,
        "suggestions": [
          "customer_segments CONTAINS 'VIP'"
        ]
      }
    ]
    "#);
}

/// Ticketing ids no record has get hints with the nearest catalogue ids
/// (a production's by its id or its name), and the query still runs.
#[tokio::test]
async fn catalogue_ids_no_record_has_get_hints() {
    let mut records = records();
    for line in [
        r#"{"kind":"venue","id":"operaen","name":"Operaen","lat":59.9075,"lon":10.7531}"#,
        r#"{"kind":"production","id":"carmen-2026","name":"Carmen"}"#,
        // No ticket sold for it: the catalogue's performance is offered
        // all the same (it was not, being read from the tickets alone).
        r#"{"kind":"performance","id":"carmen-2026-01-10","production_id":"carmen-2026","venue_id":"operaen","starts_at":"2026-01-10T19:00:00+01:00"}"#,
    ] {
        records.push(parse_record(line, ParseOptions::default()).unwrap());
    }
    let (_dir, state) = common::state_with(&records);
    let query = "tickets_purchased MATCHES (production_id = 'carmen-2062') \
                 OR tickets_purchased MATCHES (performance_id = 'carmen-2026-01-11') \
                 OR tickets_purchased MATCHES (venue_id = 'operan')";
    let (status, v) = common::call(&state, "GET", &uri("/api/check", query), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true, "{v}");
    let hints = v["hints"].as_array().unwrap();
    let messages: Vec<&str> = hints
        .iter()
        .map(|h| h["message"].as_str().unwrap())
        .collect();
    assert_eq!(hints.len(), 3, "{messages:?}");
    assert!(hints.iter().all(|h| h["code"] == "unknown_value"), "{v}");
    let suggestions: Vec<&str> = hints
        .iter()
        .map(|h| h["suggestion"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        suggestions,
        ["'carmen-2026'", "'carmen-2026-01-10'", "'operaen'"],
        "{messages:?}"
    );
    assert!(
        messages[0].contains("production id 'carmen-2062'"),
        "{messages:?}"
    );
    assert!(messages[1].contains("performance id"), "{messages:?}");
    assert!(messages[2].contains("venue id 'operan'"), "{messages:?}");

    // Ids the catalogue has: no hints.
    let (_, v) = common::call(
        &state,
        "GET",
        &uri(
            "/api/check",
            "tickets_purchased MATCHES (performance_id = 'carmen-2026-01-10', venue_id = 'operaen')",
        ),
        None,
    )
    .await;
    assert_eq!(v["hints"], json!([]));
}
