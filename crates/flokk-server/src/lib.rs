//! The HTTP API and the embedded web UI (axum).
//!
//! Every API endpoint is registered in [`router`] with the access it needs
//! (`api_router.rs`); that declaration guards it and documents it in the
//! OpenAPI document at `/api/openapi.json`. Credentials are API tokens and
//! web sessions (`auth/`); a body size limit and a per-client rate limit
//! sit in front of everything (`limits/`), and every error is JSON with a
//! stable code.

// The customer document is one large json! literal.
#![recursion_limit = "256"]

mod api;
mod api_router;
pub mod auth;
mod catalog_api;
pub mod customer_view;
mod customers_api;
pub mod error_body;
mod events_api;
pub mod export_bulk;
pub mod export_job;
mod export_run;
mod exports_api;
pub mod freed_memory;
pub mod limits;
pub mod live;
mod openapi;
mod segments_api;
mod session_api;
mod settings_api;
mod state;
pub mod token_view;
mod tokens_api;
mod transfer_api;
mod ui;
pub mod webhooks;
mod webhooks_api;

pub use state::{ServerOptions, ServerState};

use api_router::ApiRouter;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::get;
use axum::{Extension, Router};
use flokk_store::Scope::{Admin, Export, Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa_axum::routes;

/// The JSON API: every endpoint with the access it needs, in one place.
/// To add one: annotate the handler with `#[utoipa::path(...)]` and add it
/// here with its scope, e.g. `.scope(Export, routes!(export_api::download))`.
fn api(state: Arc<ServerState>) -> ApiRouter {
    ApiRouter::new(state)
        .public(routes!(openapi::document))
        .public(routes!(session_api::sign_in))
        .signed_in(routes!(session_api::show, session_api::sign_out))
        // Queries.
        .scope(Read, routes!(api::check))
        .scope(Read, routes!(api::count))
        .scope(Read, routes!(api::members))
        .scope(Read, routes!(api::status))
        .scope(Read, routes!(catalog_api::catalog))
        .scope(Read, routes!(catalog_api::suggest))
        // Saved segments.
        .scope(Read, routes!(segments_api::list))
        .scope(Write, routes!(segments_api::create))
        .scope(Read, routes!(segments_api::show))
        .scope(Write, routes!(segments_api::update, segments_api::delete))
        .scope(Write, routes!(segments_api::publish))
        .scope(Write, routes!(segments_api::discard))
        .scope(Write, routes!(segments_api::restore))
        .scope(Read, routes!(segments_api::members))
        .scope(Read, routes!(segments_api::changes))
        .scope(Read, routes!(events_api::events))
        .scope(Read, routes!(segments_api::templates))
        // Customers.
        .scope(Read, routes!(customers_api::list))
        .scope(Read, routes!(customers_api::show))
        .scope(Read, routes!(segments_api::customer_segments))
        // Files in and out; exports carry personal data.
        .scope(Write, routes!(transfer_api::import))
        .scope(Export, routes!(transfer_api::export))
        .scope(Export, routes!(exports_api::start))
        .scope(Export, routes!(exports_api::status))
        .scope(Export, routes!(exports_api::download))
        // Settings.
        .scope(Read, routes!(settings_api::list))
        .scope(Read, routes!(settings_api::show))
        .scope(Write, routes!(settings_api::update))
        // Webhooks send member data to any address and hold signing
        // secrets: admin, like tokens.
        .scope(Admin, routes!(webhooks_api::list, webhooks_api::add))
        .scope(Admin, routes!(webhooks_api::remove))
        .scope(Admin, routes!(webhooks_api::enable))
        // Tokens.
        .scope(Admin, routes!(tokens_api::list, tokens_api::create))
        .scope(Admin, routes!(tokens_api::revoke))
}

/// The routes: the UI pages and assets, the JSON API under `/api`, behind
/// the body size limit and the rate limit.
pub fn router(state: Arc<ServerState>) -> Router {
    let (api, document) = api(state.clone()).split();
    Router::new()
        .route("/", get(ui::index))
        .route("/segments/new", get(ui::editor))
        .route("/segments/{id}", get(ui::editor))
        .route("/customers/{id}", get(ui::customer))
        .route("/settings", get(ui::settings))
        .route("/ui/settings.js", get(ui::settings_js))
        .route("/signin", get(ui::sign_in))
        .route("/signin/once/{code}", get(session_api::redeem_link))
        .route("/ui/common.js", get(ui::common_js))
        .route("/ui/editor.js", get(ui::editor_js))
        .route("/ui/segments.js", get(ui::segments_js))
        .route("/ui/customer.js", get(ui::customer_js))
        .route("/ui/signin.js", get(ui::signin_js))
        .route("/ui/query_tokens.js", get(ui::query_tokens_js))
        .route("/ui/highlight.js", get(ui::highlight_js))
        .route("/ui/complete.js", get(ui::complete_js))
        .route("/ui/catalog.js", get(ui::catalog_js))
        .route("/ui/builder.js", get(ui::builder_js))
        .route("/ui/style.css", get(ui::style_css))
        .merge(api)
        .fallback(api::not_found)
        .layer(Extension(Arc::new(document)))
        .layer(DefaultBodyLimit::max(state.options.body_limit))
        .layer(from_fn_with_state(state.clone(), limits::limit_rate))
        .layer(map_response(limits::json_errors))
        .with_state(state)
}

/// How long Ctrl-C waits for requests in progress before the server stops
/// anyway: an open event stream (a browser tab on the editor) never ends
/// by itself.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves until Ctrl-C.
pub async fn serve(
    state: Arc<ServerState>,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    // The peer address keys the per-client rate limit.
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("stopping: Ctrl-C (requests in progress get {SHUTDOWN_GRACE:?})");
    });
    tokio::select! {
        done = server => done,
        _ = async {
            let _ = tokio::signal::ctrl_c().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    }
}
