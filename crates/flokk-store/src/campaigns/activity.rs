//! What the email events say about campaigns and addresses: the customers
//! the consent gate must leave out whatever the merchant asks (a hard
//! bounce, a spam complaint, on any campaign, imported or flokk's own), and
//! a campaign's outcome counts for its report.

use crate::error::StoreError;
use crate::store::Store;
use std::collections::BTreeSet;

/// Customers suppressed from all email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    /// Customers with a hard bounce.
    pub hard_bounced: BTreeSet<String>,
    /// Customers who marked an email as spam.
    pub complained: BTreeSet<String>,
}

/// A campaign's email events, counted in distinct customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignActivity {
    /// Delivered (accepted by the relay).
    pub delivered: u64,
    /// Hard bounces.
    pub bounced_hard: u64,
    /// Soft bounces.
    pub bounced_soft: u64,
    /// Opened by a person.
    pub opened_human: u64,
    /// Opened only by a machine (a privacy proxy's pre-fetch).
    pub opened_machine: u64,
    /// Clicked a link.
    pub clicked: u64,
    /// Unsubscribed.
    pub unsubscribed: u64,
    /// Marked as spam.
    pub complaints: u64,
}

/// Orders attributed to a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Orders (not cancelled) attributed.
    pub orders: u64,
    /// Their net revenue (total less refunds), exact.
    pub revenue: flokk_model::MoneySum,
}

impl Store {
    /// The orders a campaign brought: those its recipients (the messages
    /// the relay took) placed after the send and within `window` of their
    /// click on the campaign (the latest recorded) or, without a click, of
    /// the send. Not cancelled; revenue net of refunds, summed exactly.
    pub fn campaign_attribution(
        &self,
        cpid: i64,
        activity_id: &str,
        window: jiff::SignedDuration,
    ) -> Result<Attribution, StoreError> {
        let window = i64::try_from(window.as_nanos()).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(
            "WITH touch AS (
               SELECT c.cid AS cid, r.updated_at AS sent,
                      COALESCE((SELECT MAX(e.at) FROM email_events e
                                WHERE e.cid = c.cid AND e.activity_id = ?2
                                  AND e.type = 'clicked'), r.updated_at) AS last
               FROM campaign_recipients r JOIN customers c ON c.id = r.customer_id
               WHERE r.cpid = ?1 AND r.state = 'sent')
             SELECT o.total_units, o.refunded_units FROM orders o JOIN touch t ON o.cid = t.cid
             WHERE o.cancelled = 0 AND o.placed_at >= t.sent AND o.placed_at <= t.last + ?3",
        )?;
        let rows = stmt.query_map(rusqlite::params![cpid, activity_id, window], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Attribution::default();
        for row in rows {
            let (total, refunded) = row?;
            // Amounts are stored as whole ten-thousandths: added as integers.
            out.orders += 1;
            out.revenue.add(flokk_model::Money::from_units(total));
            out.revenue
                .add(flokk_model::Money::from_units(refunded.saturating_neg()));
        }
        Ok(out)
    }

    /// The customers no campaign may mail: a hard bounce or a spam complaint
    /// on record. Decision: suppression follows the customer, not the
    /// address (a customer who bounced keeps being left out after an address
    /// change until the event is deleted), because events name customers.
    pub fn email_suppressions(&self) -> Result<Suppressions, StoreError> {
        let ids = |sql: &str| -> Result<BTreeSet<String>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Suppressions {
            hard_bounced: ids(
                "SELECT DISTINCT c.id FROM email_events e JOIN customers c ON c.cid = e.cid
                 WHERE e.type = 'bounced' AND e.bounce_type = 'HARD'",
            )?,
            complained: ids(
                "SELECT DISTINCT c.id FROM email_events e JOIN customers c ON c.cid = e.cid
                 WHERE e.type = 'marked_as_spam'",
            )?,
        })
    }

    /// A campaign's events (`activity_id` = its id), in distinct customers.
    /// A customer counts as a machine open only without a human one.
    pub fn campaign_activity(&self, activity_id: &str) -> Result<CampaignActivity, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT
               COUNT(DISTINCT CASE WHEN type = 'delivered' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'bounced' AND bounce_type = 'HARD' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'bounced' AND bounce_type = 'SOFT' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'opened' AND COALESCE(machine_open, 0) = 0 THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'opened' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'clicked' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'unsubscribed' THEN cid END),
               COUNT(DISTINCT CASE WHEN type = 'marked_as_spam' THEN cid END)
             FROM email_events WHERE activity_id = ?1",
        )?;
        Ok(stmt.query_row([activity_id], |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
            let human = n(3)?;
            Ok(CampaignActivity {
                delivered: n(0)?,
                bounced_hard: n(1)?,
                bounced_soft: n(2)?,
                opened_human: human,
                opened_machine: n(4)? - human,
                clicked: n(5)?,
                unsubscribed: n(6)?,
                complaints: n(7)?,
            })
        })?)
    }
}
