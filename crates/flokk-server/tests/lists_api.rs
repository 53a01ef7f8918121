//! Static lists and samples through the API: `POST /api/lists` (customers by
//! id or email, with the unknown ones reported; or a frozen segment), `GET
//! /api/lists[/{name}]`, `DELETE /api/lists/{name}` (refused while a segment
//! names it), `POST /api/segments/{name}/sample` (exact, stable for a seed,
//! with its hold-out), lists as an audience (members, tags, queries), and
//! bad input refused with nothing written.

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Record};
use serde_json::json;

fn customer(i: usize) -> Record {
    Record::Customer(Customer {
        email: Some(format!("c{i:02}@x.no")),
        tags: vec![if i.is_multiple_of(2) { "even" } else { "odd" }.into()],
        ..Customer::stub(format!("c{i:02}"))
    })
}

async fn state() -> (tempfile::TempDir, std::sync::Arc<flokk_server::ServerState>) {
    let records: Vec<Record> = (0..20).map(customer).collect();
    let (dir, state) = common::state_with(&records);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Even", "query": "customer_tags CONTAINS 'even'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (dir, state)
}

async fn count(state: &std::sync::Arc<flokk_server::ServerState>, query: &str) -> u64 {
    let uri = format!(
        "/api/count?query={}",
        query
            .replace('%', "%25")
            .replace(' ', "%20")
            .replace('\'', "%27")
    );
    let (status, v) = common::call(state, "GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["count"].as_u64().unwrap()
}

async fn list_names(state: &std::sync::Arc<flokk_server::ServerState>) -> Vec<String> {
    let (status, v) = common::call(state, "GET", "/api/lists", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_list_of_ids_and_emails_reports_the_unknown_ones() {
    let (_dir, state) = state().await;
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/lists",
        Some(json!({"name": "VIPs", "customers": ["c01", "C02@X.NO", "nobody", "c01"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["kind"], "list");
    assert_eq!(v["count"], 2);
    assert_eq!(v["unknown"], json!([{"line": 3, "value": "nobody"}]));
    // The next query can name it at once.
    assert_eq!(count(&state, "customer_lists CONTAINS 'vips'").await, 2);
    let (status, shown) = common::call(&state, "GET", "/api/lists/vips", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown, v);
    let (status, page) = common::call(&state, "GET", "/api/segments/VIPs/members", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["count"], 2, "{page}");
    let (status, tagged) = common::call(
        &state,
        "POST",
        "/api/segments/VIPs/tags",
        Some(json!({"tag": "vip", "action": "add"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tagged}");
    assert_eq!(tagged["tagged"], 2);
    // Frozen from a segment.
    let (status, frozen) = common::call(
        &state,
        "POST",
        "/api/lists",
        Some(json!({"name": "Even now", "freeze": "Even"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{frozen}");
    assert_eq!(frozen["count"], 10);
    assert_eq!(frozen["source"], "freeze");
}

#[tokio::test]
async fn a_sample_is_exact_and_stable_with_its_hold_out() {
    let (_dir, state) = state().await;
    let body = json!({"name": "Test", "size": 4, "seed": 9, "holdout": "Control"});
    let (status, v) = common::call(&state, "POST", "/api/segments/Even/sample", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["lists"][0]["count"], 4);
    assert_eq!(v["lists"][0]["seed"], 9);
    assert_eq!(v["lists"][1]["count"], 6);
    assert_eq!(v["lists"][1]["source"], "holdout");
    assert_eq!(
        count(
            &state,
            "customer_lists CONTAINS 'Test' OR customer_lists CONTAINS 'Control'"
        )
        .await,
        10
    );
    let (status, again) = common::call(
        &state,
        "POST",
        "/api/segments/Even/sample",
        Some(json!({"name": "Again", "size": 4, "seed": 9})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(
        count(
            &state,
            "customer_lists CONTAINS 'Test' AND customer_lists CONTAINS 'Again'"
        )
        .await,
        4,
        "the same seed draws the same customers"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_nothing_written() {
    let (_dir, state) = state().await;
    let cases = [
        (
            "/api/segments/Even/sample",
            json!({"name": "Big", "size": 11}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "sample_too_large",
        ),
        (
            "/api/segments/Even/sample",
            json!({"name": "Big", "percent": 120}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_sample",
        ),
        (
            "/api/segments/Even/sample",
            json!({"name": "Big", "size": 2, "percent": 10}),
            StatusCode::BAD_REQUEST,
            "bad_body",
        ),
        (
            "/api/segments/Nope/sample",
            json!({"name": "Big", "size": 1}),
            StatusCode::NOT_FOUND,
            "unknown_segment",
        ),
        (
            "/api/segments/Even/sample",
            json!({"name": "even", "size": 1}),
            StatusCode::CONFLICT,
            "conflict",
        ),
        (
            "/api/segments/Even/sample",
            json!({"name": "A", "size": 1, "holdout": "a"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "/api/lists",
            json!({"name": "X", "customers": []}),
            StatusCode::BAD_REQUEST,
            "bad_body",
        ),
        (
            "/api/lists",
            json!({"name": "X", "customers": ["c01"], "freeze": "Even"}),
            StatusCode::BAD_REQUEST,
            "bad_body",
        ),
        (
            "/api/lists",
            json!({"name": "   ", "customers": ["c01"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "/api/lists",
            json!({"name": "X", "freeze": "Nope"}),
            StatusCode::NOT_FOUND,
            "unknown_segment",
        ),
    ];
    for (uri, body, status, code) in cases {
        let (got, v) = common::call(&state, "POST", uri, Some(body.clone())).await;
        assert_eq!(got, status, "{uri} {body}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri} {body}: {v}");
    }
    assert!(list_names(&state).await.is_empty(), "nothing written");

    // A list a segment names cannot be deleted.
    let (status, _) = common::call(
        &state,
        "POST",
        "/api/lists",
        Some(json!({"name": "Keep", "freeze": "Even"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({"name": "Kept", "query": "customer_lists CONTAINS 'Keep'"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = common::call(&state, "DELETE", "/api/lists/Keep", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"]["code"], "list_in_use");
    let (status, v) = common::call(&state, "DELETE", "/api/segments/Kept", None).await;
    assert!(status.is_success(), "{v}");
    let (status, v) = common::call(&state, "DELETE", "/api/lists/keep", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["name"], "Keep");
    let (status, v) = common::call(&state, "GET", "/api/lists/Keep", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "unknown_list");
}
