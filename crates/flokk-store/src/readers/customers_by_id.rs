//! Every customer record in id order, in one pass: what an export of many
//! customers reads instead of one lookup per customer.
//!
//! Exports write customers in id order, which is not key (creation) order,
//! so the customers are read along their id index and each child table is
//! joined to them in the same order (one statement per table, SQLite doing
//! the per-customer lookups inside the statement) and merged by id. Memory
//! is one customer's rows at a time.

use super::children::Children;
use super::rows::{
    ADDRESS_COLUMNS, CUSTOMER_COLUMNS, address_from_row_at, customer_columns, property_value,
};
use crate::error::StoreError;
use crate::store::Store;
use flokk_model::Customer;
use rusqlite::Row;

/// Whether a scan goes on after a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanStep {
    /// Read the next customer.
    Continue,
    /// Stop here: the caller has all it wants.
    Stop,
}

fn id_and_text(r: &Row) -> Result<(String, String), StoreError> {
    Ok((r.get(0)?, r.get(1)?))
}

/// A child table's rows with the parent's id first, in id order.
fn by_id(columns: &str, table: &str, order: &str) -> String {
    format!(
        "SELECT c.id, {columns} FROM customers c JOIN {table} t ON t.cid = c.cid \
         ORDER BY c.id, t.{order}"
    )
}

impl Store {
    /// Calls `sink` with every customer record (lists, addresses and
    /// properties included, no orders or events: what [`Store::customer`]
    /// returns) in ascending id order, until it says [`ScanStep::Stop`].
    /// Runs in one read transaction, so it sees one consistent state.
    pub fn customers_by_id<E: From<StoreError>>(
        &self,
        mut sink: impl FnMut(Customer) -> Result<ScanStep, E>,
    ) -> Result<(), E> {
        self.conn.execute_batch("BEGIN").map_err(StoreError::from)?;
        let result = self.customers_by_id_in_snapshot(&mut sink);
        self.conn
            .execute_batch("COMMIT")
            .map_err(StoreError::from)?;
        result
    }

    fn customers_by_id_in_snapshot<E: From<StoreError>>(
        &self,
        sink: &mut impl FnMut(Customer) -> Result<ScanStep, E>,
    ) -> Result<(), E> {
        let conn = &self.conn;
        let prepare = |sql: &str| conn.prepare(sql).map_err(StoreError::from);
        let mut tags = prepare(&by_id("t.tag", "customer_tags", "pos"))?;
        let mut permissions = prepare(&by_id("t.permission", "customer_permissions", "pos"))?;
        let mut companies = prepare(&by_id("t.company_id", "customer_companies", "pos"))?;
        let address_columns: Vec<String> = ADDRESS_COLUMNS
            .split(", ")
            .map(|c| format!("t.{}", c.trim()))
            .collect();
        let mut addresses = prepare(&by_id(
            &address_columns.join(", "),
            "customer_addresses",
            "pos",
        ))?;
        let mut properties = prepare(&by_id("t.key, t.value", "customer_properties", "key"))?;
        let mut tags = Children::new(&mut tags, id_and_text)?;
        let mut permissions = Children::new(&mut permissions, id_and_text)?;
        let mut companies = Children::new(&mut companies, id_and_text)?;
        let mut addresses = Children::new(&mut addresses, |r| {
            Ok((r.get::<_, String>(0)?, address_from_row_at(r, 1)?.0))
        })?;
        let mut properties = Children::new(&mut properties, |r| {
            let value: String = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, String>(1)?, property_value(&value)?),
            ))
        })?;
        let mut customers = prepare(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY id"
        ))?;
        let mut rows = customers.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let (_, mut customer) = customer_columns(r)?;
            let id = customer.id.clone();
            customer.tags = tags.of(&id)?;
            customer.permissions = permissions.of(&id)?;
            customer.companies = companies.of(&id)?;
            customer.addresses = addresses.of(&id)?;
            customer.properties = properties.of(&id)?.into_iter().collect();
            if sink(customer)? == ScanStep::Stop {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_model::{Address, PropertyValue, Record};

    #[test]
    fn every_customer_in_id_order_as_one_lookup_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut writer = store.writer().unwrap();
        // Created in an order unlike their ids' order; some without children.
        for (i, id) in ["m", "b", "z", "a", "k"].into_iter().enumerate() {
            let mut c = Customer::stub(id);
            if i % 2 == 0 {
                c.tags = vec![format!("t{i}"), "all".into()];
                c.permissions = vec!["p".into()];
                c.companies = vec![format!("co{i}")];
                c.addresses = vec![
                    Address {
                        city: Some(format!("City {i}")),
                        ..Default::default()
                    },
                    Address {
                        zip: Some("0150".into()),
                        default: true,
                        ..Default::default()
                    },
                ];
                c.properties
                    .insert("points".into(), PropertyValue::Number(i as f64));
                c.properties
                    .insert("level".into(), PropertyValue::String("gold".into()));
            }
            writer.apply(&Record::Customer(c)).unwrap();
        }
        writer.commit().unwrap();
        let mut read = Vec::new();
        store
            .customers_by_id(|c| -> Result<ScanStep, StoreError> {
                read.push(c);
                Ok(ScanStep::Continue)
            })
            .unwrap();
        let ids: Vec<&str> = read.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "k", "m", "z"]);
        for c in &read {
            assert_eq!(Some(c), store.customer(&c.id).unwrap().as_ref(), "{}", c.id);
        }
        assert_eq!(read[3].tags, ["t0", "all"]);
        let mut first = Vec::new();
        store
            .customers_by_id(|c| -> Result<ScanStep, StoreError> {
                first.push(c.id);
                Ok(ScanStep::Stop)
            })
            .unwrap();
        assert_eq!(first, ["a"]);
    }

    #[test]
    fn child_rows_are_read_in_id_order_without_a_sort() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for sql in [
            by_id("t.tag", "customer_tags", "pos"),
            by_id("t.key, t.value", "customer_properties", "key"),
            format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY id"),
        ] {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            // A temporary b-tree would hold the whole table in memory.
            assert!(
                plan.iter().all(|step| !step.contains("TEMP B-TREE")),
                "{sql}: {plan:?}"
            );
        }
    }
}
