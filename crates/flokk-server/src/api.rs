//! The JSON API. Every error is JSON with a stable `code`.

use crate::ServerState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_lang::{CheckOptions, TypedQuery, check as check_query};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// `?query=...&strict=true`
#[derive(Debug, Deserialize)]
pub struct QueryParams {
    #[serde(default)]
    query: String,
    #[serde(default)]
    strict: bool,
}

/// `?query=...&limit=50&offset=0&sort=-amount_spent`
#[derive(Debug, Deserialize)]
pub struct MembersParams {
    #[serde(default)]
    query: String,
    #[serde(default)]
    strict: bool,
    limit: Option<usize>,
    #[serde(default)]
    offset: usize,
    sort: Option<String>,
}

pub(crate) fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message.into() } })),
    )
        .into_response()
}

/// The checked query, or the response that reports why it is not one.
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
fn checked(state: &ServerState, query: &str, strict: bool) -> Result<TypedQuery, Response> {
    if query.trim().is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "missing_query",
            "give the query as ?query=...",
        ));
    }
    let properties = state.live.evaluate(|engine, _, _| engine.property_types());
    check_query(
        query,
        &CheckOptions {
            strict,
            properties: &properties,
        },
    )
    .map_err(|errors| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({ "valid": false, "errors": errors })),
        )
            .into_response()
    })
}

pub(crate) fn eval_error(e: flokk_engine::EvalError) -> Response {
    let status = match e {
        flokk_engine::EvalError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    error(status, e.code(), e.to_string())
}

/// `GET /api/check`: the canonical form, or the errors.
pub async fn check(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<QueryParams>,
) -> Response {
    match checked(&state, &p.query, p.strict) {
        Ok(typed) => Json(json!({ "valid": true, "canonical": typed.to_string() })).into_response(),
        Err(response) => response,
    }
}

/// `GET /api/count`: the shape of `flokk count --json`.
pub async fn count(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<QueryParams>,
) -> Response {
    let typed = match checked(&state, &p.query, p.strict) {
        Ok(t) => t,
        Err(response) => return response,
    };
    match state
        .live
        .evaluate(|_, evaluator, _| evaluator.count(&typed))
    {
        // The CLI's shape, plus the canonical form for the editor.
        Ok(answer) => {
            let mut v = serde_json::to_value(&answer).expect("answers serialise");
            v["canonical"] = json!(typed.to_string());
            Json(v).into_response()
        }
        Err(e) => eval_error(e),
    }
}

/// `GET /api/members`: a page of members with their headline facts.
pub async fn members(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<MembersParams>,
) -> Response {
    let typed = match checked(&state, &p.query, p.strict) {
        Ok(t) => t,
        Err(response) => return response,
    };
    let page = state.live.evaluate(|_, evaluator, _| {
        let members = evaluator.members(&typed)?;
        member_page(evaluator, &members, p.sort.as_deref(), p.offset, p.limit)
    });
    match page {
        Ok(page) => Json(page).into_response(),
        Err(e) => eval_error(e),
    }
}

/// A page of `members`, sorted (`-field` descending; by id when not
/// given), with each member's headline facts.
pub fn member_page(
    evaluator: &flokk_engine::Evaluator<'_>,
    members: &flokk_engine::CustomerSet,
    sort: Option<&str>,
    offset: usize,
    limit: Option<usize>,
) -> Result<serde_json::Value, flokk_engine::EvalError> {
    let (field, descending) = flokk_engine::parse_sort(sort.unwrap_or("id"));
    let ordered = evaluator.sorted(members, field, descending)?;
    let limit = limit.unwrap_or(50).min(1000);
    let page: Vec<_> = ordered
        .iter()
        .skip(offset)
        .take(limit)
        .map(|c| evaluator.member_facts(*c))
        .collect();
    Ok(json!({ "count": members.len(), "offset": offset, "members": page }))
}

/// `GET /api/status`: what the server holds.
pub async fn status(State(state): State<Arc<ServerState>>) -> Response {
    let (customers, sequence) = state
        .live
        .evaluate(|engine, _, _| (engine.customers.all().len(), engine.sequence));
    Json(json!({
        "name": state.name,
        "customers": customers,
        "sequence": sequence,
        "time_zone": state.live.time_zone().iana_name(),
    }))
    .into_response()
}

/// Unknown paths.
pub async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}
