//! The HTTP API and the embedded web UI (axum).
//!
//! This first cut serves the segment editor: validate a query, count it
//! live with per-clause counts, list the first members. The engine is built
//! from the store when the server starts and answers every request from
//! memory. Tokens, saved segments and the rest of the API are still to come
//! (see the API issue); so the server listens on loopback by default.

mod api;
pub mod live;
mod state;
mod ui;

pub use state::ServerState;

use axum::Router;
use axum::routing::get;
use std::sync::Arc;

/// The routes: the UI at `/`, the JSON API under `/api`.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route("/", get(ui::index))
        .route("/ui/editor.js", get(ui::editor_js))
        .route("/ui/style.css", get(ui::style_css))
        .route("/api/check", get(api::check))
        .route("/api/count", get(api::count))
        .route("/api/members", get(api::members))
        .route("/api/status", get(api::status))
        .fallback(api::not_found)
        .with_state(state)
}

/// Serves until Ctrl-C.
pub async fn serve(
    state: Arc<ServerState>,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
