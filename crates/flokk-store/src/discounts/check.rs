//! May this customer use this code now, on an order of this subtotal?
//! (`flokk discount check`, `GET /api/discounts/check`, cli.md's `reason`.)
//!
//! Every step is a primary-key or index lookup (uses in all read only the
//! orders that used a code), so a checkout can ask per request.

use super::codes::code_key;
use super::redemptions;
use crate::error::StoreError;
use crate::schema::time::to_nanos;
use crate::store::Store;
use flokk_model::Money;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// Why a customer may not use a code now (cli.md's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckReason {
    /// No discount has the code.
    Unknown,
    /// Outside the validity window (not started yet, or ended).
    Expired,
    /// The code was not issued to this customer.
    NotIssued,
    /// The customer is no longer in the segment (or list).
    NotInSegment,
    /// The customer's uses, or all uses, are spent.
    UsedUp,
    /// The order's subtotal is below the discount's minimum.
    BelowMinimum,
}

/// A discount's rules as the check reads them: id, audience, starts,
/// ends, uses per customer, uses in all.
type Rules<'a> = (
    i64,
    &'a str,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// The answer to a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountCheck {
    /// `None` when the code may be used, else the first reason it may not.
    pub reason: Option<CheckReason>,
    /// The least order subtotal the discount applies to, when it has one
    /// and the code is known: a checkout that did not send its subtotal
    /// learns the rule it still has to apply.
    pub minimum: Option<Money>,
}

impl Store {
    /// May `customer` (an id) use `code` at `now` on an order of `subtotal`?
    /// The first reason in the order: unknown, expired, not issued, not in
    /// the segment, used up, below the minimum.
    ///
    /// The minimum comes last (a decision): it is the one reason the
    /// customer can remedy in the cart, so it is reported only when nothing
    /// else stands in the way. Without a subtotal the minimum is not
    /// judged: the answer is valid and carries `minimum`, because a
    /// checkout that asks before the cart is final must not be told "no"
    /// for an amount it never gave. The subtotal is the order's before this
    /// discount (as Shopify's "minimum purchase amount" is); equal to the
    /// minimum is enough. Amounts compare exactly, as [`Money`].
    pub fn check_discount_code(
        &self,
        code: &str,
        customer: &str,
        now: Timestamp,
        subtotal: Option<Money>,
    ) -> Result<DiscountCheck, StoreError> {
        let key = code_key(code);
        let conn = &self.conn;
        // did, audience, starts_at, ends_at, uses_per_customer, uses, minimum.
        type Row = (
            i64,
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<String>,
        );
        let found: Option<Row> = conn
            .prepare_cached(
                "SELECT d.did, d.audience, d.starts_at, d.ends_at, d.uses_per_customer, d.uses,
                        d.minimum
                 FROM discount_codes k JOIN discounts d ON d.did = k.did WHERE k.code_key = ?1",
            )?
            .query_row([&key], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        let Some((did, audience, starts, ends, per_customer, uses, minimum)) = found else {
            return Ok(DiscountCheck {
                reason: Some(CheckReason::Unknown),
                minimum: None,
            });
        };
        // Stored only after `checked_amount` accepted it, so it parses.
        let minimum = minimum
            .map(|m| {
                Money::parse(&m)
                    .map_err(|e| StoreError::Corrupt(format!("the minimum of a discount: {e}")))
            })
            .transpose()?;
        let reason = self.reason(
            &key,
            customer.trim(),
            now,
            (did, &audience, starts, ends, per_customer, uses),
        )?;
        let reason = reason.or_else(|| match (subtotal, minimum) {
            (Some(s), Some(m)) if s < m => Some(CheckReason::BelowMinimum),
            _ => None,
        });
        Ok(DiscountCheck { reason, minimum })
    }

    /// The first reason before the minimum, if any.
    fn reason(
        &self,
        key: &str,
        customer: &str,
        now: Timestamp,
        (did, audience, starts, ends, per_customer, uses): Rules<'_>,
    ) -> Result<Option<CheckReason>, StoreError> {
        let conn = &self.conn;
        let now = to_nanos(now).unwrap_or(i64::MAX);
        if starts.is_some_and(|s| now < s) || ends.is_some_and(|e| now >= e) {
            return Ok(Some(CheckReason::Expired));
        }
        let issued: Option<String> = conn
            .prepare_cached(
                "SELECT code_key FROM discount_issued WHERE did = ?1 AND customer_id = ?2",
            )?
            .query_row(params![did, customer], |r| r.get(0))
            .optional()?;
        if issued.as_deref() != Some(key) {
            return Ok(Some(CheckReason::NotIssued));
        }
        if !in_audience(conn, audience, customer)? {
            return Ok(Some(CheckReason::NotInSegment));
        }
        if let Some(limit) = per_customer {
            let used: i64 = conn
                .prepare_cached(
                    "SELECT count(DISTINCT o.oid) FROM customers c
                     JOIN orders o ON o.cid = c.cid, json_each(o.discount_codes) j
                     WHERE c.id = ?1 AND o.cancelled = 0 AND o.discount_codes IS NOT NULL
                       AND upper(trim(j.value)) = ?2",
                )?
                .query_row(params![customer, key], |r| r.get(0))?;
            if used >= limit {
                return Ok(Some(CheckReason::UsedUp));
            }
        }
        if let Some(limit) = uses {
            let (used, _) = redemptions(conn, did)?;
            if used as i64 >= limit {
                return Ok(Some(CheckReason::UsedUp));
            }
        }
        Ok(None)
    }
}

/// Whether the customer is in the audience now: a live segment's stored
/// members (kept current by every write's sync), else a list's.
fn in_audience(conn: &Connection, audience: &str, customer: &str) -> Result<bool, StoreError> {
    let key = audience.to_lowercase();
    let segment: Option<i64> = conn
        .prepare_cached("SELECT sid FROM segments WHERE name_key = ?1 AND deleted_at IS NULL")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    let member = match segment {
        Some(sid) => conn
            .prepare_cached(
                "SELECT 1 FROM customers c JOIN segment_members m ON m.cid = c.cid
                 WHERE c.id = ?1 AND m.sid = ?2",
            )?
            .query_row(params![customer, sid], |_| Ok(()))
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT 1 FROM customer_lists l
                 JOIN customer_list_members m ON m.lid = l.lid
                 JOIN customers c ON c.cid = m.cid AND c.id = m.customer_id
                 WHERE l.name_key = ?1 AND c.id = ?2",
            )?
            .query_row(params![key, customer], |_| Ok(()))
            .optional()?,
    };
    Ok(member.is_some())
}
