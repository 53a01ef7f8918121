//! `GET /api/customers/{id}`: one customer's document (the same as
//! `flokk customer show --json`) with a timeline of their records;
//! `PATCH /api/customers/{id}`: a partial update.

use super::queries::eval_error;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use crate::views::customer::{customer_document, timeline};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_model::{CustomerPatch, ParseOptions, Record};
use flokk_store::{ApplyError, Store, StoreError};
use serde_json::{Value, json};
use std::sync::Arc;

/// How many records the timeline shows at most.
const TIMELINE_LIMIT: usize = 200;

/// `GET /api/customers/{id}`.
#[utoipa::path(get, path = "/api/customers/{id}", operation_id = "getCustomer", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's document (as `flokk customer show --json`) with a `timeline`", body = Object),
        (status = 404, description = "No such customer", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> Response {
    let profile = match state.live.store(|s| s.customer_profile(&id)) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("there is no customer {id:?}"),
            );
        }
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
    };
    let tz = state.live.time_zone().clone();
    let document = state.live.evaluate(|engine, evaluator, graph| {
        let c = engine.customers.find(&id)?;
        Some(
            customer_document(&profile, engine, evaluator, graph, c, &tz)
                .map(|v| (v, evaluator.currency_decimals())),
        )
    });
    match document {
        None => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "catching_up",
            "the customer is not in the engine yet; try again in a moment",
        ),
        Some(Ok((mut v, decimals))) => {
            v["timeline"] =
                serde_json::Value::Array(timeline(&profile, &tz, decimals, TIMELINE_LIMIT));
            Json(v).into_response()
        }
        Some(Err(e)) => eval_error(e),
    }
}

/// `?limit=50&offset=0&sort=-amount_spent`
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Customers per page (default 50, at most 1000).
    limit: Option<usize>,
    /// Customers to skip.
    #[serde(default)]
    offset: usize,
    /// A field to sort by; `-field` sorts descending (default: by id).
    sort: Option<String>,
}

/// `GET /api/customers`: a page of all customers with their headline facts.
#[utoipa::path(get, path = "/api/customers", operation_id = "listCustomers", tag = "customers", params(ListParams),
    responses(
        (status = 200, description = "`{count, offset, members: [{id, amount_spent, number_of_orders, ...}]}` over every customer", body = Object),
        (status = 422, description = "Not a field to sort by (`unknown_sort_field`)", body = ErrorBody)))]
pub async fn list(
    State(state): State<Arc<ServerState>>,
    axum::extract::Query(p): axum::extract::Query<ListParams>,
) -> Response {
    let page = state.live.evaluate(|engine, evaluator, _| {
        let all = engine.customers.all();
        super::queries::member_page(evaluator, &all, p.sort.as_deref(), p.offset, p.limit)
    });
    match page {
        Ok(page) => Json(page).into_response(),
        Err(e) => eval_error(e),
    }
}

/// `PATCH /api/customers/{id}`: a `customer_patch` (data.md §1.1) for one
/// customer, written through the store like an import, so live segments,
/// the feed (cause `customer_changed`) and webhooks move before the answer.
// Decisions where the spec is silent: the body is the patch record
// without `kind` (a `kind` other than `customer_patch` is refused); an
// `id` in the body must be the one in the path; the answer is the whole
// customer record after the patch with the segment moves it caused.
#[utoipa::path(patch, path = "/api/customers/{id}", operation_id = "patchCustomer", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    request_body(content = Object, content_type = "application/json",
        description = "The fields to change, as a `customer_patch` record: any customer field (`null` clears it; `properties` merge key by key), `tags_add`, `tags_remove`"),
    responses(
        (status = 200, description = "`{customer: {...the customer record after the patch}, segments: {entered, exited}}`", body = Object),
        (status = 400, description = "The body is not a JSON object (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such customer (`unknown_customer`); a patch never creates one", body = ErrorBody),
        (status = 422, description = "An unknown field or a bad value (`invalid_patch`, with the `field`); nothing is written", body = ErrorBody)))]
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
pub async fn patch(
    State(state): State<Arc<ServerState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let patch = match read_patch(&id, &body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let dir = state.live.store(|s| s.dir().to_owned());
    let written = tokio::task::spawn_blocking(move || -> Result<_, Response> {
        let internal =
            |e: StoreError| error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string());
        let store = Store::open(&dir).map_err(internal)?;
        if store.customer(&patch.id).map_err(internal)?.is_none() {
            return Err(unknown_customer(&patch.id));
        }
        let before = store.sequence().map_err(internal)?;
        let mut w = store.writer().map_err(internal)?;
        match w.apply(&Record::CustomerPatch(patch.clone())) {
            Ok(()) => {}
            Err(ApplyError::Invalid { field, reason }) => {
                return Err(invalid_patch(&field, reason));
            }
            Err(ApplyError::Store(e)) => return Err(internal(e)),
        }
        let after = w.commit().map_err(internal)?;
        let customer = store
            .customer(&patch.id)
            .map_err(internal)?
            .ok_or_else(|| unknown_customer(&patch.id))?;
        Ok((customer, before, after))
    })
    .await;
    let (customer, before, after) = match written {
        Ok(Ok(w)) => w,
        Ok(Err(r)) => return r,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    // Membership follows before answering, as after an import.
    let live = state.clone();
    let synced = tokio::task::spawn_blocking(move || live.live.sync_moves(before, after)).await;
    match synced {
        Ok(Ok((entered, exited))) => Json(json!({
            "customer": customer,
            "segments": {"entered": entered, "exited": exited},
        }))
        .into_response(),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    }
}

/// Reads the body into a patch of customer `id`.
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
fn read_patch(id: &str, body: &[u8]) -> Result<CustomerPatch, Response> {
    let mut fields = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "bad_body",
                "the body must be a JSON object of the fields to change",
            ));
        }
        Err(e) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("the body is not JSON: {e}"),
            ));
        }
    };
    match fields.remove("kind") {
        None => {}
        Some(Value::String(k)) if k == "customer_patch" => {}
        Some(_) => {
            return Err(invalid_patch(
                "kind",
                "a PATCH body is a customer_patch; leave `kind` out".into(),
            ));
        }
    }
    match fields.get("id") {
        None => {
            fields.insert("id".into(), Value::String(id.to_owned()));
        }
        Some(given) => {
            let given = match given {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if given != id {
                return Err(invalid_patch(
                    "id",
                    format!("the body names customer '{given}' but the path '{id}'"),
                ));
            }
        }
    }
    CustomerPatch::from_json(&Value::Object(fields).to_string(), ParseOptions::default())
        .map_err(|e| invalid_patch(&e.field().unwrap_or_default(), e.to_string()))
}

fn unknown_customer(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "unknown_customer",
        format!(
            "there is no customer {id:?}; a patch changes a known customer (import a `customer` record to create one)"
        ),
    )
}

fn invalid_patch(field: &str, message: String) -> Response {
    let body = json!({"error": {"code": "invalid_patch", "message": message, "field": field}});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}
