//! Streaming every record out of the store with the customer's internal
//! key, for building derived models (the engine) without a lookup from
//! customer id to key per record.

use super::children::Children;
use super::rows::*;
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
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
    /// in key order, then orders, checkouts and events (each kind in the
    /// order it was stored, which needs no sorting). Runs inside one read transaction, so it sees one consistent
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
        let seq = self.sequence()?;
        let plain = |customer_key: Option<i64>, record: Record| ScannedRecord {
            customer_key,
            coordinates: Vec::new(),
            record,
        };
        self.scan_catalogue(sink)?;
        self.scan_customers(sink)?;
        self.scan_orders(sink)?;
        // Records of customers: the customer's key is the last column.
        type ReadRecord = fn(&Row) -> Result<Record, StoreError>;
        let per_customer: [(String, ReadRecord); 5] = [
            (
                format!(
                    "SELECT {CHECKOUT_COLUMNS}, k.cid FROM checkouts k JOIN customers c
                     ON c.cid = k.cid ORDER BY k.rowid"
                ),
                |r| Ok(Record::Checkout(checkout_from_row(r)?)),
            ),
            (
                format!(
                    "SELECT {EMAIL_EVENT_COLUMNS}, e.cid FROM email_events e JOIN customers c
                     ON c.cid = e.cid ORDER BY e.eid"
                ),
                |r| Ok(Record::EmailEvent(email_event_from_row(r)?)),
            ),
            (
                format!(
                    "SELECT {STOREFRONT_EVENT_COLUMNS}, e.cid FROM storefront_events e
                     JOIN customers c ON c.cid = e.cid ORDER BY e.eid"
                ),
                |r| Ok(Record::StorefrontEvent(storefront_event_from_row(r)?)),
            ),
            (
                format!(
                    "SELECT {CUSTOM_EVENT_COLUMNS}, e.cid FROM custom_events e
                     JOIN customers c ON c.cid = e.cid ORDER BY e.eid"
                ),
                |r| Ok(Record::Event(custom_event_from_row(r)?)),
            ),
            (
                format!(
                    "SELECT {SUBSCRIPTION_COLUMNS}, s.cid FROM subscriptions s
                     JOIN customers c ON c.cid = s.cid ORDER BY s.rowid"
                ),
                |r| Ok(Record::Subscription(subscription_from_row(r)?)),
            ),
        ];
        for (sql, read) in per_customer {
            each(self, &sql, &mut |r| {
                let key: i64 = r.get(r.as_ref().column_count() - 1)?;
                sink(plain(Some(key), read(r)?))
            })?;
        }
        Ok(seq)
    }
}

fn keyed_text(r: &Row) -> Result<(i64, String), StoreError> {
    Ok((r.get(0)?, r.get(1)?))
}

impl Store {
    /// Calls `sink` with every venue, production and performance.
    pub(crate) fn scan_catalogue(
        &self,
        sink: &mut dyn FnMut(ScannedRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let plain = |record: Record| ScannedRecord {
            customer_key: None,
            coordinates: Vec::new(),
            record,
        };
        each(
            self,
            "SELECT id, name, lat, lon, organisation FROM venues ORDER BY id",
            &mut |r| {
                let v = Venue {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    lat: r.get(2)?,
                    lon: r.get(3)?,
                    organisation: r.get(4)?,
                };
                sink(plain(Record::Venue(v)))
            },
        )?;
        each(
            self,
            "SELECT id, name, organisation FROM productions ORDER BY id",
            &mut |r| {
                sink(plain(Record::Production(Production {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    organisation: r.get(2)?,
                })))
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
                sink(plain(Record::Performance(p)))
            },
        )?;
        Ok(())
    }

    fn scan_customers(
        &self,
        sink: &mut dyn FnMut(ScannedRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let conn = &self.conn;
        let mut tags = conn.prepare("SELECT cid, tag FROM customer_tags ORDER BY cid, pos")?;
        let mut permissions =
            conn.prepare("SELECT cid, permission FROM customer_permissions ORDER BY cid, pos")?;
        let mut companies =
            conn.prepare("SELECT cid, company_id FROM customer_companies ORDER BY cid, pos")?;
        let mut addresses = conn.prepare(&format!(
            "SELECT cid, {ADDRESS_COLUMNS} FROM customer_addresses ORDER BY cid, pos"
        ))?;
        let mut properties =
            conn.prepare("SELECT cid, key, value FROM customer_properties ORDER BY cid, key")?;
        let mut tags = Children::new(&mut tags, keyed_text)?;
        let mut permissions = Children::new(&mut permissions, keyed_text)?;
        let mut companies = Children::new(&mut companies, keyed_text)?;
        let mut addresses = Children::new(&mut addresses, |r| {
            let cid: i64 = r.get(0)?;
            // The address columns follow the key.
            let shifted = ShiftedRow(r);
            Ok((cid, shifted.address()?))
        })?;
        let mut properties = Children::new(&mut properties, |r| {
            let value: String = r.get(2)?;
            Ok((
                r.get::<_, i64>(0)?,
                (r.get::<_, String>(1)?, property_value(&value)?),
            ))
        })?;
        each(
            self,
            &format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY cid"),
            &mut |r| {
                let (cid, mut customer) = customer_columns(r)?;
                customer.tags = tags.of(&cid)?;
                customer.permissions = permissions.of(&cid)?;
                customer.companies = companies.of(&cid)?;
                let (list, coordinates): (Vec<_>, Vec<_>) = addresses.of(&cid)?.into_iter().unzip();
                customer.addresses = list;
                customer.properties = properties.of(&cid)?.into_iter().collect();
                sink(ScannedRecord {
                    customer_key: Some(cid),
                    coordinates,
                    record: Record::Customer(customer),
                })
            },
        )
    }

    fn scan_orders(
        &self,
        sink: &mut dyn FnMut(ScannedRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut lines = self.conn.prepare(&format!(
            "SELECT oid, {LINE_COLUMNS} FROM order_lines ORDER BY oid, pos"
        ))?;
        let mut lines = Children::new(&mut lines, |r| {
            Ok((r.get::<_, i64>(0)?, ShiftedRow(r).line()?))
        })?;
        each(
            self,
            &format!(
                "SELECT {ORDER_COLUMNS}, o.cid FROM orders o JOIN customers c ON c.cid = o.cid
                 ORDER BY o.oid"
            ),
            &mut |r| {
                let cid: i64 = r.get(12)?;
                let (oid, mut order) = order_columns(r)?;
                order.lines = lines.of(&oid)?;
                sink(ScannedRecord {
                    customer_key: Some(cid),
                    coordinates: Vec::new(),
                    record: Record::Order(order),
                })
            },
        )
    }
}

/// A row whose first column is a key, read by the readers that expect their
/// columns from the start.
struct ShiftedRow<'r, 's>(&'r Row<'s>);

impl ShiftedRow<'_, '_> {
    fn address(&self) -> Result<(flokk_model::Address, Option<(f64, f64)>), StoreError> {
        Ok(address_from_row_at(self.0, 1)?)
    }

    fn line(&self) -> Result<flokk_model::OrderLine, StoreError> {
        line_from_row_at(self.0, 1)
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
