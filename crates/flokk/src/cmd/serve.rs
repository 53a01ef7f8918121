//! `flokk serve [--listen ADDR] [--rate-limit N]`: the HTTP API and the web
//! UI, with saved segments kept current by a scheduler while it runs.
//!
//! The first start on a store that has never had an API token creates an
//! `admin` token and prints it once, with a one-time sign-in link for the
//! browser; `flokk demo` prints such a link at every start.

use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::live::segments_failure;
use crate::query::load_engine;
use anyhow::Context as _;
use flokk_engine::Engine;
use flokk_segments::SegmentsError;
use flokk_server::limits::{AllowedHosts, RateLimit};
use flokk_server::live::{Live, run_scheduler};
use flokk_server::{ServerOptions, ServerState};
use flokk_store::{NewToken, Scope, Store};
use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// How to serve.
pub struct Serving {
    /// The address to listen on.
    pub listen: String,
    /// Requests a second per client; 0 for no limit.
    pub rate_limit: u32,
    /// Print a one-time sign-in link at every start (`flokk demo`), not
    /// only when the first token was just made.
    pub always_link: bool,
}

/// Loads the engine from the store, brings segments up to date (installing
/// the built-in segments on a store's first serve) and serves until Ctrl-C.
pub fn run(ctx: &Context, serving: &Serving) -> CmdResult {
    let listen = serving.listen.as_str();
    let store = ctx.store()?;
    let time_zone = ctx.timezone(&store)?;
    let now = match ctx.global.now {
        Some(_) => Some(ctx.now()?),
        None => None,
    };
    let name = store.settings().get("name")?;
    // Shared with the Host check: `public_url` set by another process
    // (`flokk config set`) applies within a second, like every setting.
    let allowed_hosts =
        AllowedHosts::new(flokk_store::url_host(&store.settings().get("public_url")?));
    let hosts = allowed_hosts.clone();
    eprintln!("loading {} customers ...", store.customer_count()?);
    let engine = load_engine(&store)?;
    let refresh = |store: &Store, engine: &mut Engine| -> Result<(), SegmentsError> {
        crate::live::refresh_engine(store, engine)?;
        // The models and settings come from the store, not from records.
        engine.refresh_saved_models(
            crate::query::saved_models(store)
                .map_err(|f| SegmentsError::State(format!("{:#}", f.error)))?,
        );
        Ok(())
    };
    // Settings another process writes (`flokk config set`) apply within a
    // second; a `--timezone` given to serve keeps overriding the store's.
    let fixed_zone = ctx.global.timezone.is_some().then(|| time_zone.clone());
    let settings_refresh = move |store: &Store, engine: &mut Engine| {
        let state = |f: Failure| SegmentsError::State(format!("{:#}", f.error));
        engine
            .refresh_prediction_settings(crate::query::prediction_settings(store).map_err(state)?);
        engine.currency_decimals = Some(crate::query::currency_decimals(store).map_err(state)?);
        engine.home_venue = crate::query::home_venue(store).map_err(state)?;
        hosts.set(flokk_store::url_host(&store.settings().get("public_url")?));
        match &fixed_zone {
            Some(zone) => Ok(zone.clone()),
            None => {
                let name = store.settings().timezone()?;
                jiff::tz::TimeZone::get(&name)
                    .map_err(|e| SegmentsError::State(format!("timezone {name:?}: {e}")))
            }
        }
    };
    let live = Arc::new(
        Live::new(store, engine, Box::new(refresh), time_zone, now)
            .map_err(segments_failure)?
            .with_settings_refresh(Box::new(settings_refresh)),
    );
    let (installed, report) = live
        .segments(&mut |s| s.install_built_ins())
        .map_err(segments_failure)?;
    if !installed.is_empty() {
        eprintln!("installed {} built-in segments", installed.len());
    }
    if report.midnight || report.customers_touched > 0 {
        eprintln!(
            "segments caught up: {} entered, {} exited",
            report.moves.entered, report.moves.exited
        );
    }
    flokk_server::freed_memory::release();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Failure::user(anyhow::anyhow!("cannot listen on {listen}: {e}")))?;
        let addr = listener.local_addr().context("no local address")?;
        let options = ServerOptions {
            secure_cookies: !addr.ip().is_loopback(),
            rate_limit: NonZeroU32::new(serving.rate_limit).map(RateLimit::per_second),
            allowed_hosts: Some(allowed_hosts),
            ..ServerOptions::default()
        };
        let state = Arc::new(ServerState::new(live.clone(), name, options)?);
        // Made only once listening worked, so the one printing cannot be lost
        // to a port in use.
        let first_token = state
            .credentials
            .store(|s| s.create_first_admin_token(jiff::Timestamp::now()))?;
        println!("flokk is serving on http://{addr}/  (Ctrl-C stops it)");
        if !addr.ip().is_loopback() {
            eprintln!(
                "flokk speaks plain HTTP: put a TLS-terminating proxy in front of {addr} \
                 (session cookies are marked Secure)"
            );
        }
        print_sign_in(&state, addr, first_token.as_ref(), serving.always_link)?;
        let deliveries = live
            .store(flokk_server::webhooks::DeliveryConfig::from_store)
            .context("webhook settings")?;
        tokio::spawn(flokk_server::webhooks::run_deliveries(
            live.clone(),
            deliveries,
        ));
        // Shopify webhooks kept but not applied before the last stop.
        tokio::spawn(flokk_server::inbound::apply_waiting(
            live.clone(),
            state.inbound.clone(),
        ));
        // Inbound data past its retention, now and hourly.
        tokio::spawn(flokk_server::retention::run_pruner(live.clone()));
        // Scheduled campaigns that come due, and sends left without a sender.
        tokio::spawn(flokk_server::campaign_sender::run_campaigns(
            live.clone(),
            state.campaign_senders.clone(),
        ));
        tokio::spawn(run_scheduler(live));
        flokk_server::serve(state, listener)
            .await
            .context("the server failed")?;
        Ok(())
    })
}

/// Prints the token made on this first start (once: only its hash is
/// kept) and a one-time link that signs the browser in.
fn print_sign_in(
    state: &ServerState,
    addr: SocketAddr,
    first_token: Option<&NewToken>,
    always_link: bool,
) -> CmdResult {
    if let Some(new) = first_token {
        println!();
        println!(
            "This store had no API token, so an admin token was made. It is shown only this once;"
        );
        println!(
            "keep it somewhere safe (API: Authorization: Bearer <token>; web UI: sign in with it):"
        );
        println!();
        println!("    {}", new.secret);
        println!();
    }
    let token_id = match first_token {
        Some(new) => Some(new.token.id),
        None if always_link => state.credentials.store(|s| {
            s.tokens().map(|tokens| {
                tokens
                    .iter()
                    .find(|t| t.revoked_at.is_none() && t.scopes.grants(Scope::Admin))
                    .map(|t| t.id)
            })
        })?,
        None => None,
    };
    match token_id {
        Some(id) => {
            // A browser cannot open 0.0.0.0; loopback reaches the same server.
            let host = if addr.ip().is_unspecified() {
                SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
            } else {
                addr
            };
            println!(
                "Sign in: http://{host}{}  (works once, within an hour)",
                state.sign_in_link(id)
            );
        }
        None if always_link => println!(
            "Sign in with an API token; `flokk token create NAME --scopes admin` makes one."
        ),
        None => {}
    }
    Ok(())
}
