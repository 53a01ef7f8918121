//! Layer 4, static lists (`flokk list`, `flokk segment sample`): a frozen
//! set of customers under a name. Membership never moves with the data; a
//! customer deleted from the store simply is no longer found. Names are
//! unique regardless of case and never a segment's name (both name an
//! audience: `flokk tag add NAME`, `segment members NAME`).
//!
//! `file_rows.rs` reads the rows of a file of ids or emails.
//!
//! May use: `store`, `schema`, `error`.

pub(crate) mod file_rows;

use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

/// One row that named no customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UnknownRow {
    /// 1-based line of the file (of the data, for CSV after its header).
    pub line: u64,
    /// The id or email as written.
    pub value: String,
}

/// One row of a list to create: a customer id or an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// 1-based line it came from.
    pub line: u64,
    /// An id, or (with an `@`) an email.
    pub value: String,
}

/// A stored list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerList {
    /// Its name as written.
    pub name: String,
    /// Always `list` (the segment index shows lists beside segments).
    pub kind: &'static str,
    /// `file`, `freeze`, `sample` or `holdout`.
    pub source: String,
    /// The file or the segment it came from.
    pub origin: Option<String>,
    /// A sample's seed (to draw the same sample again).
    pub seed: Option<u64>,
    /// Customers on it (still in the store).
    pub count: u64,
    /// File rows that named no customer.
    pub unknown: Vec<UnknownRow>,
    /// When it was created.
    #[serde(serialize_with = "rfc3339")]
    pub created_at: Timestamp,
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

/// A list to create.
#[derive(Debug, Clone)]
pub struct NewList<'a> {
    /// Its name.
    pub name: &'a str,
    /// `file`, `freeze`, `sample` or `holdout`.
    pub source: &'a str,
    /// The file or segment it came from.
    pub origin: Option<&'a str>,
    /// A sample's seed.
    pub seed: Option<u64>,
    /// The customers, by id or email.
    pub rows: Vec<ListRow>,
}

/// The name as stored: trimmed, not empty, at most 255 characters.
pub fn validate_list_name(name: &str) -> Result<&str, StoreError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(StoreError::Invalid("a list name cannot be empty".into()));
    }
    if trimmed.chars().count() > 255 {
        return Err(StoreError::Invalid(
            "a list name can have at most 255 characters".into(),
        ));
    }
    Ok(trimmed)
}

impl Store {
    /// Creates the lists in one transaction (a sample and its hold-out are
    /// both written or neither). Refused, writing nothing: a name taken by
    /// a list or a segment, or given twice.
    pub fn create_lists(
        &self,
        lists: &[NewList<'_>],
        now: Timestamp,
    ) -> Result<Vec<CustomerList>, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let now = to_nanos(now).ok_or_else(|| StoreError::Invalid("time out of range".into()))?;
        let mut names = Vec::new();
        for list in lists {
            let name = validate_list_name(list.name)?;
            if names.contains(&name.to_lowercase()) {
                return Err(StoreError::Invalid(format!(
                    "the list name '{name}' is given twice"
                )));
            }
            names.push(name.to_lowercase());
            ensure_audience_name_free(&tx, name)?;
            let mut unknown = Vec::new();
            let mut members: Vec<(i64, String)> = Vec::new();
            for row in &list.rows {
                let found = resolve(&tx, &row.value)?;
                if found.is_empty() {
                    unknown.push(UnknownRow {
                        line: row.line,
                        value: row.value.clone(),
                    });
                }
                members.extend(found);
            }
            let unknown_json =
                serde_json::to_string(&unknown).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO customer_lists(name, name_key, source, origin, seed, unknown, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    name,
                    name.to_lowercase(),
                    list.source,
                    list.origin,
                    list.seed.map(|s| s as i64),
                    unknown_json,
                    now
                ],
            )?;
            let lid = tx.last_insert_rowid();
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO customer_list_members(lid, cid, customer_id) VALUES (?1, ?2, ?3)",
            )?;
            for (cid, id) in &members {
                insert.execute(params![lid, cid, id])?;
            }
        }
        let mut created = Vec::new();
        for list in lists {
            created.push(read_list(&tx, list.name.trim())?.expect("the list just written"));
        }
        tx.commit()?;
        Ok(created)
    }

    /// The list called `name` (any case).
    pub fn customer_list(&self, name: &str) -> Result<Option<CustomerList>, StoreError> {
        read_list(&self.conn, name)
    }

    /// Every list, by name.
    pub fn customer_lists(&self) -> Result<Vec<CustomerList>, StoreError> {
        let names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM customer_lists ORDER BY name_key")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut lists = Vec::new();
        for name in names {
            lists.extend(read_list(&self.conn, &name)?);
        }
        Ok(lists)
    }

    /// Every list's name with the store keys of its members still in the
    /// store, for the engine's `customer_lists`.
    pub fn list_memberships(&self) -> Result<Vec<(String, Vec<i64>)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT l.name, m.cid FROM customer_lists l
             JOIN customer_list_members m ON m.lid = l.lid
             JOIN customers c ON c.cid = m.cid AND c.id = m.customer_id
             ORDER BY l.lid, m.cid",
        )?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<(String, Vec<i64>)> = Vec::new();
        let mut names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM customer_lists ORDER BY lid")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            let cid: i64 = row.get(1)?;
            match out.last_mut() {
                Some((last, keys)) if *last == name => keys.push(cid),
                _ => out.push((name, vec![cid])),
            }
        }
        // Lists whose members all left the store are still lists (empty).
        names.retain(|n| !out.iter().any(|(o, _)| o == n));
        out.extend(names.into_iter().map(|n| (n, Vec::new())));
        Ok(out)
    }

    /// Deletes the list called `name`; returns it as it was.
    pub fn delete_list(&self, name: &str) -> Result<CustomerList, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let list = read_list(&tx, name)?
            .ok_or_else(|| StoreError::NotFound(format!("there is no list named '{name}'")))?;
        let lid: i64 = tx.query_row(
            "SELECT lid FROM customer_lists WHERE name_key = ?1",
            [name.trim().to_lowercase()],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM customer_list_members WHERE lid = ?1", [lid])?;
        tx.execute("DELETE FROM customer_lists WHERE lid = ?1", [lid])?;
        tx.commit()?;
        Ok(list)
    }
}

/// Refuses `name` when a list or a segment (live or deleted: a deleted
/// one can be restored) holds it.
fn ensure_audience_name_free(tx: &Transaction<'_>, name: &str) -> Result<(), StoreError> {
    let key = name.to_lowercase();
    let list: Option<String> = tx
        .query_row(
            "SELECT name FROM customer_lists WHERE name_key = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(held) = list {
        return Err(StoreError::Conflict(format!(
            "a list named '{held}' already exists (names are unique regardless of case)"
        )));
    }
    let segment: Option<String> = tx
        .query_row(
            "SELECT name FROM segments WHERE name_key = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(held) = segment {
        return Err(StoreError::Conflict(format!(
            "a segment named '{held}' already exists; a list needs a name no segment has"
        )));
    }
    Ok(())
}

/// The customers a row names: the customer with that id, else (for a value
/// with `@`) every customer with that email, ignoring case.
fn resolve(tx: &Transaction<'_>, value: &str) -> Result<Vec<(i64, String)>, StoreError> {
    let value = value.trim();
    if let Some(cid) = tx
        .prepare_cached("SELECT cid FROM customers WHERE id = ?1")?
        .query_row([value], |r| r.get::<_, i64>(0))
        .optional()?
    {
        return Ok(vec![(cid, value.to_owned())]);
    }
    if !value.contains('@') {
        return Ok(Vec::new());
    }
    // The exact spelling uses the email index; only a miss pays for a
    // case-insensitive scan.
    let by_email = |sql: &str| -> Result<Vec<(i64, String)>, StoreError> {
        Ok(tx
            .prepare_cached(sql)?
            .query_map([value], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?)
    };
    let exact = by_email("SELECT cid, id FROM customers WHERE email = ?1")?;
    if !exact.is_empty() {
        return Ok(exact);
    }
    by_email("SELECT cid, id FROM customers WHERE email = ?1 COLLATE NOCASE")
}

fn read_list(conn: &rusqlite::Connection, name: &str) -> Result<Option<CustomerList>, StoreError> {
    let row = conn
        .query_row(
            "SELECT lid, name, source, origin, seed, unknown, created_at FROM customer_lists
             WHERE name_key = ?1",
            [name.trim().to_lowercase()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((lid, name, source, origin, seed, unknown, created_at)) = row else {
        return Ok(None);
    };
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM customer_list_members m
         JOIN customers c ON c.cid = m.cid AND c.id = m.customer_id WHERE m.lid = ?1",
        [lid],
        |r| r.get(0),
    )?;
    Ok(Some(CustomerList {
        name,
        kind: "list",
        source,
        origin,
        seed: seed.map(|s| s as u64),
        count: count as u64,
        unknown: serde_json::from_str(&unknown).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        created_at: from_nanos(created_at)?,
    }))
}
