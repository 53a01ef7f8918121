//! Order upserts: the order row and its lines, replaced together. Amounts
//! are stored as whole ten-thousandths (`Money::units`), exactly.

use super::{ApplyError, Writer, json_list, nanos};
use flokk_model::{Checkout, Order, Subscription};
use rusqlite::{OptionalExtension, params};

impl Writer<'_> {
    pub(crate) fn upsert_order(&mut self, o: &Order) -> Result<(), ApplyError> {
        let cid = self.customer_key(&o.customer_id)?;
        let placed_at = nanos("placed_at", o.placed_at)?;
        // A re-imported order may have moved to another customer: both change.
        let previous: Option<(i64, i64)> = self
            .tx
            .prepare_cached("SELECT oid, cid FROM orders WHERE id = ?1")?
            .query_row([&o.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let oid = match previous {
            Some((oid, old_cid)) => {
                self.touch_customer(old_cid);
                self.tx
                    .prepare_cached(
                        "UPDATE orders SET cid = ?2, placed_at = ?3, total_units = ?4, refunded_units = ?5,
                            cancelled = ?6, channel = ?7, location_id = ?8, app_id = ?9, tags = ?10,
                            discount_codes = ?11
                         WHERE oid = ?1",
                    )?
                    .execute(params![
                        oid,
                        cid,
                        placed_at,
                        o.total.units(),
                        o.refunded.units(),
                        o.cancelled,
                        o.channel.map(|c| c.as_str()),
                        o.location_id,
                        o.app_id,
                        json_list(&o.tags),
                        json_list(&o.discount_codes),
                    ])?;
                self.tx
                    .prepare_cached("DELETE FROM order_lines WHERE oid = ?1")?
                    .execute([oid])?;
                oid
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO orders(id, cid, placed_at, total_units, refunded_units, cancelled,
                            channel, location_id, app_id, tags, discount_codes)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    )?
                    .execute(params![
                        o.id,
                        cid,
                        placed_at,
                        o.total.units(),
                        o.refunded.units(),
                        o.cancelled,
                        o.channel.map(|c| c.as_str()),
                        o.location_id,
                        o.app_id,
                        json_list(&o.tags),
                        json_list(&o.discount_codes),
                    ])?;
                self.tx.last_insert_rowid()
            }
        };
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO order_lines(oid, pos, product_id, performance_id, title, tags, category,
                vendor, sku, quantity, price_units)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (pos, l) in o.lines.iter().enumerate() {
            stmt.execute(params![
                oid,
                pos as i64,
                l.product_id,
                l.performance_id,
                l.title,
                json_list(&l.tags),
                l.category,
                l.vendor,
                l.sku,
                l.quantity,
                l.price.units(),
            ])?;
        }
        Ok(())
    }

    pub(crate) fn upsert_checkout(&mut self, c: &Checkout) -> Result<(), ApplyError> {
        let cid = self.customer_key(&c.customer_id)?;
        let at = nanos("abandoned_at", c.abandoned_at)?;
        let old: Option<i64> = self
            .tx
            .prepare_cached("SELECT cid FROM checkouts WHERE id = ?1")?
            .query_row([&c.id], |r| r.get(0))
            .optional()?;
        if let Some(old) = old {
            self.touch_customer(old);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO checkouts(id, cid, abandoned_at, total_units) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET cid = excluded.cid,
                    abandoned_at = excluded.abandoned_at, total_units = excluded.total_units",
            )?
            .execute(params![c.id, cid, at, c.total.units()])?;
        Ok(())
    }

    /// A subscription, by id (a new customer's replaces an old one's, and
    /// both customers change).
    pub(crate) fn upsert_subscription(&mut self, s: &Subscription) -> Result<(), ApplyError> {
        let cid = self.customer_key(&s.customer_id)?;
        let old: Option<i64> = self
            .tx
            .prepare_cached("SELECT cid FROM subscriptions WHERE id = ?1")?
            .query_row([&s.id], |r| r.get(0))
            .optional()?;
        if let Some(old) = old {
            self.touch_customer(old);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO subscriptions(id, cid, plan, starts, ends, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET cid = excluded.cid, plan = excluded.plan,
                    starts = excluded.starts, ends = excluded.ends, status = excluded.status",
            )?
            .execute(params![
                s.id,
                cid,
                s.plan,
                s.starts.to_string(),
                s.ends.map(|d| d.to_string()),
                s.status.as_str()
            ])?;
        Ok(())
    }
}
