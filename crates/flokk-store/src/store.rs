//! Layer 3, the connection: opening the store (migrating its schema) and
//! what it says about itself. Each table group above adds its own entry
//! points (`impl Store`) in its folder. May use: `schema`, `error`.

use crate::error::StoreError;
use crate::schema::migrate;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The database file inside the data directory.
pub const DB_FILE: &str = "flokk.db";

/// A flokk store: one SQLite database in the data directory, the source of
/// truth for everything else.
pub struct Store {
    pub(crate) conn: Connection,
    dir: PathBuf,
}

impl Store {
    /// Opens the store in `dir`, creating the directory and the schema on
    /// first use and migrating an older schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let mut conn = Connection::open(dir.join(DB_FILE))?;
        // WAL with synchronous=FULL: a commit is durable once it returns, so an
        // acknowledged write survives a crash or power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // 256 MB of page cache: bulk imports touch many index pages at once.
        conn.pragma_update(None, "cache_size", -256_000)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrate(&mut conn)?;
        Ok(Store {
            conn,
            dir: dir.to_owned(),
        })
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of customers.
    pub fn customer_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Whether the store holds any record at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let any: i64 = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM customers) OR EXISTS(SELECT 1 FROM venues)
                 OR EXISTS(SELECT 1 FROM productions) OR EXISTS(SELECT 1 FROM performances)",
            [],
            |r| r.get(0),
        )?;
        Ok(any == 0)
    }

    /// The last committed change sequence number (0 for a new store).
    pub fn sequence(&self) -> Result<u64, StoreError> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM changes", [], |r| r.get(0))?;
        Ok(seq.unwrap_or(0) as u64)
    }

    /// The definitions version: moves whenever a segment definition or a
    /// setting is written, by any process (bumped by triggers in the
    /// writing transaction). One row, so polling it every second is cheap.
    pub fn definitions_version(&self) -> Result<u64, StoreError> {
        let version: i64 = self.conn.query_row(
            "SELECT version FROM definitions_version WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(version as u64)
    }

    /// How many rows each record table holds, for summaries and tests.
    pub fn table_counts(&self) -> Result<Vec<(&'static str, u64)>, StoreError> {
        const TABLES: &[&str] = &[
            "customers",
            "orders",
            "order_lines",
            "checkouts",
            "email_events",
            "storefront_events",
            "custom_events",
            "venues",
            "productions",
            "performances",
        ];
        TABLES
            .iter()
            .map(|t| {
                let n: i64 =
                    self.conn
                        .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
                Ok((*t, n as u64))
            })
            .collect()
    }
}

impl Store {
    /// The type of every custom property key (`namespace.key`), as the query
    /// checker needs it. A key whose values have several types takes the
    /// most common one; ties go to the first of Float, Date, String,
    /// Boolean, List (the engine reads values by the same rule).
    pub fn property_types(&self) -> Result<Vec<(String, &'static str)>, StoreError> {
        const ORDER: [&str; 5] = ["Float", "Date", "String", "Boolean", "List"];
        let mut stmt = self.conn.prepare(
            "SELECT key, type, count(*) FROM customer_properties GROUP BY key, type ORDER BY key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out: Vec<(String, &'static str, i64)> = Vec::new();
        for row in rows {
            let (key, ty, n) = row?;
            let Some(ty) = ORDER.iter().find(|t| **t == ty) else {
                return Err(StoreError::Corrupt(format!("property type {ty:?}")));
            };
            let rank = |t: &str| ORDER.iter().position(|x| *x == t);
            match out.last_mut() {
                Some(last) if last.0 == key => {
                    if n > last.2 || (n == last.2 && rank(ty) < rank(last.1)) {
                        last.1 = ty;
                        last.2 = n;
                    }
                }
                _ => out.push((key, ty, n)),
            }
        }
        Ok(out.into_iter().map(|(k, t, _)| (k, t)).collect())
    }
}
