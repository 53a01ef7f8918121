//! Applying records to the store inside one transaction.
//!
//! Upsert semantics (data.md §1): a record with a known id replaces the
//! earlier version with everything that hangs off it (an order's lines, a
//! customer's tags and addresses). A record naming an unknown customer
//! creates that customer with only its id (a customer record arriving later
//! fills it in). Every customer touched gets one row in the change sequence
//! when the writer commits.
//!
//! Layer 4, records in (`geocode` places addresses that come without
//! coordinates). May use: `store`, `schema`, `error`.

mod customer;
mod delete;
mod events;
mod geocode;
mod order;
mod tags;
mod ticketing;

pub use tags::{TagOutcome, checked_tag};

use crate::error::StoreError;
use crate::schema::time::to_nanos;
use crate::store::Store;
use flokk_model::{Record, RecordKind, Timestamp};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::{BTreeMap, BTreeSet};

/// An open write transaction.
pub struct Writer<'a> {
    pub(crate) tx: Transaction<'a>,
    touched_customers: BTreeSet<i64>,
    /// Touched customers whose own record was written or deleted (the
    /// rest only had records added, replaced or removed).
    rewritten_customers: BTreeSet<i64>,
    /// Touched customers whose tags a bulk tag changed (feed cause
    /// `tagged`, unless their record was also rewritten).
    tagged_customers: BTreeSet<i64>,
    /// The last customer looked up: records of one customer usually come
    /// together, and this saves the index lookup for each of them.
    last_customer: Option<(String, i64)>,
    touched_entities: BTreeSet<(&'static str, String)>,
    applied: BTreeMap<RecordKind, u64>,
}

impl Store {
    /// Starts a write transaction. Nothing is visible or durable until
    /// [`Writer::commit`]; dropping the writer rolls everything back.
    /// One writer at a time: a second one fails while the first is open.
    pub fn writer(&self) -> Result<Writer<'_>, StoreError> {
        // IMMEDIATE takes the write lock now, so a concurrent writer in another
        // process waits (busy timeout) instead of failing halfway through.
        Writer::new(rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?)
    }
}

/// Why a record could not be applied although it parsed.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The record breaks a rule that needs the store to check.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ApplyError {
    fn from(e: rusqlite::Error) -> Self {
        ApplyError::Store(e.into())
    }
}

pub(crate) fn nanos(field: &str, t: Timestamp) -> Result<i64, ApplyError> {
    to_nanos(t).ok_or_else(|| ApplyError::Invalid {
        field: field.to_owned(),
        reason: format!("{t} is outside the supported years 1678–2261"),
    })
}

pub(crate) fn json_list(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| serde_json::to_string(v).expect("strings serialise"))
}

impl<'a> Writer<'a> {
    pub(crate) fn new(tx: Transaction<'a>) -> Result<Self, StoreError> {
        Ok(Writer {
            tx,
            touched_customers: BTreeSet::new(),
            rewritten_customers: BTreeSet::new(),
            tagged_customers: BTreeSet::new(),
            last_customer: None,
            touched_entities: BTreeSet::new(),
            applied: BTreeMap::new(),
        })
    }

    /// Applies one record.
    pub fn apply(&mut self, record: &Record) -> Result<(), ApplyError> {
        match record {
            Record::Customer(c) => self.upsert_customer(c)?,
            Record::CustomerPatch(p) => self.patch_customer(p)?,
            Record::Order(o) => self.upsert_order(o)?,
            Record::Checkout(c) => self.upsert_checkout(c)?,
            Record::EmailEvent(e) => self.put_email_event(e)?,
            Record::StorefrontEvent(e) => self.put_storefront_event(e)?,
            Record::Event(e) => self.put_custom_event(e)?,
            Record::Venue(v) => self.upsert_venue(v)?,
            Record::Production(p) => self.upsert_production(p)?,
            Record::Performance(p) => self.upsert_performance(p)?,
            Record::Subscription(s) => self.upsert_subscription(s)?,
            Record::Delete(d) => self.delete(d)?,
        }
        *self.applied.entry(record.kind()).or_default() += 1;
        Ok(())
    }

    /// How many records of each kind were applied so far.
    pub fn applied(&self) -> &BTreeMap<RecordKind, u64> {
        &self.applied
    }

    /// The customer id of a customer with this email (case-insensitive),
    /// for sources that name customers by email (Shopify's orders export).
    pub fn customer_id_by_email(&self, email: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id FROM customers WHERE email = ?1 COLLATE NOCASE ORDER BY cid LIMIT 1",
        )?;
        Ok(stmt.query_row([email], |r| r.get(0)).optional()?)
    }

    /// Records the change rows and commits. Returns the last sequence
    /// number written (unchanged when nothing was touched).
    pub fn commit(mut self) -> Result<u64, StoreError> {
        {
            let mut stmt = self.tx.prepare_cached(
                "INSERT INTO changes(entity, cid, cause) VALUES ('customer', ?1, ?2)",
            )?;
            for cid in std::mem::take(&mut self.touched_customers) {
                let cause = if self.rewritten_customers.contains(&cid) {
                    "customer_changed"
                } else if self.tagged_customers.contains(&cid) {
                    "tagged"
                } else {
                    "record_added"
                };
                stmt.execute(params![cid, cause])?;
            }
            let mut stmt = self
                .tx
                .prepare_cached("INSERT INTO changes(entity, key) VALUES (?1, ?2)")?;
            for (entity, key) in std::mem::take(&mut self.touched_entities) {
                stmt.execute(params![entity, key])?;
            }
        }
        let seq: Option<i64> = self
            .tx
            .query_row("SELECT max(seq) FROM changes", [], |r| r.get(0))?;
        self.tx.commit()?;
        Ok(seq.unwrap_or(0) as u64)
    }

    /// The internal key of a customer, creating a customer with only its id
    /// when none exists.
    pub(crate) fn customer_key(&mut self, id: &str) -> Result<i64, ApplyError> {
        if let Some((last_id, cid)) = &self.last_customer
            && last_id == id
        {
            return Ok(*cid);
        }
        let found: Option<i64> = self
            .tx
            .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let cid = match found {
            Some(cid) => cid,
            None => {
                self.tx
                    .prepare_cached("INSERT INTO customers(id) VALUES (?1)")?
                    .execute([id])?;
                self.tx.last_insert_rowid()
            }
        };
        self.touch_customer(cid);
        self.last_customer = Some((id.to_owned(), cid));
        Ok(cid)
    }

    /// Notes a customer just written as touched and as the last looked up.
    pub(crate) fn remember_customer(&mut self, id: &str, cid: i64) {
        self.touch_customer(cid);
        self.rewritten_customers.insert(cid);
        self.last_customer = Some((id.to_owned(), cid));
    }

    /// Forgets the cached customer lookup and notes the customer's own
    /// record as changed (after a customer is deleted).
    pub(crate) fn forget_customer(&mut self, cid: i64) {
        self.last_customer = None;
        self.rewritten_customers.insert(cid);
    }

    /// Notes a customer whose tags a bulk tag changed.
    // `tagged` promises a reader (the engine's catch-up) that only the
    // customer's tags changed, so it holds only while nothing else of the
    // customer was touched in this transaction.
    pub(crate) fn note_tagged(&mut self, cid: i64) {
        if self.touched_customers.insert(cid) || self.tagged_customers.contains(&cid) {
            self.tagged_customers.insert(cid);
        }
    }

    pub(crate) fn touch_customer(&mut self, cid: i64) {
        self.touched_customers.insert(cid);
        self.tagged_customers.remove(&cid);
    }

    pub(crate) fn touch_entity(&mut self, entity: &'static str, id: &str) {
        self.touched_entities.insert((entity, id.to_owned()));
    }
}
