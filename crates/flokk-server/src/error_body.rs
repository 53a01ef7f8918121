//! The one shape of every API error: `{"error":{"code","message",...}}`,
//! with a stable `code` for programs and a `message` for people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_store::Scope;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `csrf`,
    /// `rate_limited`, `payload_too_large`, `not_found`, `invalid_query`, ...
    #[schema(example = "forbidden")]
    pub code: String,
    /// For people.
    pub message: String,
    /// With `forbidden`: the scope the request needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ScopeName>)]
    pub scope: Option<Scope>,
    /// With `invalid_query`: the positioned query errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub errors: Option<serde_json::Value>,
    /// With `invalid_query`: hints beside the errors (a segment name given
    /// where a query goes), as `flokk check` gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub hints: Option<serde_json::Value>,
}

/// A token scope, as the API names it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScopeName {
    /// Read queries, segments, customers and settings.
    Read,
    /// Change segments and settings.
    Write,
    /// Download customer lists (personal data).
    Export,
    /// Tokens and webhooks; grants every scope.
    Admin,
    /// Only checking discount codes (a shop's checkout).
    Checkout,
}

impl ErrorBody {
    /// An error with `code` and `message`.
    pub fn new(code: &str, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: message.into(),
                scope: None,
                errors: None,
                hints: None,
            },
        }
    }

    /// The response with `status`.
    pub fn into_response_with(self, status: StatusCode) -> Response {
        (status, Json(self)).into_response()
    }
}

/// A JSON error response.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    ErrorBody::new(code, message).into_response_with(status)
}

/// 400 `bad_body`: a request body that is not as the API reference says.
pub fn bad_body(why: String) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "bad_body",
        format!("the body is not as documented: {why}"),
    )
}
