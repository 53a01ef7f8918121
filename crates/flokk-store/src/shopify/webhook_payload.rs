//! Shopify webhook payloads → the records the CSV import makes of the same
//! data.
//!
//! A webhook body is the Admin REST resource (customer, order, refund,
//! checkout; <https://shopify.dev/docs/api/webhooks/latest>, the example
//! payloads of each topic). To map a field exactly as the CSV import maps
//! it, a customer or order payload is written out as the rows of
//! Shopify's own customers or orders export (the JSON field each column
//! is made from is listed in [`CUSTOMER_FIELDS`] and [`ORDER_FIELDS`]) and
//! read back with [`ShopifyReader`]: one mapping, whichever way the data
//! came. What a payload has and the exports lack is added after:
//!
//! - a customer's `created_at`, its `state` as the account status, and the
//!   exact `email_marketing_consent.state` / `sms_marketing_consent.state`
//!   (`unsubscribed`, `pending`, ... where the export only says yes/no);
//! - an order's customer by `customer.id` (the export names only an email,
//!   which stays the fallback for orders without a customer object).
//!
//! Decisions where Shopify and flokk's records differ:
//! - **Refunds**: the refunded amount of an order is the sum of its refunds'
//!   successful `refund` transactions (the export's `Refunded Amount`).
//! - **Checkouts** (flokk keeps *abandoned* checkouts, data.md §1): a
//!   checkout not completed is one, abandoned at its last `updated_at`;
//!   once `completed_at` is set (or an order names it) it is removed. Its
//!   id is its `token` (the documented payloads have no `id`; orders name
//!   it by `checkout_token`). A
//!   checkout with neither a customer nor an email is nobody's and skipped.
//! - **Amounts** stay as Shopify writes them (`"199.00"`) until the export
//!   reader's `money` reads them, so both paths parse money in one place.

use super::cells::money;
use super::detect::col;
use super::{ReadError, ShopifyFormat, ShopifyReader, ShopifyRecord};
use flokk_model::{AccountStatus, Customer, Money, Order, SubscriptionStatus, Timestamp};
use serde_json::Value;
use std::fmt;

/// The webhook topics flokk takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// `customers/create`
    CustomersCreate,
    /// `customers/update`
    CustomersUpdate,
    /// `customers/delete`
    CustomersDelete,
    /// `orders/create`
    OrdersCreate,
    /// `orders/updated`
    OrdersUpdated,
    /// `orders/cancelled`
    OrdersCancelled,
    /// `refunds/create`
    RefundsCreate,
    /// `checkouts/create`
    CheckoutsCreate,
    /// `checkouts/update`
    CheckoutsUpdate,
}

impl Topic {
    /// Every topic flokk takes.
    pub const ALL: &'static [Topic] = &[
        Topic::CustomersCreate,
        Topic::CustomersUpdate,
        Topic::CustomersDelete,
        Topic::OrdersCreate,
        Topic::OrdersUpdated,
        Topic::OrdersCancelled,
        Topic::RefundsCreate,
        Topic::CheckoutsCreate,
        Topic::CheckoutsUpdate,
    ];

    /// The `X-Shopify-Topic` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::CustomersCreate => "customers/create",
            Topic::CustomersUpdate => "customers/update",
            Topic::CustomersDelete => "customers/delete",
            Topic::OrdersCreate => "orders/create",
            Topic::OrdersUpdated => "orders/updated",
            Topic::OrdersCancelled => "orders/cancelled",
            Topic::RefundsCreate => "refunds/create",
            Topic::CheckoutsCreate => "checkouts/create",
            Topic::CheckoutsUpdate => "checkouts/update",
        }
    }

    /// The topic of an `X-Shopify-Topic` header.
    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.iter().copied().find(|t| t.as_str() == s.trim())
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a payload says, in flokk's records.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A customer as it is now.
    Customer {
        /// The customer as the import maps it.
        customer: Customer,
        /// Its `updated_at`.
        updated_at: Option<Timestamp>,
        /// The fields the payload did not carry at all (kept as stored).
        unsent: Unsent,
    },
    /// A customer removed.
    CustomerDeleted {
        /// Its id.
        id: String,
    },
    /// An order as it is now.
    Order {
        /// The order (its `customer_id` empty: see `customer_id`, `email`).
        order: Order,
        /// `customer.id`, when the order has a customer.
        customer_id: Option<String>,
        /// The order's email (the export's way to name the customer).
        email: Option<String>,
        /// Its `updated_at`.
        updated_at: Option<Timestamp>,
        /// Its refunds: (refund id, amount as written).
        refunds: Vec<(String, String)>,
        /// The checkout it completed (`checkout_token`, else `checkout_id`).
        checkout_id: Option<String>,
    },
    /// One refund of an order.
    Refund {
        /// The refund's id.
        id: String,
        /// The order refunded.
        order_id: String,
        /// The amount refunded, as written.
        amount: String,
    },
    /// A checkout as it is now.
    Checkout {
        /// Its id.
        id: String,
        /// `customer.id`, when it has a customer.
        customer_id: Option<String>,
        /// Its email.
        email: Option<String>,
        /// Its `updated_at` (else `created_at`): when it was last touched.
        updated_at: Timestamp,
        /// Whether it became an order.
        completed: bool,
        /// `total_price`.
        total: Money,
    },
}

/// Customer fields a payload left out altogether. Shopify's current
/// customer examples carry no `tags` and no marketing consent objects
/// (older API versions did), so a field that is absent (not `null`, not
/// empty) says nothing: the stored value stays instead of being cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unsent {
    /// `tags`.
    pub tags: bool,
    /// `email_marketing_consent` and `accepts_marketing`.
    pub email_consent: bool,
    /// `sms_marketing_consent`.
    pub sms_consent: bool,
}

/// Why a payload cannot be read; `field` is the payload's JSON field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct PayloadError {
    /// The field at fault (`line_items[0].price`, `id`).
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

fn bad(field: impl Into<String>, reason: impl Into<String>) -> PayloadError {
    PayloadError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// The customers export columns and the customer payload fields they are
/// made from.
pub const CUSTOMER_FIELDS: &[(&str, &str)] = &[
    (col::CUSTOMER_ID, "id"),
    (col::FIRST_NAME, "first_name"),
    (col::LAST_NAME, "last_name"),
    (col::EMAIL, "email"),
    (
        col::ACCEPTS_EMAIL,
        "email_marketing_consent.state (else accepts_marketing)",
    ),
    (col::COMPANY, "default_address.company"),
    (col::ADDRESS1, "default_address.address1"),
    (col::ADDRESS2, "default_address.address2"),
    (col::CITY, "default_address.city"),
    (col::PROVINCE_CODE, "default_address.province_code"),
    (col::COUNTRY_CODE, "default_address.country_code"),
    (col::ZIP, "default_address.zip"),
    (col::ADDRESS_PHONE, "default_address.phone"),
    (col::PHONE, "phone"),
    (col::ACCEPTS_SMS, "sms_marketing_consent.state"),
    (col::TOTAL_SPENT, "total_spent"),
    (col::TOTAL_ORDERS, "orders_count"),
    (col::NOTE, "note"),
    (col::TAX_EXEMPT, "tax_exempt"),
    (col::TAGS, "tags"),
];

/// The orders export columns and the order payload fields they are made
/// from (`line_items[]` for line columns).
pub const ORDER_FIELDS: &[(&str, &str)] = &[
    (col::NAME, "name"),
    (col::ID, "id"),
    (col::EMAIL, "email"),
    (col::CREATED_AT, "created_at"),
    (col::TOTAL, "total_price"),
    (col::REFUNDED, "refunds[].transactions[].amount"),
    (col::CANCELLED_AT, "cancelled_at"),
    (col::SOURCE, "source_name"),
    (col::LOCATION, "location_id"),
    (col::TAGS, "tags"),
    (col::LINE_QUANTITY, "line_items[].quantity"),
    (col::LINE_NAME, "line_items[].name"),
    (col::LINE_PRICE, "line_items[].price"),
    (col::LINE_SKU, "line_items[].sku"),
    (col::VENDOR, "line_items[].vendor"),
];

/// Reads the body of a delivery of `topic`.
pub fn decode(topic: Topic, body: &[u8]) -> Result<Payload, PayloadError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| bad("(body)", format!("the body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(bad("(body)", "the body is not a JSON object"));
    }
    match topic {
        Topic::CustomersCreate | Topic::CustomersUpdate => customer(&value),
        Topic::CustomersDelete => Ok(Payload::CustomerDeleted {
            id: required_id(&value, "id")?,
        }),
        Topic::OrdersCreate | Topic::OrdersUpdated | Topic::OrdersCancelled => order(&value),
        Topic::RefundsCreate => refund(&value),
        Topic::CheckoutsCreate | Topic::CheckoutsUpdate => checkout(&value),
    }
}

/// A JSON value as an export cell: strings as they are, numbers in
/// decimal, booleans as `yes`/`no`, nothing as an empty cell.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        _ => String::new(),
    }
}

fn required_id(v: &Value, field: &str) -> Result<String, PayloadError> {
    match &v[field] {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(bad(field, "the id is missing")),
    }
}

fn optional_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn optional_text(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn instant(v: &Value, field: &str) -> Result<Option<Timestamp>, PayloadError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => super::cells::timestamp(s.trim())
            .map(Some)
            .map_err(|reason| bad(field, reason)),
        _ => Err(bad(field, "not a time")),
    }
}

/// The rows as a CSV file of the given columns, read back with the export
/// reader of `format`; `fields` names the payload field of each column
/// for errors.
fn through_export(
    format: ShopifyFormat,
    columns: &[&str],
    rows: &[Vec<String>],
    fields: &[(&str, &str)],
) -> Result<Vec<ShopifyRecord>, PayloadError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_failed = |e: csv::Error| bad("(body)", e.to_string());
    out.write_record(columns).map_err(csv_failed)?;
    for row in rows {
        out.write_record(row).map_err(csv_failed)?;
    }
    let text = out.into_inner().map_err(|e| bad("(body)", e.to_string()))?;
    let reader = ShopifyReader::new(text.as_slice(), Some(format))
        .map_err(|e| bad("(body)", e.to_string()))?;
    let mut records = Vec::new();
    for item in reader {
        match item {
            Ok(record) => records.push(record),
            Err(ReadError::Io(e)) => return Err(bad("(body)", e.to_string())),
            Err(ReadError::Row(e)) => {
                let field = e
                    .field
                    .as_deref()
                    .and_then(|c| fields.iter().find(|(column, _)| *column == c))
                    .map_or("(body)", |(_, field)| field);
                return Err(bad(field, e.reason));
            }
        }
    }
    Ok(records)
}

/// `subscribed`, `unsubscribed`, ... as flokk's status.
fn consent_state(v: &Value) -> Option<SubscriptionStatus> {
    SubscriptionStatus::parse(&v["state"].as_str()?.trim().to_uppercase())
}

/// A consent object as the export's yes/no.
fn consent_cell(consent: &Value, fallback: &Value) -> String {
    match consent["state"].as_str() {
        Some(state) => if state.eq_ignore_ascii_case("subscribed") {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        None => cell(fallback),
    }
}

fn customer(c: &Value) -> Result<Payload, PayloadError> {
    let a = &c["default_address"];
    let columns: Vec<&str> = CUSTOMER_FIELDS.iter().map(|(column, _)| *column).collect();
    let row = vec![
        cell(&c["id"]),
        cell(&c["first_name"]),
        cell(&c["last_name"]),
        cell(&c["email"]),
        consent_cell(&c["email_marketing_consent"], &c["accepts_marketing"]),
        cell(&a["company"]),
        cell(&a["address1"]),
        cell(&a["address2"]),
        cell(&a["city"]),
        cell(&a["province_code"]),
        cell(&a["country_code"]),
        cell(&a["zip"]),
        cell(&a["phone"]),
        cell(&c["phone"]),
        consent_cell(&c["sms_marketing_consent"], &Value::Null),
        cell(&c["total_spent"]),
        cell(&c["orders_count"]),
        cell(&c["note"]),
        cell(&c["tax_exempt"]),
        cell(&c["tags"]),
    ];
    if row[0].is_empty() {
        return Err(bad("id", "the customer id is missing"));
    }
    let records = through_export(ShopifyFormat::Customers, &columns, &[row], CUSTOMER_FIELDS)?;
    let Some(ShopifyRecord::Customer(mut customer)) = records.into_iter().next() else {
        return Err(bad("(body)", "the payload holds no customer"));
    };
    customer.created_at = instant(&c["created_at"], "created_at")?;
    customer.account_status = c["state"]
        .as_str()
        .and_then(|s| AccountStatus::parse(&s.trim().to_uppercase()));
    if let Some(s) = consent_state(&c["email_marketing_consent"]) {
        customer.email_subscription = Some(s);
    }
    if let Some(s) = consent_state(&c["sms_marketing_consent"]) {
        customer.sms_subscription = Some(s);
    }
    Ok(Payload::Customer {
        customer,
        updated_at: instant(&c["updated_at"], "updated_at")?,
        unsent: Unsent {
            tags: c.get("tags").is_none(),
            email_consent: c.get("email_marketing_consent").is_none()
                && c.get("accepts_marketing").is_none(),
            sms_consent: c.get("sms_marketing_consent").is_none(),
        },
    })
}

/// The successful `refund` transactions of a refund, summed, as text.
fn refund_amount(r: &Value, field: &str) -> Result<String, PayloadError> {
    let mut sum = Money::ZERO;
    for (i, t) in r["transactions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let kind = t["kind"].as_str().unwrap_or("refund");
        let status = t["status"].as_str().unwrap_or("success");
        if kind != "refund" || status != "success" {
            continue;
        }
        let amount = cell(&t["amount"]);
        sum = sum.saturating_add(
            money(&amount)
                .map_err(|reason| bad(format!("{field}.transactions[{i}].amount"), reason))?,
        );
    }
    Ok(sum.to_string())
}

fn order(o: &Value) -> Result<Payload, PayloadError> {
    let id = required_id(o, "id")?;
    let mut refunds = Vec::new();
    for (i, r) in o["refunds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let field = format!("refunds[{i}]");
        let refund_id = optional_id(&r["id"]).ok_or_else(|| bad(&field, "a refund without id"))?;
        refunds.push((refund_id, refund_amount(r, &field)?));
    }
    let refunded = refunds
        .iter()
        .map(|(_, a)| money(a).unwrap_or(Money::ZERO))
        .fold(Money::ZERO, Money::saturating_add);
    let email = optional_text(&o["email"])
        .or_else(|| optional_text(&o["contact_email"]))
        .or_else(|| optional_text(&o["customer"]["email"]));
    let order_cells = [
        cell(&o["name"]),
        id.clone(),
        email.clone().unwrap_or_default(),
        cell(&o["created_at"]),
        cell(&o["total_price"]),
        if refunds.is_empty() {
            String::new()
        } else {
            refunded.to_string()
        },
        cell(&o["cancelled_at"]),
        cell(&o["source_name"]),
        cell(&o["location_id"]),
        cell(&o["tags"]),
    ];
    let lines = o["line_items"]
        .as_array()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| bad("line_items", "an order without line items"))?;
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let mut row = order_cells.to_vec();
            row.extend([
                cell(&l["quantity"]),
                cell(&l["name"]),
                cell(&l["price"]),
                cell(&l["sku"]),
                cell(&l["vendor"]),
            ]);
            row
        })
        .collect();
    let columns: Vec<&str> = ORDER_FIELDS.iter().map(|(column, _)| *column).collect();
    let records = through_export(ShopifyFormat::Orders, &columns, &rows, ORDER_FIELDS)?;
    let Some(ShopifyRecord::Order { order, .. }) = records.into_iter().next() else {
        return Err(bad("(body)", "the payload holds no order"));
    };
    Ok(Payload::Order {
        order,
        customer_id: optional_id(&o["customer"]["id"]),
        email,
        updated_at: instant(&o["updated_at"], "updated_at")?,
        refunds,
        // A checkout is known by its token (see `checkout`); current
        // order payloads carry `checkout_token` and no `checkout_id`.
        checkout_id: optional_id(&o["checkout_token"]).or_else(|| optional_id(&o["checkout_id"])),
    })
}

fn refund(r: &Value) -> Result<Payload, PayloadError> {
    Ok(Payload::Refund {
        id: required_id(r, "id")?,
        order_id: required_id(r, "order_id")?,
        amount: refund_amount(r, "").map_err(|e| bad(e.field.trim_start_matches('.'), e.reason))?,
    })
}

fn checkout(c: &Value) -> Result<Payload, PayloadError> {
    // Shopify's checkouts/create and checkouts/update examples carry a
    // `token` and no `id` (only checkouts/delete has an `id`), and an
    // order names the checkout it completed by `checkout_token`: the token
    // is the checkout's id here, `id` only when a payload lacks a token.
    let id = optional_id(&c["token"]).map(Ok).unwrap_or_else(|| {
        required_id(c, "id").map_err(|_| bad("token", "the checkout token (or id) is missing"))
    })?;
    let updated_at = match instant(&c["updated_at"], "updated_at")? {
        Some(t) => t,
        None => instant(&c["created_at"], "created_at")?
            .ok_or_else(|| bad("updated_at", "a checkout without updated_at or created_at"))?,
    };
    let total = match cell(&c["total_price"]).as_str() {
        "" => Money::ZERO,
        text => money(text).map_err(|reason| bad("total_price", reason))?,
    };
    Ok(Payload::Checkout {
        id,
        customer_id: optional_id(&c["customer"]["id"]),
        email: optional_text(&c["email"]).or_else(|| optional_text(&c["customer"]["email"])),
        updated_at,
        completed: !c["completed_at"].is_null() && c["completed_at"] != "",
        total,
    })
}
