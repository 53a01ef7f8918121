//! Layer 2: a campaign's report, the `--json` shape of cli.md (`campaign
//! show`) and of `GET /api/campaigns/{name}`: `{"id", "name", "state",
//! "recipients", "left_out", "sent", "delivered", "bounced", "opened",
//! "clicked", "unsubscribed", "complaints", "orders", "revenue"}`, plus
//! `queued` (not yet settled) and `unknown` (interrupted mid-transaction).
//!
//! `orders` and `revenue`: the orders recipients placed after the send and
//! within `campaign_attribution_days` of clicking the campaign or, without
//! a click, of its send (`Store::campaign_attribution`); revenue net of
//! refunds, exact, rounded once to the store currency's decimals. Decision:
//! 5 days by default, the window email tools commonly use for a click.
//! Orders carrying a `utm_campaign` are not read yet (records have no such
//! field).

use flokk_store::{Campaign, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// Hard and soft bounces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounces {
    /// Permanent (5xx).
    pub hard: u64,
    /// Temporary until retries ran out.
    pub soft: u64,
}

/// Opens by people and by machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Opens {
    /// Customers who opened it.
    pub human: u64,
    /// Customers whose only opens were a privacy proxy's pre-fetch.
    pub machine: u64,
}

/// One campaign's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignReport {
    /// `flokk-N`, the `activity_id` of its email events.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `draft`, `scheduled`, `sending`, `paused`, `sent`, `cancelled`.
    pub state: String,
    /// When a scheduled campaign starts sending (RFC 3339), else `null`.
    pub scheduled_at: Option<String>,
    /// The frozen audience after the consent gate.
    pub recipients: u64,
    /// Left out by the gate, by reason.
    pub left_out: BTreeMap<String, u64>,
    /// Not settled yet (waiting for a retry, or in flight).
    pub queued: u64,
    /// Accepted by the relay.
    pub sent: u64,
    /// Customers with a `delivered` event of the campaign.
    pub delivered: u64,
    /// Customers with a `bounced` event, by type.
    pub bounced: Bounces,
    /// Customers with an `opened` event.
    pub opened: Opens,
    /// Customers with a `clicked` event.
    pub clicked: u64,
    /// Customers with an `unsubscribed` event.
    pub unsubscribed: u64,
    /// Customers with a `marked_as_spam` event.
    pub complaints: u64,
    /// Recipients interrupted during their SMTP transaction (never resent).
    pub unknown: u64,
    /// Attributed orders.
    pub orders: Option<u64>,
    /// Attributed revenue, net of refunds, in the store currency.
    pub revenue: Option<f64>,
}

/// The report of one campaign, from its queue and its email events.
pub fn campaign_report(store: &Store, c: &Campaign) -> Result<CampaignReport, StoreError> {
    let states = store.recipient_states(c.cpid)?;
    let n = |s: &str| states.get(s).copied().unwrap_or(0);
    let a = store.campaign_activity(&c.id)?;
    let settings = store.settings();
    let days: i64 = settings
        .get("campaign_attribution_days")?
        .parse()
        .unwrap_or(5);
    let attributed =
        store.campaign_attribution(c.cpid, &c.id, jiff::SignedDuration::from_hours(24 * days))?;
    let decimals = flokk_model::currency_decimals(&settings.get("currency")?);
    Ok(CampaignReport {
        id: c.id.clone(),
        name: c.name.clone(),
        state: c.state.clone(),
        scheduled_at: c.scheduled_at.map(|t| t.to_string()),
        recipients: states.values().sum(),
        left_out: c.left_out.clone(),
        queued: n("queued") + n("sending"),
        sent: n("sent"),
        delivered: a.delivered,
        bounced: Bounces {
            hard: a.bounced_hard,
            soft: a.bounced_soft,
        },
        opened: Opens {
            human: a.opened_human,
            machine: a.opened_machine,
        },
        clicked: a.clicked,
        unsubscribed: a.unsubscribed,
        complaints: a.complaints,
        unknown: n("unknown"),
        orders: Some(attributed.orders),
        revenue: Some(attributed.revenue.rounded_f64(decimals)),
    })
}
