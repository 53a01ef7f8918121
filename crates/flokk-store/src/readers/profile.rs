//! Everything the store holds about one customer, for `flokk customer show`
//! and the customer page.

use super::customers_by_id::Coordinates;
use super::rows::*;
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use flokk_model::{
    Checkout, CustomEvent, Customer, EmailEvent, Order, Performance, StorefrontEvent, Subscription,
};
use rusqlite::{OptionalExtension, Row, params};
use std::collections::BTreeMap;

/// One customer with all their records.
#[derive(Debug, Clone)]
pub struct CustomerProfile {
    /// The customer record.
    pub customer: Customer,
    /// Coordinates of each address (given or placed by the gazetteer), in
    /// the order of `customer.addresses`.
    pub coordinates: Vec<Option<(f64, f64)>>,
    /// Orders, oldest first.
    pub orders: Vec<Order>,
    /// Abandoned checkouts, oldest first.
    pub checkouts: Vec<Checkout>,
    /// Email events, oldest first.
    pub email_events: Vec<EmailEvent>,
    /// Storefront events, oldest first.
    pub storefront_events: Vec<StorefrontEvent>,
    /// Custom events, oldest first.
    pub custom_events: Vec<CustomEvent>,
    /// Subscriptions (season tickets, memberships), by start.
    pub subscriptions: Vec<Subscription>,
    /// The performances the customer's ticket lines refer to (those known).
    pub performances: BTreeMap<String, Performance>,
}

fn rows<T>(
    store: &Store,
    sql: &str,
    cid: i64,
    read: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = store.conn.prepare_cached(sql)?;
    let mut rows = stmt.query([cid])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

impl Store {
    /// The customer record with this id (lists, addresses and properties
    /// included, no orders or events), or `None`: what an export reads.
    pub fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        let conn = &self.conn;
        let found = conn
            .prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1"
            ))?
            .query_row([id], |r| Ok(customer_from_row(conn, r)))
            .optional()?;
        found.transpose()
    }

    /// The customer record with this id (as [`Store::customer`]) and its
    /// addresses' coordinates (given or placed by the gazetteer), without
    /// orders or events; or `None`. What a member list reads per member.
    pub fn customer_with_coordinates(
        &self,
        id: &str,
    ) -> Result<Option<(Customer, Coordinates)>, StoreError> {
        let Some(customer) = self.customer(id)? else {
            return Ok(None);
        };
        let cid = self.key_of(id)?;
        Ok(Some((customer, self.coordinates(cid)?)))
    }

    fn key_of(&self, id: &str) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    }

    fn coordinates(&self, cid: i64) -> Result<Coordinates, StoreError> {
        rows(
            self,
            "SELECT lat, lon FROM customer_addresses WHERE cid = ?1 ORDER BY pos",
            cid,
            |r| {
                let (lat, lon): (Option<f64>, Option<f64>) = (r.get(0)?, r.get(1)?);
                Ok(lat.zip(lon))
            },
        )
    }

    /// The customer with this id and all their records, or `None`.
    pub fn customer_profile(&self, id: &str) -> Result<Option<CustomerProfile>, StoreError> {
        let conn = &self.conn;
        let Some(customer) = self.customer(id)? else {
            return Ok(None);
        };
        let cid = self.key_of(id)?;
        let coordinates = self.coordinates(cid)?;
        let orders = rows(
            self,
            &format!(
                "SELECT {ORDER_COLUMNS} FROM orders o JOIN customers c ON c.cid = o.cid
                 WHERE o.cid = ?1 ORDER BY o.placed_at, o.oid"
            ),
            cid,
            |r| order_from_row(conn, r),
        )?;
        let checkouts = rows(
            self,
            &format!(
                "SELECT {CHECKOUT_COLUMNS} FROM checkouts k JOIN customers c ON c.cid = k.cid
                 WHERE k.cid = ?1 ORDER BY k.abandoned_at"
            ),
            cid,
            checkout_from_row,
        )?;
        let email_events = rows(
            self,
            &format!(
                "SELECT {EMAIL_EVENT_COLUMNS} FROM email_events e JOIN customers c ON c.cid = e.cid
                 WHERE e.cid = ?1 ORDER BY e.at, e.eid"
            ),
            cid,
            email_event_from_row,
        )?;
        let storefront_events = rows(
            self,
            &format!(
                "SELECT {STOREFRONT_EVENT_COLUMNS} FROM storefront_events e
                 JOIN customers c ON c.cid = e.cid WHERE e.cid = ?1 ORDER BY e.at, e.eid"
            ),
            cid,
            storefront_event_from_row,
        )?;
        let custom_events = rows(
            self,
            &format!(
                "SELECT {CUSTOM_EVENT_COLUMNS} FROM custom_events e
                 JOIN customers c ON c.cid = e.cid WHERE e.cid = ?1 ORDER BY e.at, e.eid"
            ),
            cid,
            custom_event_from_row,
        )?;
        let subscriptions = rows(
            self,
            &format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s JOIN customers c
                 ON c.cid = s.cid WHERE s.cid = ?1 ORDER BY s.starts, s.id"
            ),
            cid,
            subscription_from_row,
        )?;
        let mut performances = BTreeMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, production_id, venue_id, starts_at FROM performances WHERE id = ?1",
        )?;
        for line in orders.iter().flat_map(|o| &o.lines) {
            let Some(pid) = &line.performance_id else {
                continue;
            };
            if performances.contains_key(pid) {
                continue;
            }
            let p = stmt
                .query_row(params![pid], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })
                .optional()?;
            if let Some((id, production_id, venue_id, starts_at)) = p {
                let starts_at = from_nanos(starts_at)?;
                performances.insert(
                    id.clone(),
                    Performance {
                        id,
                        production_id,
                        venue_id,
                        starts_at,
                    },
                );
            }
        }
        Ok(Some(CustomerProfile {
            customer,
            coordinates,
            orders,
            checkouts,
            email_events,
            storefront_events,
            custom_events,
            subscriptions,
            performances,
        }))
    }
}
