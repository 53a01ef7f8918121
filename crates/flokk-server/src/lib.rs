//! The HTTP API and the embedded web UI (axum).
//!
//! This first cut serves the segment editor: validate a query, count it
//! live with per-clause counts, list the first members. The engine is built
//! from the store when the server starts and answers every request from
//! memory. Tokens, saved segments and the rest of the API are still to come
//! (see the API issue); so the server listens on loopback by default.

// The customer document is one large json! literal.
#![recursion_limit = "256"]

mod api;
pub mod customer_view;
mod customers_api;
pub mod live;
mod segments_api;
mod state;
mod ui;
pub mod webhooks;
mod webhooks_api;

pub use state::ServerState;

use axum::Router;
use axum::routing::{delete, get, post};
use std::sync::Arc;

/// The routes: the UI at `/`, the JSON API under `/api`.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route("/", get(ui::index))
        .route("/segments/new", get(ui::editor))
        .route("/segments/{id}", get(ui::editor))
        .route("/customers/{id}", get(ui::customer))
        .route("/ui/common.js", get(ui::common_js))
        .route("/ui/editor.js", get(ui::editor_js))
        .route("/ui/segments.js", get(ui::segments_js))
        .route("/ui/customer.js", get(ui::customer_js))
        .route("/ui/style.css", get(ui::style_css))
        .route("/api/check", get(api::check))
        .route("/api/count", get(api::count))
        .route("/api/members", get(api::members))
        .route("/api/status", get(api::status))
        .route(
            "/api/segments",
            get(segments_api::list).post(segments_api::create),
        )
        .route(
            "/api/segments/{name}",
            get(segments_api::show)
                .patch(segments_api::update)
                .delete(segments_api::delete),
        )
        .route("/api/segments/{name}/publish", post(segments_api::publish))
        .route("/api/segments/{name}/draft", delete(segments_api::discard))
        .route("/api/segments/{name}/restore", post(segments_api::restore))
        .route("/api/segments/{name}/members", get(segments_api::members))
        .route("/api/changes", get(segments_api::changes))
        .route("/api/templates", get(segments_api::templates))
        .route(
            "/api/webhooks",
            get(webhooks_api::list).post(webhooks_api::add),
        )
        .route("/api/webhooks/{id}", delete(webhooks_api::remove))
        .route("/api/webhooks/{id}/enable", post(webhooks_api::enable))
        .route("/api/customers/{id}", get(customers_api::show))
        .route(
            "/api/customers/{id}/segments",
            get(segments_api::customer_segments),
        )
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
