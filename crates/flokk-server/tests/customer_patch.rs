//! `PATCH /api/customers/{id}`: only the fields sent change, tags move
//! with `tags_add`/`tags_remove`, live segments and the feed follow at once
//! (cause `customer_changed`), an unknown customer is 404 and a bad field
//! 422 with nothing written, and the write scope is needed.

mod common;

use axum::http::StatusCode;
use common::{request, send, token};
use flokk_model::{Address, Customer, Record};
use serde_json::json;

fn ann() -> Record {
    Record::Customer(Customer {
        email: Some("ann@example.no".into()),
        first_name: Some("Ann".into()),
        tags: vec!["new".into()],
        addresses: vec![Address {
            city: Some("Oslo".into()),
            country: Some("NO".into()),
            ..Default::default()
        }],
        ..Customer::stub("c1")
    })
}

fn feed(v: &serde_json::Value) -> Vec<String> {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e["customer"], e["change"], e["cause"]))
        .collect()
}

#[tokio::test]
async fn a_patch_moves_a_tag_segment_and_keeps_the_rest() {
    let (_dir, state) = common::state_with(&[ann(), Record::Customer(Customer::stub("c2"))]);
    let (status, _) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "VIP", "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, v) = common::call(
        &state,
        "PATCH",
        "/api/customers/c1",
        Some(json!({ "tags_add": ["vip"], "tags_remove": ["new"], "phone": "+4791234567" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["segments"], json!({ "entered": 1, "exited": 0 }));
    let c = &v["customer"];
    assert_eq!(c["tags"], json!(["vip"]));
    assert_eq!(c["phone"], "+4791234567");
    assert_eq!(c["email"], "ann@example.no");
    assert_eq!(c["first_name"], "Ann");
    assert_eq!(c["addresses"][0]["city"], "Oslo");

    let (_, v) = common::call(&state, "GET", "/api/changes?segment=VIP", None).await;
    assert_eq!(feed(&v), [r#""c1" "entered" "customer_changed""#]);
    let (_, v) = common::call(&state, "GET", "/api/segments/VIP/members", None).await;
    assert_eq!(v["members"][0]["id"], "c1");

    // Untagging moves the customer out again.
    let (status, v) = common::call(
        &state,
        "PATCH",
        "/api/customers/c1",
        Some(json!({ "id": "c1", "tags_remove": ["vip"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["segments"], json!({ "entered": 0, "exited": 1 }));
    let (_, v) = common::call(&state, "GET", "/api/changes?segment=VIP", None).await;
    assert_eq!(
        feed(&v),
        [
            r#""c1" "entered" "customer_changed""#,
            r#""c1" "exited" "customer_changed""#
        ]
    );
}

#[tokio::test]
async fn bad_patches_write_nothing() {
    let (_dir, state) = common::state_with(&[ann()]);
    let before = state.live.store(|s| s.sequence()).unwrap();

    let (status, v) = common::call(
        &state,
        "PATCH",
        "/api/customers/nobody",
        Some(json!({ "tags_add": ["vip"] })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert_eq!(v["error"]["code"], "unknown_customer");

    for (body, field) in [
        (json!({ "emial": "x@y.no" }), "emial"),
        (
            json!({ "addresses": [{ "lat": 95, "lon": 1 }] }),
            "addresses[0].lat",
        ),
        (json!({ "id": "c2", "email": "x@y.no" }), "id"),
        (json!({ "kind": "customer", "email": "x@y.no" }), "kind"),
        (
            json!({ "tags_add": ["a"], "tags_remove": ["a"] }),
            "tags_add",
        ),
    ] {
        let (status, v) =
            common::call(&state, "PATCH", "/api/customers/c1", Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(v["error"]["code"], "invalid_patch", "{body}: {v}");
        assert_eq!(v["error"]["field"], field, "{body}: {v}");
    }
    let (status, v) = common::call(&state, "PATCH", "/api/customers/c1", Some(json!([1]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "bad_body");

    assert_eq!(state.live.store(|s| s.sequence()).unwrap(), before);
    let c = state.live.store(|s| s.customer("c1")).unwrap().unwrap();
    assert_eq!(c.email.as_deref(), Some("ann@example.no"));
}

#[tokio::test]
async fn patching_needs_the_write_scope() {
    let (_dir, state) = common::state_with(&[ann()]);
    let reader = format!("Bearer {}", token(&state, "read"));
    let answer = send(
        &state,
        request(
            "PATCH",
            "/api/customers/c1",
            Some(json!({ "tags_add": ["vip"] })),
            &[("authorization", &reader)],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    let writer = format!("Bearer {}", token(&state, "write"));
    let answer = send(
        &state,
        request(
            "PATCH",
            "/api/customers/c1",
            Some(json!({ "tags_add": ["vip"] })),
            &[("authorization", &writer)],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}
