//! The Segment tracking API's endpoints as routed and documented: one
//! handler per call type over `tracking::receive`, each with its OpenAPI
//! operation (tag `ingest`). The security is HTTP Basic with an `ingest`
//! token as the user name (Segment's write key), or that token as Bearer;
//! the handlers check it themselves (the libraries know nothing of
//! sessions or CSRF), so these routes are outside the guarded API.

use super::tracking::receive;
use super::tracking_schema::{TrackingAnswer, TrackingBatch, TrackingMessage};
use crate::error_body::ErrorBody;
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use flokk_store::tracking::MessageType;
use std::sync::Arc;

/// What every tracking call answers, said once for the OpenAPI document
/// (each operation lists `responses(TrackingResponses)`); the handlers
/// build their answers in `tracking::receive`.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // described, never built: the answers are built by `receive`
pub enum TrackingResponses {
    #[response(
        status = 200,
        description = "Applied before this answer; `results` says what became of each message"
    )]
    Applied(TrackingAnswer),
    #[response(
        status = 400,
        description = "Not JSON or not a batch (`bad_body`); for a single call, its message refused (`invalid_message`)"
    )]
    BadBody(ErrorBody),
    #[response(
        status = 401,
        description = "No token, or an unknown or revoked one (`unauthorized`)"
    )]
    Unauthorized(ErrorBody),
    #[response(
        status = 403,
        description = "The token lacks the scope ingest (`forbidden`), or the page's Origin is not one of storefront_origins (`origin_not_allowed`)"
    )]
    Forbidden(ErrorBody),
    #[response(
        status = 413,
        description = "Over 500 KB (`payload_too_large`); a message over 32 KB is rejected alone"
    )]
    TooLarge(ErrorBody),
    #[response(status = 429, description = "flokk is applying as much as it can (`busy`) or the client's rate is spent (`rate_limited`); retry after Retry-After",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying")))]
    Busy(ErrorBody),
}

/// `POST /v1/identify`: who the customer is: traits become customer fields and `metafields.custom.*`; with an `anonymousId` too, the visitor's waiting events become the customer's.
#[utoipa::path(post, path = "/v1/identify", operation_id = "identifyMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `identify` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn identify(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Identify)).await
}

/// `POST /v1/track`: something the customer did: a custom event (`event`, `properties`, `value`/`revenue`).
#[utoipa::path(post, path = "/v1/track", operation_id = "trackMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `track` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn track(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Track)).await
}

/// `POST /v1/page`: a page the customer saw: with `properties.product_id` (`collection_id`) a storefront product (collection) view, else the custom event `Page Viewed`.
#[utoipa::path(post, path = "/v1/page", operation_id = "pageMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `page` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn page(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Page)).await
}

/// `POST /v1/screen`: an app screen the customer saw: the custom event `Screen Viewed`.
#[utoipa::path(post, path = "/v1/screen", operation_id = "screenMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `screen` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn screen(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Screen)).await
}

/// `POST /v1/alias`: `previousId` (an anonymous id) is the same person as `userId`: its waiting events become the customer's.
#[utoipa::path(post, path = "/v1/alias", operation_id = "aliasMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `alias` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn alias(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Alias)).await
}

/// `POST /v1/group`: taken and ignored (flokk keeps no groups), so libraries that send it get no error.
#[utoipa::path(post, path = "/v1/group", operation_id = "groupMessage", tag = "ingest",
    request_body(content = TrackingMessage, description = "One `group` message"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn group(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, Some(MessageType::Group)).await
}

/// `POST /v1/batch`: up to 500 KB of messages of any type, each with its `type`; each message is accepted, a duplicate, ignored or rejected on its own (partial success).
#[utoipa::path(post, path = "/v1/batch", operation_id = "batchMessages", tag = "ingest",
    request_body(content = TrackingBatch, description = "The messages"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn batch(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, None).await
}

/// `POST /v1/import`: the older name of `/v1/batch`, as Segment keeps it.
#[utoipa::path(post, path = "/v1/import", operation_id = "importMessages", tag = "ingest",
    request_body(content = TrackingBatch, description = "The messages"),
    security(("ingest" = []), ("bearer" = ["ingest"])),
    responses(TrackingResponses))]
pub async fn import(State(s): State<Arc<ServerState>>, h: HeaderMap, b: Bytes) -> Response {
    receive(s, h, b, None).await
}
