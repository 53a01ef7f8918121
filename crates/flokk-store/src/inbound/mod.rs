//! Deliveries from outside sources (Shopify webhooks), kept durably before
//! they are applied.
//!
//! Layer 5, beside `import`: it uses the `writer` (a delivery is marked
//! applied inside the transaction that applies it) and the `readers` (the
//! stored version of a record a delivery changes).
//!
//! A delivery is stored as received under the sender's own id
//! ([`Store::enqueue_delivery`]); a second delivery with the same id is a
//! duplicate and is not stored again. The receiver answers once the row is
//! durable, and an applier takes waiting rows in arrival order
//! ([`Store::waiting_deliveries`]), applying each in one writer transaction
//! that also marks it ([`Writer::mark_delivery`]). A crash between the two
//! leaves the row waiting, and it is applied on the next start.
//!
//! `source_versions` keeps the newest `updated_at` applied per outside
//! entity, so a delivery that is older than what was applied (Shopify does
//! not promise order) is skipped instead of moving a record backwards.
//!
//! What is kept only to de-duplicate or to wait (applied deliveries, seen
//! message ids, anonymous visitors' events) is dropped after its retention
//! setting by [`Store::prune_inbound`] (`retention.rs`).

mod retention;

pub use retention::Pruned;

use crate::error::StoreError;
use crate::readers::rows::{CUSTOMER_COLUMNS, ORDER_COLUMNS, customer_from_row, order_from_row};
use crate::schema::time::to_nanos;
use crate::store::Store;
use crate::writer::Writer;
use flokk_model::{Customer, Order, Timestamp};
use rusqlite::{OptionalExtension, params};

/// The version a deleted entity is kept at: newer than any update, so
/// nothing arriving late brings it back.
pub const DELETED_VERSION: i64 = i64::MAX;

/// A delivery waiting to be applied.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its place in arrival order.
    pub seq: i64,
    /// The sender's id for it.
    pub delivery_id: String,
    /// What it is about (`orders/create`).
    pub topic: String,
    /// The body as received.
    pub body: Vec<u8>,
}

impl Store {
    /// Keeps a delivery durably. `Ok(false)`: one with this `delivery_id`
    /// from `source` was kept before (a retry), and nothing was written.
    pub fn enqueue_delivery(
        &self,
        source: &str,
        delivery_id: &str,
        topic: &str,
        body: &[u8],
        received_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = to_nanos(received_at).unwrap_or(0);
        let inserted = self.conn.execute(
            "INSERT INTO inbound_deliveries (source, delivery_id, topic, body, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (source, delivery_id) DO NOTHING",
            params![source, delivery_id, topic, body, at],
        )?;
        Ok(inserted == 1)
    }

    /// Up to `limit` deliveries from `source` not yet applied, oldest first.
    pub fn waiting_deliveries(
        &self,
        source: &str,
        limit: usize,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, delivery_id, topic, body FROM inbound_deliveries
             WHERE source = ?1 AND applied_at IS NULL ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![source, limit as i64], |r| {
            Ok(Delivery {
                seq: r.get(0)?,
                delivery_id: r.get(1)?,
                topic: r.get(2)?,
                body: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What applying the delivery `delivery_id` from `source` did (`None`:
    /// unknown or still waiting).
    pub fn delivery_outcome(
        &self,
        source: &str,
        delivery_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT outcome FROM inbound_deliveries
                 WHERE source = ?1 AND delivery_id = ?2 AND applied_at IS NOT NULL",
                params![source, delivery_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }
}

impl Writer<'_> {
    /// Marks delivery `seq` applied with what applying it did, in this
    /// transaction.
    pub fn mark_delivery(
        &mut self,
        seq: i64,
        outcome: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE inbound_deliveries SET applied_at = ?2, outcome = ?3 WHERE seq = ?1",
            )?
            .execute(params![seq, to_nanos(at).unwrap_or(0), outcome])?;
        Ok(())
    }

    /// The newest version of an outside entity applied so far.
    pub fn source_version(
        &self,
        source: &str,
        entity: &str,
        id: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT updated_at FROM source_versions
                 WHERE source = ?1 AND entity = ?2 AND id = ?3",
            )?
            .query_row(params![source, entity, id], |r| r.get(0))
            .optional()?)
    }

    /// Notes `version` as the newest applied version of an outside entity.
    pub fn set_source_version(
        &mut self,
        source: &str,
        entity: &str,
        id: &str,
        version: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO source_versions (source, entity, id, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (source, entity, id) DO UPDATE SET updated_at = excluded.updated_at",
            )?
            .execute(params![source, entity, id, version])?;
        Ok(())
    }

    /// The stored customer `id`, as this transaction sees it.
    pub fn stored_customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1"
        ))?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(customer_from_row(&self.tx, row)?)),
            None => Ok(None),
        }
    }

    /// The stored order `id` with its customer's id, as this transaction
    /// sees it.
    pub fn stored_order(&self, id: &str) -> Result<Option<Order>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN customers c ON c.cid = o.cid WHERE o.id = ?1"
        ))?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(order_from_row(&self.tx, row)?)),
            None => Ok(None),
        }
    }

    /// Notes Shopify refund `refund_id` of order `order_id` (again: no
    /// change) and gives every refund amount known for the order.
    pub fn note_shopify_refund(
        &mut self,
        order_id: &str,
        refund_id: &str,
        amount: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO shopify_refunds (order_id, refund_id, amount) VALUES (?1, ?2, ?3)
                 ON CONFLICT (order_id, refund_id) DO UPDATE SET amount = excluded.amount",
            )?
            .execute(params![order_id, refund_id, amount])?;
        Ok(())
    }

    /// The amounts of every refund of Shopify order `order_id` seen so far.
    pub fn shopify_refunds(&self, order_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT amount FROM shopify_refunds WHERE order_id = ?1")?;
        let rows = stmt.query_map([order_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether message `message_id` from `source` was applied before.
    pub fn message_seen(&self, source: &str, message_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM seen_messages WHERE source = ?1 AND message_id = ?2")?
            .query_row(params![source, message_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Notes message `message_id` from `source` as seen `at` (its age for
    /// `tracking_message_id_retention_days`); `false` when it was seen
    /// before (a duplicate).
    pub fn note_message(
        &mut self,
        source: &str,
        message_id: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO seen_messages (source, message_id, seen_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source, message_id) DO NOTHING",
            )?
            .execute(params![source, message_id, to_nanos(at).unwrap_or(0)])?;
        Ok(inserted == 1)
    }

    /// The customer an anonymous id was joined to.
    pub fn anonymous_customer(&self, anonymous_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT customer_id FROM anonymous_ids WHERE anonymous_id = ?1")?
            .query_row([anonymous_id], |r| r.get(0))
            .optional()?)
    }

    /// Keeps an event of a visitor known only by `anonymous_id` (an NDJSON
    /// record whose customer is filled in at the join), received `at` (its
    /// age for `anonymous_event_retention_days`).
    pub fn keep_anonymous_event(
        &mut self,
        anonymous_id: &str,
        record: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO anonymous_events (anonymous_id, record, kept_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![anonymous_id, record, to_nanos(at).unwrap_or(0)])?;
        Ok(())
    }

    /// Joins `anonymous_id` to `customer_id` (a later join to another
    /// customer wins: the browser changed hands) and takes the events kept
    /// for it, oldest first.
    pub fn join_anonymous(
        &mut self,
        anonymous_id: &str,
        customer_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO anonymous_ids (anonymous_id, customer_id) VALUES (?1, ?2)
                 ON CONFLICT (anonymous_id) DO UPDATE SET customer_id = excluded.customer_id",
            )?
            .execute(params![anonymous_id, customer_id])?;
        let records: Vec<String> = {
            let mut stmt = self.tx.prepare_cached(
                "SELECT record FROM anonymous_events WHERE anonymous_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([anonymous_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        self.tx
            .prepare_cached("DELETE FROM anonymous_events WHERE anonymous_id = ?1")?
            .execute([anonymous_id])?;
        Ok(records)
    }
}
