//! The JSON API and the UI assets, driven through the router in-process.

mod common;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use flokk_model::{Customer, Order, Record};
use flokk_server::router;
use tower::ServiceExt;

fn records() -> Vec<Record> {
    let mut out = Vec::new();
    for (id, orders) in [("a", 3), ("b", 1), ("c", 0)] {
        out.push(Record::Customer(Customer::stub(id)));
        for i in 0..orders {
            out.push(Record::Order(Order {
                id: format!("{id}{i}"),
                customer_id: id.into(),
                placed_at: "2025-01-01T10:00:00Z".parse().unwrap(),
                total: flokk_model::Money::parse("100.0").unwrap(),
                ..Default::default()
            }));
        }
    }
    out
}

async fn get(uri: &str) -> (StatusCode, serde_json::Value) {
    let (_dir, state) = common::state_with(&records());
    common::call(&state, "GET", uri, None).await
}

#[tokio::test]
async fn count_answers_with_the_cli_shape() {
    let (status, v) = get("/api/count?query=number_of_orders%20%3E%3D%201").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["count"], 2);
    assert_eq!(v["total"], 3);
    assert_eq!(v["clauses"][0]["text"], "number_of_orders >= 1");
    assert_eq!(v["statistics"]["number_of_orders_sum"], 4);
}

#[tokio::test]
async fn a_bad_query_is_a_400_with_positioned_errors() {
    let (status, v) = get("/api/count?query=number_of_ordrs%20%3E%201").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The one shape of API errors; only `check` answers with its verdict.
    assert_eq!(v["error"]["code"], "invalid_query");
    let errors = &v["error"]["errors"];
    assert_eq!(errors[0]["code"], "unknown_filter");
    assert_eq!(errors[0]["span"], serde_json::json!([0, 15]));
    assert_eq!(errors[0]["suggestion"], "number_of_orders");
    let (status, v) = get("/api/members?query=number_of_ordrs%20%3E%201").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "invalid_query");
    assert_eq!(v["error"]["errors"][0]["code"], "unknown_filter");
    let (status, v) = get("/api/check?query=amount_spent%20%3E%20").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "expected_value");
}

#[tokio::test]
async fn members_are_sorted_and_paged() {
    let (status, v) =
        get("/api/members?query=number_of_orders%20%3E%3D%200&sort=-number_of_orders&limit=2")
            .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["count"], 3);
    let ids: Vec<&str> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(v["members"][0]["amount_spent"], 300.0);
}

#[tokio::test]
async fn members_sorted_by_an_unknown_field_is_a_named_error() {
    let (status, v) = get("/api/members?query=number_of_orders%20%3E%3D%200&sort=-shoe_size").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "unknown_sort_field");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "members cannot be sorted by 'shoe_size'; sort by one of: id, amount_spent,"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn unavailable_filters_and_unknown_paths_are_json_errors() {
    let (status, v) = get("/api/count?query=customer_segments%20CONTAINS%20%27VIP%27").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "unknown_segment");
    let (status, v) = get("/api/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let (status, v) = get("/api/count").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "missing_query");
}

#[tokio::test]
async fn the_ui_is_served_from_the_binary_to_a_signed_in_browser() {
    let (_dir, state) = common::state_with(&records());
    let (cookie, csrf) = common::sign_in(&state, "read").await;
    let page = common::send(
        &state,
        common::request("GET", "/", None, &[("cookie", &cookie)]),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<label for="search">Search by name or description</label>"#)
    );
    assert!(page.body.contains("/ui/segments.js"));
    // The page carries the session's CSRF token for its scripts.
    assert!(
        page.body
            .contains(&format!(r#"<meta name="csrf-token" content="{csrf}">"#)),
        "{}",
        page.body
    );
    assert_eq!(page.headers["x-frame-options"], "DENY");
    let response = router(state)
        .oneshot(Request::get("/ui/editor.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let js = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    assert!(String::from_utf8_lossy(&js).contains("authFetch(`/api/count?"));
}

#[tokio::test]
async fn pages_send_a_browser_without_a_session_to_sign_in_and_back() {
    let (_dir, state) = common::state_with(&records());
    for (path, next) in [
        ("/", "/"),
        ("/segments/3?draft=1", "/segments/3%3Fdraft%3D1"),
        ("/customers/a", "/customers/a"),
    ] {
        let answer = common::send(&state, common::request("GET", path, None, &[])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(answer.headers["location"], format!("/signin?next={next}"));
    }
    let forged = common::send(
        &state,
        common::request("GET", "/", None, &[("cookie", "flokk_session=forged")]),
    )
    .await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    let signin = common::send(&state, common::request("GET", "/signin", None, &[])).await;
    assert_eq!(signin.status, StatusCode::OK);
    assert!(
        signin
            .body
            .contains(r#"<label for="token">API token</label>"#)
    );
}
