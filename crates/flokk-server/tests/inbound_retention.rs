//! Retention while the server runs (`flokk_server::retention`): what the
//! tracking API and the Shopify webhook keep is stamped with the server's
//! clock (`--now`), and a prune by a server whose clock is past the
//! retention drops it; before then it stays.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answer, send, state_over_at, state_with, test_options, token};
use flokk_server::ServerState;
use flokk_store::Store;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "shpss_retention";

async fn post(state: &Arc<ServerState>, key: &str, body: &Value) -> Answer {
    let request = Request::builder()
        .method("POST")
        .uri("/v1/batch")
        .header("content-type", "application/json")
        .header(
            "authorization",
            format!("Basic {}", STANDARD.encode(format!("{key}:"))),
        )
        .body(Body::from(body.to_string()))
        .unwrap();
    send(state, request).await
}

async fn shopify(state: &Arc<ServerState>, webhook_id: &str, body: &Value) -> Answer {
    let body = body.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let request = Request::builder()
        .method("POST")
        .uri("/webhooks/shopify")
        .header("content-type", "application/json")
        .header("x-shopify-topic", "customers/create")
        .header(
            "x-shopify-hmac-sha256",
            STANDARD.encode(mac.finalize().into_bytes()),
        )
        .header("x-shopify-webhook-id", webhook_id)
        .body(Body::from(body))
        .unwrap();
    send(state, request).await
}

fn batch() -> Value {
    json!({"batch": [
        {"type": "track", "userId": "c1", "event": "Viewed", "messageId": "m-1"},
        {"type": "page", "anonymousId": "anon-1", "name": "Home", "messageId": "m-2"},
    ]})
}

#[tokio::test]
async fn a_server_past_the_retention_drops_what_was_kept() {
    // The server of `state_with` runs as of 2025-06-01T00:00:00Z.
    let (dir, state) = state_with(&[]);
    let store = Store::open(dir.path()).unwrap();
    store
        .settings()
        .set("shopify_webhook_secret", SECRET)
        .unwrap();
    let key = token(&state, "ingest");
    let a = post(&state, &key, &batch()).await;
    assert_eq!(a.json()["accepted"], 2, "{}", a.body);
    let customer = json!({"id": 207119551, "email": "bob.norman@mail.example.com",
        "created_at": "2025-05-30T10:00:00-04:00", "updated_at": "2025-05-30T10:00:00-04:00"});
    let a = shopify(&state, "b54557e4-1", &customer).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for _ in 0..200 {
        if store
            .delivery_outcome("shopify", "b54557e4-1")
            .unwrap()
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(state);

    // Six days later (a restarted server): nothing is old enough.
    let later = state_over_at(
        Store::open(dir.path()).unwrap(),
        test_options(),
        "2025-06-07T00:00:00Z",
    );
    let pruned = flokk_server::retention::prune(later.live.clone())
        .await
        .unwrap();
    assert!(pruned.is_empty(), "{pruned:?}");
    let a = post(&later, &key, &batch()).await;
    assert_eq!(a.json()["duplicates"], 2, "{}", a.body);
    drop(later);

    // Eight days after: the delivery and the ids go (seven days), the
    // anonymous event stays (thirty); the same messages are new again.
    let after = state_over_at(
        Store::open(dir.path()).unwrap(),
        test_options(),
        "2025-06-09T00:00:00Z",
    );
    let pruned = flokk_server::retention::prune(after.live.clone())
        .await
        .unwrap();
    assert_eq!(pruned.shopify_deliveries, 1, "{pruned:?}");
    assert_eq!(pruned.message_ids, 2, "{pruned:?}");
    assert_eq!(pruned.anonymous_events, 0, "{pruned:?}");
    let a = shopify(&after, "b54557e4-1", &customer).await;
    assert_eq!(a.json()["duplicate"], false, "{}", a.body);
}
