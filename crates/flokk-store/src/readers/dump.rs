//! `flokk dump`: the whole store as NDJSON, in an order that imports back
//! into an identical store (catalogue before the records that refer to it,
//! customers before their records, each kind in a stable order).

use super::rows::*;
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use flokk_model::{Performance, Production, Record, Venue};
use rusqlite::{Connection, Row};
use std::io::Write;

fn write_record(out: &mut dyn Write, record: &Record) -> Result<(), StoreError> {
    serde_json::to_writer(&mut *out, record).map_err(|e| StoreError::Io(e.into()))?;
    out.write_all(b"\n")?;
    Ok(())
}

fn each(
    conn: &Connection,
    sql: &str,
    out: &mut dyn Write,
    mut read: impl FnMut(&Row) -> Result<Record, StoreError>,
) -> Result<u64, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        write_record(out, &read(row)?)?;
        n += 1;
    }
    Ok(n)
}

/// Writes every record in the store to `out`, one JSON object a line.
/// Returns how many records were written.
pub fn dump(store: &Store, out: &mut dyn Write) -> Result<u64, StoreError> {
    let conn = &store.conn;
    // One read transaction, so the dump is a consistent snapshot even while
    // another process writes.
    conn.execute_batch("BEGIN")?;
    let result = dump_in_snapshot(conn, out);
    conn.execute_batch("COMMIT")?;
    result
}

fn dump_in_snapshot(conn: &Connection, out: &mut dyn Write) -> Result<u64, StoreError> {
    let mut n = 0;
    n += each(
        conn,
        &format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY id"),
        out,
        |r| Ok(Record::Customer(customer_from_row(conn, r)?)),
    )?;
    n += each(
        conn,
        "SELECT id, name, lat, lon, organisation FROM venues ORDER BY id",
        out,
        |r| {
            Ok(Record::Venue(Venue {
                id: r.get(0)?,
                name: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                organisation: r.get(4)?,
            }))
        },
    )?;
    n += each(
        conn,
        "SELECT id, name, organisation FROM productions ORDER BY id",
        out,
        |r| {
            Ok(Record::Production(Production {
                id: r.get(0)?,
                name: r.get(1)?,
                organisation: r.get(2)?,
            }))
        },
    )?;
    n += each(
        conn,
        "SELECT id, production_id, venue_id, starts_at FROM performances ORDER BY id",
        out,
        |r| {
            Ok(Record::Performance(Performance {
                id: r.get(0)?,
                production_id: r.get(1)?,
                venue_id: r.get(2)?,
                starts_at: from_nanos(r.get(3)?)?,
            }))
        },
    )?;
    n += each(
        conn,
        &format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN customers c ON c.cid = o.cid ORDER BY o.id"
        ),
        out,
        |r| Ok(Record::Order(order_from_row(conn, r)?)),
    )?;
    n += each(
        conn,
        &format!(
            "SELECT {CHECKOUT_COLUMNS} FROM checkouts k JOIN customers c ON c.cid = k.cid
             ORDER BY k.id"
        ),
        out,
        |r| Ok(Record::Checkout(checkout_from_row(r)?)),
    )?;
    // Events without an id keep their insertion order (eid), which a
    // re-import reproduces.
    n += each(
        conn,
        &format!(
            "SELECT {EMAIL_EVENT_COLUMNS} FROM email_events e JOIN customers c ON c.cid = e.cid
             ORDER BY e.eid"
        ),
        out,
        |r| Ok(Record::EmailEvent(email_event_from_row(r)?)),
    )?;
    n += each(
        conn,
        &format!(
            "SELECT {STOREFRONT_EVENT_COLUMNS} FROM storefront_events e
             JOIN customers c ON c.cid = e.cid ORDER BY e.eid"
        ),
        out,
        |r| Ok(Record::StorefrontEvent(storefront_event_from_row(r)?)),
    )?;
    n += each(
        conn,
        &format!(
            "SELECT {CUSTOM_EVENT_COLUMNS} FROM custom_events e JOIN customers c ON c.cid = e.cid
             ORDER BY e.eid"
        ),
        out,
        |r| Ok(Record::Event(custom_event_from_row(r)?)),
    )?;
    n += each(
        conn,
        &format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s JOIN customers c ON c.cid = s.cid
             ORDER BY s.id"
        ),
        out,
        |r| Ok(Record::Subscription(subscription_from_row(r)?)),
    )?;
    out.flush()?;
    Ok(n)
}
