//! Web sessions: sign in with a token (`POST /api/session`), see who is
//! signed in (`GET`), sign out (`DELETE`), and the one-time sign-in links
//! printed at start (`GET /signin/once/{code}`).

use crate::auth::session_cookie::{cleared_session_cookie, session_cookie};
use crate::auth::{AuthError, Principal, Via};
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use crate::views::token::TokenView;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// The body of `POST /api/session`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    /// An API token (`flokk_...`).
    token: String,
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// The token the caller acts as.
    pub token: TokenView,
    /// `session` (the cookie) or `bearer`.
    #[schema(example = "session")]
    pub via: &'static str,
    /// With a session: the token to send as `X-CSRF-Token` on changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf: Option<String>,
    /// With a session: when it ends (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl From<&Principal> for SessionView {
    fn from(p: &Principal) -> SessionView {
        let (via, csrf, expires_at) = match &p.via {
            Via::Bearer => ("bearer", None, None),
            Via::Session { csrf, expires_at } => {
                ("session", Some(csrf.clone()), Some(expires_at.to_string()))
            }
        };
        SessionView {
            token: TokenView::from(&p.token),
            via,
            csrf,
            expires_at,
        }
    }
}

/// `POST /api/session`: signs in with a token; sets the session cookie.
/// JSON only, so another site's form cannot sign a browser in.
#[utoipa::path(post, path = "/api/session", operation_id = "signIn", tag = "auth", request_body = SignInBody,
    responses(
        (status = 201, description = "Signed in; the session cookie is set", body = SessionView,
            headers(("set-cookie" = String, description = "flokk_session=...; HttpOnly; SameSite=Strict; Path=/"))),
        (status = 401, description = "The token is unknown or revoked", body = ErrorBody)))]
pub async fn sign_in(State(state): State<Arc<ServerState>>, Json(b): Json<SignInBody>) -> Response {
    let lifetime = state.options.session_lifetime;
    let (token, session) = match state
        .credentials
        .sign_in(&b.token, Timestamp::now(), lifetime)
    {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let principal = Principal {
        token,
        via: Via::Session {
            csrf: session.csrf,
            expires_at: session.expires_at,
        },
    };
    (
        StatusCode::CREATED,
        [(
            header::SET_COOKIE,
            session_cookie(&session.secret, lifetime, state.options.secure_cookies),
        )],
        Json(SessionView::from(&principal)),
    )
        .into_response()
}

/// `GET /api/session`: the caller's token and, for a session, its CSRF
/// token and end.
#[utoipa::path(get, path = "/api/session", operation_id = "getSession", tag = "auth",
    responses((status = 200, description = "Who is signed in", body = SessionView)))]
pub async fn show(Extension(principal): Extension<Principal>) -> Json<SessionView> {
    Json(SessionView::from(&principal))
}

/// `DELETE /api/session`: signs out (ends the session, clears the cookie).
#[utoipa::path(delete, path = "/api/session", operation_id = "signOut", tag = "auth",
    responses((status = 204, description = "Signed out")))]
pub async fn sign_out(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    if let Err(e) = state.credentials.sign_out(&headers) {
        return AuthError::from(e).into_response();
    }
    (
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            cleared_session_cookie(state.options.secure_cookies),
        )],
    )
        .into_response()
}

/// `GET /signin/once/{code}`: a one-time link printed at start; signs the
/// browser in and goes to the segment index, or back to the sign-in page
/// when the link was used or is stale.
pub async fn redeem_link(
    State(state): State<Arc<ServerState>>,
    Path(code): Path<String>,
) -> Response {
    let Some(token_id) = state.sign_in_links.redeem(&code) else {
        return Redirect::to("/signin?link=used").into_response();
    };
    let lifetime = state.options.session_lifetime;
    match state
        .credentials
        .open_session(token_id, Timestamp::now(), lifetime)
    {
        Ok(session) => (
            [(
                header::SET_COOKIE,
                session_cookie(&session.secret, lifetime, state.options.secure_cookies),
            )],
            Redirect::to("/"),
        )
            .into_response(),
        // The token was revoked since the link was printed.
        Err(flokk_store::StoreError::NotFound(_)) => {
            Redirect::to("/signin?link=used").into_response()
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
    }
}
