//! Email campaigns over the API: create, list, show (the report of
//! `flokk campaign show --json`) and preview; sending, scheduling, pausing
//! and cancelling are `campaign_sending.rs`. The API shape is a decision
//! (cli.md names the commands).
#![allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once

use super::queries::{Answer, checked};
use crate::auth::Principal;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use flokk_campaigns::{
    BodyFormat, CampaignError, CampaignRequest, Sending, campaign_report, create_campaign,
    preview_values,
};
use flokk_store::{Campaign, Store, StoreError};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The body of `POST /api/campaigns`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    /// The campaign's name (unique regardless of case).
    pub name: String,
    /// The audience: a saved segment's name ...
    #[serde(default)]
    pub segment: Option<String>,
    /// ... or a query.
    #[serde(default)]
    pub query: Option<String>,
    /// The subject (merge fields allowed).
    pub subject: String,
    /// The body (merge fields allowed).
    pub body: String,
    /// `markdown` (default) or `html`.
    #[serde(default)]
    pub body_format: Option<String>,
    /// The sender (default: the `smtp_from` setting).
    #[serde(default)]
    pub from: Option<String>,
    /// The campaign link's target.
    #[serde(default)]
    pub link: Option<String>,
    /// `production:ID` or `performance:ID`: its ticket holders are left out.
    #[serde(default)]
    pub shown_for: Option<String>,
    /// The discount whose code issued to each recipient is `{{ discount_code }}`.
    #[serde(default)]
    pub discount: Option<String>,
}

/// `?customer=ID` of the preview.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PreviewParams {
    /// The customer to render the message for.
    pub customer: String,
}

pub(super) fn campaign_error(e: CampaignError) -> Response {
    let status = match &e {
        CampaignError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
        CampaignError::UnknownSegment(_) => StatusCode::NOT_FOUND,
        CampaignError::State { .. } => StatusCode::CONFLICT,
        e if e.is_user_error() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e.code(), e.to_string())
}

pub(super) fn internal(e: StoreError) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string())
}

pub(super) fn find(store: &Store, name: &str) -> Result<Campaign, Response> {
    store.campaign(name).map_err(internal)?.ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            "unknown_campaign",
            format!("there is no campaign named '{name}'"),
        )
    })
}

pub(super) fn report(store: &Store, c: &Campaign) -> Response {
    match campaign_report(store, c) {
        Ok(r) => Json(r).into_response(),
        Err(e) => internal(e),
    }
}

/// `GET /api/campaigns`: every campaign's report, newest first.
#[utoipa::path(get, path = "/api/campaigns", operation_id = "listCampaigns", tag = "campaigns",
    responses((status = 200, description = "Reports as `flokk campaign list --json` prints them", body = Object)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    state.live.store(|s| {
        let all = match s.campaigns() {
            Ok(all) => all,
            Err(e) => return internal(e),
        };
        match all
            .iter()
            .map(|c| campaign_report(s, c))
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(list) => Json(list).into_response(),
            Err(e) => internal(e),
        }
    })
}

/// `GET /api/campaigns/{name}`: the report.
#[utoipa::path(get, path = "/api/campaigns/{name}", operation_id = "getCampaign", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name or id (`flokk-1`)")),
    responses(
        (status = 200, description = "The report, as `flokk campaign show --json` prints it", body = Object),
        (status = 404, description = "No such campaign (`unknown_campaign`)", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    state.live.store(|s| match find(s, &name) {
        Ok(c) => report(s, &c),
        Err(r) => r,
    })
}

/// `POST /api/campaigns`: a draft campaign.
#[utoipa::path(post, path = "/api/campaigns", operation_id = "createCampaign", tag = "campaigns",
    request_body = CampaignBody,
    responses(
        (status = 201, description = "The new campaign's report", body = Object),
        (status = 400, description = "Not a campaign body (`bad_body`) or a query that does not check (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "The audience is, or names, another organisation's segment (`organisation_forbidden`)", body = ErrorBody),
        (status = 404, description = "No such segment (`unknown_segment`)", body = ErrorBody),
        (status = 409, description = "The name is taken (`conflict`)", body = ErrorBody),
        (status = 422, description = "An unknown merge field or malformed `{{ }}` with its line and column (`invalid_template`), a bad link or sender (`campaign_config`, `invalid_address`)", body = ErrorBody)))]
pub async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Response {
    let b: CampaignBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return error(StatusCode::BAD_REQUEST, "bad_body", e.to_string()),
    };
    // A token limited to some organisations may mail only the segments it
    // may read, named as the audience or inside the audience query.
    if let Some(refused) = b
        .segment
        .as_deref()
        .and_then(|name| super::organisation_scope::refused(&state, &principal.token, name))
        .or_else(|| {
            b.query.as_deref().and_then(|q| {
                super::organisation_scope::refused_in_query(&state, &principal.token, q)
            })
        })
    {
        return refused;
    }
    if let Some(q) = &b.query
        && let Err(r) = checked(&state, q, false, Answer::Error)
    {
        return r;
    }
    let format = match b.body_format.as_deref().map(BodyFormat::parse) {
        None => BodyFormat::Markdown,
        Some(Some(f)) => f,
        Some(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_body",
                "body_format is `markdown` or `html`",
            );
        }
    };
    let at = state.live.now();
    state.live.store(|s| {
        let made = create_campaign(
            s,
            &CampaignRequest {
                name: &b.name,
                segment: b.segment.as_deref(),
                query: b.query.as_deref(),
                subject: &b.subject,
                body: &b.body,
                format,
                from: b.from.as_deref(),
                link: b.link.as_deref(),
                shown_for: b.shown_for.as_deref(),
                discount: b.discount.as_deref(),
                at,
            },
        );
        match made {
            Ok(c) => {
                let mut r = report(s, &c);
                *r.status_mut() = StatusCode::CREATED;
                r
            }
            Err(e) => campaign_error(e),
        }
    })
}

/// `GET /api/campaigns/{name}/preview?customer=ID`: the message, as sent.
#[utoipa::path(get, path = "/api/campaigns/{name}/preview", operation_id = "previewCampaign", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name or id"), PreviewParams),
    responses(
        (status = 200, description = "The RFC 5322 message (`message/rfc822`) the customer would get", content_type = "message/rfc822", body = String),
        (status = 404, description = "No such campaign or customer (`unknown_campaign`, `unknown_customer`)", body = ErrorBody),
        (status = 422, description = "No sender or `public_url` set (`campaign_config`), or the customer has no address (`no_email`)", body = ErrorBody)))]
pub async fn preview(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    Query(p): Query<PreviewParams>,
) -> Response {
    state
        .live
        .store(|s| match preview_message(&state, s, &name, &p.customer) {
            Ok(bytes) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "message/rfc822")],
                bytes,
            )
                .into_response(),
            Err(r) => r,
        })
}

fn preview_message(
    state: &ServerState,
    s: &Store,
    name: &str,
    customer: &str,
) -> Result<Vec<u8>, Response> {
    let c = find(s, name)?;
    let customer = s.customer(customer).map_err(internal)?.ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            "unknown_customer",
            format!("there is no customer '{customer}'"),
        )
    })?;
    let to = customer.email.clone().unwrap_or_default();
    if to.is_empty() {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_email",
            format!("customer '{}' has no email address", customer.id),
        ));
    }
    let sending = Sending::of(s, &c).map_err(campaign_error)?;
    // Computed fields and the discount code as sending now would freeze them.
    let tz = state.live.time_zone();
    let extra = state
        .live
        .evaluate(|engine, evaluator, _| {
            preview_values(s, &c, engine, evaluator, &tz, &customer.id)
        })
        .map_err(campaign_error)?;
    let message = sending.message(&c);
    Ok(message
        .for_recipient_with(&customer, &to, &extra)
        .map_err(campaign_error)?
        .formatted())
}
