//! `POST /api/segments/{name}/tags`: bulk tags, as `flokk tag add|remove`
//! does them: one transaction over the segment's members (its query
//! evaluated now), idempotent, feed cause `tagged`, live segments synced
//! before the answer.
#![allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once

use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_store::{ApplyError, Store, StoreError, checked_tag};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use utoipa::ToSchema;

/// The body of `POST /api/segments/{name}/tags`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagRequest {
    /// The tag (trimmed; empty or only spaces is refused).
    pub tag: String,
    /// `add` or `remove`.
    pub action: TagAction,
}

/// What to do with the tag.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TagAction {
    /// Add the tag to every member that lacks it.
    Add,
    /// Remove the tag from every member that has it.
    Remove,
}

/// `POST /api/segments/{name}/tags`.
// The API shape is a decision (cli.md names only the command): the answer
// is the `--json` of `flokk tag add|remove` plus the segment moves the
// tagging caused.
#[utoipa::path(post, path = "/api/segments/{name}/tags", operation_id = "tagSegment", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    request_body = TagRequest,
    responses(
        (status = 200, description = "add: `{tagged, already, total_with_tag, segments: {entered, exited}}`; remove: `{untagged, total_with_tag, segments}`", body = Object),
        (status = 400, description = "The body is not `{tag, action}` (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such segment (`unknown_segment`)", body = ErrorBody),
        (status = 422, description = "An empty tag, or only spaces (`invalid_tag`); nothing is written", body = ErrorBody)))]
pub async fn tag(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let request: TagRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("the body must be {{\"tag\": TEXT, \"action\": \"add\"|\"remove\"}}: {e}"),
            );
        }
    };
    let tag = match checked_tag(&request.tag) {
        Ok(t) => t.to_owned(),
        Err(e) => return invalid_tag(e),
    };
    // A saved segment or a static list.
    let ids = match super::lists::audience_ids(&state, &name) {
        Ok((ids, _)) => ids,
        Err(r) => return r,
    };
    let add = matches!(request.action, TagAction::Add);
    let dir = state.live.store(|s| s.dir().to_owned());
    let written = tokio::task::spawn_blocking(move || -> Result<_, Response> {
        let store = Store::open(&dir).map_err(internal)?;
        let before = store.sequence().map_err(internal)?;
        let mut w = store.writer().map_err(internal)?;
        let outcome = match w.set_tag(ids.iter().map(String::as_str), &tag, add) {
            Ok(o) => o,
            Err(ApplyError::Store(e)) => return Err(internal(e)),
            Err(invalid) => return Err(invalid_tag(invalid)),
        };
        let after = w.commit().map_err(internal)?;
        Ok((outcome, before, after))
    })
    .await;
    let (outcome, before, after) = match written {
        Ok(Ok(w)) => w,
        Ok(Err(r)) => return r,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    let live = state.clone();
    let synced = tokio::task::spawn_blocking(move || live.live.sync_moves(before, after)).await;
    let (entered, exited) = match synced {
        Ok(Ok(moves)) => moves,
        Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    let segments = json!({"entered": entered, "exited": exited});
    let answer = if add {
        json!({"tagged": outcome.changed, "already": outcome.unchanged,
               "total_with_tag": outcome.total_with_tag, "segments": segments})
    } else {
        json!({"untagged": outcome.changed, "total_with_tag": outcome.total_with_tag,
               "segments": segments})
    };
    Json(answer).into_response()
}

fn internal(e: StoreError) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string())
}

fn invalid_tag(e: ApplyError) -> Response {
    let message = match e {
        ApplyError::Invalid { reason, .. } => reason,
        other => other.to_string(),
    };
    error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_tag", message)
}
