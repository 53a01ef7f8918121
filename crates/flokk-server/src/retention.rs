//! Pruning inbound data past its retention while the server runs: applied
//! Shopify deliveries, seen tracking messageIds and anonymous visitors'
//! waiting events (`Store::prune_inbound`; the settings
//! `*_retention_days`). `flokk prune` does the same once.
//!
//! At start and then hourly: retention is counted in days, so an hour late
//! is nothing, and the prune reads only the rows past their time through
//! an index. It runs on its own connection so requests never wait on the
//! shared one meanwhile.

use crate::live::Live;
use flokk_store::{Pruned, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Time between prunes.
pub const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Prunes once, as of the server's clock (`--now` when given).
pub async fn prune(live: Arc<Live>) -> Result<Pruned, StoreError> {
    let dir = live.store(|s| s.dir().to_owned());
    let now = live.now();
    tokio::task::spawn_blocking(move || Store::open(&dir)?.prune_inbound(now))
        .await
        .map_err(|e| StoreError::Io(std::io::Error::other(format!("the prune task failed: {e}"))))?
}

/// Prunes now and every [`PRUNE_EVERY`] until the process ends; a failure
/// is reported and retried at the next turn.
pub async fn run_pruner(live: Arc<Live>) {
    loop {
        match prune(live.clone()).await {
            Ok(p) if !p.is_empty() => eprintln!(
                "retention: dropped {} Shopify deliveries, {} message ids, {} anonymous events",
                p.shopify_deliveries, p.message_ids, p.anonymous_events
            ),
            Ok(_) => {}
            Err(e) => eprintln!("retention: could not prune inbound data: {e}"),
        }
        tokio::time::sleep(PRUNE_EVERY).await;
    }
}
