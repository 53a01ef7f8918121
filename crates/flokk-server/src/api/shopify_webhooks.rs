//! `POST /webhooks/shopify`: Shopify's webhooks for customers, orders,
//! refunds and checkouts.
//!
//! Shopify signs each delivery with `X-Shopify-Hmac-SHA256`, the base64
//! HMAC-SHA256 of the raw body keyed with the app's secret (the setting
//! `shopify_webhook_secret`); that is the only credential, so the route is
//! outside the token-guarded API. The signature is checked (in constant
//! time) before anything else is read. A signed delivery is read (a body
//! flokk cannot map is refused with the field at fault, nothing kept),
//! kept durably under its `X-Shopify-Webhook-Id` (a retry of a kept one
//! changes nothing) and answered; it is applied right after
//! (`inbound.rs`), so the answer never waits on the engine, well within
//! Shopify's five seconds.
//!
//! Decisions: without a secret set, deliveries are refused with 503
//! (`shopify_webhooks_off`): Shopify retries failed deliveries for hours,
//! so those made before the merchant sets the secret still arrive. A topic
//! flokk does not take is 422 (`unsupported_topic`), not silently
//! accepted, so a misconfigured subscription shows in Shopify's failures.

use super::tracking_schema::ShopifyReceipt;
use crate::error_body::{ErrorBody, error};
use crate::inbound::apply_waiting;
use crate::state::ServerState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flokk_store::shopify::{SHOPIFY_SOURCE, Topic, decode_payload};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::sync::Arc;

/// Whether `signature` (the header's base64) is the HMAC-SHA256 of `body`
/// under `secret`. The comparison is constant-time (`verify_slice`).
pub(crate) fn signed(secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(given) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
}

/// `POST /webhooks/shopify`.
#[utoipa::path(post, path = "/webhooks/shopify", operation_id = "receiveShopifyWebhook", tag = "ingest",
    params(
        ("X-Shopify-Topic" = String, Header, description = "customers/create, customers/update, customers/delete, orders/create, orders/updated, orders/cancelled, refunds/create, checkouts/create or checkouts/update"),
        ("X-Shopify-Webhook-Id" = String, Header, description = "The delivery's id: a delivery with an id kept before is a duplicate (kept shopify_webhook_retention_days after it was applied)")),
    request_body(content = Object, description = "The topic's Admin REST resource (customer, order, refund or checkout), exactly as Shopify signed it"),
    security(("shopifyHmac" = [])),
    responses(
        (status = 200, description = "Kept durably (or a duplicate) and applied right after", body = ShopifyReceipt),
        (status = 400, description = "No X-Shopify-Topic or X-Shopify-Webhook-Id (`missing_header`)", body = ErrorBody),
        (status = 401, description = "X-Shopify-Hmac-SHA256 missing or not this body's signature (`bad_signature`); nothing was read or kept", body = ErrorBody),
        (status = 413, description = "The body is over the limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "A topic flokk does not take (`unsupported_topic`), or a payload it cannot map (`invalid_payload`, with `field`); nothing was kept", body = ErrorBody),
        (status = 429, description = "Too many requests from this client (`rate_limited`); see Retry-After", body = ErrorBody),
        (status = 503, description = "The setting shopify_webhook_secret is not set (`shopify_webhooks_off`)", body = ErrorBody)))]
pub async fn receive(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Read on the credentials connection: the inbound one may be busy
    // applying a tracking batch.
    let secret = match state
        .credentials
        .store(|s| s.settings().get("shopify_webhook_secret"))
    {
        Ok(s) => s,
        Err(e) => return internal(e),
    };
    if secret.is_empty() {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shopify_webhooks_off",
            "flokk takes no Shopify webhooks until the setting shopify_webhook_secret is set \
             (flokk config set shopify_webhook_secret ...)",
        );
    }
    let Some(signature) = header(&headers, "x-shopify-hmac-sha256") else {
        return error(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "the X-Shopify-Hmac-SHA256 header is missing",
        );
    };
    if !signed(&secret, &body, signature) {
        return error(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "X-Shopify-Hmac-SHA256 is not the signature of this body with the shopify_webhook_secret",
        );
    }
    let Some(topic_name) = header(&headers, "x-shopify-topic") else {
        return error(
            StatusCode::BAD_REQUEST,
            "missing_header",
            "the X-Shopify-Topic header is missing",
        );
    };
    let Some(delivery_id) = header(&headers, "x-shopify-webhook-id") else {
        return error(
            StatusCode::BAD_REQUEST,
            "missing_header",
            "the X-Shopify-Webhook-Id header is missing (flokk de-duplicates deliveries by it)",
        );
    };
    let Some(topic) = Topic::parse(topic_name) else {
        let known: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_topic",
            format!(
                "flokk does not take the topic {topic_name:?}; it takes {}",
                known.join(", ")
            ),
        );
    };
    if let Err(e) = decode_payload(topic, &body) {
        let body = json!({"error": {
            "code": "invalid_payload",
            "message": format!("the {topic} payload cannot be read: {e}; nothing was kept"),
            "field": e.field,
        }});
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    }
    let store = state.inbound_store.clone();
    let delivery_id = delivery_id.to_owned();
    let id = delivery_id.clone();
    let now = state.live.now();
    let kept = tokio::task::spawn_blocking(move || {
        store.lock().expect("inbound store lock").enqueue_delivery(
            SHOPIFY_SOURCE,
            &id,
            topic.as_str(),
            &body,
            now,
        )
    })
    .await;
    let new = match kept {
        Ok(Ok(new)) => new,
        Ok(Err(e)) => return internal(e),
        Err(e) => return internal(e),
    };
    if new {
        tokio::spawn(apply_waiting(state.live.clone(), state.inbound.clone()));
    }
    Json(json!({
        "received": delivery_id,
        "topic": topic.as_str(),
        "duplicate": !new,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature made the way Shopify makes it verifies; any other
    /// secret, body or garbled header does not.
    #[test]
    fn signatures_are_checked() {
        let body = br#"{"id":1}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"hush").unwrap();
        mac.update(body);
        let good = STANDARD.encode(mac.finalize().into_bytes());
        assert!(signed("hush", body, &good));
        assert!(!signed("other", body, &good));
        assert!(!signed("hush", br#"{"id":2}"#, &good));
        assert!(!signed("hush", body, "not base64!"));
        assert!(!signed("hush", body, ""));
    }
}
