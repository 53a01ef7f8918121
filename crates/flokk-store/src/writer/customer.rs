//! Customer upserts and patches.

use super::{ApplyError, Writer, nanos};
use crate::readers::rows::{CUSTOMER_COLUMNS, customer_from_row};
use flokk_model::{Address, Customer, CustomerPatch};
use rusqlite::{OptionalExtension, params};

impl Writer<'_> {
    pub(crate) fn upsert_customer(&mut self, c: &Customer) -> Result<(), ApplyError> {
        let created_at = c.created_at.map(|t| nanos("created_at", t)).transpose()?;
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
            .query_row([&c.id], |r| r.get(0))
            .optional()?;
        let sql = if existing.is_some() {
            "UPDATE customers SET email = ?2, phone = ?3, first_name = ?4, last_name = ?5,
                title = ?6, gender = ?7, birth_date = ?8, language = ?9, created_at = ?10,
                account_status = ?11, email_subscription = ?12, sms_subscription = ?13,
                product_subscription = ?14, note = ?15, tax_exempt = ?16,
                created_by_app_id = ?17
             WHERE id = ?1"
        } else {
            "INSERT INTO customers(id, email, phone, first_name, last_name, title, gender,
                birth_date, language, created_at, account_status, email_subscription,
                sms_subscription, product_subscription, note, tax_exempt, created_by_app_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        };
        self.tx.prepare_cached(sql)?.execute(params![
            c.id,
            c.email,
            c.phone,
            c.first_name,
            c.last_name,
            c.title,
            c.gender.map(|g| g.as_str()),
            c.birth_date.map(|d| d.to_string()),
            c.language,
            created_at,
            c.account_status.map(|s| s.as_str()),
            c.email_subscription.map(|s| s.as_str()),
            c.sms_subscription.map(|s| s.as_str()),
            c.product_subscription.map(|s| s.as_str()),
            c.note,
            c.tax_exempt,
            c.created_by_app_id,
        ])?;
        let cid = match existing {
            Some(cid) => {
                // Only a replaced customer has old lists to clear.
                self.clear_customer_children(cid)?;
                cid
            }
            None => self.tx.last_insert_rowid(),
        };
        self.remember_customer(&c.id, cid);
        self.insert_list(
            "INSERT INTO customer_tags(cid, pos, tag) VALUES (?1, ?2, ?3)",
            cid,
            &c.tags,
        )?;
        self.insert_list(
            "INSERT INTO customer_permissions(cid, pos, permission) VALUES (?1, ?2, ?3)",
            cid,
            &c.permissions,
        )?;
        self.insert_list(
            "INSERT INTO customer_companies(cid, pos, company_id) VALUES (?1, ?2, ?3)",
            cid,
            &c.companies,
        )?;
        for (pos, a) in c.addresses.iter().enumerate() {
            self.insert_address(cid, pos, a)?;
        }
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO customer_properties(cid, key, type, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (key, value) in &c.properties {
            let json = serde_json::to_string(value).expect("property values serialise");
            stmt.execute(params![cid, key, value.type_name(), json])?;
        }
        Ok(())
    }

    /// Applies a `customer_patch`: the stored customer with the patch's
    /// fields, written as a whole customer (so the change is
    /// `customer_changed`, as for a `customer` record). An unknown id is
    /// refused, never a new customer.
    pub(crate) fn patch_customer(&mut self, p: &CustomerPatch) -> Result<(), ApplyError> {
        let base = {
            let mut stmt = self.tx.prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1"
            ))?;
            let mut rows = stmt.query([&p.id])?;
            match rows.next()? {
                Some(row) => Some(customer_from_row(&self.tx, row)?),
                None => None,
            }
        };
        let Some(base) = base else {
            return Err(ApplyError::Invalid {
                field: "id".into(),
                reason: format!(
                    "`id`: no customer is known by '{}'; a customer_patch changes a known \
                     customer (a `customer` record creates one)",
                    p.id
                ),
            });
        };
        let patched = p.apply_to(&base).map_err(|e| ApplyError::Invalid {
            field: e.field().unwrap_or_else(|| "id".into()),
            reason: e.to_string(),
        })?;
        self.upsert_customer(&patched)
    }

    pub(crate) fn clear_customer_children(&mut self, cid: i64) -> Result<(), ApplyError> {
        for table in [
            "customer_tags",
            "customer_permissions",
            "customer_companies",
            "customer_addresses",
            "customer_properties",
        ] {
            self.tx
                .prepare_cached(&format!("DELETE FROM {table} WHERE cid = ?1"))?
                .execute([cid])?;
        }
        Ok(())
    }

    fn insert_list(&mut self, sql: &str, cid: i64, values: &[String]) -> Result<(), ApplyError> {
        if values.is_empty() {
            return Ok(());
        }
        let mut stmt = self.tx.prepare_cached(sql)?;
        for (pos, v) in values.iter().enumerate() {
            stmt.execute(params![cid, pos as i64, v])?;
        }
        Ok(())
    }

    fn insert_address(&mut self, cid: i64, pos: usize, a: &Address) -> Result<(), ApplyError> {
        let (lat, lon, geocoded) = match (a.lat, a.lon) {
            (Some(lat), Some(lon)) => (Some(lat), Some(lon), false),
            _ => match super::geocode::place(a) {
                Some((lat, lon)) => (Some(lat), Some(lon), true),
                None => (None, None, false),
            },
        };
        self.tx
            .prepare_cached(
                "INSERT INTO customer_addresses(cid, pos, address1, address2, company, city,
                    region, country, zip, phone, lat, lon, geocoded, is_default)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                cid, pos as i64, a.address1, a.address2, a.company, a.city, a.region, a.country,
                a.zip, a.phone, lat, lon, geocoded, a.default
            ])?;
        Ok(())
    }
}
