//! `GET /api/check` refuses what `GET /api/count` could not evaluate: a
//! segment name that no saved segment has (issue 18).

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Record};
use serde_json::json;

#[tokio::test]
async fn an_unknown_segment_name_is_an_error_with_its_span() {
    let (_dir, state) = common::state_with(&[Record::Customer(Customer::stub("a"))]);
    let (status, made) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Insiders", "query": "customer_tags CONTAINS 'x'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, v) = common::call(
        &state,
        "GET",
        "/api/check?query=customer_segments%20CONTAINS%20%27Insider%27",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "unknown_segment");
    assert_eq!(v["errors"][0]["span"], json!([27, 36]));
    assert_eq!(v["errors"][0]["suggestion"], "'Insiders'");
    let (status, v) = common::call(
        &state,
        "GET",
        "/api/check?query=customer_segments%20CONTAINS%20%27Insiders%27",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
}
