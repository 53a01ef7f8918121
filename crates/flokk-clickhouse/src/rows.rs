//! A store's records as rows of the tables in [`crate::schema`], in
//! ClickHouse's `JSONEachRow` form: what a load or a sync inserts.
//!
//! A customer is written whole (the customer row and every record of
//! theirs) with one `version`, the store change sequence of the write, so
//! a customer touched again replaces all their rows at once.

use crate::dialect::fold;
use crate::schema;
use crate::statement::day_number;
use flokk_model::{
    Checkout, CustomEvent, Customer, EmailEvent, Order, Performance, Properties, PropertyValue,
    StorefrontEvent, Venue, random_bucket,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// One customer and everything of theirs, as the store holds them.
#[derive(Debug, Clone, Copy)]
pub struct CustomerRecords<'a> {
    /// The customer's store key (how the store's change sequence names it).
    pub key: i64,
    /// The customer record.
    pub customer: &'a Customer,
    /// The position of each placed address (given, or from the gazetteer).
    pub positions: &'a [(f64, f64)],
    /// Orders, cancelled and future ones included (the statement decides).
    pub orders: &'a [Order],
    /// Abandoned checkouts.
    pub checkouts: &'a [Checkout],
    /// Email events.
    pub email: &'a [EmailEvent],
    /// Storefront events.
    pub storefront: &'a [StorefrontEvent],
    /// Custom events.
    pub custom: &'a [CustomEvent],
}

/// Rows by table name.
#[derive(Debug, Default)]
pub struct Rows {
    /// The rows of each table, in insertion order.
    pub tables: BTreeMap<&'static str, Vec<Value>>,
}

impl Rows {
    fn push(&mut self, table: &'static str, row: Value) {
        debug_assert!(schema::table(table).is_some(), "{table} is in the schema");
        self.tables.entry(table).or_default().push(row);
    }

    /// The rows of `table` as `JSONEachRow` text.
    pub fn json_each_row(&self, table: &str) -> String {
        let mut out = String::new();
        for row in self.tables.get(table).into_iter().flatten() {
            out.push_str(&row.to_string());
            out.push('\n');
        }
        out
    }

    /// How many rows there are in all.
    pub fn len(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A date's month * 100 + day (`229` for 29 February).
fn month_day(d: jiff::civil::Date) -> i32 {
    i32::from(d.month()) * 100 + i32::from(d.day())
}

fn folded(items: &[String]) -> Vec<String> {
    items.iter().map(|s| fold(s)).collect()
}

fn seconds(t: jiff::Timestamp) -> i64 {
    t.as_second()
}

/// The typed property maps (`prop_numbers`, ...) of a property bag: each
/// value in the map of its type, lists folded.
fn property_maps(row: &mut Map<String, Value>, properties: &Properties) {
    let mut numbers = Map::new();
    let mut strings = Map::new();
    let mut booleans = Map::new();
    let mut days = Map::new();
    let mut month_days = Map::new();
    let mut lists = Map::new();
    for (key, value) in properties {
        let k = key.clone();
        match value {
            PropertyValue::Number(n) => numbers.insert(k, json!(n)),
            PropertyValue::String(s) => strings.insert(k, json!(s)),
            PropertyValue::Boolean(b) => booleans.insert(k, json!(b)),
            PropertyValue::Date(d) => {
                month_days.insert(k.clone(), json!(month_day(*d)));
                days.insert(k, json!(day_number(*d)))
            }
            PropertyValue::List(items) => lists.insert(k, json!(folded(items))),
        };
    }
    row.insert("prop_numbers".into(), Value::Object(numbers));
    row.insert("prop_strings".into(), Value::Object(strings));
    row.insert("prop_booleans".into(), Value::Object(booleans));
    row.insert("prop_days".into(), Value::Object(days));
    row.insert("prop_month_days".into(), Value::Object(month_days));
    row.insert("prop_lists".into(), Value::Object(lists));
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("built as an object"),
    }
}

/// Adds the rows of one customer, written at `version`.
pub fn customer_rows(r: &CustomerRecords<'_>, version: u64, out: &mut Rows) {
    customer_row(r.key, r.customer, r.positions, version, out);
    for o in r.orders {
        order_rows(&r.customer.id, o, version, out);
    }
    for k in r.checkouts {
        checkout_row(&r.customer.id, k, version, out);
    }
    for (n, e) in r.email.iter().enumerate() {
        email_row(&r.customer.id, e, n, version, out);
    }
    for (n, e) in r.storefront.iter().enumerate() {
        storefront_row(&r.customer.id, e, n, version, out);
    }
    for (n, e) in r.custom.iter().enumerate() {
        custom_event_row(&r.customer.id, e, n, version, out);
    }
}

/// The rows of records streamed one by one (a full load): events without
/// an id are keyed by their position among the customer's events of that
/// kind in the order they come, the order the store keeps them in (as
/// [`customer_rows`] numbers them).
#[derive(Debug, Default)]
pub struct RecordStream {
    positions: std::collections::HashMap<(&'static str, String), usize>,
}

impl RecordStream {
    fn next_position(&mut self, table: &'static str, customer: &str) -> usize {
        let n = self
            .positions
            .entry((table, customer.to_owned()))
            .or_default();
        *n += 1;
        *n - 1
    }

    /// Adds the rows of `record` (`positions`: its placed addresses, for a
    /// customer record). Productions and patches have no rows (the store
    /// has applied patches; productions are named by performances).
    pub fn add(
        &mut self,
        key: Option<i64>,
        record: &flokk_model::Record,
        positions: &[(f64, f64)],
        version: u64,
        out: &mut Rows,
    ) {
        use flokk_model::Record as R;
        match record {
            R::Customer(c) => customer_row(key.unwrap_or_default(), c, positions, version, out),
            R::Order(o) => order_rows(&o.customer_id, o, version, out),
            R::Checkout(k) => checkout_row(&k.customer_id, k, version, out),
            R::EmailEvent(e) => {
                let n = self.next_position("email_events", &e.customer_id);
                email_row(&e.customer_id, e, n, version, out)
            }
            R::StorefrontEvent(e) => {
                let n = self.next_position("storefront_events", &e.customer_id);
                storefront_row(&e.customer_id, e, n, version, out)
            }
            R::Event(e) => {
                let n = self.next_position("custom_events", &e.customer_id);
                custom_event_row(&e.customer_id, e, n, version, out)
            }
            R::Venue(v) => venue_row(v, version, out),
            R::Performance(p) => performance_row(p, version, out),
            // Subscription filters are refused on ClickHouse
            // (`unsupported_on_clickhouse`), so there is no table for them.
            R::Production(_) | R::CustomerPatch(_) | R::Delete(_) | R::Subscription(_) => {}
        }
    }
}

/// The customer's own row.
pub fn customer_row(
    key: i64,
    c: &Customer,
    positions: &[(f64, f64)],
    version: u64,
    out: &mut Rows,
) {
    let id = &c.id;
    let mut row = object(json!({
        "customer_id": id,
        "customer_key": key,
        "version": version,
        "deleted": 0,
        "created_at": c.created_at.map(seconds),
        "email_domain": c.email_domain(),
        "language": c.language,
        "account_status": c.account_status.map(|s| s.as_str()),
        "email_subscription": c.email_subscription.map(|s| s.as_str()),
        "sms_subscription": c.sms_subscription.map(|s| s.as_str()),
        "product_subscription": c.product_subscription.map(|s| s.as_str()),
        "created_by_app_id": c.created_by_app_id,
        "gender": c.gender.map(|g| g.as_str()),
        "birth_day": c.birth_date.map(day_number),
        "birth_year": c.birth_date.map(|d| d.year()),
        "birth_month_day": c.birth_date.map(month_day),
        "random_bucket": random_bucket(id),
        "tags_folded": folded(&c.tags),
        "cities_folded": folded(&c.addresses.iter().filter_map(|a| a.city_code()).collect::<Vec<_>>()),
        "regions_folded": folded(&c.addresses.iter().filter_map(|a| a.region_code()).collect::<Vec<_>>()),
        "countries_folded": folded(&c.addresses.iter().filter_map(|a| a.country_code()).collect::<Vec<_>>()),
        "companies_folded": folded(&c.companies),
        "permissions_folded": folded(&c.permissions),
        "positions": positions.iter().map(|(lat, lon)| json!([lat, lon])).collect::<Vec<_>>(),
    }));
    property_maps(&mut row, &c.properties);
    out.push("customers", Value::Object(row));
}

/// An order's row and its lines' rows.
pub fn order_rows(id: &str, o: &Order, version: u64, out: &mut Rows) {
    let channel = o.channel.map(|ch| ch.as_str());
    out.push(
        "orders",
        json!({
            "customer_id": id, "order_id": o.id, "version": version, "deleted": 0,
            "placed_at": seconds(o.placed_at), "cancelled": o.cancelled,
            "total": o.total, "refunded": o.refunded,
            "location_id": o.location_id, "app_id": o.app_id, "channel": channel,
        }),
    );
    for (n, l) in o.lines.iter().enumerate() {
        out.push(
            "order_lines",
            json!({
                "customer_id": id, "order_id": o.id, "line_no": n, "version": version,
                "deleted": 0, "placed_at": seconds(o.placed_at), "cancelled": o.cancelled,
                "channel": channel, "product_id": l.product_id,
                "performance_id": l.performance_id, "tags_folded": folded(&l.tags),
                "category_folded": l.category.as_deref().map(fold),
                "vendor_folded": l.vendor.as_deref().map(fold),
                "quantity": l.quantity, "price": l.price,
            }),
        );
    }
}

/// An abandoned checkout's row.
pub fn checkout_row(id: &str, k: &Checkout, version: u64, out: &mut Rows) {
    out.push(
        "checkouts",
        json!({
            "customer_id": id, "checkout_id": k.id, "version": version, "deleted": 0,
            "abandoned_at": seconds(k.abandoned_at),
        }),
    );
}

/// An event's key: its own id, or its position `n` among the customer's
/// events of its kind.
fn event_key(own: Option<&String>, n: usize) -> String {
    own.cloned().unwrap_or_else(|| format!("#{n}"))
}

/// An email event's row (`n`: its position among the customer's).
pub fn email_row(id: &str, e: &EmailEvent, n: usize, version: u64, out: &mut Rows) {
    out.push(
        "email_events",
        json!({
            "customer_id": id, "record_key": event_key(e.id.as_ref(), n),
            "version": version, "deleted": 0, "type": e.event_type.as_str(), "at": seconds(e.at),
            "activity_id": e.activity_id, "bounce_type": e.bounce_type.map(|b| b.as_str()),
            "machine_open": e.machine_open,
        }),
    );
}

/// A storefront event's row.
pub fn storefront_row(id: &str, e: &StorefrontEvent, n: usize, version: u64, out: &mut Rows) {
    out.push(
        "storefront_events",
        json!({
            "customer_id": id, "record_key": event_key(e.event_id.as_ref(), n),
            "version": version, "deleted": 0, "type": e.event_type.as_str(), "at": seconds(e.at),
            "id": e.id,
        }),
    );
}

/// A custom event's row.
pub fn custom_event_row(id: &str, e: &CustomEvent, n: usize, version: u64, out: &mut Rows) {
    let value = match e.properties.get("value") {
        Some(PropertyValue::Number(v)) => *v,
        _ => 0.0,
    };
    let mut row = object(json!({
        "customer_id": id, "record_key": event_key(e.id.as_ref(), n),
        "version": version, "deleted": 0, "name": e.name, "at": seconds(e.at), "value": value,
    }));
    property_maps(&mut row, &e.properties);
    out.push("custom_events", Value::Object(row));
}

/// Adds a venue's row.
pub fn venue_row(v: &Venue, version: u64, out: &mut Rows) {
    out.push(
        "venues",
        json!({"venue_id": v.id, "version": version, "deleted": 0, "lat": v.lat, "lon": v.lon}),
    );
}

/// Adds a performance's row.
pub fn performance_row(p: &Performance, version: u64, out: &mut Rows) {
    out.push(
        "performances",
        json!({
            "performance_id": p.id, "version": version, "deleted": 0,
            "production_id": p.production_id, "venue_id": p.venue_id,
            "starts_at": seconds(p.starts_at),
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_model::{EmailEvent, EmailEventType, OrderLine};

    /// Every row has exactly its table's columns, so an insert can never
    /// leave a column to its default by a typo.
    #[test]
    fn rows_have_exactly_their_tables_columns() {
        let mut customer = Customer::stub("c1");
        customer
            .properties
            .insert("custom.points".into(), PropertyValue::Number(3.0));
        let order = Order {
            id: "o1".into(),
            lines: vec![OrderLine::default()],
            ..Default::default()
        };
        let email = EmailEvent {
            id: None,
            customer_id: "c1".into(),
            event_type: EmailEventType::Opened,
            activity_id: None,
            at: jiff::Timestamp::UNIX_EPOCH,
            machine_open: Some(true),
            bounce_type: None,
        };
        let mut rows = Rows::default();
        let orders = [order];
        let emails = [email];
        customer_rows(
            &CustomerRecords {
                key: 1,
                customer: &customer,
                positions: &[(1.0, 2.0)],
                orders: &orders,
                checkouts: &[],
                email: &emails,
                storefront: &[],
                custom: &[],
            },
            7,
            &mut rows,
        );
        assert_eq!(rows.len(), 4);
        for (table, list) in &rows.tables {
            let spec = schema::table(table).expect("a schema table");
            let want: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            for row in list {
                let mut got: Vec<&str> = row
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let mut want = want.clone();
                got.sort_unstable();
                want.sort_unstable();
                assert_eq!(got, want, "{table}");
            }
        }
    }
}
