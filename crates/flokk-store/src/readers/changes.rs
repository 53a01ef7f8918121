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
    /// Customers whose only changes were bulk tags (cause `tagged`), by
    /// key, with their tags now: a reader replaces their tags alone, so
    /// tagging a million customers does not make it re-read them all.
    pub retagged: Vec<(i64, Vec<String>)>,
}

impl Store {
    /// The changes after `after`, read in one transaction; `None` when more
    /// than `max_customers` customers were touched (reading them one by one
    /// would be slower than reading everything). Customers only tagged are
    /// not counted: only their tags are read.
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
        // Each touched customer, and whether every change was a bulk tag.
        let mut stmt = self.conn.prepare(
            "SELECT cid, min(coalesce(cause, '') = 'tagged') FROM changes
             WHERE seq > ?1 AND entity = 'customer' GROUP BY cid ORDER BY cid",
        )?;
        let touched: Vec<(i64, bool)> = stmt
            .query_map([after as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let (tagged, keys): (Vec<_>, Vec<_>) = touched.into_iter().partition(|(_, t)| *t);
        if keys.len() > max_customers {
            return Ok(None);
        }
        let retagged = if tagged.is_empty() {
            Vec::new()
        } else {
            self.tags_of_tagged(after, tagged.iter().map(|(k, _)| *k))?
        };
        let keys: Vec<i64> = keys.into_iter().map(|(k, _)| k).collect();
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
            retagged,
        }))
    }

    /// The tags now of the customers only tagged after `after` (`keys`, in
    /// key order), read in one statement: a bulk tag of a million customers
    /// is caught up with one pass over their tags, not a query each.
    fn tags_of_tagged(
        &self,
        after: u64,
        keys: impl Iterator<Item = i64>,
    ) -> Result<Vec<(i64, Vec<String>)>, StoreError> {
        let mut held: Vec<(i64, Vec<String>)> = keys.map(|k| (k, Vec::new())).collect();
        let mut stmt = self.conn.prepare(
            "SELECT t.cid, t.tag FROM customer_tags t
             WHERE t.cid IN (SELECT cid FROM changes WHERE seq > ?1 AND entity = 'customer'
                             GROUP BY cid HAVING min(coalesce(cause, '') = 'tagged'))
             ORDER BY t.cid, t.pos",
        )?;
        let mut rows = stmt.query([after as i64])?;
        // Both in key order: a merge.
        let mut at = 0;
        while let Some(row) = rows.next()? {
            let cid: i64 = row.get(0)?;
            while at < held.len() && held[at].0 < cid {
                at += 1;
            }
            if at < held.len() && held[at].0 == cid {
                held[at].1.push(row.get(1)?);
            }
        }
        Ok(held)
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
            p.subscriptions
                .into_iter()
                .map(|s| keyed(Record::Subscription(s))),
        );
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
