//! The Segment HTTP tracking API (<https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/>):
//! `POST /v1/identify`, `/v1/track`, `/v1/page`, `/v1/screen`,
//! `/v1/alias`, `/v1/group` and `/v1/batch`, so any Segment-compatible
//! library (analytics-node, analytics-python, RudderStack and Jitsu SDKs)
//! can send to flokk by pointing its host here.
//!
//! Authentication is HTTP Basic with a token of the `ingest` scope as the
//! user name and an empty password, as Segment sends write keys (a Bearer
//! token, or `writeKey` in the body, works too). A request from a browser
//! (with `Origin`) must come from one of the `storefront_origins`, and is
//! answered with CORS headers for it. Outside the guarded `/api`: the libraries know
//! nothing of flokk's sessions or CSRF.
//!
//! A request is applied in one transaction before it is answered (each
//! message accepted, a duplicate by `messageId`, ignored, or rejected with
//! its reason: partial success), so a 200 means the data is durable.
//! Segments follow right after (`inbound::follow_soon`), not before the
//! answer, which keeps the answer fast under load.
//!
//! Back-pressure: at most `inbound::INGEST_SLOTS` requests are being applied or
//! waiting to be; another is answered 429 with `Retry-After: 1` (the
//! libraries retry), never queued without bound.

use crate::error_body::error;
use crate::inbound::follow_soon;
use crate::state::ServerState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flokk_store::tracking::{
    MAX_MESSAGE_BYTES, Message, MessageOutcome, MessageType, apply_messages, read_message,
};
use flokk_store::{Scope, origin_allowed};
use serde_json::{Value, json};
use std::sync::Arc;

/// The largest batch Segment's API takes (500 KB).
pub const MAX_BATCH_BYTES: usize = 500 * 1024;

/// The token of `Authorization: Basic base64(token:)` (or `Bearer token`).
fn presented_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.trim().to_owned());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(rest.trim()).ok()?).ok()?;
    let user = decoded.split(':').next().unwrap_or("").trim();
    (!user.is_empty()).then(|| user.to_owned())
}

/// The `writeKey` of a body (Segment's HTTP API takes the key there too;
/// the storefront snippet sends it so, to make a request without preflight).
fn body_write_key(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct KeyOnly {
        #[serde(rename = "writeKey")]
        write_key: Option<String>,
    }
    serde_json::from_slice::<KeyOnly>(body)
        .ok()?
        .write_key
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
}

#[allow(clippy::result_large_err)] // the error is the response, returned at once
fn authorize(state: &ServerState, headers: &HeaderMap, body: &[u8]) -> Result<(), Response> {
    let Some(secret) = presented_token(headers).or_else(|| body_write_key(body)) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send a token with the ingest scope as the user name of HTTP Basic authentication \
             (Segment's write key)",
        ));
    };
    let token = state
        .credentials
        .store(|s| s.authenticate_token(&secret, jiff::Timestamp::now()))
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match token {
        None => Err(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the token is unknown or revoked",
        )),
        Some(t) if !t.scopes.grants(Scope::Ingest) => {
            let body = json!({"error": {"code": "forbidden",
                "message": "this token lacks the scope ingest", "scope": "ingest"}});
            Err((StatusCode::FORBIDDEN, Json(body)).into_response())
        }
        Some(_) => Ok(()),
    }
}

/// The messages of a request: the body itself, or a batch's `batch`.
fn messages(
    body: &[u8],
    kind: Option<MessageType>,
) -> Result<Vec<Result<Message, String>>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let now = jiff::Timestamp::now();
    let large = body.len() > MAX_MESSAGE_BYTES;
    match kind {
        Some(kind) => Ok(vec![read_message(value, Some(kind), now, large)]),
        None => {
            let Value::Object(mut batch) = value else {
                return Err("a batch is a JSON object with a `batch` list".into());
            };
            let Some(Value::Array(list)) = batch.remove("batch") else {
                return Err("a batch is a JSON object with a `batch` list".into());
            };
            Ok(list
                .into_iter()
                .map(|m| read_message(m, None, now, large))
                .collect())
        }
    }
}

/// The request's `Origin` when it is one of `storefront_origins`;
/// `Err` (403) for any other origin. Requests without `Origin` (servers,
/// apps) pass.
#[allow(clippy::result_large_err)] // the error is the response, returned at once
fn check_origin(state: &ServerState, headers: &HeaderMap) -> Result<Option<HeaderValue>, Response> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(None);
    };
    // Read on the credentials connection: the inbound one may be busy
    // applying another batch.
    let allowed = state
        .credentials
        .store(|s| s.settings().get("storefront_origins"))
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match origin.to_str() {
        Ok(o) if origin_allowed(&allowed, o) => Ok(Some(origin.clone())),
        _ => Err(error(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            format!(
                "pages of {} may not send tracking data; add the origin to the setting \
                 storefront_origins",
                origin.to_str().unwrap_or("this origin")
            ),
        )),
    }
}

/// CORS for an allowed origin: it may read the answer.
fn allow_origin(mut response: Response, origin: Option<HeaderValue>) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

/// `OPTIONS /v1/*`: the CORS preflight of a browser sending with an
/// `Authorization` header or a JSON content type (analytics.js).
pub async fn preflight(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    match check_origin(&state, &headers) {
        Err(r) => r,
        Ok(origin) => {
            let mut r = allow_origin(StatusCode::NO_CONTENT.into_response(), origin);
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
            r
        }
    }
}

pub(crate) async fn receive(
    state: Arc<ServerState>,
    headers: HeaderMap,
    body: Bytes,
    kind: Option<MessageType>,
) -> Response {
    let origin = match check_origin(&state, &headers) {
        Ok(o) => o,
        Err(r) => return r,
    };
    allow_origin(receive_allowed(state, headers, body, kind).await, origin)
}

async fn receive_allowed(
    state: Arc<ServerState>,
    headers: HeaderMap,
    body: Bytes,
    kind: Option<MessageType>,
) -> Response {
    if body.len() > MAX_BATCH_BYTES {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the request is {} bytes; a batch may be at most 500 KB (send smaller batches)",
                body.len()
            ),
        );
    }
    if let Err(r) = authorize(&state, &headers, &body) {
        return r;
    }
    let Ok(slot) = state.ingest_slots.clone().try_acquire_owned() else {
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "flokk is applying as much tracking data as it can; retry in a second",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    };
    let store = state.inbound_store.clone();
    // The server's clock (`--now` when given), so retention ages what
    // this request keeps from the instant the store is told it is.
    let now = state.live.now();
    let applied = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let read = messages(&body, kind)?;
        let store = store.lock().expect("inbound store lock");
        apply_messages(&store, read, now).map_err(|e| e.to_string())
    })
    .await;
    let (outcomes, changes) = match applied {
        Ok(Ok(a)) => a,
        Ok(Err(reason)) if reason.starts_with("the body") || reason.starts_with("a batch") => {
            return error(StatusCode::BAD_REQUEST, "bad_body", reason);
        }
        Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    if changes.0 != changes.1 {
        follow_soon(state.live.clone(), state.segment_follower.clone());
    }
    answer(kind, outcomes)
}

fn answer(kind: Option<MessageType>, outcomes: Vec<MessageOutcome>) -> Response {
    let count = |f: fn(&MessageOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let accepted = count(|o| *o == MessageOutcome::Accepted);
    let duplicates = count(|o| *o == MessageOutcome::Duplicate);
    let ignored = count(|o| matches!(o, MessageOutcome::Ignored { .. }));
    let rejected = count(|o| matches!(o, MessageOutcome::Rejected { .. }));
    // A single call refused is the caller's error; a batch reports per
    // message (Segment answers a batch 200 and drops what it cannot take).
    if kind.is_some()
        && let Some(MessageOutcome::Rejected { reason }) = outcomes.first()
    {
        return error(StatusCode::BAD_REQUEST, "invalid_message", reason.clone());
    }
    let results: Vec<Value> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut v = serde_json::to_value(o).unwrap_or(Value::Null);
            v["index"] = json!(i);
            v
        })
        .collect();
    Json(json!({
        "success": true,
        "accepted": accepted,
        "duplicates": duplicates,
        "ignored": ignored,
        "rejected": rejected,
        "results": results,
    }))
    .into_response()
}
