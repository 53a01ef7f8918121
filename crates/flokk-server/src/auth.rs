//! Who may call what. Every `/api` request (but signing in) carries an API
//! token (`Authorization: Bearer flk_...`) or the web UI's session cookie;
//! a cookie-authenticated request that changes something must also carry
//! the session's CSRF token in `x-csrf-token` (a cookie travels with any
//! request the browser makes; the header only with the page's own).
//!
//! Scopes by route: reading is `read`; changing is `write`; webhooks and
//! tokens are `admin`; `admin` grants everything. Pages and assets are
//! public: they hold no data, and the page sends the merchant to sign in
//! when the API answers 401.

use crate::ServerState;
use crate::api::error;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use flokk_store::{Scope, TokenInfo};
use std::sync::Arc;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "flokk_session";

/// The scope a request needs; `None` for what anyone may call.
pub fn required_scope(method: &Method, path: &str) -> Option<Scope> {
    if !path.starts_with("/api/") || path == "/api/session" {
        return None;
    }
    if path.starts_with("/api/webhooks") || path.starts_with("/api/tokens") {
        return Some(Scope::Admin);
    }
    if matches!(*method, Method::GET | Method::HEAD) {
        Some(Scope::Read)
    } else {
        Some(Scope::Write)
    }
}

/// The caller of a request, for handlers that need to know.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token (directly, or behind the session).
    pub token: TokenInfo,
}

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The middleware: authenticates, checks the scope (and CSRF for cookie
/// writes), and hands the caller to the handler.
pub async fn authorize(
    State(state): State<Arc<ServerState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(scope) = required_scope(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let now = jiff::Timestamp::now();
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD);
    let token = if let Some(secret) = bearer {
        match state.live.store(|s| s.authenticate(&secret, now)) {
            Ok(Some(t)) => t,
            Ok(None) => return unauthorized("the API token is not valid (unknown or revoked)"),
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
        }
    } else if let Some(secret) = cookie(&request, SESSION_COOKIE).map(str::to_owned) {
        match state.live.store(|s| s.session(&secret, now)) {
            Ok(Some((t, csrf))) => {
                let sent = request
                    .headers()
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok());
                if unsafe_method && sent != Some(csrf.as_str()) {
                    return error(
                        StatusCode::FORBIDDEN,
                        "csrf",
                        "a change made with the session cookie needs the page's x-csrf-token header",
                    );
                }
                t
            }
            Ok(None) => {
                return unauthorized("the session has ended or is not valid; sign in again");
            }
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string()),
        }
    } else {
        return unauthorized("sign in, or send an API token as Authorization: Bearer <token>");
    };
    if !token.allows(scope) {
        return error(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("this needs a token with the {} scope", scope.as_str()),
        );
    }
    request.extensions_mut().insert(Caller { token });
    next.run(request).await
}

fn unauthorized(message: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_by_route() {
        assert_eq!(required_scope(&Method::GET, "/"), None);
        assert_eq!(required_scope(&Method::GET, "/ui/editor.js"), None);
        assert_eq!(required_scope(&Method::POST, "/api/session"), None);
        assert_eq!(
            required_scope(&Method::GET, "/api/count"),
            Some(Scope::Read)
        );
        assert_eq!(
            required_scope(&Method::POST, "/api/segments"),
            Some(Scope::Write)
        );
        assert_eq!(
            required_scope(&Method::DELETE, "/api/segments/1"),
            Some(Scope::Write)
        );
        assert_eq!(
            required_scope(&Method::GET, "/api/webhooks"),
            Some(Scope::Admin)
        );
        assert_eq!(
            required_scope(&Method::POST, "/api/tokens"),
            Some(Scope::Admin)
        );
    }
}
