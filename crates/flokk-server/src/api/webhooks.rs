//! `/api/webhooks`: list, subscribe, unsubscribe, enable again.

use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_store::{StoreError, WebhookEndpoint};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

fn store_error(e: StoreError) -> Response {
    let status = match &e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        e if e.is_user_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e.code(), e.to_string())
}

/// `GET /api/webhooks`.
#[utoipa::path(get, path = "/api/webhooks", operation_id = "listWebhooks", tag = "webhooks",
    responses((status = 200, description = "`{webhooks: [endpoint]}`; signing secrets are shown only when made", body = Object)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    match state.live.store(|s| s.webhooks()) {
        Ok(list) => Json(json!({ "webhooks": list })).into_response(),
        Err(e) => store_error(e),
    }
}

/// The body of `POST /api/webhooks`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBody {
    /// http:// or https:// address deliveries are POSTed to.
    url: String,
    /// Segment names or ids; all segments when left out.
    segments: Option<Vec<String>>,
    /// Deliver the whole feed from its start, not only what comes next.
    #[serde(default)]
    from_start: bool,
}

/// `POST /api/webhooks`: 201 with the endpoint and its signing secret.
#[utoipa::path(post, path = "/api/webhooks", operation_id = "addWebhook", tag = "webhooks", request_body = AddBody,
    responses(
        (status = 201, description = "The endpoint with its signing secret", body = Object),
        (status = 400, description = "Not an http(s) address", body = ErrorBody),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn add(State(state): State<Arc<ServerState>>, Json(b): Json<AddBody>) -> Response {
    let result = state.live.store(|s| {
        let ids = match &b.segments {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|n| {
                        s.segment(n)?.map(|seg| seg.id).ok_or_else(|| {
                            StoreError::NotFound(format!("there is no segment named '{n}'"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let secret = crate::webhooks::new_secret();
        s.add_webhook(&b.url, ids, b.from_start, &secret, jiff::Timestamp::now())
    });
    match result {
        Ok(endpoint) => (StatusCode::CREATED, Json(with_secret(&endpoint))).into_response(),
        Err(e) => store_error(e),
    }
}

/// An endpoint with its signing secret: only in the answer that made it.
fn with_secret(endpoint: &WebhookEndpoint) -> serde_json::Value {
    let mut shown = json!(endpoint);
    shown["secret"] = endpoint.secret.clone().into();
    shown
}

/// `POST /api/webhooks/{id}/rotate`: a new signing secret, shown once.
#[utoipa::path(post, path = "/api/webhooks/{id}/rotate", operation_id = "rotateWebhookSecret", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint with its new signing secret", body = Object),
        (status = 404, description = "No such endpoint", body = ErrorBody)))]
pub async fn rotate(State(state): State<Arc<ServerState>>, Path(id): Path<i64>) -> Response {
    let secret = crate::webhooks::new_secret();
    match state.live.store(|s| {
        s.rotate_webhook_secret(id, &secret)?;
        s.webhook(id)
    }) {
        Ok(Some(endpoint)) => Json(with_secret(&endpoint)).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("there is no webhook {id}"),
        ),
        Err(e) => store_error(e),
    }
}

/// `DELETE /api/webhooks/{id}`.
#[utoipa::path(delete, path = "/api/webhooks/{id}", operation_id = "removeWebhook", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "`{removed: id}`", body = Object),
        (status = 404, description = "No such endpoint", body = ErrorBody)))]
pub async fn remove(State(state): State<Arc<ServerState>>, Path(id): Path<i64>) -> Response {
    match state.live.store(|s| s.remove_webhook(id)) {
        Ok(true) => Json(json!({ "removed": id })).into_response(),
        Ok(false) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("there is no webhook {id}"),
        ),
        Err(e) => store_error(e),
    }
}

/// `POST /api/webhooks/{id}/enable`: resumes a disabled endpoint at its cursor.
#[utoipa::path(post, path = "/api/webhooks/{id}/enable", operation_id = "enableWebhook", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint", body = Object),
        (status = 404, description = "No such endpoint", body = ErrorBody)))]
pub async fn enable(State(state): State<Arc<ServerState>>, Path(id): Path<i64>) -> Response {
    match state.live.store(|s| {
        s.enable_webhook(id)?;
        s.webhook(id)
    }) {
        Ok(Some(endpoint)) => Json(endpoint).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("there is no webhook {id}"),
        ),
        Err(e) => store_error(e),
    }
}
