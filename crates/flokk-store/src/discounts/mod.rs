//! Layer 4, discounts for a segment (`flokk discount`, `/api/discounts`):
//! the discount, its codes and who each was issued to, and what orders did
//! with them (redemptions are orders whose `discount_codes` hold one of
//! its codes).
//!
//! `codes.rs`: the code alphabet, drawing and checking codes.
//! `check.rs`: may a customer use a code now (a checkout's question).
//! `files.rs`: the codes as files (CSV, Matrixify's, Shopify GraphQL batches).
//! `amounts.rs`: the one place a discount's money is parsed.
//!
//! May use: `store`, `schema`, `error`.

pub(crate) mod amounts;
pub(crate) mod check;
pub(crate) mod codes;
pub(crate) mod files;

use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::store::Store;
use amounts::checked_amount;
use codes::{checked_code, checked_length, checked_prefix, code_key, draw_code};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

/// Percentage off or a fixed amount off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscountKind {
    /// `value` percent off (over 0, at most 100).
    Percent,
    /// `value` off, in the store's currency.
    Amount,
}

impl DiscountKind {
    fn as_str(self) -> &'static str {
        match self {
            DiscountKind::Percent => "percent",
            DiscountKind::Amount => "amount",
        }
    }
}

/// The codes of a new discount.
#[derive(Debug, Clone)]
pub enum NewCodes {
    /// One code every member may use.
    Shared(String),
    /// A code of its own for each member: `prefix` + `length` characters.
    Unique {
        /// Put before each code (upper-cased).
        prefix: String,
        /// Random characters after the prefix.
        length: usize,
    },
}

/// A discount to create.
#[derive(Debug, Clone)]
pub struct NewDiscount {
    /// Its name (unique regardless of case).
    pub name: String,
    /// The segment (or list) it is for, as saved.
    pub audience: String,
    /// Percentage or amount.
    pub kind: DiscountKind,
    /// The percentage or the amount, as written (decimal).
    pub value: String,
    /// The least order total it applies to.
    pub minimum: Option<String>,
    /// Valid from (inclusive).
    pub starts_at: Option<Timestamp>,
    /// Valid until (exclusive).
    pub ends_at: Option<Timestamp>,
    /// How many orders one customer may use it on.
    pub uses_per_customer: Option<u64>,
    /// How many orders may use it in all.
    pub uses: Option<u64>,
    /// The codes.
    pub codes: NewCodes,
}

/// A stored discount with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discount {
    /// Its name.
    pub name: String,
    /// The segment (or list) it was issued to.
    pub segment: String,
    /// `percent` or `amount`.
    pub kind: DiscountKind,
    /// The percentage or amount (decimal text, exact as given).
    pub value: String,
    /// The least order total, if any.
    pub minimum: Option<String>,
    /// Valid from.
    #[serde(serialize_with = "opt_rfc3339")]
    pub starts: Option<Timestamp>,
    /// Valid until.
    #[serde(serialize_with = "opt_rfc3339")]
    pub ends: Option<Timestamp>,
    /// Orders per customer.
    pub uses_per_customer: Option<u64>,
    /// Orders in all.
    pub uses: Option<u64>,
    /// The shared code, or `null` for unique codes.
    pub code: Option<String>,
    /// Whether each member has a code of their own.
    pub unique: bool,
    /// Customers it was issued to.
    pub issued: u64,
    /// Orders (not cancelled) that used one of its codes.
    pub redeemed: u64,
    /// Their total, less refunds.
    pub revenue: f64,
    /// When it was created.
    #[serde(serialize_with = "rfc3339")]
    pub created_at: Timestamp,
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

fn opt_rfc3339<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}

/// One issued code with its customer (for `discount codes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuedCode {
    /// The code.
    pub code: String,
    /// The customer's id.
    pub customer_id: String,
    /// Their email, if known.
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
}

/// A validity bound as given: `2026-06-01` (a store-local day: its
/// midnight, or with `end` the next midnight, so the day is included) or
/// an RFC 3339 instant.
pub fn discount_instant(
    text: &str,
    tz: &jiff::tz::TimeZone,
    end: bool,
) -> Result<Timestamp, StoreError> {
    if let Ok(t) = text.trim().parse::<Timestamp>() {
        return Ok(t);
    }
    let bad = || {
        StoreError::Invalid(format!(
            "{text:?} is not a day (YYYY-MM-DD) or an instant (RFC 3339)"
        ))
    };
    let day: jiff::civil::Date = text.trim().parse().map_err(|_| bad())?;
    let day = if end {
        day.tomorrow().map_err(|_| bad())?
    } else {
        day
    };
    Ok(day
        .to_zoned_datetime(tz.clone())
        .map_err(|_| bad())?
        .timestamp())
}

/// Why a discount could not be created.
fn invalid(why: impl Into<String>) -> StoreError {
    StoreError::Invalid(why.into())
}

impl Store {
    /// Creates the discount for `members` (customer ids) in one
    /// transaction; refused, writing nothing, for a taken name, a shared
    /// code another discount has, a percentage over 100, bad amounts,
    /// windows or limits.
    pub fn create_discount(
        &self,
        new: &NewDiscount,
        members: &[String],
        now: Timestamp,
    ) -> Result<Discount, StoreError> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(invalid("a discount name is 1 to 255 characters"));
        }
        let value = checked_amount("the value", &new.value)?;
        if new.kind == DiscountKind::Percent && value > 100.0 {
            return Err(invalid(format!(
                "a percentage is at most 100, not {}",
                new.value
            )));
        }
        if value <= 0.0 {
            return Err(invalid("a discount's value must be over 0"));
        }
        if let Some(m) = &new.minimum {
            checked_amount("the minimum", m)?;
        }
        if let (Some(s), Some(e)) = (new.starts_at, new.ends_at)
            && e <= s
        {
            return Err(invalid("the discount ends before it starts"));
        }
        if new.uses_per_customer == Some(0) || new.uses == Some(0) {
            return Err(invalid("a use limit is at least 1"));
        }
        if members.is_empty() {
            return Err(invalid(format!(
                "'{}' has no members to issue codes to",
                new.audience
            )));
        }
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT name FROM discounts WHERE name_key = ?1",
                [name.to_lowercase()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(taken) = taken {
            return Err(StoreError::Conflict(format!(
                "a discount named '{taken}' already exists"
            )));
        }
        let created = to_nanos(now).ok_or_else(|| invalid("time out of range"))?;
        let nanos = |t: Option<Timestamp>| t.and_then(to_nanos);
        tx.execute(
            "INSERT INTO discounts(name, name_key, audience, kind, value, minimum, starts_at,
                ends_at, uses_per_customer, uses, created_at, unique_codes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                name,
                name.to_lowercase(),
                new.audience,
                new.kind.as_str(),
                new.value.trim(),
                new.minimum.as_deref().map(str::trim),
                nanos(new.starts_at),
                nanos(new.ends_at),
                new.uses_per_customer.map(|n| n as i64),
                new.uses.map(|n| n as i64),
                created,
                matches!(new.codes, NewCodes::Unique { .. })
            ],
        )?;
        let did = tx.last_insert_rowid();
        let code_taken = |tx: &Transaction<'_>, key: &str| -> Result<bool, StoreError> {
            Ok(tx
                .prepare_cached("SELECT 1 FROM discount_codes WHERE code_key = ?1")?
                .query_row([key], |_| Ok(()))
                .optional()?
                .is_some())
        };
        let mut add_code = tx.prepare_cached(
            "INSERT INTO discount_codes(code_key, code, did) VALUES (?1, ?2, ?3)",
        )?;
        let mut issue = tx.prepare_cached(
            "INSERT OR IGNORE INTO discount_issued(did, customer_id, code_key) VALUES (?1, ?2, ?3)",
        )?;
        match &new.codes {
            NewCodes::Shared(code) => {
                let code = checked_code(code)?;
                let key = code_key(code);
                if code_taken(&tx, &key)? {
                    return Err(StoreError::Conflict(format!(
                        "the code '{code}' belongs to another discount (codes are unique regardless of case)"
                    )));
                }
                add_code.execute(params![key, code, did])?;
                for id in members {
                    issue.execute(params![did, id, key])?;
                }
            }
            NewCodes::Unique { prefix, length } => {
                let prefix = checked_prefix(prefix)?;
                checked_length(*length, members.len())?;
                for id in members {
                    // A drawn code that exists already (in any discount) is
                    // drawn again: codes never collide.
                    let code = loop {
                        let code = draw_code(prefix, *length);
                        if !code_taken(&tx, &code)? {
                            break code;
                        }
                    };
                    add_code.execute(params![code, code, did])?;
                    issue.execute(params![did, id, code])?;
                }
            }
        }
        drop(add_code);
        drop(issue);
        let discount = read_discount(&tx, name)?.expect("the discount just written");
        tx.commit()?;
        Ok(discount)
    }

    /// The discount called `name` (any case), with its redemptions.
    pub fn discount(&self, name: &str) -> Result<Option<Discount>, StoreError> {
        read_discount(&self.conn, name)
    }

    /// Every discount, by name.
    pub fn discounts(&self) -> Result<Vec<Discount>, StoreError> {
        let names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM discounts ORDER BY name_key")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for name in names {
            out.extend(read_discount(&self.conn, &name)?);
        }
        Ok(out)
    }

    /// The discount's codes with the customers they were issued to, by
    /// customer id (a shared code is on every member's row).
    pub fn discount_codes(&self, name: &str) -> Result<Vec<IssuedCode>, StoreError> {
        let did = discount_id(&self.conn, name)?
            .ok_or_else(|| StoreError::NotFound(format!("there is no discount named '{name}'")))?;
        let mut stmt = self.conn.prepare(
            "SELECT k.code, i.customer_id, c.email, c.first_name, c.last_name
             FROM discount_issued i
             JOIN discount_codes k ON k.code_key = i.code_key
             LEFT JOIN customers c ON c.id = i.customer_id
             WHERE i.did = ?1 ORDER BY i.customer_id",
        )?;
        let rows = stmt
            .query_map([did], |r| {
                Ok(IssuedCode {
                    code: r.get(0)?,
                    customer_id: r.get(1)?,
                    email: r.get(2)?,
                    first_name: r.get(3)?,
                    last_name: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The code of discount `name` issued to `customer` (an id), if any:
    /// what a campaign's `{{ discount_code }}` merge field shows that
    /// customer (the shared code, or their own unique code).
    pub fn issued_discount_code(
        &self,
        name: &str,
        customer: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT k.code FROM discounts d
                 JOIN discount_issued i ON i.did = d.did
                 JOIN discount_codes k ON k.code_key = i.code_key
                 WHERE d.name_key = ?1 AND i.customer_id = ?2",
            )?
            .query_row(params![name.trim().to_lowercase(), customer.trim()], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// Orders (not cancelled) that used a code of discount `did`, and their
/// total less refunds. Reads only orders with codes (a partial index).
/// Amounts are summed as the whole ten-thousandths they are stored as:
/// money is exact.
pub(super) fn redemptions(conn: &Connection, did: i64) -> Result<(u64, f64), StoreError> {
    let (n, units): (i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT count(*),
                    sum(total_units - refunded_units)
             FROM orders WHERE oid IN (
                 SELECT o.oid FROM orders o INDEXED BY orders_discounted,
                      json_each(o.discount_codes) j
                 JOIN discount_codes k ON k.code_key = upper(trim(j.value))
                 WHERE o.discount_codes IS NOT NULL AND o.cancelled = 0 AND k.did = ?1)",
        )?
        .query_row([did], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let revenue = flokk_model::Money::from_units(units.unwrap_or(0));
    Ok((n as u64, revenue.to_f64()))
}

fn discount_id(conn: &Connection, name: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT did FROM discounts WHERE name_key = ?1",
            [name.trim().to_lowercase()],
            |r| r.get(0),
        )
        .optional()?)
}

fn read_discount(conn: &Connection, name: &str) -> Result<Option<Discount>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
        bool,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT did, name, audience, kind, value, minimum, starts_at, ends_at,
                uses_per_customer, uses, created_at, unique_codes FROM discounts WHERE name_key = ?1",
            [name.trim().to_lowercase()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            },
        )
        .optional()?;
    let Some((
        did,
        name,
        audience,
        kind,
        value,
        minimum,
        starts,
        ends,
        per_customer,
        uses,
        created,
        unique,
    )) = row
    else {
        return Ok(None);
    };
    let shared: Option<String> = if unique {
        None
    } else {
        conn.query_row(
            "SELECT code FROM discount_codes WHERE did = ?1",
            [did],
            |r| r.get(0),
        )
        .optional()?
    };
    let issued: i64 = conn.query_row(
        "SELECT count(*) FROM discount_issued WHERE did = ?1",
        [did],
        |r| r.get(0),
    )?;
    let (redeemed, revenue) = redemptions(conn, did)?;
    let time = |t: Option<i64>| t.map(from_nanos).transpose();
    Ok(Some(Discount {
        name,
        segment: audience,
        kind: if kind == "percent" {
            DiscountKind::Percent
        } else {
            DiscountKind::Amount
        },
        value,
        minimum,
        starts: time(starts)?,
        ends: time(ends)?,
        uses_per_customer: per_customer.map(|n| n as u64),
        uses: uses.map(|n| n as u64),
        code: shared,
        unique,
        issued: issued as u64,
        redeemed,
        revenue,
        created_at: from_nanos(created)?,
    }))
}
