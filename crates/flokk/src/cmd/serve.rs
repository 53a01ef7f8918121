//! `flokk serve [--listen ADDR]`: the HTTP API and the web UI, with saved
//! segments kept current by a scheduler while it runs.

use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::live::segments_failure;
use crate::query::load_engine;
use anyhow::Context as _;
use flokk_engine::Engine;
use flokk_segments::SegmentsError;
use flokk_server::ServerState;
use flokk_server::live::{Live, run_scheduler};
use flokk_store::Store;
use std::sync::Arc;

/// Loads the engine from the store, brings segments up to date (installing
/// the built-in segments on a store's first serve) and serves until Ctrl-C.
pub fn run(ctx: &Context, listen: &str) -> CmdResult {
    let store = ctx.store()?;
    let time_zone = ctx.timezone(&store)?;
    let now = match ctx.global.now {
        Some(_) => Some(ctx.now()?),
        None => None,
    };
    let name = store.settings().get("name")?;
    eprintln!("loading {} customers ...", store.customer_count()?);
    let engine = load_engine(&store)?;
    let refresh = |store: &Store, engine: &mut Engine| -> Result<(), SegmentsError> {
        crate::live::refresh_engine(store, engine)?;
        // The models and settings come from the store, not from records.
        engine.saved_models = crate::query::saved_models(store)
            .map_err(|f| SegmentsError::State(format!("{:#}", f.error)))?;
        Ok(())
    };
    let live = Arc::new(
        Live::new(store, engine, Box::new(refresh), time_zone, now).map_err(segments_failure)?,
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
    let state = Arc::new(ServerState {
        live: live.clone(),
        name,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Failure::user(anyhow::anyhow!("cannot listen on {listen}: {e}")))?;
        let addr = listener.local_addr().context("no local address")?;
        println!("flokk is serving on http://{addr}/  (Ctrl-C stops it)");
        let deliveries = live
            .store(flokk_server::webhooks::DeliveryConfig::from_store)
            .context("webhook settings")?;
        tokio::spawn(flokk_server::webhooks::run_deliveries(
            live.clone(),
            deliveries,
        ));
        tokio::spawn(run_scheduler(live));
        flokk_server::serve(state, listener)
            .await
            .context("the server failed")?;
        Ok(())
    })
}
