//! Refusing oversized requests up front, with the API's JSON errors.
//!
//! A body limit that is checked while the body is read makes the server
//! wait for a body it will refuse: a client declaring a 10 GB
//! `Content-Length` held a connection until it had sent a megabyte. Here a
//! declared length over the limit is answered 413 at once, before anything
//! of the body is read. A URI over [`MAX_URI_BYTES`] is answered 414 and
//! headers over [`MAX_HEADER_BYTES`] 431, as JSON (hyper's own answers to
//! heads past its buffer, about 400 KiB, are empty: these limits sit well
//! below it so a client meets them first). The body is also given an idle
//! timeout: a body that stops sending ends its request.

use crate::error_body::ErrorBody;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower_http::timeout::TimeoutBody;

/// The longest request URI: 8 KiB (a query of the language fits many times
/// over; browsers and proxies stop near here too).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of request headers: 32 KiB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The route that takes uploads, with its own limit
/// (`ServerOptions::import_limit`).
pub const IMPORT_PATH: &str = "/api/import";

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    let mut response = (status, Json(ErrorBody::new(code, message))).into_response();
    // The unread body (or oversized head) leaves the connection unusable.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The limits this middleware applies (from `ServerOptions`).
#[derive(Debug, Clone, Copy)]
pub struct RequestSizeLimits {
    /// The largest body of any route but the upload route.
    pub body_limit: u64,
    /// The largest upload to [`IMPORT_PATH`].
    pub import_limit: u64,
    /// The longest a body may go without sending data.
    pub body_timeout: Duration,
}

/// The middleware: size checks on the head, then the body's idle timeout.
pub async fn limit_request_size(
    State(limits): State<RequestSizeLimits>,
    request: Request,
    next: Next,
) -> Response {
    let uri_len = request.uri().to_string().len();
    if uri_len > MAX_URI_BYTES {
        return refuse(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request URI is {uri_len} bytes; at most {MAX_URI_BYTES} are read"),
        );
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return refuse(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the request headers are {header_bytes} bytes; at most {MAX_HEADER_BYTES} are read"
            ),
        );
    }
    let limit = if request.uri().path() == IMPORT_PATH {
        limits.import_limit
    } else {
        limits.body_limit
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = declared
        && length > limit
    {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is {length} bytes; this endpoint takes at most {limit}"),
        );
    }
    let idle = limits.body_timeout;
    next.run(request.map(|body| Body::new(TimeoutBody::new(idle, body))))
        .await
}
