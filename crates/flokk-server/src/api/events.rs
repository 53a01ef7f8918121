//! `GET /api/events`: server-sent events for screens that stay open.
//!
//! Three event types:
//! - `change`: one membership change from the feed (`{seq, segment,
//!   customer, change, cause, at, segment_id}`), with the feed position as
//!   the event id, so a reconnecting `EventSource` resumes after the last
//!   one it saw (`Last-Event-ID`), losing none;
//! - `segments`: after a batch of changes, the new counts of the segments
//!   it touched (`[{id, name, count}]`);
//! - `count`: with `?query=`, the query's count (the shape of
//!   `/api/count`) when the stream opens and again whenever the data or the
//!   minute changes, so a count on screen follows imports and midnight.
//!
//! Decision: the stream polls the store every half second rather than
//! being woken by writers: imports by another process (`flokk import`
//! while `flokk serve` runs) reach the store, not this process, and a poll
//! of the feed's newest position is one indexed read.

use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use flokk_lang::{CheckOptions, TypedQuery};
use flokk_store::SegmentFilter;
use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeSet, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use utoipa::IntoParams;

/// How often the stream looks for news.
const POLL: Duration = Duration::from_millis(500);
/// Feed entries sent per poll at most; a backlog drains over several.
const BATCH: u64 = 500;

/// `?since=SEQ&segment=ID&query=...`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// Send changes after this feed position (default: from now on, or
    /// after the `Last-Event-ID` header).
    since: Option<u64>,
    /// Only this segment's changes.
    segment: Option<i64>,
    /// Also send this query's live count.
    query: Option<String>,
}

struct Watch {
    state: Arc<ServerState>,
    after: u64,
    segment: Option<i64>,
    query: Option<TypedQuery>,
    /// (engine sequence, minute) of the last count sent.
    counted: Option<(u64, i64)>,
    queue: VecDeque<Event>,
    first: bool,
}

impl Watch {
    /// Fills the queue with whatever is new.
    fn poll(&mut self) -> Result<(), String> {
        let entries = self
            .state
            .live
            .store(|s| s.feed(self.after, self.segment, Some(BATCH)))
            .map_err(|e| e.to_string())?;
        let mut touched = BTreeSet::new();
        for e in &entries {
            touched.insert(e.segment_id);
            self.after = e.seq;
            let event = Event::default()
                .event("change")
                .id(e.seq.to_string())
                .json_data(e)
                .map_err(|e| e.to_string())?;
            self.queue.push_back(event);
        }
        if !touched.is_empty() {
            let segments = self
                .state
                .live
                .store(|s| s.segments(SegmentFilter::Live))
                .map_err(|e| e.to_string())?;
            let counts: Vec<_> = segments
                .iter()
                .filter(|s| touched.contains(&s.id))
                .map(|s| json!({ "id": s.id, "name": s.name, "count": s.member_count }))
                .collect();
            let event = Event::default()
                .event("segments")
                .json_data(counts)
                .map_err(|e| e.to_string())?;
            self.queue.push_back(event);
        }
        if let Some(query) = &self.query {
            let minute = self.state.live.now().as_second().div_euclid(60);
            let sequence = self.state.live.evaluate(|engine, _, _| engine.sequence);
            if self.counted != Some((sequence, minute)) {
                self.counted = Some((sequence, minute));
                let answer = self
                    .state
                    .live
                    .evaluate(|_, evaluator, _| evaluator.count(query));
                let data = match answer {
                    Ok(a) => serde_json::to_value(&a).expect("answers serialise"),
                    Err(e) => json!({ "error": { "code": e.code(), "message": e.to_string() } }),
                };
                let event = Event::default()
                    .event("count")
                    .json_data(data)
                    .map_err(|e| e.to_string())?;
                self.queue.push_back(event);
            }
        }
        Ok(())
    }
}

/// `GET /api/events`: an event stream of membership changes, segment
/// counts and, with `?query=`, that query's live count.
#[utoipa::path(get, path = "/api/events", operation_id = "events", tag = "segments", params(EventsParams),
    responses(
        (status = 200, description = "`text/event-stream` with events `change` (a feed entry; id = its feed position), `segments` (`[{id, name, count}]`) and `count` (the `/api/count` shape)", content_type = "text/event-stream", body = String),
        (status = 400, description = "The query's errors (`invalid_query`) or a bad `Last-Event-ID`", body = ErrorBody)))]
pub async fn events(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    Query(p): Query<EventsParams>,
) -> Response {
    let resume = match headers.get("last-event-id").map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => match v.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_last_event_id",
                    "Last-Event-ID must be a feed position (a whole number)",
                );
            }
        },
        Some(Err(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_last_event_id",
                "Last-Event-ID must be a feed position (a whole number)",
            );
        }
    };
    let query = match p.query.as_deref().filter(|q| !q.trim().is_empty()) {
        None => None,
        Some(q) => {
            let properties = state.live.evaluate(|engine, _, _| engine.property_types());
            match flokk_lang::check(
                q,
                &CheckOptions {
                    strict: false,
                    properties: &properties,
                },
            ) {
                Ok(t) => Some(t),
                Err(errors) => {
                    let first = errors.0.first().map(|e| e.to_string()).unwrap_or_default();
                    return error(
                        StatusCode::BAD_REQUEST,
                        "invalid_query",
                        format!("the query does not check: {first}"),
                    );
                }
            }
        }
    };
    let after = match resume.or(p.since) {
        Some(n) => n,
        None => match state.live.store(|s| s.feed_position()) {
            Ok(n) => n,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
        },
    };
    let watch = Watch {
        state,
        after,
        segment: p.segment,
        query,
        counted: None,
        queue: VecDeque::new(),
        first: true,
    };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            if let Some(event) = w.queue.pop_front() {
                return Some((Ok::<Event, Infallible>(event), w));
            }
            if !w.first {
                tokio::time::sleep(POLL).await;
            }
            w.first = false;
            if let Err(message) = w.poll() {
                let event = Event::default()
                    .event("error")
                    .data(message.replace('\n', " "));
                return Some((Ok(event), w));
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
