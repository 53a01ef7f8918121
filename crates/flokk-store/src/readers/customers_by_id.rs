//! Every customer record in id order, in one pass: what an export of many
//! customers and a long member list read instead of one lookup per
//! customer.
//!
//! When the store's keys are in id order (the usual case: ids that grow
//! with creation, as Shopify's do), the customers and each child table are
//! read along their primary keys, sequentially, and merged by key. Otherwise
//! the customers are read along their id index and each child table is
//! joined to them in the same order (one statement per table, SQLite doing
//! the per-customer lookups inside the statement) and merged by id. Both
//! read the same records; memory is one customer's rows at a time.

use super::children::Children;
use super::rows::{
    ADDRESS_COLUMNS, CUSTOMER_COLUMNS, address_from_row_at, customer_columns, property_value,
};
use crate::error::StoreError;
use crate::store::Store;
use flokk_model::Customer;
use rusqlite::types::FromSql;
use rusqlite::{Row, Statement};

/// Whether a scan goes on after a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanStep {
    /// Read the next customer.
    Continue,
    /// Stop here: the caller has all it wants.
    Stop,
}

/// The coordinates of each address of a customer (given or placed by the
/// gazetteer), in address order.
pub type Coordinates = Vec<Option<(f64, f64)>>;

/// Which of a customer's child rows a bulk read fills in; the others are
/// left empty and their tables not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerParts {
    /// `tags`.
    pub tags: bool,
    /// `permissions` and `companies`.
    pub grants: bool,
    /// `addresses` (and their coordinates).
    pub addresses: bool,
    /// `properties`.
    pub properties: bool,
}

impl CustomerParts {
    /// The whole record, as [`Store::customer`] reads it.
    pub const WHOLE: CustomerParts = CustomerParts {
        tags: true,
        grants: true,
        addresses: true,
        properties: true,
    };
}

/// Which order the customers are read in, and so what the children are
/// merged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Along the primary keys (key order is id order).
    ByKey,
    /// Along the id index, children joined to it.
    ById,
}

impl Reading {
    /// A child table's `columns` with the parent's merge key first.
    fn children(self, columns: &str, table: &str, order: &str) -> String {
        match self {
            Reading::ByKey => format!("SELECT cid, {columns} FROM {table} ORDER BY cid, {order}"),
            Reading::ById => {
                let columns: Vec<String> = columns
                    .split(", ")
                    .map(|c| format!("t.{}", c.trim()))
                    .collect();
                format!(
                    "SELECT c.id, {} FROM customers c JOIN {table} t ON t.cid = c.cid \
                     ORDER BY c.id, t.{order}",
                    columns.join(", ")
                )
            }
        }
    }

    fn customers(self) -> String {
        let order = match self {
            Reading::ByKey => "cid",
            Reading::ById => "id",
        };
        format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY {order}")
    }
}

fn keyed_text<K: FromSql>(r: &Row) -> Result<(K, String), StoreError> {
    Ok((r.get(0)?, r.get(1)?))
}

/// An address and its coordinates.
type Placed = (flokk_model::Address, Option<(f64, f64)>);

fn keyed_address<K: FromSql>(r: &Row) -> Result<(K, Placed), StoreError> {
    Ok((r.get(0)?, address_from_row_at(r, 1)?))
}

fn keyed_property<K: FromSql>(
    r: &Row,
) -> Result<(K, (String, flokk_model::PropertyValue)), StoreError> {
    let value: String = r.get(2)?;
    Ok((r.get(0)?, (r.get(1)?, property_value(&value)?)))
}

/// The statements reading a customer's children, those asked for.
struct ChildStatements<'c> {
    tags: Option<Statement<'c>>,
    permissions: Option<Statement<'c>>,
    companies: Option<Statement<'c>>,
    addresses: Option<Statement<'c>>,
    properties: Option<Statement<'c>>,
}

/// The children of `statement`, when it is read.
fn children<'s, K, T>(
    statement: &'s mut Option<Statement<'_>>,
    read: fn(&Row) -> Result<(K, T), StoreError>,
) -> Result<Option<Children<'s, K, T>>, StoreError> {
    statement
        .as_mut()
        .map(|s| Children::new(s, read))
        .transpose()
}

/// The children of `key` in `children`, none when it is not read.
fn of<K: Ord, T>(children: &mut Option<Children<'_, K, T>>, key: &K) -> Result<Vec<T>, StoreError> {
    match children {
        Some(c) => c.of(key),
        None => Ok(Vec::new()),
    }
}

impl Store {
    /// Calls `sink` with every customer record (with the `parts` asked for:
    /// [`CustomerParts::WHOLE`] is what [`Store::customer`] returns; no
    /// orders or events) and its addresses' coordinates, in ascending id
    /// order, until it says [`ScanStep::Stop`]. Runs in one read
    /// transaction, so it sees one consistent state.
    pub fn customers_by_id<E: From<StoreError>>(
        &self,
        parts: CustomerParts,
        mut sink: impl FnMut(Customer, Coordinates) -> Result<ScanStep, E>,
    ) -> Result<(), E> {
        self.conn.execute_batch("BEGIN").map_err(StoreError::from)?;
        let result = self
            .reading_in_id_order()
            .map_err(E::from)
            .and_then(|reading| self.customers_in_snapshot(reading, parts, &mut sink));
        self.conn
            .execute_batch("COMMIT")
            .map_err(StoreError::from)?;
        result
    }

    /// How to read customers in id order: by key when ascending ids have
    /// ascending keys. Reads the id index only (no table rows), a small
    /// part of what the export reads after it.
    fn reading_in_id_order(&self) -> Result<Reading, StoreError> {
        let mut stmt = self.conn.prepare("SELECT cid FROM customers ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut last = i64::MIN;
        while let Some(r) = rows.next()? {
            let cid: i64 = r.get(0)?;
            if cid <= last {
                return Ok(Reading::ById);
            }
            last = cid;
        }
        Ok(Reading::ByKey)
    }

    fn customers_in_snapshot<E: From<StoreError>>(
        &self,
        reading: Reading,
        parts: CustomerParts,
        sink: &mut impl FnMut(Customer, Coordinates) -> Result<ScanStep, E>,
    ) -> Result<(), E> {
        let conn = &self.conn;
        let prepare = |sql: String| conn.prepare(&sql).map_err(StoreError::from);
        let prepare_if = |wanted: bool, columns: &str, table: &str, order: &str| {
            wanted
                .then(|| prepare(reading.children(columns, table, order)))
                .transpose()
        };
        let mut statements = ChildStatements {
            tags: prepare_if(parts.tags, "tag", "customer_tags", "pos")?,
            permissions: prepare_if(parts.grants, "permission", "customer_permissions", "pos")?,
            companies: prepare_if(parts.grants, "company_id", "customer_companies", "pos")?,
            addresses: prepare_if(
                parts.addresses,
                ADDRESS_COLUMNS,
                "customer_addresses",
                "pos",
            )?,
            properties: prepare_if(parts.properties, "key, value", "customer_properties", "key")?,
        };
        let mut customers = prepare(reading.customers())?;
        match reading {
            Reading::ByKey => merge(&mut customers, &mut statements, |cid, _| cid, sink),
            Reading::ById => merge(&mut customers, &mut statements, |_, c| c.id.clone(), sink),
        }
    }
}

/// Reads the customers of `customers` and merges each child statement's
/// rows into them on the key `key_of` gives (the children's first column).
fn merge<K: FromSql + Ord, E: From<StoreError>>(
    customers: &mut Statement<'_>,
    statements: &mut ChildStatements<'_>,
    key_of: fn(i64, &Customer) -> K,
    sink: &mut impl FnMut(Customer, Coordinates) -> Result<ScanStep, E>,
) -> Result<(), E> {
    let mut tags = children(&mut statements.tags, keyed_text::<K>)?;
    let mut permissions = children(&mut statements.permissions, keyed_text::<K>)?;
    let mut companies = children(&mut statements.companies, keyed_text::<K>)?;
    let mut addresses = children(&mut statements.addresses, keyed_address::<K>)?;
    let mut properties = children(&mut statements.properties, keyed_property::<K>)?;
    let mut rows = customers.query([]).map_err(StoreError::from)?;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let (cid, mut customer) = customer_columns(r)?;
        let key = key_of(cid, &customer);
        customer.tags = of(&mut tags, &key)?;
        customer.permissions = of(&mut permissions, &key)?;
        customer.companies = of(&mut companies, &key)?;
        let (list, coordinates): (Vec<_>, Vec<_>) = of(&mut addresses, &key)?.into_iter().unzip();
        customer.addresses = list;
        customer.properties = of(&mut properties, &key)?.into_iter().collect();
        if sink(customer, coordinates)? == ScanStep::Stop {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_model::{Address, PropertyValue, Record};

    /// A store of customers created in the order `ids` gives, every other
    /// one with lists, addresses and properties.
    fn store_of(ids: &[&str]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut writer = store.writer().unwrap();
        for (i, id) in ids.iter().enumerate() {
            let mut c = Customer::stub(*id);
            if i % 2 == 0 {
                c.tags = vec![format!("t{i}"), "all".into()];
                c.permissions = vec!["p".into()];
                c.companies = vec![format!("co{i}")];
                c.addresses = vec![
                    Address {
                        city: Some(format!("City {i}")),
                        lat: Some(59.9),
                        lon: Some(10.7),
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
        (dir, store)
    }

    fn read_all(store: &Store) -> Vec<(Customer, Coordinates)> {
        let mut read = Vec::new();
        store
            .customers_by_id(
                CustomerParts::WHOLE,
                |c, coordinates| -> Result<ScanStep, StoreError> {
                    read.push((c, coordinates));
                    Ok(ScanStep::Continue)
                },
            )
            .unwrap();
        read
    }

    #[test]
    fn every_customer_in_id_order_as_one_lookup_reads_it() {
        // Created in an order unlike their ids' order (read along the id
        // index), and in id order (read along the keys); some without
        // children.
        for (ids, reading) in [
            (["m", "b", "z", "a", "k"], Reading::ById),
            (["a", "b", "k", "m", "z"], Reading::ByKey),
        ] {
            let (_dir, store) = store_of(&ids);
            assert_eq!(store.reading_in_id_order().unwrap(), reading);
            let read = read_all(&store);
            let ids: Vec<&str> = read.iter().map(|(c, _)| c.id.as_str()).collect();
            assert_eq!(ids, ["a", "b", "k", "m", "z"]);
            for (c, coordinates) in &read {
                assert_eq!(Some(c), store.customer(&c.id).unwrap().as_ref(), "{}", c.id);
                assert_eq!(coordinates.len(), c.addresses.len(), "{}", c.id);
            }
            let m = read.iter().find(|(c, _)| c.id == "m").unwrap();
            let k = read.iter().find(|(c, _)| c.id == "k").unwrap();
            let (tagged, coordinates) = if reading == Reading::ById { m } else { k };
            assert_eq!(tagged.tags[1], "all", "{reading:?}");
            assert_eq!(coordinates[0], Some((59.9, 10.7)), "{reading:?}");
            // Parts left out are empty; the rest as a lookup reads them.
            let contact = CustomerParts {
                tags: true,
                grants: false,
                addresses: true,
                properties: false,
            };
            let mut partial = Vec::new();
            store
                .customers_by_id(contact, |c, _| -> Result<ScanStep, StoreError> {
                    partial.push(c);
                    Ok(ScanStep::Continue)
                })
                .unwrap();
            assert_eq!(partial.len(), read.len());
            for (c, (whole, _)) in partial.iter().zip(&read) {
                let mut want = whole.clone();
                want.permissions.clear();
                want.companies.clear();
                want.properties.clear();
                assert_eq!(c, &want);
            }
            let mut first = Vec::new();
            store
                .customers_by_id(
                    CustomerParts::WHOLE,
                    |c, _| -> Result<ScanStep, StoreError> {
                        first.push(c.id);
                        Ok(ScanStep::Stop)
                    },
                )
                .unwrap();
            assert_eq!(first, ["a"]);
        }
    }

    #[test]
    fn child_rows_are_read_in_id_order_without_a_sort() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for reading in [Reading::ById, Reading::ByKey] {
            for sql in [
                reading.children("tag", "customer_tags", "pos"),
                reading.children(ADDRESS_COLUMNS, "customer_addresses", "pos"),
                reading.children("key, value", "customer_properties", "key"),
                reading.customers(),
                "SELECT cid FROM customers ORDER BY id".to_owned(),
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
}
