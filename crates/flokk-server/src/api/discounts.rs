//! Discounts over HTTP, as `flokk discount` does them: `POST
//! /api/discounts`, `GET /api/discounts[/{name}]`, `GET
//! /api/discounts/{name}/codes` (the codes with their customers: personal
//! data, so the `export` scope) and `GET /api/discounts/check` for a
//! shop's checkout (the `checkout` scope, which reads nothing else).
//!
//! The check is a handful of primary-key lookups on the server's own store
//! connection (and, with a limit on all uses, a read of the orders that used
//! a code), so it answers well within a millisecond on a warm store.
#![allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once

use crate::auth::Principal;
use crate::error_body::{ErrorBody, bad_body, error};
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use flokk_store::{
    CodeFileFormat, DiscountKind, NewCodes, NewDiscount, Store, StoreError, checked_subtotal,
    code_file, discount_instant, shopify_discount_gid,
};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Unique codes have this many random characters unless `length` says
/// (as `flokk discount create --unique`).
const DEFAULT_LENGTH: usize = 8;

/// The body of `POST /api/discounts` (the flags of `flokk discount create`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountRequest {
    /// The discount's name.
    pub name: String,
    /// The saved segment (or static list) whose members get it.
    pub segment: String,
    /// One code for every member (or `unique`).
    pub code: Option<String>,
    /// A code of its own for each member.
    #[serde(default)]
    pub unique: bool,
    /// Before each unique code.
    #[serde(default)]
    pub prefix: String,
    /// Random characters of each unique code.
    pub length: Option<usize>,
    /// Percent off, as a decimal string or number (or `amount`).
    pub percent: Option<serde_json::Value>,
    /// A fixed amount off.
    pub amount: Option<serde_json::Value>,
    /// The least order total it applies to.
    pub minimum: Option<serde_json::Value>,
    /// Valid from: a day (store-local midnight) or an RFC 3339 instant.
    pub starts: Option<String>,
    /// Valid through this day, or until this instant.
    pub ends: Option<String>,
    /// Orders one customer may use it on.
    pub uses_per_customer: Option<u64>,
    /// Orders that may use it in all.
    pub uses: Option<u64>,
}

/// `?code=&customer=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// The code as the customer typed it (any case).
    code: String,
    /// The customer's id.
    customer: String,
    /// The order's subtotal before the discount, in the store currency
    /// (at most its decimal places). Without it the minimum is not judged,
    /// only reported in `minimum`.
    subtotal: Option<String>,
}

/// `?format=csv|shopify|shopify-graphql[&shopify_discount_id=N]`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodesParams {
    /// `csv` (default: code and customer columns), `shopify` (Matrixify's
    /// Discounts import: Title, Command, Code) or `shopify-graphql` (JSON
    /// Lines of Shopify's `discountRedeemCodeBulkAdd` variables, at most
    /// 250 codes a line).
    format: Option<String>,
    /// With `shopify-graphql`: the Shopify code discount the codes are
    /// added to (its number or `gid://shopify/DiscountCodeNode/N`).
    shopify_discount_id: Option<String>,
}

/// `GET /api/discounts/check`: may this customer use this code now, on an
/// order of this subtotal?
#[utoipa::path(get, path = "/api/discounts/check", operation_id = "checkDiscount", tag = "discounts",
    params(CheckParams),
    responses(
        (status = 200, description = "`{valid, reason, minimum}`: `reason` is null, `unknown`, `expired`, `not_issued`, `not_in_segment`, `used_up` or `below_minimum`; `minimum` is the discount's least order subtotal (a decimal string with the currency's places) or null", body = Object),
        (status = 400, description = "A subtotal that is not a non-negative amount with at most the currency's decimals (`invalid_subtotal`)", body = ErrorBody)))]
pub async fn check(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<CheckParams>,
) -> Response {
    let now = state.live.now();
    // The currency from the store's settings, not the engine: a check must
    // not wait for the engine lock while a large write is caught up.
    let answered = state.live.store(|s| {
        let decimals = flokk_model::currency_decimals(&s.settings().get("currency")?);
        let subtotal = match p.subtotal.as_deref().map(|t| checked_subtotal(t, decimals)) {
            None => None,
            Some(Ok(m)) => Some(m),
            Some(Err(e)) => return Ok(Err(e)),
        };
        let answer = s.check_discount_code(&p.code, &p.customer, now, subtotal)?;
        Ok::<_, StoreError>(Ok((answer, decimals)))
    });
    match answered {
        Ok(Ok((answer, decimals))) => Json(json!({
            "valid": answer.reason.is_none(),
            "reason": answer.reason,
            "minimum": answer.minimum.map(|m| m.display(decimals)),
        }))
        .into_response(),
        Ok(Err(bad)) => error(StatusCode::BAD_REQUEST, "invalid_subtotal", bad.to_string()),
        Err(e) => store_error(e),
    }
}

/// `GET /api/discounts`: every discount.
#[utoipa::path(get, path = "/api/discounts", operation_id = "listDiscounts", tag = "discounts",
    responses((status = 200, description = "`{discounts: [...]}`, each as `flokk discount show --json`", body = Object)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    match state.live.store(|s| s.discounts()) {
        Ok(all) => Json(json!({ "discounts": all })).into_response(),
        Err(e) => store_error(e),
    }
}

/// `GET /api/discounts/{name}`: issued, redeemed and the revenue of
/// redeeming orders.
#[utoipa::path(get, path = "/api/discounts/{name}", operation_id = "showDiscount", tag = "discounts",
    params(("name" = String, Path, description = "The discount's name")),
    responses(
        (status = 200, description = "The discount: `{name, segment, kind, value, minimum, starts, ends, uses_per_customer, uses, code, unique, issued, redeemed, revenue, created_at}`", body = Object),
        (status = 404, description = "No such discount (`unknown_discount`)", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    match state.live.store(|s| s.discount(&name)) {
        Ok(Some(d)) => Json(d).into_response(),
        Ok(None) => unknown(&name),
        Err(e) => store_error(e),
    }
}

/// `GET /api/discounts/{name}/codes`: the codes with their customers, as a
/// download: CSV, Matrixify's Shopify CSV, or Shopify GraphQL batches.
#[utoipa::path(get, path = "/api/discounts/{name}/codes", operation_id = "discountCodes", tag = "discounts",
    params(("name" = String, Path, description = "The discount's name"), CodesParams),
    responses(
        (status = 200, description = "`text/csv`: `code,customer_id,email,first_name,last_name`, or with `format=shopify` `Title,Command,Code`; with `format=shopify-graphql` `application/jsonl`: one `{discountId?, codes: [{code}]}` a line", body = String),
        (status = 400, description = "Another format, or a Shopify discount id that is not one (`bad_format`)", body = ErrorBody),
        (status = 404, description = "No such discount (`unknown_discount`)", body = ErrorBody)))]
pub async fn codes(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    Query(p): Query<CodesParams>,
) -> Response {
    let given = p.format.as_deref().unwrap_or("csv");
    let Some(format) = CodeFileFormat::named(given) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_format",
            format!("format is csv, shopify or shopify-graphql, not {given:?}"),
        );
    };
    let gid = match p.shopify_discount_id.as_deref() {
        Some(_) if format != CodeFileFormat::ShopifyGraphql => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_format",
                "shopify_discount_id goes with format=shopify-graphql".to_owned(),
            );
        }
        Some(id) => match shopify_discount_gid(id) {
            Ok(gid) => Some(gid),
            Err(e) => return error(StatusCode::BAD_REQUEST, "bad_format", e.to_string()),
        },
        None => None,
    };
    let read = state.live.store(|s| {
        let Some(d) = s.discount(&name)? else {
            return Ok(None);
        };
        let rows = s.discount_codes(&name)?;
        code_file(&d.name, &rows, format, gid.as_deref()).map(Some)
    });
    let body = match read {
        // The formats and their sources: `flokk_store::code_file`.
        Ok(Some(body)) => body,
        Ok(None) => return unknown(&name),
        Err(e) => return store_error(e),
    };
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", format.file_name()),
            ),
        ],
        body,
    )
        .into_response()
}

/// `POST /api/discounts`: a discount for a segment's members now.
#[utoipa::path(post, path = "/api/discounts", operation_id = "createDiscount", tag = "discounts",
    request_body = DiscountRequest,
    responses(
        (status = 201, description = "The discount, with `issued`", body = Object),
        (status = 400, description = "Not as documented, or not exactly one of code/unique and percent/amount (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such segment or list (`unknown_segment`)", body = ErrorBody),
        (status = 409, description = "The name or the shared code is taken (`conflict`)", body = ErrorBody),
        (status = 422, description = "A percentage over 100, a bad amount, date, window, limit or code (`invalid`)", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Response {
    let r: DiscountRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_body(e.to_string()),
    };
    if let Some(refused) = super::organisation_scope::refused(&state, &principal.token, &r.segment)
    {
        return refused;
    }
    let decimal = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let (kind, value) = match (&r.percent, &r.amount) {
        (Some(p), None) => (DiscountKind::Percent, decimal(p)),
        (None, Some(a)) => (DiscountKind::Amount, decimal(a)),
        _ => return bad_body("give exactly one of \"percent\" and \"amount\"".into()),
    };
    let Some(value) = value else {
        return bad_body("a value is a number or a decimal string".into());
    };
    let codes = match (r.code, r.unique) {
        (Some(code), false) => NewCodes::Shared(code),
        (None, true) => NewCodes::Unique {
            prefix: r.prefix,
            length: r.length.unwrap_or(DEFAULT_LENGTH),
        },
        _ => return bad_body("give exactly one of \"code\" and \"unique\": true".into()),
    };
    let tz = state.live.time_zone();
    let bound = |t: &Option<String>, end: bool| {
        t.as_deref()
            .map(|t| discount_instant(t, &tz, end))
            .transpose()
    };
    let (starts, ends) = match (bound(&r.starts, false), bound(&r.ends, true)) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return store_error(e),
    };
    let (members, audience) = match super::lists::audience_ids(&state, &r.segment) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let new = NewDiscount {
        name: r.name,
        audience,
        kind,
        value,
        minimum: r.minimum.as_ref().and_then(decimal),
        starts_at: starts,
        ends_at: ends,
        uses_per_customer: r.uses_per_customer,
        uses: r.uses,
        codes,
    };
    let now = state.live.now();
    let dir = state.live.store(|s| s.dir().to_owned());
    let written = tokio::task::spawn_blocking(move || {
        Store::open(&dir).and_then(|store| store.create_discount(&new, &members, now))
    })
    .await;
    match written {
        Ok(Ok(d)) => (StatusCode::CREATED, Json(d)).into_response(),
        Ok(Err(e)) => store_error(e),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    }
}

fn unknown(name: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "unknown_discount",
        format!("there is no discount named '{name}'"),
    )
}

fn store_error(e: StoreError) -> Response {
    let status = match &e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        e if e.is_user_error() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e.code(), e.to_string())
}
