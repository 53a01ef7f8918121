//! The embedded web UI: plain HTML, CSS and a small JS module, compiled
//! into the binary (no build step).

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

/// `GET /`: the segment editor.
pub async fn index() -> Html<&'static str> {
    Html(include_str!("ui/index.html"))
}

/// `GET /ui/editor.js`.
pub async fn editor_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("ui/editor.js"),
    )
        .into_response()
}

/// `GET /ui/style.css`.
pub async fn style_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("ui/style.css"),
    )
        .into_response()
}
