//! Webhook signing secrets are shown once, when made (like API tokens):
//! creation and rotation answer with the secret, listings never do
//! (issue 18), and deliveries are signed with the current secret.

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Record};
use serde_json::json;

fn has_secret(v: &serde_json::Value) -> bool {
    v.to_string().contains("whsec_") || v.get("secret").is_some()
}

#[tokio::test]
async fn secrets_are_shown_when_made_and_never_listed() {
    let (_dir, state) = common::state_with(&[Record::Customer(Customer::stub("a"))]);
    let (status, made) = common::call(
        &state,
        "POST",
        "/api/webhooks",
        Some(json!({ "url": "https://example.com/hooks" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let first = made["secret"].as_str().unwrap().to_owned();
    assert!(first.starts_with("whsec_"));
    let id = made["id"].as_i64().unwrap();

    let (_, listed) = common::call(&state, "GET", "/api/webhooks", None).await;
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
    assert!(!has_secret(&listed), "{listed}");
    let (_, enabled) =
        common::call(&state, "POST", &format!("/api/webhooks/{id}/enable"), None).await;
    assert!(!has_secret(&enabled), "{enabled}");

    let (status, rotated) =
        common::call(&state, "POST", &format!("/api/webhooks/{id}/rotate"), None).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let second = rotated["secret"].as_str().unwrap();
    assert!(second.starts_with("whsec_") && second != first);
    // Deliveries sign with what is stored: the new secret.
    let stored = state.live.store(|s| s.webhook(id)).unwrap().unwrap();
    assert_eq!(stored.secret, second);
    let (_, listed) = common::call(&state, "GET", "/api/webhooks", None).await;
    assert!(!has_secret(&listed), "{listed}");

    let (status, missing) = common::call(&state, "POST", "/api/webhooks/999/rotate", None).await;
    assert_eq!(
        (status, missing["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}
