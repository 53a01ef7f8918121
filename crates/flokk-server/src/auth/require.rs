//! The route layer in front of every protected endpoint: identify the
//! caller, apply [`authorize`], and hand handlers the [`Principal`].

use super::access::{Access, CSRF_HEADER, authorize};
use super::credentials::Credentials;
use super::organisation_gate;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Refuses the request (401, 403) unless its credentials grant `access`.
pub async fn require(
    State((credentials, access)): State<(Arc<Credentials>, Access)>,
    mut request: Request,
    next: Next,
) -> Response {
    let principal = match credentials.identify(request.headers(), jiff::Timestamp::now()) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let csrf = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    if let Err(e) = authorize(&principal, access, request.method(), csrf) {
        return e.into_response();
    }
    if let Err(e) = organisation_gate::gate(
        &credentials,
        &principal.token,
        request.method(),
        request.uri(),
    ) {
        return e.into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}
