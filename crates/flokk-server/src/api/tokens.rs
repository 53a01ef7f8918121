//! `/api/tokens`: list, create and revoke API tokens (scope `admin`).

use crate::error_body::{ErrorBody, ScopeName, error};
use crate::state::ServerState;
use crate::views::token::{CreatedTokenView, TokenView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_store::{Scope, Scopes, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

fn store_error(e: StoreError) -> Response {
    let status = match &e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        e if e.is_user_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e.code(), e.to_string())
}

/// Every token, revoked ones included.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    /// By id.
    pub tokens: Vec<TokenView>,
}

/// `GET /api/tokens`.
#[utoipa::path(get, path = "/api/tokens", operation_id = "listTokens", tag = "auth",
    responses((status = 200, description = "Every token, revoked ones included", body = TokenList)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    match state.credentials.store(|s| s.tokens()) {
        Ok(tokens) => Json(TokenList {
            tokens: tokens.iter().map(TokenView::from).collect(),
        })
        .into_response(),
        Err(e) => store_error(e),
    }
}

/// The body of `POST /api/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenBody {
    /// Unique among tokens not revoked; not all digits.
    #[schema(example = "newsletter-sync")]
    name: String,
    /// At least one.
    #[schema(value_type = Vec<ScopeName>)]
    scopes: Vec<Scope>,
}

/// `POST /api/tokens`: 201 with the token and its secret, shown once.
#[utoipa::path(post, path = "/api/tokens", operation_id = "createToken", tag = "auth", request_body = CreateTokenBody,
    responses(
        (status = 201, description = "The token and its secret (shown this once)", body = CreatedTokenView),
        (status = 400, description = "A bad name or no scope", body = ErrorBody),
        (status = 409, description = "A live token has that name", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Json(b): Json<CreateTokenBody>,
) -> Response {
    let created = state
        .credentials
        .store(|s| s.create_token(&b.name, Scopes::of(&b.scopes), jiff::Timestamp::now()));
    match created {
        Ok(new) => (StatusCode::CREATED, Json(CreatedTokenView::from(&new))).into_response(),
        Err(e) => store_error(e),
    }
}

/// `DELETE /api/tokens/{token}`: revokes the token (by name or id) and
/// ends its sessions.
#[utoipa::path(delete, path = "/api/tokens/{token}", operation_id = "revokeToken", tag = "auth",
    params(("token" = String, Path, description = "The token's name or id")),
    responses(
        (status = 200, description = "The revoked token", body = TokenView),
        (status = 404, description = "No such token", body = ErrorBody)))]
pub async fn revoke(State(state): State<Arc<ServerState>>, Path(token): Path<String>) -> Response {
    match state
        .credentials
        .store(|s| s.revoke_token(&token, jiff::Timestamp::now()))
    {
        Ok(revoked) => Json(TokenView::from(&revoked)).into_response(),
        Err(e) => store_error(e),
    }
}
