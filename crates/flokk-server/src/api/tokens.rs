//! `/api/tokens`: list, create and revoke API tokens (scope `admin`).

use crate::auth::Principal;
use crate::error_body::{ErrorBody, ScopeName, error};
use crate::state::ServerState;
use crate::views::token::{CreatedTokenView, TokenView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
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
    /// Limit it to these organisations of a venue group (each one the
    /// store knows). A token that is itself limited creates only tokens
    /// limited to some of its own organisations (its own by default).
    #[serde(default)]
    organisations: Vec<String>,
}

/// `POST /api/tokens`: 201 with the token and its secret, shown once.
#[utoipa::path(post, path = "/api/tokens", operation_id = "createToken", tag = "auth", request_body = CreateTokenBody,
    responses(
        (status = 201, description = "The token and its secret (shown this once)", body = CreatedTokenView),
        (status = 400, description = "A bad name, no scope or an unknown organisation", body = ErrorBody),
        (status = 403, description = "A token limited to some organisations asked for another (`organisation_forbidden`)", body = ErrorBody),
        (status = 409, description = "A live token has that name", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Json(b): Json<CreateTokenBody>,
) -> Response {
    // A limited admin cannot mint a token that reaches further than itself.
    let own = &principal.token.organisations;
    let organisations = if own.is_empty() || !b.organisations.is_empty() {
        b.organisations
    } else {
        own.clone()
    };
    if let Some(beyond) = organisations
        .iter()
        .find(|o| !own.is_empty() && !own.contains(&o.trim().to_owned()))
    {
        return error(
            StatusCode::FORBIDDEN,
            "organisation_forbidden",
            format!("this token is limited to {own:?} and cannot create a token for {beyond:?}"),
        );
    }
    let created = state.credentials.store(|s| {
        s.create_limited_token(
            &b.name,
            Scopes::of(&b.scopes),
            &organisations,
            jiff::Timestamp::now(),
        )
    });
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
