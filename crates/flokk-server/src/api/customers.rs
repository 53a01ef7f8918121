//! `GET /api/customers/{id}`: one customer's document (the same as
//! `flokk customer show --json`) with a timeline of their records.

use super::queries::eval_error;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use crate::views::customer::{customer_document, timeline};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
        Some(customer_document(
            &profile, engine, evaluator, graph, c, &tz,
        ))
    });
    match document {
        None => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "catching_up",
            "the customer is not in the engine yet; try again in a moment",
        ),
        Some(Ok(mut v)) => {
            v["timeline"] = serde_json::Value::Array(timeline(&profile, &tz, TIMELINE_LIMIT));
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
