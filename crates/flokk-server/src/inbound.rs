//! Applying received deliveries (Shopify webhooks) after they were kept.
//!
//! The receiver answers once a delivery is durable; [`apply_waiting`] then
//! applies every waiting delivery on a blocking thread, and brings segment
//! membership up to date for what they changed. One applier runs at a
//! time (a delivery arriving meanwhile is picked up by the next one, which
//! waits for it), so deliveries are applied in arrival order.

use crate::live::Live;
use flokk_store::Store;
use flokk_store::shopify::apply_waiting_shopify;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Applies waiting deliveries: one run at a time, shared by the server.
#[derive(Default)]
pub struct InboundApplier {
    running: Mutex<()>,
}

/// Applies every waiting delivery and syncs segments; errors are reported
/// on stderr and leave the deliveries waiting for the next run (the next
/// delivery or the next start).
pub async fn apply_waiting(live: Arc<Live>, applier: Arc<InboundApplier>) {
    let _one_at_a_time = applier.running.lock().await;
    let dir = live.store(|s| s.dir().to_owned());
    let applied = tokio::task::spawn_blocking(move || {
        let store = Store::open(&dir)?;
        apply_waiting_shopify(&store, jiff::Timestamp::now())
    })
    .await;
    let applied = match applied {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            eprintln!("applying Shopify webhooks failed (they stay queued): {e}");
            return;
        }
        Err(e) => {
            eprintln!("applying Shopify webhooks failed (they stay queued): {e}");
            return;
        }
    };
    if applied.changes.0 == applied.changes.1 {
        return;
    }
    let (before, after) = applied.changes;
    let synced = tokio::task::spawn_blocking(move || live.sync_moves(before, after)).await;
    if let Ok(Err(e)) = synced {
        eprintln!("segments could not follow Shopify webhooks yet: {e}");
    }
}
