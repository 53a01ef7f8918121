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
    // The server's clock: a delivery's applied time is what retention ages.
    let now = live.now();
    let applied = tokio::task::spawn_blocking(move || {
        let store = Store::open(&dir)?;
        apply_waiting_shopify(&store, now)
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

/// Tracking API requests applied or waiting to be at once; more are
/// answered 429 with `Retry-After` (back-pressure instead of a queue
/// without bound). Writes are one at a time in SQLite; a few waiting keep
/// it busy while the next request is read.
pub const INGEST_SLOTS: usize = 4;

/// Brings segments up to date soon after tracking writes, without making
/// each request wait: one sync at a time, and requests while one is
/// queued share it.
#[derive(Default)]
pub struct SegmentFollower {
    queued: std::sync::atomic::AtomicBool,
}

/// Queues a sync of `live` unless one is queued already (it will see
/// these writes: the flag is cleared before it reads the store).
pub fn follow_soon(live: Arc<Live>, follower: Arc<SegmentFollower>) {
    use std::sync::atomic::Ordering;
    if follower.queued.swap(true, Ordering::AcqRel) {
        return;
    }
    tokio::task::spawn_blocking(move || {
        follower.queued.store(false, Ordering::Release);
        match live.sync() {
            Ok(_) => {}
            // Writes kept landing while this sync caught up: the sync the
            // next write queues (or the scheduler's) takes them.
            Err(flokk_segments::SegmentsError::EngineBehind { .. }) => {}
            Err(e) => eprintln!("segments could not follow tracking data yet: {e}"),
        }
    });
}
