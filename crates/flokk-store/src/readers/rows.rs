//! Reading records back out of the tables: the inverse of the writer, used
//! by `flokk dump` and the customer profile.

use crate::error::StoreError;
use crate::schema::time::from_nanos;
use flokk_model::{
    AccountStatus, Address, BounceType, Channel, Checkout, CustomEvent, Customer, EmailEvent,
    EmailEventType, Gender, Money, Order, OrderLine, ProductSubscriptionStatus, Properties,
    PropertyValue, StorefrontEvent, StorefrontEventType, Subscription, SubscriptionState,
    SubscriptionStatus,
};
use rusqlite::{Connection, Row};

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unreadable {what} {value:?}"))
}

fn parse_enum<T>(
    what: &str,
    v: Option<String>,
    f: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    v.map(|s| f(&s).ok_or_else(|| corrupt(what, &s)))
        .transpose()
}

fn json_list(v: Option<String>) -> Result<Vec<String>, StoreError> {
    match v {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s).map_err(|_| corrupt("list", &s)),
    }
}

fn list(conn: &Connection, sql: &str, cid: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([cid], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The customer columns in the order [`customer_from_row`] reads them.
pub(crate) const CUSTOMER_COLUMNS: &str = "cid, id, email, phone, first_name, last_name, title, \
    gender, birth_date, language, created_at, account_status, email_subscription, \
    sms_subscription, product_subscription, note, tax_exempt, created_by_app_id";

/// Reads a customer row (selected with [`CUSTOMER_COLUMNS`]) and its children.
pub(crate) fn customer_from_row(conn: &Connection, r: &Row) -> Result<Customer, StoreError> {
    let (cid, mut customer) = customer_columns(r)?;
    customer.tags = list(
        conn,
        "SELECT tag FROM customer_tags WHERE cid = ?1 ORDER BY pos",
        cid,
    )?;
    customer.permissions = list(
        conn,
        "SELECT permission FROM customer_permissions WHERE cid = ?1 ORDER BY pos",
        cid,
    )?;
    customer.companies = list(
        conn,
        "SELECT company_id FROM customer_companies WHERE cid = ?1 ORDER BY pos",
        cid,
    )?;
    customer.addresses = addresses(conn, cid)?;
    customer.properties = properties(conn, cid)?;
    Ok(customer)
}

/// Reads a customer row (selected with [`CUSTOMER_COLUMNS`]) without its
/// lists, addresses and properties; returns its key too.
pub(crate) fn customer_columns(r: &Row) -> Result<(i64, Customer), StoreError> {
    let cid: i64 = r.get(0)?;
    let birth_date: Option<String> = r.get(8)?;
    let created_at: Option<i64> = r.get(10)?;
    Ok((
        cid,
        Customer {
            id: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            title: r.get(6)?,
            gender: parse_enum("gender", r.get(7)?, Gender::parse)?,
            birth_date: birth_date
                .map(|s| s.parse().map_err(|_| corrupt("birth_date", &s)))
                .transpose()?,
            language: r.get(9)?,
            created_at: created_at.map(from_nanos).transpose()?,
            account_status: parse_enum("account_status", r.get(11)?, AccountStatus::parse)?,
            email_subscription: parse_enum("subscription", r.get(12)?, SubscriptionStatus::parse)?,
            sms_subscription: parse_enum("subscription", r.get(13)?, SubscriptionStatus::parse)?,
            product_subscription: parse_enum(
                "product_subscription",
                r.get(14)?,
                ProductSubscriptionStatus::parse,
            )?,
            note: r.get(15)?,
            tax_exempt: r.get(16)?,
            created_by_app_id: r.get(17)?,
            ..Customer::default()
        },
    ))
}

/// The address columns, in the order [`address_from_row_at`] reads them.
pub(crate) const ADDRESS_COLUMNS: &str = "address1, address2, company, city, region, country, \
    zip, phone, lat, lon, geocoded, is_default";

/// Reads an address (selected with [`ADDRESS_COLUMNS`], starting at column
/// `at`) and the coordinates it has in the store (given or placed by the
/// gazetteer).
pub(crate) fn address_from_row_at(
    r: &Row,
    at: usize,
) -> rusqlite::Result<(Address, Option<(f64, f64)>)> {
    let geocoded: bool = r.get(at + 10)?;
    let lat: Option<f64> = r.get(at + 8)?;
    let lon: Option<f64> = r.get(at + 9)?;
    let address = Address {
        address1: r.get(at)?,
        address2: r.get(at + 1)?,
        company: r.get(at + 2)?,
        city: r.get(at + 3)?,
        region: r.get(at + 4)?,
        country: r.get(at + 5)?,
        zip: r.get(at + 6)?,
        phone: r.get(at + 7)?,
        // Coordinates the gazetteer supplied are not part of the record:
        // leaving them out keeps dump → import an identity.
        lat: if geocoded { None } else { lat },
        lon: if geocoded { None } else { lon },
        default: r.get(at + 11)?,
    };
    Ok((address, lat.zip(lon)))
}

/// Reads a stored property value.
pub(crate) fn property_value(json: &str) -> Result<PropertyValue, StoreError> {
    serde_json::from_str(json).map_err(|_| corrupt("property", json))
}

fn addresses(conn: &Connection, cid: i64) -> Result<Vec<Address>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM customer_addresses WHERE cid = ?1 ORDER BY pos"
    ))?;
    let rows = stmt.query_map([cid], |r| address_from_row_at(r, 0).map(|(a, _)| a))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn properties(conn: &Connection, cid: i64) -> Result<Properties, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT key, value FROM customer_properties WHERE cid = ?1")?;
    let rows = stmt.query_map([cid], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Properties::new();
    for row in rows {
        let (k, v) = row?;
        out.insert(k, property_value(&v)?);
    }
    Ok(out)
}

/// The order columns in the order [`order_from_row`] reads them; needs a
/// join of `orders o` with `customers c`.
pub(crate) const ORDER_COLUMNS: &str = "o.oid, o.id, c.id, o.placed_at, o.total_units, \
    o.refunded_units, o.cancelled, o.channel, o.location_id, o.app_id, o.tags, o.discount_codes";

/// The order line columns, in the order [`line_from_row_at`] reads them.
pub(crate) const LINE_COLUMNS: &str =
    "product_id, performance_id, title, tags, category, vendor, sku, quantity, price_units";

/// Reads an order line (selected with [`LINE_COLUMNS`], starting at column `at`).
pub(crate) fn line_from_row_at(r: &Row, at: usize) -> Result<OrderLine, StoreError> {
    Ok(OrderLine {
        product_id: r.get(at)?,
        performance_id: r.get(at + 1)?,
        title: r.get(at + 2)?,
        tags: json_list(r.get(at + 3)?)?,
        category: r.get(at + 4)?,
        vendor: r.get(at + 5)?,
        sku: r.get(at + 6)?,
        quantity: r.get(at + 7)?,
        price: money_at(r, at + 8)?,
    })
}

/// Reads an order row (selected with [`ORDER_COLUMNS`]) and its lines.
pub(crate) fn order_from_row(conn: &Connection, r: &Row) -> Result<Order, StoreError> {
    let (oid, mut order) = order_columns(r)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LINE_COLUMNS} FROM order_lines WHERE oid = ?1 ORDER BY pos"
    ))?;
    let mut rows = stmt.query([oid])?;
    while let Some(row) = rows.next()? {
        order.lines.push(line_from_row_at(row, 0)?);
    }
    Ok(order)
}

/// Reads an order row (selected with [`ORDER_COLUMNS`]) without its lines;
/// returns its key too.
pub(crate) fn order_columns(r: &Row) -> Result<(i64, Order), StoreError> {
    Ok((
        r.get(0)?,
        Order {
            id: r.get(1)?,
            customer_id: r.get(2)?,
            placed_at: from_nanos(r.get(3)?)?,
            total: money_at(r, 4)?,
            refunded: money_at(r, 5)?,
            cancelled: r.get(6)?,
            channel: parse_enum("channel", r.get(7)?, Channel::parse)?,
            location_id: r.get(8)?,
            app_id: r.get(9)?,
            tags: json_list(r.get(10)?)?,
            discount_codes: json_list(r.get(11)?)?,
            lines: Vec::new(),
        },
    ))
}

pub(crate) const SUBSCRIPTION_COLUMNS: &str = "s.id, c.id, s.plan, s.starts, s.ends, s.status";

pub(crate) fn subscription_from_row(r: &Row) -> Result<Subscription, StoreError> {
    let day = |field: &'static str, s: String| {
        s.parse::<flokk_model::Date>()
            .map_err(|_| corrupt(field, &s))
    };
    let status: String = r.get(5)?;
    Ok(Subscription {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        plan: r.get(2)?,
        starts: day("subscriptions.starts", r.get(3)?)?,
        ends: r
            .get::<_, Option<String>>(4)?
            .map(|s| day("subscriptions.ends", s))
            .transpose()?,
        status: SubscriptionState::parse(&status)
            .ok_or_else(|| corrupt("subscriptions.status", &status))?,
    })
}

pub(crate) const CHECKOUT_COLUMNS: &str = "k.id, c.id, k.abandoned_at, k.total_units";

pub(crate) fn checkout_from_row(r: &Row) -> Result<Checkout, StoreError> {
    Ok(Checkout {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        abandoned_at: from_nanos(r.get(2)?)?,
        total: money_at(r, 3)?,
    })
}

pub(crate) const EMAIL_EVENT_COLUMNS: &str =
    "e.id, c.id, e.type, e.activity_id, e.at, e.machine_open, e.bounce_type";

pub(crate) fn email_event_from_row(r: &Row) -> Result<EmailEvent, StoreError> {
    let t: String = r.get(2)?;
    Ok(EmailEvent {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        event_type: EmailEventType::parse(&t).ok_or_else(|| corrupt("email event type", &t))?,
        activity_id: r.get(3)?,
        at: from_nanos(r.get(4)?)?,
        machine_open: r.get(5)?,
        bounce_type: parse_enum("bounce type", r.get(6)?, |s| match s {
            "SOFT" => Some(BounceType::Soft),
            "HARD" => Some(BounceType::Hard),
            _ => None,
        })?,
    })
}

pub(crate) const STOREFRONT_EVENT_COLUMNS: &str = "e.event_id, c.id, e.type, e.item_id, e.at";

pub(crate) fn storefront_event_from_row(r: &Row) -> Result<StorefrontEvent, StoreError> {
    let t: String = r.get(2)?;
    Ok(StorefrontEvent {
        event_id: r.get(0)?,
        customer_id: r.get(1)?,
        event_type: match t.as_str() {
            "product_viewed" => StorefrontEventType::ProductViewed,
            "collection_viewed" => StorefrontEventType::CollectionViewed,
            _ => return Err(corrupt("storefront event type", &t)),
        },
        id: r.get(3)?,
        at: from_nanos(r.get(4)?)?,
    })
}

pub(crate) const CUSTOM_EVENT_COLUMNS: &str = "e.id, c.id, e.name, e.at, e.properties";

pub(crate) fn custom_event_from_row(r: &Row) -> Result<CustomEvent, StoreError> {
    let props: Option<String> = r.get(4)?;
    Ok(CustomEvent {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        name: r.get(2)?,
        at: from_nanos(r.get(3)?)?,
        properties: match props {
            None => Properties::new(),
            Some(s) => serde_json::from_str(&s).map_err(|_| corrupt("event properties", &s))?,
        },
    })
}

/// An amount from an `INTEGER` money column (`*_units`): whole
/// ten-thousandths, as the writer stores [`Money::units`], so exact.
pub(crate) fn money_at(r: &Row, i: usize) -> Result<Money, StoreError> {
    Ok(Money::from_units(r.get(i)?))
}
