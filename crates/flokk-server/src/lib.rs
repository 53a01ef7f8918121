//! The HTTP API and the embedded web UI (axum).
//!
//! Every API endpoint is registered in [`router`] with the access it needs
//! (`api/router.rs`); that declaration guards it and documents it in the
//! OpenAPI document at `/api/openapi.json`. Credentials are API tokens and
//! web sessions (`auth/`); a body size limit and a per-client rate limit
//! sit in front of everything (`limits/`), and every error is JSON with a
//! stable code.

// The customer document is one large json! literal.
#![recursion_limit = "256"]

mod api;
pub mod auth;
pub mod campaign_sender;
mod connections;
mod email_links;
pub mod error_body;
pub mod export_job;
pub mod freed_memory;
pub mod inbound;
pub mod limits;
pub mod live;
pub mod retention;
mod state;
mod ui;
pub mod views;
pub mod webhooks;

pub use state::{ServerOptions, ServerState};
/// The customer document (now `views::customer`), at its old path.
pub use views::customer as customer_view;
/// The token views (now `views::token`), at their old path.
pub use views::token as token_view;

use api::router::ApiRouter;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use flokk_store::Scope::{Admin, Checkout, Export, Read, Write};
use std::sync::Arc;
use utoipa_axum::routes;

/// The JSON API: every endpoint with the access it needs, in one place.
/// To add one: annotate the handler with `#[utoipa::path(...)]` and add it
/// here with its scope, e.g. `.scope(Export, routes!(api::export::download))`.
fn api(state: Arc<ServerState>) -> ApiRouter {
    ApiRouter::new(state)
        .public(routes!(api::openapi::document))
        .public(routes!(api::session::sign_in))
        .signed_in(routes!(api::session::show, api::session::sign_out))
        // Queries.
        .scope(Read, routes!(api::queries::check))
        .scope(Read, routes!(api::queries::count))
        .scope(Read, routes!(api::queries::members))
        .scope(Read, routes!(api::queries::status))
        .scope(Read, routes!(api::catalog::catalog))
        .scope(Read, routes!(api::catalog::suggest))
        // Saved segments.
        .scope(Read, routes!(api::segments::list))
        .scope(Write, routes!(api::segments::create))
        .scope(Read, routes!(api::segments::show))
        .scope(Write, routes!(api::segments::update, api::segments::delete))
        .scope(Write, routes!(api::segments::publish))
        .scope(Write, routes!(api::segments::discard))
        .scope(Write, routes!(api::segments::restore))
        .scope(Read, routes!(api::segments::members))
        .scope(Write, routes!(api::segment_tags::tag))
        // Static lists and samples.
        .scope(Read, routes!(api::lists::list))
        .scope(Write, routes!(api::lists::create))
        .scope(Read, routes!(api::lists::show))
        .scope(Write, routes!(api::lists::delete))
        .scope(Write, routes!(api::lists::sample))
        // Discounts; a checkout's token holds only `checkout`.
        .scope(Checkout, routes!(api::discounts::check))
        .scope(Read, routes!(api::discounts::list))
        .scope(Write, routes!(api::discounts::create))
        .scope(Read, routes!(api::discounts::show))
        .scope(Export, routes!(api::discounts::codes))
        .scope(Read, routes!(api::segments::changes))
        .scope(Read, routes!(api::events::events))
        .scope(Read, routes!(api::segments::templates))
        // Customers.
        .scope(Read, routes!(api::customers::list))
        .scope(Read, routes!(api::customers::show))
        .scope(Write, routes!(api::customers::patch))
        .scope(Read, routes!(api::segments::customer_segments))
        // Files in and out; exports carry personal data.
        .scope(Write, routes!(api::transfer::import))
        .scope(Export, routes!(api::transfer::export))
        .scope(Export, routes!(api::exports::start))
        .scope(Export, routes!(api::exports::status))
        .scope(Export, routes!(api::exports::download))
        // Settings.
        .scope(Read, routes!(api::settings::list))
        .scope(Read, routes!(api::settings::show))
        .scope(Write, routes!(api::settings::update))
        // Webhooks send member data to any address and hold signing
        // secrets: admin, like tokens.
        .scope(Admin, routes!(api::webhooks::list, api::webhooks::add))
        .scope(Admin, routes!(api::webhooks::remove))
        .scope(Admin, routes!(api::webhooks::enable))
        .scope(Admin, routes!(api::webhooks::rotate))
        // Email campaigns.
        .scope(Read, routes!(api::campaigns::list))
        .scope(Write, routes!(api::campaigns::create))
        .scope(Read, routes!(api::campaigns::show))
        .scope(Read, routes!(api::campaigns::preview))
        // Sending, scheduling, pausing and cancelling change a campaign's
        // state, like creating it: `write` (decision: no scope of its own;
        // a token that may compose a campaign may send it).
        .scope(Write, routes!(api::campaign_sending::send))
        .scope(Write, routes!(api::campaign_sending::pause))
        .scope(Write, routes!(api::campaign_sending::cancel))
        // Tokens.
        .scope(Admin, routes!(api::tokens::list, api::tokens::create))
        .scope(Admin, routes!(api::tokens::revoke))
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
        .route("/signin/once/{code}", get(api::session::redeem_link))
        .route(
            "/email/unsubscribe/{token}",
            get(email_links::unsubscribe::confirm).post(email_links::unsubscribe::unsubscribe),
        )
        .route("/email/open/{token}", get(email_links::open::open))
        .route("/email/click/{token}", get(email_links::click::click))
        .route("/ui/common.js", get(ui::common_js))
        .route("/ui/editor.js", get(ui::editor_js))
        .route("/ui/segment_actions.js", get(ui::segment_actions_js))
        .route("/ui/segments.js", get(ui::segments_js))
        .route("/ui/customer.js", get(ui::customer_js))
        .route("/ui/signin.js", get(ui::signin_js))
        .route("/ui/query_tokens.js", get(ui::query_tokens_js))
        .route("/ui/highlight.js", get(ui::highlight_js))
        .route("/ui/complete.js", get(ui::complete_js))
        .route("/ui/catalog.js", get(ui::catalog_js))
        .route("/ui/builder.js", get(ui::builder_js))
        .route("/ui/style.css", get(ui::style_css))
        // Signed by Shopify, not by a token: outside the guarded API.
        .route("/webhooks/shopify", post(api::shopify_webhooks::receive))
        .route("/js/flokk.js", get(ui::storefront_js))
        // The Segment tracking API, authenticated with ingest tokens.
        .route(
            "/v1/identify",
            post(api::tracking_calls::identify).options(api::tracking::preflight),
        )
        .route(
            "/v1/track",
            post(api::tracking_calls::track).options(api::tracking::preflight),
        )
        .route(
            "/v1/page",
            post(api::tracking_calls::page).options(api::tracking::preflight),
        )
        .route(
            "/v1/screen",
            post(api::tracking_calls::screen).options(api::tracking::preflight),
        )
        .route(
            "/v1/alias",
            post(api::tracking_calls::alias).options(api::tracking::preflight),
        )
        .route(
            "/v1/group",
            post(api::tracking_calls::group).options(api::tracking::preflight),
        )
        .route(
            "/v1/batch",
            post(api::tracking_calls::batch).options(api::tracking::preflight),
        )
        .route(
            "/v1/import",
            post(api::tracking_calls::import).options(api::tracking::preflight),
        )
        .merge(api)
        .fallback(api::queries::not_found)
        .layer(Extension(Arc::new(document)))
        .layer(DefaultBodyLimit::max(state.options.body_limit))
        .layer(from_fn_with_state(
            limits::RequestSizeLimits::from(&state.options),
            limits::limit_request_size,
        ))
        .layer(from_fn_with_state(
            state.rate_limiter.clone(),
            limits::limit_rate,
        ))
        .layer(from_fn_with_state(
            state.options.allowed_hosts.clone().map(Arc::new),
            limits::check_host,
        ))
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
    let limits = state.options.connections;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("stopping: Ctrl-C (requests in progress get {SHUTDOWN_GRACE:?})");
        let _ = stop.send(true);
    });
    connections::serve_connections(listener, router(state), limits, stopped, SHUTDOWN_GRACE).await
}
