//! `flokk prune`: drops inbound data past its retention once, as the
//! running server does hourly (`flokk_server::retention`): applied Shopify
//! webhook deliveries, remembered tracking messageIds and anonymous
//! visitors' waiting events, each after its `*_retention_days` setting,
//! counted back from `--now` (or the clock).

use crate::context::Context;
use crate::failure::CmdResult;

pub fn run(ctx: &Context) -> CmdResult {
    // The instant first: a bad --now is refused before the store is opened.
    let now = ctx.now()?;
    let store = ctx.store()?;
    let pruned = store.prune_inbound(now)?;
    if ctx.global.json {
        println!(
            "{}",
            serde_json::to_string(&pruned).expect("counts serialise")
        );
    } else {
        println!(
            "dropped {} applied Shopify deliveries, {} message ids, {} anonymous events",
            pruned.shopify_deliveries, pruned.message_ids, pruned.anonymous_events
        );
    }
    Ok(())
}
