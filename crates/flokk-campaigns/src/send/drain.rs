//! Draining a campaign's queue: one recipient at a time, each SMTP
//! transaction between two committed states (`flokk_store`'s queue says
//! what the gap between them means), each outcome written as an email event
//! with `activity_id` = the campaign's id, through the store's writer.
//!
//! - accepted (2xx): `sent`, event `delivered`. Decision: flokk sees no
//!   further than its relay, so the relay's acceptance is the delivery;
//!   bounces reported later by the receiving system (DSNs) are not read.
//! - 5xx: `hard_bounced`, event `bounced` `HARD` (which suppresses the
//!   customer from every later campaign: the gate reads these events).
//! - 4xx: queued again after `retry_base * 2^(attempt-1)` (at most an hour);
//!   when `max_attempts` transactions failed so, `soft_bounced`, event
//!   `bounced` `SOFT`.
//! - no answer (refused, closed, timed out): the relay is at fault, not the
//!   address; the recipient is queued again with the same back-off, and
//!   after `max_attempts` such failures in a row the drain stops with an
//!   error, leaving the queue for later, instead of bouncing a whole list
//!   because a relay was down. A relay that took the message and dropped
//!   the connection before answering may get it again (SMTP's own gap,
//!   RFC 5321 §6.1: a duplicate is preferred over a loss).
//!
//! A campaign paused or cancelled meanwhile (by another process) stops the
//! drain before the next recipient.
//!
//! Event ids are `<campaign>:<customer>:<type>`, so writing one again (a
//! retried settle) replaces it instead of counting twice.

use crate::error::CampaignError;
use crate::message::recipient::CampaignMessage;
use crate::send::relay::{Relay, RelayFailure};
use crate::template::fields::MergeValues;
use flokk_model::{BounceType, Customer, EmailEvent, EmailEventType};
use flokk_store::{Settlement, Store};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How to send.
#[derive(Debug, Clone, Copy)]
pub struct SendSettings {
    /// Messages a second at most.
    pub rate_per_second: u32,
    /// SMTP transactions per recipient before a 4xx is a soft bounce.
    pub max_attempts: u32,
    /// The first retry's delay (doubling after each).
    pub retry_base: Duration,
    /// Wait for retries until the queue is drained (else return when
    /// nothing is due now).
    pub wait: bool,
}

/// What one drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainSummary {
    /// Accepted by the relay.
    pub sent: u64,
    /// Queued again after a 4xx or no answer.
    pub retried: u64,
    /// Soft bounces (retries ran out).
    pub soft_bounced: u64,
    /// Hard bounces.
    pub hard_bounced: u64,
    /// Recipients found interrupted mid-transaction (never sent again).
    pub unknown: u64,
    /// The queue is empty and the campaign is `sent`.
    pub drained: bool,
}

/// How often `written` is called during a drain.
pub const WRITTEN_EVERY: Duration = Duration::from_secs(2);

/// Drains the campaign's queue through `relay`. `now` is the clock (events
/// and retry times), so tests can drive it. `written` is called at most
/// every [`WRITTEN_EVERY`] while events are being written (the caller brings
/// live segments up to date, so a send of hours moves them as it goes).
pub fn drain_queue(
    store: &Store,
    cpid: i64,
    message: &CampaignMessage<'_>,
    relay: &dyn Relay,
    settings: &SendSettings,
    now: &dyn Fn() -> Timestamp,
    written: &mut dyn FnMut(),
) -> Result<DrainSummary, CampaignError> {
    let mut summary = DrainSummary::default();
    let mut last_written = Instant::now();
    let gap = Duration::from_secs_f64(1.0 / f64::from(settings.rate_per_second.max(1)));
    let mut last_send: Option<Instant> = None;
    let mut unavailable_in_a_row = 0;
    loop {
        // Paused or cancelled (by another process): stop taking recipients.
        if store.campaign_state(cpid)?.as_deref() != Some("sending") {
            return Ok(summary);
        }
        summary.unknown += store.settle_stale_sending(cpid, now())?;
        let Some(r) = store.claim_recipient(cpid, now())? else {
            let states = store.recipient_states(cpid)?;
            let open = |s: &str| states.get(s).copied().unwrap_or(0);
            if open("queued") == 0 && open("sending") == 0 {
                store.finish_campaign(cpid, now())?;
                summary.drained = true;
                return Ok(summary);
            }
            if !settings.wait {
                return Ok(summary);
            }
            let wait = match store.next_due(cpid)? {
                Some(due) => Duration::try_from(due.duration_since(now()))
                    .unwrap_or_default()
                    .clamp(Duration::from_millis(20), Duration::from_secs(1)),
                // Only interrupted recipients left: look again until stale.
                None => Duration::from_secs(1),
            };
            std::thread::sleep(wait);
            continue;
        };
        if let Some(last) = last_send {
            let since = last.elapsed();
            if since < gap {
                std::thread::sleep(gap - since);
            }
        }
        last_send = Some(Instant::now());
        let customer = store
            .customer(&r.customer_id)?
            .unwrap_or_else(|| Customer::stub(r.customer_id.clone()));
        let extra = match r.merge_values.as_deref().map(MergeValues::thawed) {
            None => Ok(BTreeMap::new()),
            Some(thawed) => thawed.map_err(CampaignError::Message),
        };
        let outcome = match extra.and_then(|x| message.for_recipient_with(&customer, &r.email, &x))
        {
            Ok(m) => relay.send(&m),
            // An address the message cannot be built for will never take one.
            Err(e) => Err(RelayFailure::Permanent(e.to_string())),
        };
        let at = now();
        let event = |t: EmailEventType, bounce: Option<BounceType>| EmailEvent {
            id: Some(format!(
                "{}:{}:{}",
                message.campaign_id,
                r.customer_id,
                t.as_str()
            )),
            customer_id: r.customer_id.clone(),
            event_type: t,
            activity_id: Some(message.campaign_id.to_owned()),
            at,
            machine_open: None,
            bounce_type: bounce,
        };
        let backoff = || {
            let factor = 1u32 << r.attempts.saturating_sub(1).min(16);
            let d = (settings.retry_base * factor).min(Duration::from_secs(3600));
            at + SignedDuration::try_from(d).unwrap_or(SignedDuration::from_hours(1))
        };
        let (settlement, reply, events) = match outcome {
            Ok(reply) => {
                unavailable_in_a_row = 0;
                summary.sent += 1;
                let e = event(EmailEventType::Delivered, None);
                (Settlement::Sent, reply, vec![e])
            }
            Err(RelayFailure::Permanent(reply)) => {
                unavailable_in_a_row = 0;
                summary.hard_bounced += 1;
                let e = event(EmailEventType::Bounced, Some(BounceType::Hard));
                (Settlement::HardBounced, reply, vec![e])
            }
            Err(RelayFailure::Transient(reply)) if r.attempts >= settings.max_attempts => {
                unavailable_in_a_row = 0;
                summary.soft_bounced += 1;
                let e = event(EmailEventType::Bounced, Some(BounceType::Soft));
                (Settlement::SoftBounced, reply, vec![e])
            }
            Err(RelayFailure::Transient(reply)) => {
                unavailable_in_a_row = 0;
                summary.retried += 1;
                (Settlement::Retry(backoff()), reply, vec![])
            }
            Err(RelayFailure::Unavailable(reply)) => {
                unavailable_in_a_row += 1;
                summary.retried += 1;
                store.settle_recipient(
                    cpid,
                    &r.customer_id,
                    &Settlement::Retry(backoff()),
                    &reply,
                    &[],
                    at,
                )?;
                if unavailable_in_a_row >= settings.max_attempts {
                    return Err(CampaignError::RelayUnavailable(format!(
                        "the SMTP relay did not answer {unavailable_in_a_row} times in a row \
                         (last: {reply}); the rest of the queue waits for the next send"
                    )));
                }
                continue;
            }
        };
        store.settle_recipient(cpid, &r.customer_id, &settlement, &reply, &events, at)?;
        if !events.is_empty() && last_written.elapsed() >= WRITTEN_EVERY {
            written();
            last_written = Instant::now();
        }
    }
}
