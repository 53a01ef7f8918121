//! `POST /api/segments/{name}/tags`: bulk tags through the API, with the
//! `flokk tag --json` counts, the idempotency, the feed cause `tagged`, the
//! write scope, bad input (unknown segment, a tag of only spaces, a bad
//! action) refused with nothing written, and two bulk tags of overlapping
//! segments at once.

mod common;

use axum::http::StatusCode;
use common::{request, send, token};
use flokk_model::{Address, Customer, Record};
use serde_json::json;

fn customer(id: &str, city: &str, tags: &[&str]) -> Record {
    Record::Customer(Customer {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        addresses: vec![Address {
            city: Some(city.into()),
            country: Some("NO".into()),
            ..Default::default()
        }],
        ..Customer::stub(id)
    })
}

async fn state() -> (tempfile::TempDir, std::sync::Arc<flokk_server::ServerState>) {
    let (dir, state) = common::state_with(&[
        customer("1", "Oslo", &[]),
        customer("2", "Oslo", &["new"]),
        customer("3", "Oslo", &["Gold"]),
        customer("4", "Bergen", &["gold"]),
    ]);
    for (name, query) in [
        ("Oslo", "customer_cities CONTAINS 'NO--Oslo'"),
        ("Gold", "customer_tags CONTAINS 'gold'"),
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
    (dir, state)
}

#[tokio::test]
async fn tagging_a_segment_is_idempotent_and_moves_the_feed() {
    let (_dir, state) = state().await;
    let body = json!({ "tag": "gold", "action": "add" });
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments/Oslo/tags",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"tagged": 2, "already": 1, "total_with_tag": 4,
               "segments": {"entered": 2, "exited": 0}})
    );
    let (_, feed) = common::call(&state, "GET", "/api/changes?segment=Gold", None).await;
    let causes: Vec<String> = feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e["customer"], e["change"], e["cause"]))
        .collect();
    assert!(
        causes.contains(&r#""1" "entered" "tagged""#.to_owned()),
        "{causes:?}"
    );
    assert!(
        causes.contains(&r#""2" "entered" "tagged""#.to_owned()),
        "{causes:?}"
    );
    let c = state.live.store(|s| s.customer("2")).unwrap().unwrap();
    assert_eq!(c.tags, ["new", "gold"]);

    let (status, v) = common::call(&state, "POST", "/api/segments/Oslo/tags", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"tagged": 0, "already": 3, "total_with_tag": 4,
               "segments": {"entered": 0, "exited": 0}})
    );

    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments/Oslo/tags",
        Some(json!({ "tag": " gold ", "action": "remove" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"untagged": 3, "total_with_tag": 1,
               "segments": {"entered": 0, "exited": 3}})
    );
}

#[tokio::test]
async fn bad_input_writes_nothing_and_the_write_scope_is_needed() {
    let (_dir, state) = state().await;
    let before = state.live.store(|s| s.sequence()).unwrap();
    for (uri, body, status, code) in [
        (
            "/api/segments/Nope/tags",
            json!({ "tag": "gold", "action": "add" }),
            StatusCode::NOT_FOUND,
            "unknown_segment",
        ),
        (
            "/api/segments/Oslo/tags",
            json!({ "tag": "   ", "action": "add" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_tag",
        ),
        (
            "/api/segments/Oslo/tags",
            json!({ "tag": "gold", "action": "toggle" }),
            StatusCode::BAD_REQUEST,
            "bad_body",
        ),
        (
            "/api/segments/Oslo/tags",
            json!({ "tags": "gold", "action": "add" }),
            StatusCode::BAD_REQUEST,
            "bad_body",
        ),
    ] {
        let (got, v) = common::call(&state, "POST", uri, Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {v}");
        assert_eq!(v["error"]["code"], code, "{body}: {v}");
    }
    let reader = format!("Bearer {}", token(&state, "read"));
    let answer = send(
        &state,
        request(
            "POST",
            "/api/segments/Oslo/tags",
            Some(json!({ "tag": "gold", "action": "add" })),
            &[("authorization", &reader)],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(state.live.store(|s| s.sequence()).unwrap(), before);
}

/// Two bulk tags of overlapping segments at once (Oslo is within Norway):
/// each customer gets the tag once, by exactly one of the two requests, and
/// the Gold segment records each entry once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bulk_tags_of_overlapping_segments_at_once_each_tag_once() {
    let (_dir, state) = state().await;
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Norway", "query": "customer_countries CONTAINS 'NO'" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let body = json!({ "tag": "gold", "action": "add" });
    let (a, b) = tokio::join!(
        common::call(
            &state,
            "POST",
            "/api/segments/Oslo/tags",
            Some(body.clone())
        ),
        common::call(
            &state,
            "POST",
            "/api/segments/Norway/tags",
            Some(body.clone())
        ),
    );
    assert_eq!(a.0, StatusCode::OK, "{}", a.1);
    assert_eq!(b.0, StatusCode::OK, "{}", b.1);
    // 1 and 2 lacked it (3 has `Gold`, 4 `gold`).
    assert_eq!(
        a.1["tagged"].as_u64().unwrap() + b.1["tagged"].as_u64().unwrap(),
        2,
        "{} / {}",
        a.1,
        b.1
    );
    assert_eq!(
        a.1["total_with_tag"]
            .as_u64()
            .unwrap()
            .max(b.1["total_with_tag"].as_u64().unwrap()),
        4
    );
    for id in ["1", "2", "3", "4"] {
        let c = state.live.store(|s| s.customer(id)).unwrap().unwrap();
        let gold = c
            .tags
            .iter()
            .filter(|t| t.eq_ignore_ascii_case("gold"))
            .count();
        assert_eq!(gold, 1, "customer {id}: {:?}", c.tags);
    }
    let (_, feed) = common::call(&state, "GET", "/api/changes?segment=Gold", None).await;
    let mut entered: Vec<String> = feed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["cause"] == "tagged")
        .map(|e| format!("{} {}", e["customer"], e["change"]))
        .collect();
    entered.sort();
    assert_eq!(entered, [r#""1" "entered""#, r#""2" "entered""#]);
}
