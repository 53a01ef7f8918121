//! Static lists and samples over HTTP, as `flokk list` and `flokk segment
//! sample` do them: `GET|POST /api/lists`, `GET|DELETE /api/lists/{name}`,
//! `POST /api/segments/{name}/sample`. A list is written in one store
//! transaction on a connection of its own (a sample with its hold-out), so
//! a refused request writes nothing; creating or deleting a list bumps the
//! definitions version, and the answer waits for the live definitions to
//! include it, so the next query can name it.
//!
//! Also the AUDIENCE every endpoint that takes one resolves: a live saved
//! segment's query, else a static list's (`customer_lists CONTAINS`).
#![allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once

use crate::auth::Principal;
use crate::error_body::{ErrorBody, bad_body, error};
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use flokk_lang::TypedQuery;
use flokk_segments::ListView;
use flokk_segments::sample::{SampleSize, draw};
use flokk_store::{CustomerList, ListRow, NewList, Store, StoreError};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// The body of `POST /api/lists`: a name and either the customers (ids or
/// emails) or an audience to freeze.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// The list's name (unique regardless of case, and no segment's).
    pub name: String,
    /// Customer ids or emails; values naming nobody come back as `unknown`.
    pub customers: Option<Vec<String>>,
    /// A saved segment (or list) whose members now become the list.
    pub freeze: Option<String>,
}

/// The body of `POST /api/segments/{name}/sample`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleRequest {
    /// The new list's name.
    pub name: String,
    /// Exactly this many members (or give `percent`).
    pub size: Option<u64>,
    /// This share of the members, over 0 and at most 100.
    pub percent: Option<f64>,
    /// The same seed over the same members draws the same customers.
    pub seed: Option<u64>,
    /// Save everyone not drawn as this list too.
    pub holdout: Option<String>,
}

/// `GET /api/lists`: every static list.
#[utoipa::path(get, path = "/api/lists", operation_id = "listLists", tag = "lists",
    responses((status = 200, description = "`{lists: [{name, kind: \"list\", source, origin, seed, count, percent, unknown, created_at}]}`", body = Object)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    match state.live.store(|s| views(s, s.customer_lists()?, &state)) {
        Ok(lists) => Json(serde_json::json!({ "lists": lists })).into_response(),
        Err(e) => store_error(e),
    }
}

/// `GET /api/lists/{name}`.
#[utoipa::path(get, path = "/api/lists/{name}", operation_id = "showList", tag = "lists",
    params(("name" = String, Path, description = "The list's name")),
    responses(
        (status = 200, description = "The list: `{name, kind, source, origin, seed, count, percent, unknown: [{line, value}], created_at}`", body = Object),
        (status = 404, description = "No such list (`unknown_list`)", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    let found = state.live.store(|s| {
        let list = s.customer_list(&name)?;
        Ok::<_, StoreError>(match list {
            Some(l) => Some(views(s, vec![l], &state)?.remove(0)),
            None => None,
        })
    });
    match found {
        Ok(Some(view)) => Json(view).into_response(),
        Ok(None) => unknown_list(&name),
        Err(e) => store_error(e),
    }
}

/// `DELETE /api/lists/{name}`: refused (409 `list_in_use`) while a saved
/// segment names the list.
#[utoipa::path(delete, path = "/api/lists/{name}", operation_id = "deleteList", tag = "lists",
    params(("name" = String, Path, description = "The list's name")),
    responses(
        (status = 200, description = "The list as it was", body = Object),
        (status = 404, description = "No such list (`unknown_list`)", body = ErrorBody),
        (status = 409, description = "A saved segment names it (`list_in_use`)", body = ErrorBody)))]
pub async fn delete(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    match state.live.store(|s| s.customer_list(&name)) {
        Ok(Some(_)) => {}
        Ok(None) => return unknown_list(&name),
        Err(e) => return store_error(e),
    }
    let users: Vec<String> = state.live.evaluate(|_, _, graph| {
        graph
            .naming_list(&name)
            .iter()
            .map(|s| format!("'{}'", s.name))
            .collect()
    });
    if !users.is_empty() {
        return error(
            StatusCode::CONFLICT,
            "list_in_use",
            format!(
                "the list '{name}' is named by the segment(s) {}; change them first",
                users.join(", ")
            ),
        );
    }
    let written = write(&state, move |store| Ok(vec![store.delete_list(&name)?])).await;
    match written {
        Ok(mut lists) => Json(lists.remove(0)).into_response(),
        Err(r) => r,
    }
}

/// `POST /api/lists`: `{name, customers: [id or email]}` or `{name, freeze:
/// AUDIENCE}`.
#[utoipa::path(post, path = "/api/lists", operation_id = "createList", tag = "lists",
    request_body = ListRequest,
    responses(
        (status = 201, description = "The list, with `count` and the `unknown` values (`line` is the value's 1-based position)", body = Object),
        (status = 400, description = "Not `{name, customers | freeze}`, or no customers given (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such segment or list to freeze (`unknown_segment`)", body = ErrorBody),
        (status = 409, description = "The name is taken by a list or a segment (`conflict`)", body = ErrorBody),
        (status = 422, description = "An invalid name (`invalid`)", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Response {
    let request: ListRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_body(format!("{e}")),
    };
    if let Some(name) = &request.freeze
        && let Some(refused) = super::organisation_scope::refused(&state, &principal.token, name)
    {
        return refused;
    }
    let (source, origin, rows) = match (request.customers, request.freeze) {
        (Some(customers), None) if !customers.is_empty() => {
            let rows = customers
                .into_iter()
                .enumerate()
                .map(|(i, value)| ListRow {
                    line: i as u64 + 1,
                    value,
                })
                .collect();
            ("file", None, rows)
        }
        (None, Some(audience)) => match audience_ids(&state, &audience) {
            Ok((ids, named)) => ("freeze", Some(named), id_rows(ids)),
            Err(r) => return r,
        },
        _ => return bad_body("give either a non-empty \"customers\" list or \"freeze\"".into()),
    };
    let name = request.name;
    let now = state.live.now();
    let written = write(&state, move |store| {
        store.create_lists(
            &[NewList {
                name: &name,
                source,
                origin: origin.as_deref(),
                seed: None,
                rows,
            }],
            now,
        )
    })
    .await;
    match written {
        Ok(mut lists) => (StatusCode::CREATED, Json(lists.remove(0))).into_response(),
        Err(r) => r,
    }
}

/// `POST /api/segments/{name}/sample`: an exact-size random sample of a
/// segment's (or list's) members saved as a list, with its hold-out.
#[utoipa::path(post, path = "/api/segments/{name}/sample", operation_id = "sampleSegment", tag = "lists",
    params(("name" = String, Path, description = "The segment's (or list's) name")),
    request_body = SampleRequest,
    responses(
        (status = 201, description = "`{lists: [sample, holdout?]}`, each with its `seed`", body = Object),
        (status = 400, description = "Not `{name, size | percent, seed?, holdout?}` (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such segment or list (`unknown_segment`)", body = ErrorBody),
        (status = 409, description = "A name is taken (`conflict`)", body = ErrorBody),
        (status = 422, description = "Larger than the segment (`sample_too_large`), a percentage outside 0–100 or a size of 0 (`invalid_sample`), the same name twice (`invalid`)", body = ErrorBody)))]
pub async fn sample(
    State(state): State<Arc<ServerState>>,
    Path(audience): Path<String>,
    body: Bytes,
) -> Response {
    let request: SampleRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_body(format!("{e}")),
    };
    let size = match (request.size, request.percent) {
        (Some(n), None) => SampleSize::Count(n),
        (None, Some(p)) => SampleSize::Percent(p),
        _ => return bad_body("give either \"size\" or \"percent\"".into()),
    };
    let (ids, origin) = match audience_ids(&state, &audience) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let count = match size.of(ids.len() as u64) {
        Ok(n) => n,
        Err(e) => return error(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string()),
    };
    let seed = request
        .seed
        .unwrap_or_else(flokk_segments::sample::fresh_seed);
    let drawn = draw(&ids, count, seed);
    let now = state.live.now();
    let (name, holdout) = (request.name, request.holdout);
    let written = write(&state, move |store| {
        let mut lists = vec![NewList {
            name: &name,
            source: "sample",
            origin: Some(&origin),
            seed: Some(seed),
            rows: id_rows(drawn.sample),
        }];
        if let Some(holdout) = &holdout {
            lists.push(NewList {
                name: holdout,
                source: "holdout",
                origin: Some(&origin),
                seed: Some(seed),
                rows: id_rows(drawn.rest),
            });
        }
        store.create_lists(&lists, now)
    })
    .await;
    match written {
        Ok(lists) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "lists": lists })),
        )
            .into_response(),
        Err(r) => r,
    }
}

/// The checked query of an AUDIENCE: a live saved segment's, else a static
/// list's; with the name as saved. 404 `unknown_segment` for neither.
pub(crate) fn audience_query(
    state: &ServerState,
    name: &str,
) -> Result<(Arc<TypedQuery>, String), Response> {
    let found = state.live.store(|s| {
        Ok::<_, StoreError>((
            s.segment(name)?.filter(|s| s.deleted_at.is_none()),
            s.customer_list(name)?,
        ))
    });
    let (segment, list) = found.map_err(store_error)?;
    state.live.evaluate(|engine, _, graph| {
        if let Some(segment) = segment {
            return match graph.node(segment.id) {
                Some(node) => Ok((node.query.clone(), segment.name)),
                None => Err(super::queries::eval_error(
                    flokk_engine::EvalError::UnknownSegment { name: segment.name },
                )),
            };
        }
        let Some(list) = list else {
            return Err(error(
                StatusCode::NOT_FOUND,
                "unknown_segment",
                format!("there is no segment or list named '{name}'"),
            ));
        };
        let text = format!(
            "customer_lists CONTAINS {}",
            flokk_lang::Value::String(list.name.clone())
        );
        let properties = engine.property_types();
        let options = flokk_lang::CheckOptions {
            strict: false,
            properties: &properties,
        };
        let typed = flokk_lang::check(&text, &options).map_err(|e| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("{e:?}"),
            )
        })?;
        Ok((Arc::new(typed), list.name))
    })
}

/// The ids of an AUDIENCE's members now, in id order, with its name.
pub(crate) fn audience_ids(
    state: &ServerState,
    name: &str,
) -> Result<(Vec<String>, String), Response> {
    let (query, named) = audience_query(state, name)?;
    let ids = state.live.evaluate(|_, evaluator, _| {
        let members = evaluator.eval(&query.expr)?;
        let mut ids: Vec<String> = members.iter().map(|c| evaluator.id(c).to_owned()).collect();
        ids.sort();
        Ok::<_, flokk_engine::EvalError>(ids)
    });
    ids.map(|ids| (ids, named))
        .map_err(super::queries::eval_error)
}

/// Runs a list write on a store connection of its own, then syncs so the
/// live definitions know the lists; answers the lists' views.
async fn write(
    state: &Arc<ServerState>,
    op: impl FnOnce(&Store) -> Result<Vec<CustomerList>, StoreError> + Send + 'static,
) -> Result<Vec<ListView>, Response> {
    let dir = state.live.store(|s| s.dir().to_owned());
    let written = tokio::task::spawn_blocking(move || -> Result<_, StoreError> {
        let store = Store::open(&dir)?;
        let lists = op(&store)?;
        let total = store.customer_count()?;
        Ok((lists, total))
    })
    .await;
    let (lists, total) = match written {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => return Err(store_error(e)),
        Err(e) => {
            return Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                e.to_string(),
            ));
        }
    };
    let live = state.clone();
    match tokio::task::spawn_blocking(move || live.live.sync()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            return Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                e.to_string(),
            ));
        }
        Err(e) => {
            return Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                e.to_string(),
            ));
        }
    }
    let tz = state.live.time_zone();
    Ok(lists.iter().map(|l| ListView::new(l, total, &tz)).collect())
}

fn views(
    store: &Store,
    lists: Vec<CustomerList>,
    state: &ServerState,
) -> Result<Vec<ListView>, StoreError> {
    let total = store.customer_count()?;
    let tz = state.live.time_zone();
    Ok(lists.iter().map(|l| ListView::new(l, total, &tz)).collect())
}

fn id_rows(ids: Vec<String>) -> Vec<ListRow> {
    ids.into_iter()
        .enumerate()
        .map(|(i, value)| ListRow {
            line: i as u64 + 1,
            value,
        })
        .collect()
}

fn unknown_list(name: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "unknown_list",
        format!("there is no list named '{name}'"),
    )
}

fn store_error(e: StoreError) -> Response {
    let status = match &e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        e if e.is_user_error() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let code = match &e {
        StoreError::NotFound(_) => "unknown_list",
        other => other.code(),
    };
    error(status, code, e.to_string())
}
