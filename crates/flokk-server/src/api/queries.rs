//! The JSON API. Every error is JSON with a stable `code`.

use crate::error_body::ErrorBody;
use crate::error_body::error;
use crate::state::ServerState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_lang::{CheckOptions, TypedQuery, check as check_query};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// `?query=...&strict=true`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueryParams {
    /// The query text.
    #[serde(default)]
    query: String,
    /// Apply Shopify's limits (10 clauses, 500 ids per list).
    #[serde(default)]
    strict: bool,
}

/// `?query=...&strict=true&shown_for=production:ID`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountParams {
    /// The query text.
    #[serde(default)]
    query: String,
    /// Apply Shopify's limits (10 clauses, 500 ids per list).
    #[serde(default)]
    strict: bool,
    /// `production:ID` or `performance:ID`: leave out the customers holding
    /// tickets to it (an unknown id is `unknown_production` /
    /// `unknown_performance`).
    shown_for: Option<String>,
}

/// `?query=...&limit=50&offset=0&sort=-amount_spent`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersParams {
    /// The query text.
    #[serde(default)]
    query: String,
    /// Apply Shopify's limits.
    #[serde(default)]
    strict: bool,
    /// Members per page (default 50, at most 1000).
    limit: Option<usize>,
    /// Members to skip.
    #[serde(default)]
    offset: usize,
    /// A field to sort by; `-field` sorts descending (default: by id).
    sort: Option<String>,
    /// `production:ID` or `performance:ID`: leave out the customers holding
    /// tickets to it.
    shown_for: Option<String>,
}

/// A valid query.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckAnswer {
    /// Always `true`.
    pub valid: bool,
    /// The canonical form.
    #[schema(example = "amount_spent > 500")]
    pub canonical: String,
    /// What would make the query count 0 without a word (values no record
    /// has, predictive fields without models), with positions:
    /// `{code, message, span: [start, end], suggestion, line, column, suggestions}` each.
    #[schema(value_type = Vec<Object>)]
    pub hints: Vec<flokk_engine::Hint>,
}

/// A query that does not check: its errors with positions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryErrors {
    /// Always `false`.
    pub valid: bool,
    /// `{code, message, line, column, span: [start, end], expected, suggestion}` each.
    #[schema(value_type = Vec<Object>)]
    pub errors: serde_json::Value,
    /// When the query is the name of a saved segment, a
    /// `segment_name_as_query` hint with the clause to write instead
    /// (always present, maybe empty, as for `flokk check`).
    #[schema(value_type = Vec<Object>)]
    pub hints: Vec<flokk_engine::Hint>,
}

/// How a query that does not check is answered.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Answer {
    /// `check`'s verdict, its result: `{"valid": false, "errors"}`.
    Verdict,
    /// Any other endpoint's error, the one shape of API errors:
    /// `{"error": {"code": "invalid_query", "message", "errors"}}`.
    Error,
}

/// The checked query, or the response that reports why it is not one.
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
pub(super) fn checked(
    state: &ServerState,
    query: &str,
    strict: bool,
    answer: Answer,
) -> Result<TypedQuery, Response> {
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
        let list = serde_json::to_value(&errors).expect("errors serialise");
        let hints: Vec<flokk_engine::Hint> = state
            .live
            .store(|s| flokk_segments::name_hint::segment_name_hint(s, query))
            .ok()
            .flatten()
            .into_iter()
            .collect();
        if answer == Answer::Verdict {
            let body = QueryErrors {
                valid: false,
                errors: list,
                hints,
            };
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
        let message = errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let mut body = ErrorBody::new(
            "invalid_query",
            format!("the query is not valid: {message}"),
        );
        body.error.errors = Some(list);
        body.error.hints = Some(serde_json::to_value(&hints).expect("hints serialise"));
        body.into_response_with(StatusCode::BAD_REQUEST)
    })
}

/// What `shown_for` (`production:ID` or `performance:ID`) names, checked
/// against the store: 400 `invalid_shown_for` when it is neither form, 422
/// `unknown_production` / `unknown_performance` when the store has no such
/// id (leaving out nobody would otherwise pass for an answer).
pub(crate) fn shown_for(
    state: &ServerState,
    shown_for: Option<&str>,
) -> Result<Option<flokk_lang::ShownFor>, Refusal> {
    let Some(text) = shown_for.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let parsed = flokk_lang::ShownFor::parse(text)
        .map_err(|e| Refusal(StatusCode::BAD_REQUEST, "invalid_shown_for", e.to_string()))?;
    match state
        .live
        .store(|s| s.ensure_catalogue_id(parsed.kind(), parsed.id()))
    {
        Ok(()) => Ok(Some(parsed)),
        Err(e @ flokk_store::StoreError::NotFound(_)) => Err(Refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            match parsed.kind() {
                "production" => "unknown_production",
                _ => "unknown_performance",
            },
            e.to_string(),
        )),
        Err(e) => Err(Refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.code(),
            e.to_string(),
        )),
    }
}

/// Why a request was refused: status, code and message of its JSON error.
#[derive(Debug)]
pub(crate) struct Refusal(pub StatusCode, pub &'static str, pub String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.0, self.1, self.2)
    }
}

/// `typed`, shown for `shown_for` when given.
pub(crate) fn excluding(typed: TypedQuery, shown_for: Option<&flokk_lang::ShownFor>) -> TypedQuery {
    match shown_for {
        Some(s) => s.exclude_from(typed),
        None => typed,
    }
}

/// The hints for a checked query, as of the server's now.
fn hints(state: &ServerState, query: &str, typed: &TypedQuery) -> Vec<flokk_engine::Hint> {
    let (now, tz) = (state.live.now(), state.live.time_zone());
    state
        .live
        .evaluate(|engine, _, _| engine.hints(query, typed, now.as_second(), &tz))
}

pub(crate) fn eval_error(e: flokk_engine::EvalError) -> Response {
    let status = match e {
        flokk_engine::EvalError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    error(status, e.code(), e.to_string())
}

/// `GET /api/check`: the canonical form, or the errors.
#[utoipa::path(get, path = "/api/check", operation_id = "checkQuery", tag = "queries", params(QueryParams),
    responses(
        (status = 200, description = "The query is valid", body = CheckAnswer),
        (status = 400, description = "The query's errors with positions, or no query (`missing_query`)", body = QueryErrors)))]
pub async fn check(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<QueryParams>,
) -> Response {
    let typed = match checked(&state, &p.query, p.strict, Answer::Verdict) {
        Ok(typed) => typed,
        Err(response) => return response,
    };
    // `check` refuses what `count` could not evaluate: segments that do not exist.
    let unknown = state
        .live
        .evaluate(|_, _, segments| segments.unknown_references(&p.query, &typed));
    match unknown {
        Ok(()) => Json(CheckAnswer {
            valid: true,
            canonical: typed.to_string(),
            hints: hints(&state, &p.query, &typed),
        })
        .into_response(),
        Err(errors) => {
            let body = QueryErrors {
                valid: false,
                errors: serde_json::to_value(errors).expect("errors serialise"),
                hints: Vec::new(),
            };
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

/// `GET /api/count`: the shape of `flokk count --json`.
#[utoipa::path(get, path = "/api/count", operation_id = "countQuery", tag = "queries", params(CountParams),
    responses(
        (status = 200, description = "`{count, total, percent, clauses: [{text, count}], statistics, eval_ms, canonical, hints}`", body = Object),
        (status = 400, description = "The query does not check (`invalid_query`, with `errors` and `hints`), or no query (`missing_query`)", body = ErrorBody),
        (status = 422, description = "The query cannot be evaluated here (`unknown_segment`, ...), or `shown_for` names no production or performance (`unknown_production`, `unknown_performance`)", body = ErrorBody)))]
pub async fn count(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<CountParams>,
) -> Response {
    let typed = match checked(&state, &p.query, p.strict, Answer::Error) {
        Ok(t) => t,
        Err(response) => return response,
    };
    let shown_for = match shown_for(&state, p.shown_for.as_deref()) {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    // Hints are about what was written; the shown-for clause comes after.
    let hints = hints(&state, &p.query, &typed);
    let typed = excluding(typed, shown_for.as_ref());
    match state
        .live
        .evaluate(|_, evaluator, _| evaluator.count(&typed))
    {
        // The CLI's shape, plus the canonical form for the editor.
        Ok(answer) => {
            let mut v = serde_json::to_value(&answer).expect("answers serialise");
            v["canonical"] = json!(typed.to_string());
            v["hints"] = json!(hints);
            Json(v).into_response()
        }
        Err(e) => eval_error(e),
    }
}

/// `GET /api/members`: a page of members with their headline facts.
#[utoipa::path(get, path = "/api/members", operation_id = "queryMembers", tag = "queries", params(MembersParams),
    responses(
        (status = 200, description = "`{count, offset, members: [{id, amount_spent, number_of_orders, ...}]}`", body = Object),
        (status = 400, description = "The query does not check (`invalid_query`, with `errors`), or no query (`missing_query`)", body = ErrorBody),
        (status = 422, description = "The query cannot be evaluated here, or `shown_for` names no production or performance", body = ErrorBody)))]
pub async fn members(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<MembersParams>,
) -> Response {
    let typed = match checked(&state, &p.query, p.strict, Answer::Error) {
        Ok(t) => t,
        Err(response) => return response,
    };
    let typed = match shown_for(&state, p.shown_for.as_deref()) {
        Ok(s) => excluding(typed, s.as_ref()),
        Err(refusal) => return refusal.into_response(),
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

/// What the server holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    /// The store's display name.
    pub name: String,
    /// Customers in the engine.
    pub customers: u64,
    /// The store change sequence the engine reflects.
    pub sequence: u64,
    /// The store time zone (IANA).
    pub time_zone: Option<String>,
}

/// `GET /api/status`: what the server holds.
#[utoipa::path(get, path = "/api/status", operation_id = "status", tag = "queries",
    responses((status = 200, description = "What the server holds", body = StatusView)))]
pub async fn status(State(state): State<Arc<ServerState>>) -> Response {
    let (customers, sequence) = state
        .live
        .evaluate(|engine, _, _| (engine.customers.all().len(), engine.sequence));
    // Read per request, so a `flokk config set name` elsewhere shows at once.
    let name = state
        .live
        .store(|s| s.settings().get("name"))
        .unwrap_or_else(|_| state.name.clone());
    Json(StatusView {
        name,
        customers,
        sequence,
        time_zone: state.live.time_zone().iana_name().map(str::to_owned),
    })
    .into_response()
}

/// Unknown paths.
pub async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}
