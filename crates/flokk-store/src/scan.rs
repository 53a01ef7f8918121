//! Streaming every record out of the store with the customer's internal
//! key, for building derived models (the engine) without a lookup from
//! customer id to key per record.

use crate::reader::*;
use crate::time::from_nanos;
use crate::{Store, StoreError};
use flokk_model::{Performance, Production, Record, Venue};
use rusqlite::Row;

/// One record as the scan yields it.
#[derive(Debug, Clone)]
pub struct ScannedRecord {
    /// The internal key of the customer the record belongs to (`None` for
    /// venues, productions and performances). Keys are stable for the life
    /// of a customer and increase with creation, so they order customers.
    pub customer_key: Option<i64>,
    /// Coordinates of each address of a customer record (given or placed
    /// by the gazetteer); empty for other records.
    pub coordinates: Vec<Option<(f64, f64)>>,
    /// The record.
    pub record: Record,
}

impl Store {
    /// Calls `sink` with every record: the catalogue first, then customers
    /// in key order, then orders, checkouts and events (each kind in key
    /// order). Runs inside one read transaction, so it sees one consistent
    /// state; returns the change sequence that state reflects.
    pub fn scan(
        &self,
        sink: &mut dyn FnMut(ScannedRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.conn.execute_batch("BEGIN")?;
        let result = self.scan_in_snapshot(sink);
        self.conn.execute_batch("COMMIT")?;
        result
    }

    fn scan_in_snapshot(
        &self,
        sink: &mut dyn FnMut(ScannedRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let conn = &self.conn;
        let seq = self.sequence()?;
        let plain = |customer_key: Option<i64>, record: Record| ScannedRecord {
            customer_key,
            coordinates: Vec::new(),
            record,
        };
        each(
            self,
            "SELECT id, name, lat, lon FROM venues ORDER BY id",
            &mut |r| {
                let v = Venue {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    lat: r.get(2)?,
                    lon: r.get(3)?,
                };
                sink(plain(None, Record::Venue(v)))
            },
        )?;
        each(
            self,
            "SELECT id, name FROM productions ORDER BY id",
            &mut |r| {
                sink(plain(
                    None,
                    Record::Production(Production {
                        id: r.get(0)?,
                        name: r.get(1)?,
                    }),
                ))
            },
        )?;
        each(
            self,
            "SELECT id, production_id, venue_id, starts_at FROM performances ORDER BY id",
            &mut |r| {
                let p = Performance {
                    id: r.get(0)?,
                    production_id: r.get(1)?,
                    venue_id: r.get(2)?,
                    starts_at: from_nanos(r.get(3)?)?,
                };
                sink(plain(None, Record::Performance(p)))
            },
        )?;
        let mut coords = conn.prepare_cached(
            "SELECT lat, lon FROM customer_addresses WHERE cid = ?1 ORDER BY pos",
        )?;
        each(
            self,
            &format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY cid"),
            &mut |r| {
                let cid: i64 = r.get(0)?;
                let customer = customer_from_row(conn, r)?;
                let coordinates = coords
                    .query_map([cid], |r| {
                        let (lat, lon): (Option<f64>, Option<f64>) = (r.get(0)?, r.get(1)?);
                        Ok(lat.zip(lon))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                sink(ScannedRecord {
                    customer_key: Some(cid),
                    coordinates,
                    record: Record::Customer(customer),
                })
            },
        )?;
        each(
            self,
            &format!(
                "SELECT {ORDER_COLUMNS}, o.cid FROM orders o JOIN customers c ON c.cid = o.cid
                 ORDER BY o.cid, o.placed_at, o.oid"
            ),
            &mut |r| {
                let cid: i64 = r.get(11)?;
                sink(plain(Some(cid), Record::Order(order_from_row(conn, r)?)))
            },
        )?;
        each(
            self,
            &format!(
                "SELECT {CHECKOUT_COLUMNS}, k.cid FROM checkouts k JOIN customers c
                 ON c.cid = k.cid ORDER BY k.cid, k.abandoned_at"
            ),
            &mut |r| {
                sink(plain(
                    Some(r.get(4)?),
                    Record::Checkout(checkout_from_row(r)?),
                ))
            },
        )?;
        each(
            self,
            &format!(
                "SELECT {EMAIL_EVENT_COLUMNS}, e.cid FROM email_events e JOIN customers c
                 ON c.cid = e.cid ORDER BY e.cid, e.at, e.eid"
            ),
            &mut |r| {
                sink(plain(
                    Some(r.get(7)?),
                    Record::EmailEvent(email_event_from_row(r)?),
                ))
            },
        )?;
        each(
            self,
            &format!(
                "SELECT {STOREFRONT_EVENT_COLUMNS}, e.cid FROM storefront_events e
                 JOIN customers c ON c.cid = e.cid ORDER BY e.cid, e.at, e.eid"
            ),
            &mut |r| {
                sink(plain(
                    Some(r.get(5)?),
                    Record::StorefrontEvent(storefront_event_from_row(r)?),
                ))
            },
        )?;
        each(
            self,
            &format!(
                "SELECT {CUSTOM_EVENT_COLUMNS}, e.cid FROM custom_events e
                 JOIN customers c ON c.cid = e.cid ORDER BY e.cid, e.at, e.eid"
            ),
            &mut |r| {
                sink(plain(
                    Some(r.get(5)?),
                    Record::Event(custom_event_from_row(r)?),
                ))
            },
        )?;
        Ok(seq)
    }
}

fn each(
    store: &Store,
    sql: &str,
    f: &mut dyn FnMut(&Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = store.conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(row)?;
    }
    Ok(())
}
