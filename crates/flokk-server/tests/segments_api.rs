//! The saved-segments API in-process: lifecycle, positioned query errors,
//! members, the change feed, templates, a customer's segments.

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Order, Record};
use serde_json::json;

fn records() -> Vec<Record> {
    let mut out = Vec::new();
    for (id, orders, tag) in [("a", 3, "vip"), ("b", 1, ""), ("c", 0, "vip")] {
        let mut c = Customer::stub(id);
        if !tag.is_empty() {
            c.tags = vec![tag.into()];
        }
        out.push(Record::Customer(c));
        for i in 0..orders {
            out.push(Record::Order(Order {
                id: format!("{id}{i}"),
                customer_id: id.into(),
                placed_at: "2025-05-30T10:00:00Z".parse().unwrap(),
                total: flokk_model::Money::parse("100.0").unwrap(),
                ..Default::default()
            }));
        }
    }
    out
}

#[tokio::test]
async fn segments_lifecycle_through_the_api() {
    let (_dir, state) = common::state_with(&records());
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "VIP", "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["count"].as_u64(), v["author"].as_str()),
        (Some(2), Some("merchant"))
    );
    let id = v["id"].as_i64().unwrap();

    // Count with customer_segments uses the saved segment right away.
    let (_, v) = common::call(
        &state,
        "GET",
        "/api/count?query=customer_segments%20CONTAINS%20%27vip%27",
        None,
    )
    .await;
    assert_eq!(v["count"], 2, "{v}");

    // A bad query: 400 with positioned errors.
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Broken", "query": "number_of_ordrs > 1" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "invalid_query");
    assert_eq!(v["error"]["errors"][0]["code"], "unknown_filter");
    assert_eq!(v["error"]["errors"][0]["suggestion"], "number_of_orders");

    // Names are unique regardless of case.
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "vip", "query": "number_of_orders > 1" })),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );

    // Draft, then publish.
    let (status, v) = common::call(
        &state,
        "PATCH",
        &format!("/api/segments/{id}"),
        Some(json!({ "query": "customer_tags CONTAINS 'vip' AND number_of_orders > 0", "draft": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["draft"].as_bool(), v["count"].as_u64()),
        (Some(true), Some(2))
    );
    let (_, v) = common::call(&state, "POST", "/api/segments/VIP/publish", None).await;
    assert_eq!(
        (
            v["draft"].as_bool(),
            v["count"].as_u64(),
            v["version"].as_u64()
        ),
        (Some(false), Some(1), Some(2))
    );

    // Members, the feed, rename, delete, restore.
    let (_, v) = common::call(&state, "GET", "/api/segments/VIP/members", None).await;
    assert_eq!(v["members"][0]["id"], "a");
    let (_, v) = common::call(&state, "GET", "/api/changes?segment=VIP", None).await;
    let feed: Vec<String> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e["customer"], e["change"], e["cause"]))
        .collect();
    assert_eq!(
        feed,
        [
            r#""a" "entered" "created""#,
            r#""c" "entered" "created""#,
            r#""c" "exited" "definition_changed""#
        ]
    );
    let (_, v) = common::call(
        &state,
        "PATCH",
        "/api/segments/VIP",
        Some(json!({ "name": "Insiders" })),
    )
    .await;
    assert_eq!(v["name"], "Insiders");
    let (status, _) = common::call(&state, "DELETE", "/api/segments/Insiders", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, v) = common::call(&state, "GET", "/api/segments?deleted=true", None).await;
    assert_eq!(v["segments"][0]["name"], "Insiders");
    let (status, v) = common::call(&state, "POST", "/api/segments/Insiders/restore", None).await;
    assert_eq!((status, v["count"].as_u64()), (StatusCode::OK, Some(1)));
    let (_, v) = common::call(&state, "GET", "/api/customers/a/segments", None).await;
    assert_eq!(v["segments"], json!(["Insiders"]));
    let (status, v) = common::call(&state, "GET", "/api/segments/nope", None).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (_, v) = common::call(&state, "GET", "/api/templates", None).await;
    assert!(v["templates"].as_array().unwrap().len() >= 10);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/webhooks",
        Some(json!({ "url": "https://example.com/hooks", "segments": ["Insiders"] })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(v["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(v["segments"], json!([id]));
    let (_, v) = common::call(&state, "GET", "/api/webhooks", None).await;
    assert_eq!(v["webhooks"].as_array().unwrap().len(), 1);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/webhooks",
        Some(json!({ "url": "ftp://example.com" })),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
}

/// Issue 18: a segment that can no longer be evaluated is marked failing
/// with its reason in the API, while imports and the other segments go on,
/// and it can still be edited and deleted through the API.
#[tokio::test]
async fn a_failing_segment_is_shown_failing_and_the_rest_goes_on() {
    let (dir, state) = common::state_with(&records());
    let numbers = "{\"kind\":\"customer\",\"id\":\"n1\",\"properties\":{\"n\":5}}\n";
    let writer = format!("Bearer {}", common::token(&state, "write"));
    let import = |body: &str| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/api/import")
            .header("authorization", &writer)
            .header("content-type", "application/x-ndjson")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap()
    };
    let answer = common::send(&state, import(numbers)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    for (name, query) in [
        ("Big", "metafields.custom.n > 3"),
        ("Big too", "metafields.custom.n > 4"),
        ("Everyone", "number_of_orders >= 0"),
    ] {
        let (status, v) = common::call(
            &state,
            "POST",
            "/api/segments",
            Some(json!({ "name": name, "query": query })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    // `n` becomes text for most customers: Big's query no longer checks.
    let words = concat!(
        "{\"kind\":\"customer\",\"id\":\"n2\",\"properties\":{\"n\":\"x\"}}\n",
        "{\"kind\":\"customer\",\"id\":\"n3\",\"properties\":{\"n\":\"y\"}}\n",
        "{\"kind\":\"customer\",\"id\":\"n4\",\"properties\":{\"n\":\"z\"}}\n",
    );
    let answer = common::send(&state, import(words)).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "the import goes on: {}",
        answer.body
    );
    let (status, big) = common::call(&state, "GET", "/api/segments/Big", None).await;
    assert_eq!(status, StatusCode::OK, "{big}");
    assert!(
        big["failing"]
            .as_str()
            .is_some_and(|r| r.contains("no longer checks")),
        "{big}"
    );
    // A restart over the store (what `flokk serve` does) starts, and the
    // segment is still failing.
    let restarted = common::state_over(
        flokk_store::Store::open(dir.path()).unwrap(),
        common::test_options(),
    );
    let (status, list) = common::call(&restarted, "GET", "/api/segments", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let big_again = list["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Big")
        .unwrap_or_else(|| panic!("Big in {list}"));
    assert!(big_again["failing"].is_string(), "{big_again}");
    let (_, everyone) = common::call(&state, "GET", "/api/segments/Everyone", None).await;
    assert_eq!(everyone["failing"], serde_json::Value::Null, "{everyone}");
    assert_eq!(everyone["count"], 7, "the other segment moved: {everyone}");
    // Still editable, and removable and purgeable while failing (a
    // restore would bring back a query that does not check: refused).
    let (status, v) = common::call(
        &state,
        "PATCH",
        "/api/segments/Big",
        Some(json!({ "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["failing"], serde_json::Value::Null, "{v}");
    let (_, too) = common::call(&state, "GET", "/api/segments/Big%20too", None).await;
    assert!(too["failing"].is_string(), "{too}");
    let (status, v) = common::call(&state, "DELETE", "/api/segments/Big%20too", None).await;
    assert!(status.is_success(), "{status} {v}");
    let (status, v) =
        common::call(&state, "DELETE", "/api/segments/Big%20too?purge=true", None).await;
    assert!(status.is_success(), "{status} {v}");
}
