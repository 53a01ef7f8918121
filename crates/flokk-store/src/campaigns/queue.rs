//! The send queue: one row per recipient, frozen when sending starts.
//!
//! A recipient's state is committed before its SMTP transaction (`sending`)
//! and after it (`sent`, a retry back to `queued`, `soft_bounced`,
//! `hard_bounced`). A process killed between the two leaves the row at
//! `sending`: the relay may or may not have taken the message, and flokk
//! cannot know which. Such a row is never sent again: it is settled as
//! `unknown`, at once by the next sender that knows no other process is
//! sending the campaign ([`Store::settle_interrupted`]; the binary holds a
//! lock file for that), else once it is older than [`STALE_SENDING_SECONDS`]
//! (longer than any SMTP transaction may last). That is the documented gap:
//! at most the recipients in flight at a crash (one per sender) may miss
//! the message; none gets it twice.

use super::definitions::stored_nanos;
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use flokk_model::{EmailEvent, Record};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use std::collections::BTreeMap;

/// Seconds after which a recipient left at `sending` is settled as `unknown`.
pub const STALE_SENDING_SECONDS: i64 = 300;

/// One recipient taken from the queue for an SMTP transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRecipient {
    /// The customer.
    pub customer_id: String,
    /// The address frozen with the audience.
    pub email: String,
    /// SMTP transactions tried for it so far, this one included.
    pub attempts: u32,
    /// Merge values frozen with the audience (JSON `{field: text}`).
    pub merge_values: Option<String>,
}

/// One recipient of a frozen audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenRecipient {
    /// The customer.
    pub customer_id: String,
    /// Their address, as of the freeze.
    pub email: String,
    /// Merge values frozen with them (JSON `{field: text}`), if the
    /// message uses any that are not on the customer record.
    pub merge_values: Option<String>,
}

/// How an SMTP transaction ended for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The relay accepted the message.
    Sent,
    /// A temporary failure (4xx); try again at this instant.
    Retry(Timestamp),
    /// Temporary failures until retries ran out.
    SoftBounced,
    /// A permanent failure (5xx).
    HardBounced,
}

impl Settlement {
    fn state(&self) -> &'static str {
        match self {
            Settlement::Sent => "sent",
            Settlement::Retry(_) => "queued",
            Settlement::SoftBounced => "soft_bounced",
            Settlement::HardBounced => "hard_bounced",
        }
    }
}

impl Store {
    /// Freezes the audience of a draft (or scheduled) campaign: its recipients (customer
    /// id, address) become the queue, the gate's `left_out` counts are kept,
    /// and the campaign is `sending`. Refused unless it is a draft, so a
    /// campaign is never queued twice.
    pub fn freeze_audience(
        &self,
        cpid: i64,
        recipients: &[FrozenRecipient],
        left_out: &BTreeMap<String, u64>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let at = stored_nanos(at)?;
        let changed = tx.execute(
            "UPDATE campaigns SET state = 'sending', started_at = ?2, left_out = ?3
             WHERE cpid = ?1 AND state IN ('draft', 'scheduled')",
            params![
                cpid,
                at,
                serde_json::to_string(left_out).expect("a map of counts serialises")
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::Conflict(
                "the campaign is not a draft: it was sent (or is sending) already".into(),
            ));
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO campaign_recipients (cpid, customer_id, email, state, updated_at,
                                                  merge_values)
                 VALUES (?1, ?2, ?3, 'queued', ?4, ?5)",
            )?;
            for r in recipients {
                stmt.execute(params![cpid, r.customer_id, r.email, at, r.merge_values])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Takes the next due recipient (committing it as `sending`), or `None`.
    pub fn claim_recipient(
        &self,
        cpid: i64,
        now: Timestamp,
    ) -> Result<Option<QueuedRecipient>, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let now = stored_nanos(now)?;
        let next = tx
            .query_row(
                "SELECT customer_id, email, attempts, merge_values FROM campaign_recipients
                 WHERE cpid = ?1 AND state = 'queued' AND next_attempt_at <= ?2
                   AND EXISTS (SELECT 1 FROM campaigns WHERE cpid = ?1 AND state = 'sending')
                 ORDER BY next_attempt_at, customer_id LIMIT 1",
                params![cpid, now],
                |r| {
                    Ok(QueuedRecipient {
                        customer_id: r.get(0)?,
                        email: r.get(1)?,
                        attempts: r.get::<_, u32>(2)? + 1,
                        merge_values: r.get(3)?,
                    })
                },
            )
            .optional()?;
        if let Some(r) = &next {
            tx.execute(
                "UPDATE campaign_recipients SET state = 'sending', attempts = ?3, updated_at = ?4
                 WHERE cpid = ?1 AND customer_id = ?2",
                params![cpid, r.customer_id, r.attempts, now],
            )?;
        }
        tx.commit()?;
        Ok(next)
    }

    /// Records how a recipient's SMTP transaction ended and, in the same
    /// transaction, its email events (through the writer, so live segments
    /// see them like imported ones). Returns the last change sequence.
    pub fn settle_recipient(
        &self,
        cpid: i64,
        customer_id: &str,
        settlement: &Settlement,
        reply: &str,
        events: &[EmailEvent],
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut writer = self.writer()?;
        let next = match settlement {
            Settlement::Retry(t) => stored_nanos(*t)?,
            _ => 0,
        };
        writer.tx.execute(
            "UPDATE campaign_recipients
             SET state = ?3, next_attempt_at = ?4, last_reply = ?5, updated_at = ?6
             WHERE cpid = ?1 AND customer_id = ?2 AND state = 'sending'",
            params![
                cpid,
                customer_id,
                settlement.state(),
                next,
                reply,
                stored_nanos(at)?
            ],
        )?;
        for e in events {
            writer
                .apply(&Record::EmailEvent(e.clone()))
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        writer.commit()
    }

    /// Settles recipients left at `sending` longer than
    /// [`STALE_SENDING_SECONDS`] as `unknown` (never sent again). Returns how many.
    pub fn settle_stale_sending(&self, cpid: i64, now: Timestamp) -> Result<u64, StoreError> {
        let cutoff = stored_nanos(now)? - STALE_SENDING_SECONDS * 1_000_000_000;
        Ok(self.conn.execute(
            "UPDATE campaign_recipients SET state = 'unknown', updated_at = ?3,
                    last_reply = 'interrupted during the SMTP transaction'
             WHERE cpid = ?1 AND state = 'sending' AND updated_at < ?2",
            params![cpid, cutoff, stored_nanos(now)?],
        )? as u64)
    }

    /// Settles every recipient left at `sending` as `unknown`: for a sender
    /// that knows it is the only one (the others were interrupted).
    pub fn settle_interrupted(&self, cpid: i64, now: Timestamp) -> Result<u64, StoreError> {
        Ok(self.conn.execute(
            "UPDATE campaign_recipients SET state = 'unknown', updated_at = ?2,
                    last_reply = 'interrupted during the SMTP transaction'
             WHERE cpid = ?1 AND state = 'sending'",
            params![cpid, stored_nanos(now)?],
        )? as u64)
    }

    /// Pauses a sending campaign: no recipient is taken from its queue until
    /// it is sending again ([`Store::resume_campaign`]). `false` if it was
    /// not sending.
    pub fn pause_campaign(&self, cpid: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE campaigns SET state = 'paused' WHERE cpid = ?1 AND state = 'sending'",
            [cpid],
        )? == 1)
    }

    /// A paused campaign sends again. `false` if it was not paused.
    pub fn resume_campaign(&self, cpid: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE campaigns SET state = 'sending' WHERE cpid = ?1 AND state = 'paused'",
            [cpid],
        )? == 1)
    }

    /// Cancels a draft, scheduled, sending or paused campaign: its queued recipients
    /// become `cancelled` (never sent); one in flight finishes. `false` if
    /// it was sent or cancelled already.
    pub fn cancel_campaign(&self, cpid: i64, at: Timestamp) -> Result<bool, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE campaigns SET state = 'cancelled', finished_at = ?2
             WHERE cpid = ?1 AND state IN ('draft', 'scheduled', 'sending', 'paused')",
            params![cpid, stored_nanos(at)?],
        )?;
        tx.execute(
            "UPDATE campaign_recipients SET state = 'cancelled', updated_at = ?2
             WHERE cpid = ?1 AND state = 'queued'",
            params![cpid, stored_nanos(at)?],
        )?;
        tx.commit()?;
        Ok(changed == 1)
    }

    /// The campaign's state (`draft`, `sending`, `paused`, `sent`, `cancelled`).
    pub fn campaign_state(&self, cpid: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT state FROM campaigns WHERE cpid = ?1", [cpid], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Recipients by state.
    pub fn recipient_states(&self, cpid: i64) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, COUNT(*) FROM campaign_recipients WHERE cpid = ?1 GROUP BY state",
        )?;
        let rows = stmt.query_map([cpid], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When the relay accepted the campaign's message to the customer
    /// (`campaign_id` is `flokk-N`); `None` if it did not (yet), or for a
    /// campaign that is not flokk's.
    pub fn sent_at(
        &self,
        campaign_id: &str,
        customer_id: &str,
    ) -> Result<Option<Timestamp>, StoreError> {
        let Some(cpid) = campaign_id
            .strip_prefix("flokk-")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            return Ok(None);
        };
        let at: Option<i64> = self
            .conn
            .query_row(
                "SELECT updated_at FROM campaign_recipients
                 WHERE cpid = ?1 AND customer_id = ?2 AND state = 'sent'",
                params![cpid, customer_id],
                |r| r.get(0),
            )
            .optional()?;
        at.map(from_nanos).transpose()
    }

    /// When the next queued recipient is due; `None` when none is queued.
    pub fn next_due(&self, cpid: i64) -> Result<Option<Timestamp>, StoreError> {
        let n: Option<i64> = self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM campaign_recipients
             WHERE cpid = ?1 AND state = 'queued'",
            [cpid],
            |r| r.get(0),
        )?;
        n.map(from_nanos).transpose()
    }
}
