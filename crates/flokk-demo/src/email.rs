//! E-mail marketing: the store's campaigns (activities) and what happened
//! to each send — deliveries, opens (some by Apple Mail's privacy
//! pre-fetch, `machine_open`), clicks, soft and hard bounces, spam
//! complaints and unsubscribes.

use crate::calendar::{DAY, HOUR, timestamp};
use crate::randomness::{DemoRng, chance, exponential, stream_rng, unit};
use flokk_model::{BounceType, EmailEvent, EmailEventType, SubscriptionStatus};
use rand::RngExt;

/// One campaign send.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// Activity id (Shopify-style 10-digit number).
    pub activity_id: String,
    /// When it was sent, Unix seconds.
    pub sent_at: i64,
}

/// Every campaign, by send time: one every three days or so, at 09:00-11:00.
pub fn campaigns(seed: u64, start: i64, end: i64) -> Vec<Campaign> {
    let mut rng = stream_rng(seed, 0xe3a1);
    let mut out = Vec::new();
    let mut day = start - start.rem_euclid(DAY) + DAY;
    let mut n = 0u64;
    while day < end - DAY {
        let sent_at = day + 9 * HOUR + rng.random_range(0..2 * HOUR);
        n += 1;
        out.push(Campaign {
            activity_id: format!(
                "{}",
                5_240_000_000u64 + n * 7919 % 1_000_000 + n * 1_000_000
            ),
            sent_at,
        });
        day += DAY * rng.random_range(2..=4);
    }
    out
}

/// How one subscriber treats e-mail.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// Share of campaigns this subscriber is sent (segment targeting).
    pub targeted: f64,
    /// Probability of opening a delivered e-mail.
    pub open_rate: f64,
    /// Probability of clicking an opened e-mail.
    pub click_rate: f64,
    /// Apple Mail privacy protection: every delivery is "opened" by a machine.
    pub machine_opens: bool,
    /// Probability of a soft bounce (a full mailbox).
    pub soft_bounce_rate: f64,
}

/// Draws a reader.
pub fn reader(rng: &mut DemoRng, email_domain: &str) -> Reader {
    let mut reader = Reader {
        targeted: 0.01 + 0.04 * unit(rng),
        open_rate: 0.05 + 0.6 * unit(rng) * unit(rng).sqrt(),
        click_rate: 0.05 + 0.3 * unit(rng) * unit(rng),
        machine_opens: email_domain == "icloud.com" || chance(rng, 0.2),
        soft_bounce_rate: 0.015,
    };
    // A few inboxes are nearly always full, on busy lists, so that
    // `shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)` finds them.
    if chance(rng, 0.01) {
        reader.soft_bounce_rate = 0.6;
        reader.targeted = 0.12;
    }
    reader
}

/// The e-mail events of one customer, on the list during `window` (Unix
/// seconds), given their final subscription status: SUBSCRIBED
/// readers keep receiving; UNSUBSCRIBED ones unsubscribe (a few via a spam
/// complaint) at some send; INVALID addresses hard-bounce on the first send
/// and receive nothing after; everyone else is never mailed.
pub fn email_events(
    rng: &mut DemoRng,
    campaigns: &[Campaign],
    customer_id: &str,
    status: Option<SubscriptionStatus>,
    reader: &Reader,
    window: std::ops::Range<i64>,
    out: &mut Vec<EmailEvent>,
) {
    let (from, end) = (window.start, window.end);
    let status = match status {
        Some(
            s @ (SubscriptionStatus::Subscribed
            | SubscriptionStatus::Unsubscribed
            | SubscriptionStatus::Invalid),
        ) => s,
        _ => return,
    };
    let first = campaigns.partition_point(|c| c.sent_at < from);
    let sends: Vec<&Campaign> = campaigns[first..]
        .iter()
        .take_while(|c| c.sent_at < end)
        .filter(|_| chance(rng, reader.targeted))
        .collect();
    let event = |t: EmailEventType, c: &Campaign, at: i64| EmailEvent {
        id: None,
        customer_id: customer_id.to_owned(),
        event_type: t,
        activity_id: Some(c.activity_id.clone()),
        at: timestamp(at.min(end - 1)),
        machine_open: None,
        bounce_type: None,
    };
    if status == SubscriptionStatus::Invalid {
        if let Some(c) = sends.first() {
            let mut e = event(EmailEventType::Bounced, c, c.sent_at + 30);
            e.bounce_type = Some(BounceType::Hard);
            out.push(e);
        }
        return;
    }
    // Unsubscribers leave at one of their sends (at least the last).
    let leave_at = if status == SubscriptionStatus::Unsubscribed && !sends.is_empty() {
        Some(rng.random_range(0..sends.len()))
    } else {
        None
    };
    for (i, c) in sends.iter().enumerate() {
        let delivered = c.sent_at + rng.random_range(5..600);
        if chance(rng, reader.soft_bounce_rate) {
            let mut e = event(EmailEventType::Bounced, c, delivered);
            e.bounce_type = Some(BounceType::Soft);
            out.push(e);
            continue;
        }
        out.push(event(EmailEventType::Delivered, c, delivered));
        if reader.machine_opens {
            let mut e = event(
                EmailEventType::Opened,
                c,
                delivered + rng.random_range(1..120),
            );
            e.machine_open = Some(true);
            out.push(e);
        }
        let mut read_at = None;
        if chance(rng, reader.open_rate) {
            let at = delivered + (exponential(rng, 6.0) * HOUR as f64) as i64;
            let mut e = event(EmailEventType::Opened, c, at);
            e.machine_open = Some(false);
            out.push(e);
            read_at = Some(at);
            if chance(rng, reader.click_rate) {
                out.push(event(
                    EmailEventType::Clicked,
                    c,
                    at + rng.random_range(5..300),
                ));
            }
        }
        if leave_at == Some(i) {
            let at = read_at.unwrap_or(delivered) + rng.random_range(10..600);
            if chance(rng, 0.1) {
                out.push(event(EmailEventType::MarkedAsSpam, c, at));
            }
            out.push(event(EmailEventType::Unsubscribed, c, at + 1));
            break;
        }
    }
    // Events a few hours after a send can cross `end`; they were clamped
    // above, and the generator sorts the customer's events by time.
    out.retain(|e| e.at.as_second() < end);
}
