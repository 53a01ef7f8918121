//! Tracked links: records a `clicked` event and redirects (303) to the URL
//! the token signs. The URL is inside the signed token, so only a URL
//! flokk put into one of its messages redirects: no open redirect.

use super::{event, verify_and_write};
use crate::state::ServerState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_campaigns::LinkKind;
use flokk_model::{EmailEventType, Record};
use std::sync::Arc;

/// `GET /email/click/{token}`.
pub async fn click(State(state): State<Arc<ServerState>>, Path(token): Path<String>) -> Response {
    let now = state.live.now();
    let written = verify_and_write(&state, LinkKind::Click, token, move |_, v| {
        if !(v.extra.starts_with("https://") || v.extra.starts_with("http://")) {
            return vec![];
        }
        vec![Record::EmailEvent(event(
            v,
            EmailEventType::Clicked,
            "",
            now,
            None,
        ))]
    })
    .await;
    match written {
        Ok(Some(v)) if v.extra.starts_with("https://") || v.extra.starts_with("http://") => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, v.extra.as_str()),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response(),
        Ok(_) => (StatusCode::NOT_FOUND, "This link is not valid.").into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
