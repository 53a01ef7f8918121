//! `delete` records. Deleting what does not exist is not an error (a delete
//! is idempotent, so replaying a file is safe).

use super::{ApplyError, Writer};
use flokk_model::{Delete, Entity};
use rusqlite::OptionalExtension;

impl Writer<'_> {
    pub(crate) fn delete(&mut self, d: &Delete) -> Result<(), ApplyError> {
        match d.entity {
            Entity::Customer => self.delete_customer(&d.id),
            Entity::Order => {
                let found: Option<(i64, i64)> = self
                    .tx
                    .prepare_cached("SELECT oid, cid FROM orders WHERE id = ?1")?
                    .query_row([&d.id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if let Some((oid, cid)) = found {
                    self.tx
                        .prepare_cached("DELETE FROM order_lines WHERE oid = ?1")?
                        .execute([oid])?;
                    self.tx
                        .prepare_cached("DELETE FROM orders WHERE oid = ?1")?
                        .execute([oid])?;
                    self.touch_customer(cid);
                }
                Ok(())
            }
            Entity::Checkout => self.delete_owned("checkouts", "id", &d.id),
            Entity::EmailEvent => self.delete_owned("email_events", "id", &d.id),
            Entity::StorefrontEvent => self.delete_owned("storefront_events", "event_id", &d.id),
            Entity::Event => self.delete_owned("custom_events", "id", &d.id),
            Entity::Subscription => self.delete_owned("subscriptions", "id", &d.id),
            Entity::Venue => self.delete_entity("venues", "venue", &d.id),
            Entity::Production => self.delete_entity("productions", "production", &d.id),
            Entity::Performance => self.delete_entity("performances", "performance", &d.id),
        }
    }

    fn delete_customer(&mut self, id: &str) -> Result<(), ApplyError> {
        let cid: Option<i64> = self
            .tx
            .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(cid) = cid else { return Ok(()) };
        self.clear_customer_children(cid)?;
        self.tx
            .prepare_cached(
                "DELETE FROM order_lines WHERE oid IN (SELECT oid FROM orders WHERE cid = ?1)",
            )?
            .execute([cid])?;
        for table in [
            "orders",
            "checkouts",
            "email_events",
            "storefront_events",
            "custom_events",
            "subscriptions",
        ] {
            self.tx
                .prepare_cached(&format!("DELETE FROM {table} WHERE cid = ?1"))?
                .execute([cid])?;
        }
        self.tx
            .prepare_cached("DELETE FROM customers WHERE cid = ?1")?
            .execute([cid])?;
        self.forget_customer(cid);
        self.touch_customer(cid);
        Ok(())
    }

    fn delete_owned(&mut self, table: &str, id_col: &str, id: &str) -> Result<(), ApplyError> {
        let cid: Option<i64> = self
            .tx
            .prepare_cached(&format!(
                "DELETE FROM {table} WHERE {id_col} = ?1 RETURNING cid"
            ))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        if let Some(cid) = cid {
            self.touch_customer(cid);
        }
        Ok(())
    }

    fn delete_entity(
        &mut self,
        table: &str,
        entity: &'static str,
        id: &str,
    ) -> Result<(), ApplyError> {
        let n = self
            .tx
            .prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?
            .execute([id])?;
        if n > 0 {
            self.touch_entity(entity, id);
        }
        Ok(())
    }
}
