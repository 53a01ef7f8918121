//! The saved-segments API: the index, the lifecycle, members, the change
//! feed, templates, and a customer's segments. Writes run on the blocking
//! pool (SQLite) in one store transaction each, with membership brought up
//! to date first.

use super::queries::{eval_error, member_page};
use crate::auth::Principal;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use flokk_segments::builtins::TEMPLATES;
use flokk_segments::index::{IndexOrder, arrange, of_organisation, readable_by, segments_of};
use flokk_segments::{SegmentView, Segments, SegmentsError, VersionView};
use flokk_store::{SegmentFilter, StoreError};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// A segment error as a JSON response with a stable code.
fn segments_error(e: SegmentsError) -> Response {
    let status = match &e {
        SegmentsError::Query { .. } => StatusCode::BAD_REQUEST,
        SegmentsError::InUse { .. } | SegmentsError::State(_) => StatusCode::CONFLICT,
        SegmentsError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
        SegmentsError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
        SegmentsError::Store(s) if s.is_user_error() => StatusCode::BAD_REQUEST,
        SegmentsError::Eval(ev) => return eval_error(ev.clone()),
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let SegmentsError::Query { errors, .. } = &e {
        return (
            status,
            Json(json!({ "error": { "code": e.code(), "message": e.to_string(), "errors": errors } })),
        )
            .into_response();
    }
    error(status, e.code(), e.to_string())
}

/// Runs a segment operation on the blocking pool and answers with the
/// segment it returns.
async fn segment_op(
    state: Arc<ServerState>,
    created: bool,
    mut op: impl FnMut(&mut Segments<'_>) -> Result<flokk_store::Segment, SegmentsError>
    + Send
    + 'static,
) -> Response {
    let live = state.live.clone();
    let result = tokio::task::spawn_blocking(move || {
        let (segment, _) = live.segments(&mut op)?;
        let total = live.store(|s| s.customer_count())?;
        Ok::<_, SegmentsError>(SegmentView::new(&segment, total, &live.time_zone()))
    })
    .await;
    match result {
        Ok(Ok(view)) => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(view)).into_response()
        }
        Ok(Err(e)) => segments_error(e),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    }
}

/// `?search=&sort=name|last_activity|count&deleted=true&organisation=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only segments whose name or description contains this text (any case).
    search: Option<String>,
    /// Only the segments of this organisation (of a venue group).
    organisation: Option<String>,
    /// `name` (default), `last_activity` or `count`.
    sort: Option<String>,
    /// List deleted segments instead.
    #[serde(default)]
    deleted: bool,
}

/// `GET /api/segments`: the index.
#[utoipa::path(get, path = "/api/segments", operation_id = "listSegments", tag = "segments", params(ListParams),
    responses(
        (status = 200, description = "`{total_customers, organisations?, segments: [segment]}`: `organisations` are those the store knows (left out in a store of one organisation; for a limited token, its own); a segment of one carries `organisation`", body = Object),
        (status = 400, description = "An unknown sort (`invalid_sort`) or organisation (`invalid`)", body = ErrorBody),
        (status = 403, description = "The token is limited to other organisations (`organisation_forbidden`)", body = ErrorBody)))]
pub async fn list(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Query(p): Query<ListParams>,
) -> Response {
    let filter = if p.deleted {
        SegmentFilter::Deleted
    } else {
        SegmentFilter::Live
    };
    let token = &principal.token;
    if let Some(o) = &p.organisation
        && !token.may_change(Some(o.trim()))
    {
        return organisation_forbidden(token, o);
    }
    let read = state.live.store(|s| {
        if let Some(o) = &p.organisation {
            s.known_organisation(o)?;
        }
        Ok::<_, StoreError>((s.segments(filter)?, s.customer_count()?, s.organisations()?))
    });
    let (mut list, total, mut organisations) = match read {
        Ok(x) => x,
        Err(e) => return segments_error(e.into()),
    };
    let sort = p.sort.as_deref().unwrap_or("name");
    let Some(order) = IndexOrder::parse(sort) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_sort",
            format!("sort is name, last_activity or count, not {sort:?}"),
        );
    };
    readable_by(&mut list, token);
    of_organisation(&mut list, p.organisation.as_deref().map(str::trim));
    arrange(&mut list, p.search.as_deref(), order);
    if !token.organisations.is_empty() {
        organisations.retain(|o| token.organisations.contains(o));
    }
    let tz = &state.live.time_zone();
    let views: Vec<SegmentView> = list
        .iter()
        .map(|s| SegmentView::new(s, total, tz))
        .collect();
    let mut answer = json!({ "total_customers": total, "segments": views });
    // A store of one organisation shows none of it.
    if !organisations.is_empty() {
        answer["organisations"] = json!(organisations);
    }
    Json(answer).into_response()
}

/// 403 `organisation_forbidden`: `token` is limited to organisations other
/// than `organisation`.
fn organisation_forbidden(token: &flokk_store::ApiToken, organisation: &str) -> Response {
    error(
        StatusCode::FORBIDDEN,
        "organisation_forbidden",
        format!(
            "this token is limited to {}, not {:?}",
            token.organisations.join(", "),
            organisation.trim()
        ),
    )
}

/// The organisation a new segment goes in: the one asked for, which a
/// limited token must hold; a token limited to one organisation puts its
/// segments there by default (one limited to several must say which).
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
fn new_segment_organisation(
    token: &flokk_store::ApiToken,
    asked: Option<&str>,
) -> Result<Option<String>, Response> {
    match (asked, token.organisations.as_slice()) {
        (Some(o), _) if !token.may_change(Some(o.trim())) => Err(organisation_forbidden(token, o)),
        (Some(o), _) => Ok(Some(o.trim().to_owned())),
        (None, []) => Ok(None),
        (None, [only]) => Ok(Some(only.clone())),
        (None, several) => Err(error(
            StatusCode::BAD_REQUEST,
            "organisation_required",
            format!(
                "this token is limited to {}: say which the segment belongs to (`organisation`)",
                several.join(", ")
            ),
        )),
    }
}

/// The body of `POST /api/segments`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Unique regardless of case.
    name: String,
    /// The segment's query.
    query: String,
    description: Option<String>,
    /// `merchant` (default), `app:<name>` or `flokk`.
    author: Option<String>,
    /// The organisation (of a venue group) it belongs to; none: shared.
    organisation: Option<String>,
}

/// `POST /api/segments`: saves a segment; 201 with it.
#[utoipa::path(post, path = "/api/segments", operation_id = "createSegment", tag = "segments", request_body = CreateBody,
    responses(
        (status = 201, description = "The saved segment", body = Object),
        (status = 400, description = "The query does not check (`invalid_query`, with `errors`)", body = ErrorBody),
        (status = 403, description = "An organisation the token is not limited to (`organisation_forbidden`)", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Json(b): Json<CreateBody>,
) -> Response {
    let organisation = match new_segment_organisation(&principal.token, b.organisation.as_deref()) {
        Ok(o) => o,
        Err(r) => return r,
    };
    if let Some(refused) =
        super::organisation_scope::refused_in_query(&state, &principal.token, &b.query)
    {
        return refused;
    }
    segment_op(state, true, move |s| {
        let created = s.create(
            &b.name,
            &b.query,
            b.description.as_deref(),
            b.author.as_deref().unwrap_or("merchant"),
        )?;
        match &organisation {
            // One transaction: an unknown organisation leaves nothing.
            Some(o) => s.assign_organisation(&created.name, Some(o)),
            None => Ok(created),
        }
    })
    .await
}

/// `GET /api/segments/{name or id}`: one segment with its query history.
#[utoipa::path(get, path = "/api/segments/{name}", operation_id = "getSegment", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    responses(
        (status = 200, description = "The segment with `versions`", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    let read = state.live.store(|s| {
        let Some(segment) = s.segment(&name)? else {
            return Err(StoreError::NotFound(format!(
                "there is no segment named '{name}'"
            )));
        };
        let versions = s.segment_versions(segment.id)?;
        // Showing a segment (its count) is using it ("last activity").
        s.touch_segment_used(segment.id, state.live.now())?;
        let segment = s.segment(&segment.id.to_string())?.unwrap_or(segment);
        Ok((segment, versions, s.customer_count()?))
    });
    match read {
        Ok((segment, versions, total)) => {
            let tz = &state.live.time_zone();
            let mut v = serde_json::to_value(SegmentView::new(&segment, total, tz))
                .expect("views serialise");
            v["versions"] = json!(
                versions
                    .iter()
                    .map(|x| VersionView::new(x, tz))
                    .collect::<Vec<_>>()
            );
            Json(v).into_response()
        }
        Err(e) => segments_error(e.into()),
    }
}

/// The body of `PATCH /api/segments/{id}`: what to change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// A new name (segments that name this one are rewritten).
    name: Option<String>,
    /// A new query.
    query: Option<String>,
    description: Option<String>,
    /// Save `query` as a draft instead of publishing it.
    #[serde(default)]
    draft: bool,
    author: Option<String>,
    /// Move it to this organisation; `null` shares it with all.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    organisation: Option<Option<String>>,
}

/// A field that may be absent (outer `None`) or `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `PATCH /api/segments/{name or id}`: rename, describe, publish a new
/// query or save it as a draft.
#[utoipa::path(patch, path = "/api/segments/{name}", operation_id = "updateSegment", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    request_body = UpdateBody,
    responses(
        (status = 200, description = "The segment", body = Object),
        (status = 400, description = "The query does not check", body = ErrorBody),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 403, description = "The segment or the new organisation is another organisation's (`organisation_forbidden`)", body = ErrorBody),
        (status = 409, description = "The new name is taken", body = ErrorBody)))]
pub async fn update(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Path(name): Path<String>,
    Json(b): Json<UpdateBody>,
) -> Response {
    // The gate in front checked the segment itself; the move must land
    // inside the token's organisations too (a limited token cannot share
    // a segment with all, nor hand it to another organisation).
    if let Some(to) = &b.organisation
        && !principal.token.may_change(to.as_deref().map(str::trim))
    {
        return organisation_forbidden(&principal.token, to.as_deref().unwrap_or("(shared)"));
    }
    if let Some(q) = &b.query
        && let Some(refused) =
            super::organisation_scope::refused_in_query(&state, &principal.token, q)
    {
        return refused;
    }
    segment_op(state, false, move |s| {
        let author = b.author.as_deref().unwrap_or("merchant");
        let mut segment = s.get(&name)?;
        if let Some(d) = &b.description {
            segment = s.describe(&segment.name, Some(d))?;
        }
        if let Some(to) = &b.organisation {
            segment = s.assign_organisation(&segment.name, to.as_deref())?;
        }
        if let Some(q) = &b.query {
            segment = if b.draft {
                s.save_draft(&segment.name, q)?
            } else {
                s.update(&segment.name, q, author)?
            };
        }
        if let Some(new) = &b.name {
            segment = s.rename(&segment.name, new, author)?;
        }
        Ok(segment)
    })
    .await
}

/// `POST /api/segments/{name or id}/publish`: publishes the draft.
#[utoipa::path(post, path = "/api/segments/{name}/publish", operation_id = "publishDraft", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    responses(
        (status = 200, description = "The segment", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 409, description = "It has no draft", body = ErrorBody)))]
pub async fn publish(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    segment_op(state, false, move |s| s.publish_draft(&name, "merchant")).await
}

/// `DELETE /api/segments/{name or id}/draft`: discards the draft.
#[utoipa::path(delete, path = "/api/segments/{name}/draft", operation_id = "discardDraft", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    responses(
        (status = 200, description = "The segment", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn discard(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    segment_op(state, false, move |s| s.discard_draft(&name)).await
}

/// `?purge=true`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Remove a deleted segment for good.
    #[serde(default)]
    purge: bool,
}

/// `DELETE /api/segments/{name or id}`: deletes (restorable), or with
/// `?purge=true` removes a deleted segment for good.
#[utoipa::path(delete, path = "/api/segments/{name}", operation_id = "deleteSegment", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id"), DeleteParams),
    responses(
        (status = 200, description = "The segment", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 409, description = "Other segments name it", body = ErrorBody)))]
pub async fn delete(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    Query(p): Query<DeleteParams>,
) -> Response {
    segment_op(state, false, move |s| {
        if p.purge {
            s.purge(&name)
        } else {
            s.delete(&name)
        }
    })
    .await
}

/// `POST /api/segments/{name or id}/restore`.
#[utoipa::path(post, path = "/api/segments/{name}/restore", operation_id = "restoreSegment", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id")),
    responses(
        (status = 200, description = "The segment", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn restore(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    segment_op(state, false, move |s| s.restore(&name)).await
}

/// `?sort=&offset=&limit=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersParams {
    /// A field to sort by; `-field` sorts descending (default: by id).
    sort: Option<String>,
    /// Members to skip.
    #[serde(default)]
    offset: usize,
    /// Members per page (default 50, at most 1000).
    limit: Option<usize>,
    /// `production:ID` or `performance:ID`: leave out the customers holding
    /// tickets to it.
    shown_for: Option<String>,
}

/// `GET /api/segments/{name or id}/members`: a page of the members (the
/// segment's query evaluated as of now, which is what live membership holds).
#[utoipa::path(get, path = "/api/segments/{name}/members", operation_id = "segmentMembers", tag = "segments",
    params(("name" = String, Path, description = "The segment's name or id"), MembersParams),
    responses(
        (status = 200, description = "`{count, offset, members: [...]}`", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody),
        (status = 422, description = "`shown_for` names no production or performance", body = ErrorBody)))]
pub async fn members(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    Query(p): Query<MembersParams>,
) -> Response {
    let shown_for = match super::queries::shown_for(&state, p.shown_for.as_deref()) {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let found = state.live.store(|s| s.segment(&name));
    let is_list = matches!(found, Ok(None))
        && matches!(state.live.store(|s| s.customer_list(&name)), Ok(Some(_)));
    if is_list {
        // A static list's members page, like a segment's.
        let (query, _) = match super::lists::audience_query(&state, &name) {
            Ok(found) => found,
            Err(r) => return r,
        };
        let query = super::queries::excluding((*query).clone(), shown_for.as_ref());
        let page = state.live.evaluate(|_, evaluator, _| {
            let members = evaluator.eval(&query.expr)?;
            member_page(evaluator, &members, p.sort.as_deref(), p.offset, p.limit)
        });
        return match page {
            Ok(page) => Json(page).into_response(),
            Err(e) => eval_error(e),
        };
    }
    let segment = match found {
        Ok(Some(s)) if s.deleted_at.is_none() => {
            // Listing a segment's members is using it ("last activity").
            let _ = state
                .live
                .store(|st| st.touch_segment_used(s.id, state.live.now()));
            s
        }
        Ok(_) => {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("there is no segment named '{name}'"),
            );
        }
        Err(e) => return segments_error(e.into()),
    };
    let page = state.live.evaluate(|_, evaluator, graph| {
        let Some(node) = graph.node(segment.id) else {
            return Err(flokk_engine::EvalError::UnknownSegment {
                name: segment.name.clone(),
            });
        };
        let members = match &shown_for {
            Some(s) => evaluator.eval(&s.exclude_from((*node.query).clone()).expr)?,
            None => evaluator.eval(&node.query.expr)?,
        };
        member_page(evaluator, &members, p.sort.as_deref(), p.offset, p.limit)
    });
    match page {
        Ok(page) => Json(page).into_response(),
        Err(e) => eval_error(e),
    }
}

/// `?since=&segment=&limit=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// The cursor: entries after this sequence number.
    #[serde(default)]
    since: u64,
    /// Only this segment's changes (name or id).
    segment: Option<String>,
    /// At most this many entries (default 1000, at most 10,000).
    limit: Option<u64>,
}

/// `GET /api/changes`: the membership change feed after a cursor; `next`
/// is the cursor to ask with next time.
#[utoipa::path(get, path = "/api/changes", operation_id = "changeFeed", tag = "segments", params(ChangesParams),
    responses(
        (status = 200, description = "`{entries: [{seq, segment, customer, change, cause, at}], next}`", body = Object),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn changes(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<ChangesParams>,
) -> Response {
    let limit = p.limit.unwrap_or(1000).min(10_000);
    let read = state.live.store(|s| {
        let sid = match &p.segment {
            Some(name) => Some(
                s.segment(name)?
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("there is no segment named '{name}'"))
                    })?
                    .id,
            ),
            None => None,
        };
        s.feed(p.since, sid, Some(limit))
    });
    match read {
        Ok(entries) => {
            let next = entries.last().map(|e| e.seq).unwrap_or(p.since);
            Json(json!({ "entries": entries, "next": next })).into_response()
        }
        Err(e) => segments_error(e.into()),
    }
}

/// `GET /api/templates`: recipes to start a segment from.
#[utoipa::path(get, path = "/api/templates", operation_id = "listTemplates", tag = "segments",
    responses((status = 200, description = "`{templates: [...]}`", body = Object)))]
pub async fn templates() -> Response {
    Json(json!({ "templates": TEMPLATES })).into_response()
}

/// `GET /api/customers/{id}/segments`: the segments a customer is in
/// (evaluated for that customer as of now).
#[utoipa::path(get, path = "/api/customers/{id}/segments", operation_id = "customerSegments", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "`{customer, segments: [name]}`", body = Object),
        (status = 404, description = "No such customer", body = ErrorBody)))]
pub async fn customer_segments(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    let names = state.live.evaluate(|engine, evaluator, graph| {
        let c = engine.customers.find(&id)?;
        // The customer is shared; another organisation's segments are not.
        let hidden: Vec<&str> = graph
            .in_order()
            .filter(|n| !principal.token.may_read(n.segment.organisation.as_deref()))
            .map(|n| n.segment.name.as_str())
            .collect();
        Some(segments_of(evaluator, graph, c).map(|mut names| {
            names.retain(|n| !hidden.contains(&n.as_str()));
            names
        }))
    });
    match names {
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("there is no customer {id:?}"),
        ),
        Some(Ok(names)) => Json(json!({ "customer": id, "segments": names })).into_response(),
        Some(Err(e)) => eval_error(e),
    }
}
