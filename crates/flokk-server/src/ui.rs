//! The embedded web UI: plain HTML pages, CSS and small JS modules,
//! compiled into the binary (no build step). The pages fetch everything
//! from the JSON API.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

/// `GET /`: the segment index.
pub async fn index() -> Html<&'static str> {
    Html(include_str!("ui/index.html"))
}

/// `GET /segments/new` and `GET /segments/{id}`: the segment editor.
pub async fn editor() -> Html<&'static str> {
    Html(include_str!("ui/editor.html"))
}

/// `GET /customers/{id}`: the customer page.
pub async fn customer() -> Html<&'static str> {
    Html(include_str!("ui/customer.html"))
}

fn javascript(source: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        source,
    )
        .into_response()
}

/// `GET /ui/common.js`.
pub async fn common_js() -> Response {
    javascript(include_str!("ui/common.js"))
}

/// `GET /ui/editor.js`.
pub async fn editor_js() -> Response {
    javascript(include_str!("ui/editor.js"))
}

/// `GET /ui/segments.js`.
pub async fn segments_js() -> Response {
    javascript(include_str!("ui/segments.js"))
}

/// `GET /ui/customer.js`.
pub async fn customer_js() -> Response {
    javascript(include_str!("ui/customer.js"))
}

/// `GET /ui/style.css`.
pub async fn style_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("ui/style.css"),
    )
        .into_response()
}
