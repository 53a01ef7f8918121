//! `flokk serve [--listen ADDR]`: the HTTP API and the web UI.

use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::load_engine;
use anyhow::Context as _;
use flokk_server::ServerState;
use std::sync::Arc;

/// Loads the engine from the store and serves until Ctrl-C.
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
    drop(store);
    let state = Arc::new(ServerState {
        engine,
        time_zone,
        now,
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
        flokk_server::serve(state, listener)
            .await
            .context("the server failed")?;
        Ok(())
    })
}
