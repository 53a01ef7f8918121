//! Each scope boundary: no token, a wrong or revoked token, a forged or
//! ended session cookie are 401; a read token cannot write or manage
//! webhooks; a cookie write without the CSRF header is 403; with it, and
//! with the right scope, it passes. Oversized bodies are 413.

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Record};
use flokk_store::Scope;
use serde_json::json;

fn state() -> (tempfile::TempDir, std::sync::Arc<flokk_server::ServerState>) {
    common::state_with(&[Record::Customer(Customer::stub("a"))])
}

fn token(state: &flokk_server::ServerState, scopes: &[Scope]) -> String {
    state
        .live
        .store(|s| s.create_token("t", scopes, jiff::Timestamp::now()))
        .unwrap()
        .1
}

#[tokio::test]
async fn tokens_and_scopes() {
    let (_d, state) = state();
    let count = "/api/count?query=number_of_orders%20%3E%3D%200";
    let (status, v) = common::call_with(&state, "GET", count, None, &[]).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _) = common::call_with(
        &state,
        "GET",
        count,
        None,
        &[("authorization", "Bearer flk_nope")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let read = format!("Bearer {}", token(&state, &[Scope::Read]));
    let (status, v) =
        common::call_with(&state, "GET", count, None, &[("authorization", &read)]).await;
    assert_eq!((status, v["count"].as_u64()), (StatusCode::OK, Some(1)));
    let create = json!({ "name": "All", "query": "number_of_orders >= 0" });
    let (status, v) = common::call_with(
        &state,
        "POST",
        "/api/segments",
        Some(create.clone()),
        &[("authorization", &read)],
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert!(v["error"]["message"].as_str().unwrap().contains("write"));
    let (status, _) = common::call_with(
        &state,
        "GET",
        "/api/webhooks",
        None,
        &[("authorization", &read)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let write_secret = token(&state, &[Scope::Read, Scope::Write]);
    let write = format!("Bearer {write_secret}");
    let (status, _) = common::call_with(
        &state,
        "POST",
        "/api/segments",
        Some(create),
        &[("authorization", &write)],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = common::call_with(
        &state,
        "GET",
        "/api/webhooks",
        None,
        &[("authorization", &write)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "webhooks need admin");

    // A revoked token stops working at once.
    let id = state
        .live
        .store(|s| s.tokens())
        .unwrap()
        .into_iter()
        .find(|t| t.scopes == [Scope::Read, Scope::Write])
        .unwrap()
        .id;
    assert!(
        state
            .live
            .store(|s| s.revoke_token(id, jiff::Timestamp::now()))
            .unwrap()
    );
    let (status, _) =
        common::call_with(&state, "GET", count, None, &[("authorization", &write)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Pages and assets are public.
    let (status, _, _) = common::send(&state, "GET", "/ui/common.js", None, &[]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn sessions_need_csrf_for_changes() {
    let (_d, state) = state();
    let secret = token(&state, &[Scope::Read, Scope::Write]);
    let (status, headers, v) = common::send(
        &state,
        "POST",
        "/api/session",
        Some(json!({ "token": secret })),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let set_cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let csrf = v["csrf"].as_str().unwrap().to_owned();

    let (status, _) =
        common::call_with(&state, "GET", "/api/segments", None, &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!({ "name": "All", "query": "number_of_orders >= 0" });
    let (status, v) = common::call_with(
        &state,
        "POST",
        "/api/segments",
        Some(body.clone()),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf"))
    );
    let (status, _) = common::call_with(
        &state,
        "POST",
        "/api/segments",
        Some(body),
        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // A forged cookie, and the cookie after signing out, are turned away.
    let (status, _) = common::call_with(
        &state,
        "GET",
        "/api/segments",
        None,
        &[("cookie", "flokk_session=0123456789abcdef")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = common::call_with(
        &state,
        "DELETE",
        "/api/session",
        None,
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) =
        common::call_with(&state, "GET", "/api/segments", None, &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A wrong token does not sign in.
    let (status, _) = common::call_with(
        &state,
        "POST",
        "/api/session",
        Some(json!({ "token": "flk_wrong" })),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (_d, state) = state();
    let big = "x".repeat(2 << 20);
    let (status, _) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Big", "query": big })),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
