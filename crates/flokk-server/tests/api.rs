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
                total: 100.0,
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
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "unknown_filter");
    assert_eq!(v["errors"][0]["span"], serde_json::json!([0, 15]));
    assert_eq!(v["errors"][0]["suggestion"], "number_of_orders");
    let (status, v) = get("/api/check?query=amount_spent%20%3E%20").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
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
async fn the_ui_is_served_from_the_binary() {
    let (_dir, state) = common::state_with(&records());
    let response = router(state.clone())
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let html = String::from_utf8(html.to_vec()).unwrap();
    assert!(html.contains(r#"<label for="search">Search by name</label>"#));
    assert!(html.contains("/ui/segments.js"));
    let response = router(state)
        .oneshot(Request::get("/ui/editor.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
}
