//! Webhook delivery: every enabled endpoint gets the membership changes it
//! subscribed to, in feed order, in batches POSTed as
//!
//! ```json
//! {"type":"segment.membership","data":[{"seq":17,"segment":"VIP","customer":"1001",
//!   "change":"entered","cause":"record_added","at":"2026-11-24T10:00:00Z","segment_id":3}]}
//! ```
//!
//! signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`). The id is `msg_<endpoint>_<first>_<last>` (feed
//! positions), the same on every retry of a batch, so a receiver drops
//! duplicates by id (and each entry carries its `seq` too). A batch is
//! acknowledged by a 2xx answer; anything else, or no answer within the
//! timeout, is a failure: the batch is retried after an exponential backoff
//! with jitter, and the endpoint is disabled after `webhook_max_failures`
//! failures in a row. One task per endpoint, so a slow endpoint delays no
//! other.
//!
//! When a segment starts failing (its query cannot be evaluated) or
//! evaluates again, its subscribers get a `segment.status` delivery, after
//! the membership changes pending (id `status_<endpoint>_<first>_<last>`):
//!
//! ```json
//! {"type":"segment.status","data":[{"seq":1,"segment":"Big","segment_id":3,
//!   "failing":true,"reason":"...","at":"2026-11-24T10:00:00Z"}]}
//! ```
//!
//! Layer 3, delivery: runs beside the server state on the live engine's
//! store. May use: `live`, `freed_memory`, `error_body`.

mod signature;

pub use signature::{BadSecret, new_secret, sign};

use crate::live::Live;
use flokk_store::Store;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How deliveries behave (from the store's settings, shorter in tests).
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryConfig {
    /// How long an endpoint has to answer.
    pub timeout: Duration,
    /// Entries per delivery at most.
    pub batch_size: u64,
    /// Failures in a row that disable an endpoint.
    pub max_failures: u32,
    /// The first retry delay; each failure doubles it.
    pub backoff_base: Duration,
    /// The longest retry delay.
    pub backoff_max: Duration,
}

impl DeliveryConfig {
    /// The store's settings (`webhook_timeout_seconds`, `webhook_batch_size`,
    /// `webhook_max_failures`), with backoff from 1 s up to 1 h.
    pub fn from_store(store: &Store) -> Result<Self, flokk_store::StoreError> {
        let (timeout, batch_size, max_failures) = stored_settings(store)?;
        Ok(DeliveryConfig {
            timeout,
            batch_size,
            max_failures,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(3600),
        })
    }

    /// The delay before retry number `failures` (1 for the first): the
    /// doubled base, capped, with its upper half randomised so endpoints
    /// that failed together do not retry together.
    pub fn backoff(&self, failures: u32) -> Duration {
        let exp = self
            .backoff_base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(20));
        let full = exp.min(self.backoff_max);
        let mut byte = [0u8; 1];
        let _ = getrandom::fill(&mut byte);
        full / 2 + (full / 2).mul_f64(f64::from(byte[0]) / 255.0)
    }
}

/// The settings `webhook_timeout_seconds`, `webhook_batch_size` and
/// `webhook_max_failures` as they are in the store now.
fn stored_settings(store: &Store) -> Result<(Duration, u64, u32), flokk_store::StoreError> {
    let settings = store.settings();
    let number = |key: &str| -> Result<u64, flokk_store::StoreError> {
        let v = settings.get(key)?;
        v.parse()
            .map_err(|_| flokk_store::StoreError::InvalidSetting(format!("{key} = {v:?}")))
    };
    Ok((
        Duration::from_secs(number("webhook_timeout_seconds")?),
        number("webhook_batch_size")?,
        number("webhook_max_failures")? as u32,
    ))
}

/// What one delivery attempt did.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// Nothing to send.
    Idle,
    /// A batch of this many entries was acknowledged.
    Delivered(usize),
    /// The attempt failed; retry after this long.
    Failed(String, Duration),
    /// Not due yet: wait this long.
    Waiting(Duration),
    /// The endpoint is disabled or gone.
    Stopped,
}

/// What one delivery carries: membership changes or segment status notices.
enum Payload {
    Membership(flokk_store::WebhookBatch),
    Status(flokk_store::StatusBatch),
}

/// Makes one attempt for endpoint `id`: sends its batch in flight, or the
/// next one, and records the outcome in the store.
pub fn deliver_once(live: &Live, agent: &ureq::Agent, id: i64, config: &DeliveryConfig) -> Attempt {
    let now = jiff::Timestamp::now();
    let prepared = live.store(|store| -> Result<_, flokk_store::StoreError> {
        let (disabled, next) = store.webhook_schedule(id)?;
        if disabled {
            return Ok(Err(Attempt::Stopped));
        }
        if let Some(next) = next
            && next > now
        {
            let wait = next.duration_since(now).unsigned_abs();
            return Ok(Err(Attempt::Waiting(wait)));
        }
        let Some(endpoint) = store.webhook(id)? else {
            return Ok(Err(Attempt::Stopped));
        };
        // Membership first (a batch in flight is resent as is), then the
        // segments' status notices, each stream in its own order.
        if let Some(batch) = store.webhook_batch(id, config.batch_size)? {
            return Ok(Ok((endpoint, Payload::Membership(batch))));
        }
        match store.webhook_status_batch(id, config.batch_size)? {
            None => Ok(Err(Attempt::Idle)),
            Some(batch) => Ok(Ok((endpoint, Payload::Status(batch)))),
        }
    });
    let (endpoint, payload) = match prepared {
        Ok(Ok(x)) => x,
        Ok(Err(attempt)) => return attempt,
        Err(e) => return Attempt::Failed(format!("store: {e}"), config.backoff(1)),
    };
    let (message_id, body, count) = match &payload {
        Payload::Membership(batch) => (
            format!("msg_{id}_{}_{}", batch.from, batch.to),
            serde_json::json!({ "type": "segment.membership", "data": batch.entries }),
            batch.entries.len(),
        ),
        Payload::Status(batch) => (
            format!(
                "status_{id}_{}_{}",
                batch.notices.first().map_or(batch.to, |n| n.seq),
                batch.to
            ),
            serde_json::json!({ "type": "segment.status", "data": batch.notices }),
            batch.notices.len(),
        ),
    };
    let body = body.to_string();
    let timestamp = now.as_second();
    let result = match sign(&endpoint.secret, &message_id, timestamp, &body) {
        Err(e) => Err(e.to_string()),
        Ok(signature) => agent
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("webhook-id", &message_id)
            .header("webhook-timestamp", &timestamp.to_string())
            .header("webhook-signature", &signature)
            .send(&body)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    };
    let outcome = live.store(|store| match &result {
        Ok(()) => match &payload {
            Payload::Membership(batch) => store.webhook_delivered(id, batch.to),
            Payload::Status(batch) => store.webhook_status_delivered(id, batch.to),
        }
        .map(|_| Attempt::Delivered(count)),
        Err(error) => {
            let failures = store.webhook(id)?.map(|e| e.failures + 1).unwrap_or(1);
            let wait = config.backoff(failures);
            let retry_at = now
                .checked_add(jiff::SignedDuration::try_from(wait).unwrap_or_default())
                .unwrap_or(now);
            store
                .webhook_failed(id, error, retry_at, config.max_failures, now)
                .map(|_| Attempt::Failed(error.clone(), wait))
        }
    });
    outcome.unwrap_or_else(|e| Attempt::Failed(format!("store: {e}"), config.backoff(1)))
}

/// An HTTP client with the configured timeout, no redirects followed
/// (a delivery goes where it was told) and non-2xx answers as errors.
pub fn agent(config: &DeliveryConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(config.timeout))
        .max_redirects(0)
        .http_status_as_error(true)
        .build()
        .into()
}

/// The delivery settings every endpoint's loop reads before each attempt.
type SharedConfig = Arc<RwLock<DeliveryConfig>>;

/// Delivers to one endpoint until it is removed or disabled, each attempt
/// with the settings as they are then (the agent is rebuilt when the
/// timeout changes).
async fn endpoint_loop(
    live: Arc<Live>,
    id: i64,
    config: SharedConfig,
    running: Arc<Mutex<BTreeSet<i64>>>,
) {
    let mut current = config.read().expect("config lock").clone();
    let mut client = agent(&current);
    loop {
        let latest = config.read().expect("config lock").clone();
        if latest.timeout != current.timeout {
            client = agent(&latest);
        }
        current = latest;
        let (l, a, c) = (live.clone(), client.clone(), current.clone());
        let attempt = tokio::task::spawn_blocking(move || deliver_once(&l, &a, id, &c))
            .await
            .unwrap_or(Attempt::Waiting(Duration::from_secs(1)));
        match attempt {
            Attempt::Delivered(_) => continue,
            Attempt::Idle => {
                // New feed entries wake us; the timeout catches entries
                // written by another process.
                let _ = tokio::time::timeout(Duration::from_secs(1), live.changed.notified()).await;
            }
            Attempt::Failed(_, wait) | Attempt::Waiting(wait) => {
                tokio::time::sleep(wait.max(Duration::from_millis(20))).await;
            }
            Attempt::Stopped => break,
        }
    }
    running.lock().expect("running lock").remove(&id);
}

/// Runs deliveries for every enabled endpoint, picking up endpoints added
/// (or enabled again) and webhook settings changed (`flokk config set
/// webhook_batch_size 10`, by any process) while it runs: both are looked
/// at every second.
pub async fn run_deliveries(live: Arc<Live>, config: DeliveryConfig) {
    let running: Arc<Mutex<BTreeSet<i64>>> = Arc::default();
    let shared: SharedConfig = Arc::new(RwLock::new(config));
    // What the store said last: a setting is applied when the store's value
    // changes, so a `config` given by the caller (shorter in tests) holds
    // until then.
    let mut stored = live.store(stored_settings).ok();
    loop {
        if let Ok(now) = live.store(stored_settings)
            && stored.as_ref() != Some(&now)
        {
            let mut c = shared.write().expect("config lock");
            (c.timeout, c.batch_size, c.max_failures) = now;
            stored = Some(now);
        }
        let endpoints = live.store(|s| s.webhooks()).unwrap_or_default();
        for e in endpoints.iter().filter(|e| e.disabled_at.is_none()) {
            if running.lock().expect("running lock").insert(e.id) {
                tokio::spawn(endpoint_loop(
                    live.clone(),
                    e.id,
                    shared.clone(),
                    running.clone(),
                ));
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
