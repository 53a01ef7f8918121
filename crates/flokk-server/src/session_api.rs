//! `/api/session`: the web UI signs in with a token and gets an HttpOnly
//! session cookie (SameSite=Strict; `Secure` when the request came over
//! HTTPS through a proxy, since flokk itself serves plain HTTP on
//! loopback) and the session's CSRF token, which the page sends with every
//! change.

use crate::ServerState;
use crate::api::error;
use crate::auth::{SESSION_COOKIE, cookie};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_store::SESSION_HOURS;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The body of `POST /api/session`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    token: String,
}

fn session_cookie(value: &str, max_age: i64, headers: &HeaderMap) -> HeaderValue {
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let text = format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&text).expect("the cookie is ASCII")
}

/// `POST /api/session`: signs in with an API token.
pub async fn sign_in(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    Json(body): Json<SignIn>,
) -> Response {
    let now = jiff::Timestamp::now();
    let opened = state.live.store(|s| -> Result<_, flokk_store::StoreError> {
        let Some(token) = s.authenticate(body.token.trim(), now)? else {
            return Ok(None);
        };
        let (secret, csrf) = s.create_session(token.id, now)?;
        Ok(Some((token, secret, csrf)))
    });
    match opened {
        Ok(Some((token, secret, csrf))) => {
            let mut response =
                Json(json!({ "name": token.name, "scopes": token.scopes, "csrf": csrf }))
                    .into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(&secret, SESSION_HOURS * 3600, &headers),
            );
            response
        }
        Ok(None) => error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "that token is not valid (unknown or revoked)",
        ),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
    }
}

/// `GET /api/session`: who is signed in, and the CSRF token for changes.
pub async fn current(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    let Some(secret) = cookie(&request, SESSION_COOKIE).map(str::to_owned) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "not signed in");
    };
    match state
        .live
        .store(|s| s.session(&secret, jiff::Timestamp::now()))
    {
        Ok(Some((token, csrf))) => {
            Json(json!({ "name": token.name, "scopes": token.scopes, "csrf": csrf }))
                .into_response()
        }
        Ok(None) => error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the session has ended",
        ),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
    }
}

/// `DELETE /api/session`: signs out.
pub async fn sign_out(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    if let Some(secret) = cookie(&request, SESSION_COOKIE).map(str::to_owned) {
        let _ = state.live.store(|s| s.end_session(&secret));
    }
    let headers = request.headers().clone();
    let mut response = Json(json!({ "signed_out": true })).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0, &headers));
    response
}
