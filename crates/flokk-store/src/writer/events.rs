//! Email, storefront and custom events. With an id they upsert; without
//! one they are appended.

use super::{ApplyError, Writer, nanos};
use flokk_model::{CustomEvent, EmailEvent, StorefrontEvent};
use rusqlite::{OptionalExtension, params};

impl Writer<'_> {
    /// Touches the previous owner of an event being replaced, in case it
    /// moved to another customer.
    fn touch_previous(&mut self, sql: &str, id: &Option<String>) -> Result<(), ApplyError> {
        if let Some(id) = id {
            let old: Option<i64> = self
                .tx
                .prepare_cached(sql)?
                .query_row([id], |r| r.get(0))
                .optional()?;
            if let Some(old) = old {
                self.touch_customer(old);
            }
        }
        Ok(())
    }

    pub(crate) fn put_email_event(&mut self, e: &EmailEvent) -> Result<(), ApplyError> {
        let cid = self.customer_key(&e.customer_id)?;
        let at = nanos("at", e.at)?;
        self.touch_previous("SELECT cid FROM email_events WHERE id = ?1", &e.id)?;
        self.tx
            .prepare_cached(
                "INSERT INTO email_events(id, cid, type, activity_id, at, machine_open, bounce_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) WHERE id IS NOT NULL DO UPDATE SET cid = excluded.cid, type = excluded.type,
                    activity_id = excluded.activity_id, at = excluded.at,
                    machine_open = excluded.machine_open, bounce_type = excluded.bounce_type",
            )?
            .execute(params![
                e.id,
                cid,
                e.event_type.as_str(),
                e.activity_id,
                at,
                e.machine_open,
                e.bounce_type.map(|b| b.as_str()),
            ])?;
        Ok(())
    }

    pub(crate) fn put_storefront_event(&mut self, e: &StorefrontEvent) -> Result<(), ApplyError> {
        let cid = self.customer_key(&e.customer_id)?;
        let at = nanos("at", e.at)?;
        self.touch_previous(
            "SELECT cid FROM storefront_events WHERE event_id = ?1",
            &e.event_id,
        )?;
        self.tx
            .prepare_cached(
                "INSERT INTO storefront_events(event_id, cid, type, item_id, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(event_id) WHERE event_id IS NOT NULL DO UPDATE SET cid = excluded.cid, type = excluded.type,
                    item_id = excluded.item_id, at = excluded.at",
            )?
            .execute(params![e.event_id, cid, e.event_type.as_str(), e.id, at])?;
        Ok(())
    }

    pub(crate) fn put_custom_event(&mut self, e: &CustomEvent) -> Result<(), ApplyError> {
        let cid = self.customer_key(&e.customer_id)?;
        let at = nanos("at", e.at)?;
        self.touch_previous("SELECT cid FROM custom_events WHERE id = ?1", &e.id)?;
        let props = (!e.properties.is_empty())
            .then(|| serde_json::to_string(&e.properties).expect("properties serialise"));
        self.tx
            .prepare_cached(
                "INSERT INTO custom_events(id, cid, name, at, properties)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) WHERE id IS NOT NULL DO UPDATE SET cid = excluded.cid, name = excluded.name,
                    at = excluded.at, properties = excluded.properties",
            )?
            .execute(params![e.id, cid, e.name, at, props])?;
        Ok(())
    }
}
