//! The embedded web UI: plain HTML pages, CSS and small JS modules,
//! compiled into the binary (no build step). The pages fetch everything
//! from the JSON API.
//!
//! A page is served only to a signed-in browser, with the session's CSRF
//! token in `<meta name="csrf-token">` (the scripts send it back on every
//! change); anyone else is sent to the sign-in page, which comes back to
//! the page afterwards. Scripts and styles hold nothing private and are
//! served to anyone.
//!
//! Layer 4, the pages and their assets (this folder), served to a
//! signed-in browser. May use every layer below (`state`, `auth`,
//! `error_body`); not the API handlers.

use crate::auth::{AuthError, Via};
use crate::state::ServerState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::sync::Arc;

/// Where each page's CSRF token goes.
const CSRF_PLACEHOLDER: &str = "{{csrf_token}}";

/// Pages may not be framed (clickjacking), load nothing from elsewhere,
/// and post forms nowhere else.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

fn html(body: String) -> Response {
    let mut response = Html(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page for a signed-in browser, or a redirect to sign in.
fn page(state: &ServerState, headers: &HeaderMap, uri: &Uri, source: &'static str) -> Response {
    match state
        .credentials
        .identify_session(headers, jiff::Timestamp::now())
    {
        Ok(principal) => {
            let Via::Session { csrf, .. } = principal.via else {
                unreachable!("identify_session reads only the session cookie")
            };
            html(source.replace(CSRF_PLACEHOLDER, &csrf))
        }
        Err(AuthError::Store(e)) => {
            // Not a reason to send the merchant to sign in again.
            crate::error_body::error(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string())
        }
        Err(_) => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str());
            let target = format!("/signin?next={}", percent_encode(next));
            Redirect::to(&target).into_response()
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for
/// a path carried in a query parameter.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /`: the segment index.
pub async fn index(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    page(&state, &headers, &uri, include_str!("index.html"))
}

/// `GET /segments/new` and `GET /segments/{id}`: the segment editor.
pub async fn editor(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    page(&state, &headers, &uri, include_str!("editor.html"))
}

/// `GET /customers/{id}`: the customer page.
pub async fn customer(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    page(&state, &headers, &uri, include_str!("customer.html"))
}

/// `GET /signin`: paste a token to sign in (no credentials needed).
pub async fn settings(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    page(&state, &headers, &uri, include_str!("settings.html"))
}

pub async fn settings_js() -> Response {
    javascript(include_str!("settings.js"))
}

pub async fn sign_in() -> Response {
    html(include_str!("signin.html").to_owned())
}

fn javascript(source: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        source,
    )
        .into_response()
}

/// `GET /js/flokk.js`: the storefront snippet, loaded by the shop's pages
/// from their own origin (hence `Cross-Origin-Resource-Policy:
/// cross-origin`); it holds nothing private.
pub async fn storefront_js() -> Response {
    let mut response = javascript(include_str!("flokk.js"));
    response.headers_mut().insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// `GET /ui/common.js`.
pub async fn common_js() -> Response {
    javascript(include_str!("common.js"))
}

/// `GET /ui/editor.js`.
pub async fn editor_js() -> Response {
    javascript(include_str!("editor.js"))
}

/// `/ui/segment_actions.js`: tag customers and create a discount from a
/// segment's page.
pub async fn segment_actions_js() -> Response {
    javascript(include_str!("segment_actions.js"))
}

/// `GET /ui/segments.js`.
pub async fn segments_js() -> Response {
    javascript(include_str!("segments.js"))
}

/// `GET /ui/customer.js`.
pub async fn customer_js() -> Response {
    javascript(include_str!("customer.js"))
}

/// `GET /ui/signin.js`.
pub async fn query_tokens_js() -> Response {
    javascript(include_str!("query_tokens.js"))
}

pub async fn highlight_js() -> Response {
    javascript(include_str!("highlight.js"))
}

pub async fn complete_js() -> Response {
    javascript(include_str!("complete.js"))
}

pub async fn catalog_js() -> Response {
    javascript(include_str!("catalog.js"))
}

pub async fn builder_js() -> Response {
    javascript(include_str!("builder.js"))
}

pub async fn signin_js() -> Response {
    javascript(include_str!("signin.js"))
}

/// `GET /ui/style.css`.
pub async fn style_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("style.css"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_path_is_encoded_whole() {
        assert_eq!(
            percent_encode("/segments/3?x=a&b"),
            "/segments/3%3Fx%3Da%26b"
        );
    }
}
