//! What changed since a change sequence number, with the current records
//! of every customer touched: how a derived model (the engine) catches up
//! without reading the whole store.

use super::scan::ScannedRecord;
use crate::error::StoreError;
use crate::store::Store;
use flokk_model::Record;
use rusqlite::OptionalExtension;

/// One touched customer and its records now.
#[derive(Debug, Clone)]
pub struct CustomerRecords {
    /// The customer's key.
    pub key: i64,
    /// The customer record first, then its orders, checkouts and events;
    /// `None` when the customer was deleted.
    pub records: Option<Vec<ScannedRecord>>,
}

/// Everything written after a sequence number.
#[derive(Debug, Clone)]
pub struct StoreChanges {
    /// The sequence these changes bring a reader to.
    pub sequence: u64,
    /// Touched customers, by key.
    pub customers: Vec<CustomerRecords>,
    /// The whole catalogue, when any venue, production or performance changed.
    pub catalogue: Option<Vec<ScannedRecord>>,
}

impl Store {
    /// The changes after `after`, read in one transaction; `None` when more
    /// than `max_customers` customers were touched (reading them one by one
    /// would be slower than reading everything).
    pub fn changes_since(
        &self,
        after: u64,
        max_customers: usize,
    ) -> Result<Option<StoreChanges>, StoreError> {
        self.conn.execute_batch("BEGIN")?;
        let result = self.changes_in_snapshot(after, max_customers);
        self.conn.execute_batch("COMMIT")?;
        result
    }

    fn changes_in_snapshot(
        &self,
        after: u64,
        max_customers: usize,
    ) -> Result<Option<StoreChanges>, StoreError> {
        let sequence = self.sequence()?;
        let touched: i64 = self.conn.query_row(
            "SELECT count(DISTINCT cid) FROM changes WHERE seq > ?1 AND entity = 'customer'",
            [after as i64],
            |r| r.get(0),
        )?;
        if touched as usize > max_customers {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT cid FROM changes WHERE seq > ?1 AND entity = 'customer' ORDER BY cid",
        )?;
        let keys: Vec<i64> = stmt
            .query_map([after as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut customers = Vec::with_capacity(keys.len());
        for key in keys {
            customers.push(CustomerRecords {
                key,
                records: self.records_of(key)?,
            });
        }
        let catalogue_changed: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM changes WHERE seq > ?1 AND entity != 'customer')",
            [after as i64],
            |r| r.get(0),
        )?;
        let catalogue = if catalogue_changed {
            let mut out = Vec::new();
            self.scan_catalogue(&mut |r| {
                out.push(r);
                Ok(())
            })?;
            Some(out)
        } else {
            None
        };
        Ok(Some(StoreChanges {
            sequence,
            customers,
            catalogue,
        }))
    }

    /// The current records of the customer with key `key` (`None` when gone).
    fn records_of(&self, key: i64) -> Result<Option<Vec<ScannedRecord>>, StoreError> {
        let id: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM customers WHERE cid = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        let Some(p) = self.customer_profile(&id)? else {
            return Ok(None);
        };
        let keyed = |record: Record| ScannedRecord {
            customer_key: Some(key),
            coordinates: Vec::new(),
            record,
        };
        let mut out = vec![ScannedRecord {
            customer_key: Some(key),
            coordinates: p.coordinates,
            record: Record::Customer(p.customer),
        }];
        out.extend(p.orders.into_iter().map(|o| keyed(Record::Order(o))));
        out.extend(p.checkouts.into_iter().map(|k| keyed(Record::Checkout(k))));
        out.extend(
            p.email_events
                .into_iter()
                .map(|e| keyed(Record::EmailEvent(e))),
        );
        out.extend(
            p.storefront_events
                .into_iter()
                .map(|e| keyed(Record::StorefrontEvent(e))),
        );
        out.extend(p.custom_events.into_iter().map(|e| keyed(Record::Event(e))));
        Ok(Some(out))
    }
}
