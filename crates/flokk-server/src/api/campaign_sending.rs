//! Sending a campaign over the API, as `flokk campaign send|pause|cancel`
//! does: `POST /api/campaigns/{name}/send` (now, or `{"at": T}` to
//! schedule), `.../pause` and `.../cancel`, each answering the campaign's
//! report (`GET /api/campaigns/{name}` follows the send as it goes).
//!
//! Decision: a send answers `202 Accepted` once the audience is frozen and
//! the first recipients are being taken; the queue drains on the server in
//! the background (`campaign_sender`), so a send of hours never holds a
//! request open. A schedule answers `200` with the campaign `scheduled`.
#![allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once

use super::campaigns::{campaign_error, find, internal, report};
use crate::campaign_sender::start_sending;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use flokk_campaigns::{Sending, check_sendable, settings_relay};
use jiff::Timestamp;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// The body of `POST /api/campaigns/{name}/send` (optional: no body sends now).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    /// Schedule instead of sending now: an RFC 3339 instant in the future
    /// (again on a scheduled campaign: reschedule).
    #[serde(default)]
    pub at: Option<String>,
}

/// `POST /api/campaigns/{name}/send`.
#[utoipa::path(post, path = "/api/campaigns/{name}/send", operation_id = "sendCampaign", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name or id (`flokk-1`)")),
    request_body(content = Option<SendBody>, description = "Empty to send now; `{\"at\": T}` to schedule"),
    responses(
        (status = 202, description = "Sending started (the audience is frozen; a paused send resumes): the report", body = Object),
        (status = 200, description = "Scheduled for `at`: the report, `state` `scheduled`", body = Object),
        (status = 400, description = "Not a send body (`bad_body`)", body = ErrorBody),
        (status = 404, description = "No such campaign (`unknown_campaign`), or its segment was deleted (`unknown_segment`)", body = ErrorBody),
        (status = 409, description = "Sent already (`already_sent`), cancelled (`cancelled`), another process is sending it (`already_sending`), or scheduling one whose sending started (`already_started`)", body = ErrorBody),
        (status = 422, description = "No sender, `public_url` or `smtp_url` set (`campaign_config`), or `at` is not a future instant (`invalid_instant`)", body = ErrorBody)))]
pub async fn send(
    State(state): State<Arc<ServerState>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let b: SendBody = if body.iter().all(u8::is_ascii_whitespace) {
        SendBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_body",
                    format!("the body is empty or {{\"at\": INSTANT}}: {e}"),
                );
            }
        }
    };
    let campaign = match state.live.store(|s| find(s, &name)) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(at) = b.at {
        return schedule(&state, &name, &at);
    }
    let worker = state.clone();
    let started = tokio::task::spawn_blocking(move || {
        start_sending(&worker.live, &worker.campaign_senders, &campaign)
    })
    .await;
    match started {
        Ok(Ok(c)) => {
            let mut r = state.live.store(|s| report(s, &c));
            if r.status() == StatusCode::OK {
                *r.status_mut() = StatusCode::ACCEPTED;
            }
            r
        }
        Ok(Err(e)) => campaign_error(e),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    }
}

/// `{"at": T}`: schedules a draft, reschedules a scheduled campaign; the
/// settings are checked now, so a schedule that would fail at its time
/// fails here.
fn schedule(state: &ServerState, name: &str, at: &str) -> Response {
    let invalid = |m: String| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_instant", m);
    let when = match at.parse::<Timestamp>() {
        Ok(t) => t,
        Err(e) => {
            return invalid(format!(
                "at {at:?} is not an RFC 3339 instant (like 2026-12-24T08:00:00Z): {e}"
            ));
        }
    };
    // As `flokk campaign send --at`: a time past is refused, not sent at once.
    if when <= state.live.now() {
        return invalid(format!(
            "at {at} is not in the future; to send now, leave `at` out"
        ));
    }
    state.live.store(|s| {
        let c = match find(s, name) {
            Ok(c) => c,
            Err(r) => return r,
        };
        let checked = check_sendable(&c)
            .and_then(|_| Sending::of(s, &c))
            .and_then(|_| settings_relay(s));
        if let Err(e) = checked {
            return campaign_error(e);
        }
        match s.schedule_campaign(c.cpid, when) {
            Ok(true) => match find(s, name) {
                Ok(c) => report(s, &c),
                Err(r) => r,
            },
            Ok(false) => error(
                StatusCode::CONFLICT,
                "already_started",
                format!(
                    "campaign '{}' is {}: only a draft or scheduled campaign can be scheduled",
                    c.name, c.state
                ),
            ),
            Err(e) => internal(e),
        }
    })
}

/// `POST /api/campaigns/{name}/pause`.
#[utoipa::path(post, path = "/api/campaigns/{name}/pause", operation_id = "pauseCampaign", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name or id")),
    responses(
        (status = 200, description = "Paused: no recipient is taken from its queue until it is sent again (`POST .../send` resumes): the report", body = Object),
        (status = 404, description = "No such campaign (`unknown_campaign`)", body = ErrorBody),
        (status = 409, description = "It is not sending (`not_sending`)", body = ErrorBody)))]
pub async fn pause(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    state.live.store(|s| {
        let c = match find(s, &name) {
            Ok(c) => c,
            Err(r) => return r,
        };
        match s.pause_campaign(c.cpid) {
            Ok(true) => match find(s, &name) {
                Ok(c) => report(s, &c),
                Err(r) => r,
            },
            Ok(false) => error(
                StatusCode::CONFLICT,
                "not_sending",
                format!("campaign '{}' is {}, not sending", c.name, c.state),
            ),
            Err(e) => internal(e),
        }
    })
}

/// `POST /api/campaigns/{name}/cancel`.
#[utoipa::path(post, path = "/api/campaigns/{name}/cancel", operation_id = "cancelCampaign", tag = "campaigns",
    params(("name" = String, Path, description = "The campaign's name or id")),
    responses(
        (status = 200, description = "Cancelled (a draft, a scheduled one before it starts, a sending or paused one): recipients not yet sent to never are; the report", body = Object),
        (status = 404, description = "No such campaign (`unknown_campaign`)", body = ErrorBody),
        (status = 409, description = "Sent or cancelled already (`already_sent`)", body = ErrorBody)))]
pub async fn cancel(State(state): State<Arc<ServerState>>, Path(name): Path<String>) -> Response {
    let now = Timestamp::now();
    state.live.store(|s| {
        let c = match find(s, &name) {
            Ok(c) => c,
            Err(r) => return r,
        };
        match s.cancel_campaign(c.cpid, now) {
            Ok(true) => match find(s, &name) {
                Ok(c) => report(s, &c),
                Err(r) => r,
            },
            Ok(false) => error(
                StatusCode::CONFLICT,
                "already_sent",
                format!("campaign '{}' is {} already", c.name, c.state),
            ),
            Err(e) => internal(e),
        }
    })
}
