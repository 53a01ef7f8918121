//! What the editor and open screens read: the filter catalog, value
//! suggestions from this store, the customer list, and the event stream
//! of membership changes and live counts.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{call, token};
use flokk_model::{Customer, Record};
use futures_util::StreamExt;
use serde_json::json;
use tower::ServiceExt;

fn customer(id: &str, tags: &[&str]) -> Record {
    let mut c = Customer::stub(id);
    c.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    Record::Customer(c)
}

fn records() -> Vec<Record> {
    vec![
        customer("a", &["VIP", "wholesale"]),
        customer("b", &["vip"]),
        customer("c", &["newsletter"]),
    ]
}

#[tokio::test]
async fn the_catalog_lists_filters_functions_and_fixed_values() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = call(&state, "GET", "/api/catalog", None).await;
    assert_eq!(status, StatusCode::OK);
    let filter = |name: &str| {
        v["filters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let tags = filter("customer_tags");
    assert_eq!(tags["type"], "list");
    assert_eq!(
        tags["operators"],
        json!(["CONTAINS", "NOT CONTAINS", "IS NULL", "IS NOT NULL"])
    );
    assert_eq!(tags["suggest"], true);
    let status_filter = filter("customer_account_status");
    assert_eq!(status_filter["type"], "enum");
    assert!(
        status_filter["values"]
            .as_array()
            .unwrap()
            .contains(&json!("ENABLED"))
    );
    assert_eq!(filter("amount_spent")["suggest"], false);
    let products = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "products_purchased")
        .unwrap();
    let vendor = products["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "vendor")
        .unwrap();
    assert_eq!(vendor["suggest"], true);
    assert_eq!(vendor["role"], "record");
}

#[tokio::test]
async fn suggestions_come_from_the_store_most_used_first() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = call(&state, "GET", "/api/suggest?filter=customer_tags", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["values"],
        json!([
            // The spelling stored first ("VIP"), matching both customers.
            { "value": "VIP", "count": 2 },
            { "value": "newsletter", "count": 1 },
            { "value": "wholesale", "count": 1 },
        ])
    );
    let (_, v) = call(
        &state,
        "GET",
        "/api/suggest?filter=customer_tags&prefix=W",
        None,
    )
    .await;
    assert_eq!(v["values"], json!([{ "value": "wholesale", "count": 1 }]));
    let (_, v) = call(
        &state,
        "GET",
        "/api/suggest?filter=orders_placed&param=channel&prefix=b",
        None,
    )
    .await;
    assert_eq!(v["values"], json!([{ "value": "box_office", "count": 0 }]));
    let (status, v) = call(&state, "GET", "/api/suggest?filter=customer_tagz", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "unknown_filter");
    let (_, v) = call(
        &state,
        "GET",
        "/api/suggest?filter=products_purchased&param=colour",
        None,
    )
    .await;
    assert_eq!(v["error"]["code"], "unknown_parameter");
}

#[tokio::test]
async fn the_customer_list_pages_every_customer() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = call(&state, "GET", "/api/customers?limit=2&sort=-id", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["count"], 3);
    let ids: Vec<&str> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c", "b"]);
}

/// Reads the event stream until `done` says enough, or fails after 10 s.
async fn read_events(
    state: &std::sync::Arc<flokk_server::ServerState>,
    uri: &str,
    headers: &[(&str, &str)],
    done: impl Fn(&str) -> bool,
) -> String {
    let secret = token(state, "read");
    let mut request = Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {secret}"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = flokk_server::router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.into_body().into_data_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done(&text) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no more events; got:\n{text}"))
            .unwrap()
            .unwrap();
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    text
}

#[tokio::test]
async fn the_event_stream_sends_changes_counts_and_resumes_after_the_last_seen() {
    let (_dir, state) = common::state_with(&records());
    let (status, _) = call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "VIP", "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let text = read_events(
        &state,
        "/api/events?since=0&query=customer_tags%20CONTAINS%20'vip'",
        &[],
        |t| {
            t.matches("event: change").count() == 2
                && t.contains("event: segments")
                && t.contains("event: count")
        },
    )
    .await;
    assert!(text.contains("id: 1\n"), "{text}");
    assert!(
        text.contains(r#""customer":"a""#) && text.contains(r#""customer":"b""#),
        "{text}"
    );
    assert!(
        text.contains(r#"[{"id":1,"name":"VIP","count":2}]"#),
        "{text}"
    );
    assert!(text.contains(r#""count":2,"total":3"#), "{text}");
    // Resuming after the first change sends only the second.
    let text = read_events(&state, "/api/events", &[("last-event-id", "1")], |t| {
        t.contains("event: segments")
    })
    .await;
    assert_eq!(text.matches("event: change").count(), 1, "{text}");
    assert!(text.contains("id: 2\n"), "{text}");
}

#[tokio::test]
async fn a_bad_query_or_last_event_id_is_a_json_error() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = call(
        &state,
        "GET",
        "/api/events?query=amount_spnt%20%3E%201",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "invalid_query");
}
