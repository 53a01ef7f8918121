//! The document of one customer: every computed field under its filter
//! name (language.md §7), the predictive fields, the segments the customer
//! is in and, for the customer page, a timeline of their records. Shared by
//! `flokk customer show` and `GET /api/customers/{id}`, so both agree.

use crate::views::local_time::local_text;
use flokk_engine::predictions::prediction_columns::CustomerPredictions;
use flokk_engine::{Engine, Evaluator, money_rounded};
use flokk_model::{Address, Customer, CustomerFacts, MoneySum, Timestamp};
use flokk_segments::SegmentGraph;
use flokk_store::CustomerProfile;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::{Value, json};

/// The whole document of customer `c` (ordinal) with profile `p`: fields,
/// predictions and segments (each segment's query evaluated for this one
/// customer, exact whatever state live membership is in).
pub fn customer_document(
    p: &CustomerProfile,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    graph: &SegmentGraph,
    c: u32,
    tz: &TimeZone,
) -> Result<Value, flokk_engine::EvalError> {
    let mut view = customer_view(p, &evaluator.facts(c), tz, evaluator.currency_decimals());
    add_predictions(&mut view, engine, evaluator, c);
    view["segments"] = json!(flokk_segments::index::segments_of(evaluator, graph, c)?);
    Ok(view)
}

/// The customer's records, newest first, at most `limit`: what the
/// customer page's timeline shows.
pub fn timeline(p: &CustomerProfile, tz: &TimeZone, decimals: u32, limit: usize) -> Vec<Value> {
    let mut items: Vec<(Timestamp, Value)> = Vec::new();
    for o in &p.orders {
        let tickets: i64 = o
            .lines
            .iter()
            .filter(|l| l.performance_id.is_some())
            .map(|l| l.quantity)
            .sum();
        let kind = if tickets > 0 { "tickets" } else { "order" };
        let what = if tickets > 0 {
            format!(
                "{tickets} tickets, order {} ({})",
                o.id,
                o.total.display(decimals)
            )
        } else {
            format!(
                "order {} ({}, {} lines)",
                o.id,
                o.total.display(decimals),
                o.lines.len()
            )
        };
        items.push((
            o.placed_at,
            json!({ "kind": kind, "summary": what, "cancelled": o.cancelled }),
        ));
    }
    for k in &p.checkouts {
        items.push((k.abandoned_at, json!({ "kind": "checkout", "summary": format!("abandoned checkout ({})", k.total.display(decimals)) })));
    }
    for e in &p.email_events {
        items.push((
            e.at,
            json!({ "kind": "email", "summary": format!("email {}", e.event_type.as_str()) }),
        ));
    }
    for e in &p.storefront_events {
        items.push((e.at, json!({ "kind": "storefront", "summary": format!("{} {}", e.event_type.as_str(), e.id) })));
    }
    for e in &p.custom_events {
        items.push((e.at, json!({ "kind": "event", "summary": e.name })));
    }
    items.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    items
        .into_iter()
        .take(limit)
        .map(|(at, mut v)| {
            v["at"] = instant(Some(at), tz);
            v
        })
        .collect()
}

fn instant(t: Option<Timestamp>, tz: &TimeZone) -> Value {
    match t {
        None => Value::Null,
        Some(t) => Value::String(local_text(t, tz)),
    }
}

/// The `customer_cities`, `customer_regions` and `customer_countries` of
/// `addresses`: each address's [`Address::city_code`],
/// [`Address::region_code`] and [`Address::country_code`], first
/// occurrences in address order. Each address's country is worked out
/// once here, where the three methods work it out five times (a member
/// list does this for every customer).
fn places(addresses: &[Address]) -> [Vec<String>; 3] {
    let mut out: [Vec<String>; 3] = Default::default();
    let mut add = |list: usize, v: String| {
        if !out[list].contains(&v) {
            out[list].push(v);
        }
    };
    for a in addresses {
        let country = a.country_code();
        let region = a
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_uppercase);
        let region = match (region, &country) {
            (Some(r), _) if r.contains('-') => Some(r),
            (Some(r), Some(country)) => Some(format!("{country}-{r}")),
            _ => None,
        };
        let city = a.city.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if let (Some(city), Some(country)) = (city, &country) {
            let sub = region
                .as_deref()
                .and_then(|r| r.split_once('-'))
                .map_or("", |(_, sub)| sub);
            let city: String = city.chars().filter(|c| !c.is_whitespace()).collect();
            add(0, format!("{country}-{sub}-{city}"));
        }
        if let Some(region) = region {
            add(1, region);
        }
        if let Some(country) = country {
            add(2, country);
        }
    }
    out
}

/// The JSON view of a customer: the record's fields and the computed
/// facts `f` (from the engine, so the profile agrees with counts and member
/// lists). Predictive fields are `null` here; see [`add_predictions`].
/// Money is rounded to `decimals` places (the store currency's).
pub fn customer_view(
    p: &CustomerProfile,
    f: &CustomerFacts,
    tz: &TimeZone,
    decimals: u32,
) -> Value {
    serde_json::to_value(Document::new(p, f, tz, decimals)).expect("documents serialise")
}

/// The counts of a customer's stored records.
#[derive(Serialize)]
struct Records {
    orders: usize,
    checkouts: usize,
    email_events: usize,
    storefront_events: usize,
    custom_events: usize,
}

/// The customer document, field by field in its order: one definition for
/// [`customer_view`] (a JSON value, for `customer show` and the API) and
/// member lists (written straight to the output, without the value).
#[derive(Serialize)]
struct Document<'a> {
    id: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    title: Option<&'a str>,
    amount_spent: f64,
    number_of_orders: i64,
    first_order_date: Option<String>,
    last_order_date: Option<String>,
    customer_added_date: Option<String>,
    abandoned_checkout_date: Option<String>,
    customer_tags: &'a [String],
    customer_cities: Vec<String>,
    customer_regions: Vec<String>,
    customer_countries: Vec<String>,
    customer_email_domain: Option<String>,
    customer_language: Option<&'a str>,
    customer_account_status: Option<&'static str>,
    email_subscription_status: Option<&'static str>,
    sms_subscription_status: Option<&'static str>,
    product_subscription_status: Option<&'static str>,
    companies: &'a [String],
    created_by_app_id: Option<&'a str>,
    birth_date: Option<String>,
    age: Option<i64>,
    gender: Option<&'static str>,
    permissions: &'a [String],
    random_bucket: u16,
    number_of_tickets: i64,
    number_of_events: i64,
    historic_clv: f64,
    average_order_value: Option<f64>,
    average_days_between_orders: Option<f64>,
    predicted_gender: Option<&'a str>,
    predicted_number_of_orders: Option<f64>,
    predicted_clv: Option<f64>,
    total_clv: Option<f64>,
    churn_probability: Option<f64>,
    churn_risk: Option<String>,
    expected_next_order_date: Option<String>,
    predicted_spend_tier: Option<String>,
    rfm_group: Option<String>,
    properties: Metafields<'a>,
    addresses: Vec<PlacedAddress<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<Records>,
    segments: Vec<String>,
}

/// The customer's properties under their filter names (`metafields.KEY`),
/// written without building a JSON value of them.
struct Metafields<'a>(&'a flokk_model::Properties);

impl Serialize for Metafields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Key<'k>(&'k str);
        impl Serialize for Key<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&format_args!("metafields.{}", self.0))
            }
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(&Key(k), v)?;
        }
        map.end()
    }
}

fn local(t: Option<Timestamp>, tz: &TimeZone) -> Option<String> {
    t.map(|t| local_text(t, tz))
}

/// An address with its stored coordinates in `lat`/`lon`, serialised as
/// the [`Address`] with those coordinates would be (field for field, the
/// same skips), without copying the address: a copy per address cost a
/// long member list a tenth of its time.
struct PlacedAddress<'a>(&'a Address, Option<(f64, f64)>);

impl Serialize for PlacedAddress<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let a = self.0;
        let (lat, lon) = match self.1 {
            Some((lat, lon)) => (Some(lat), Some(lon)),
            None => (a.lat, a.lon),
        };
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in [
            ("address1", &a.address1),
            ("address2", &a.address2),
            ("company", &a.company),
            ("city", &a.city),
            ("region", &a.region),
            ("country", &a.country),
            ("zip", &a.zip),
            ("phone", &a.phone),
        ] {
            if let Some(v) = value {
                map.serialize_entry(key, v)?;
            }
        }
        if let Some(lat) = lat {
            map.serialize_entry("lat", &lat)?;
        }
        if let Some(lon) = lon {
            map.serialize_entry("lon", &lon)?;
        }
        if a.default {
            map.serialize_entry("default", &true)?;
        }
        map.end()
    }
}

impl<'a> Document<'a> {
    /// The document of profile `p` with facts `f`: no predictions, no
    /// segments. Money is the exact amount rounded to `decimals` places; a
    /// JSON number cannot keep trailing zeros (`119.6` for 119.60), the CSV
    /// and text outputs print them.
    fn new(p: &'a CustomerProfile, f: &CustomerFacts, tz: &TimeZone, decimals: u32) -> Self {
        let c = &p.customer;
        let spent = MoneySum::from(f.amount_spent).rounded_f64(decimals);
        let [customer_cities, customer_regions, customer_countries] = places(&c.addresses);
        Document {
            id: &c.id,
            email: c.email.as_deref(),
            phone: c.phone.as_deref(),
            first_name: c.first_name.as_deref(),
            last_name: c.last_name.as_deref(),
            title: c.title.as_deref(),
            amount_spent: spent,
            number_of_orders: f.number_of_orders,
            first_order_date: local(f.first_order_date, tz),
            last_order_date: local(f.last_order_date, tz),
            customer_added_date: local(c.created_at, tz),
            abandoned_checkout_date: local(f.abandoned_checkout_date, tz),
            customer_tags: &c.tags,
            customer_cities,
            customer_regions,
            customer_countries,
            customer_email_domain: c.email_domain(),
            customer_language: c.language.as_deref(),
            customer_account_status: c.account_status.map(|s| s.as_str()),
            email_subscription_status: c.email_subscription.map(|s| s.as_str()),
            sms_subscription_status: c.sms_subscription.map(|s| s.as_str()),
            product_subscription_status: c.product_subscription.map(|s| s.as_str()),
            companies: &c.companies,
            created_by_app_id: c.created_by_app_id.as_deref(),
            birth_date: c.birth_date.map(|d| d.to_string()),
            age: f.age,
            gender: c.gender.map(|g| g.as_str()),
            permissions: &c.permissions,
            random_bucket: f.random_bucket,
            number_of_tickets: f.number_of_tickets,
            number_of_events: f.number_of_events,
            historic_clv: spent,
            average_order_value: f.average_order_value.map(|v| money_rounded(v, decimals)),
            average_days_between_orders: f.average_days_between_orders,
            predicted_gender: None,
            predicted_number_of_orders: None,
            predicted_clv: None,
            total_clv: None,
            churn_probability: None,
            churn_risk: None,
            expected_next_order_date: None,
            predicted_spend_tier: None,
            rfm_group: None,
            properties: Metafields(&c.properties),
            // The address with the stored coordinates in `lat`/`lon`.
            // An address without an entry in `coordinates` (a profile
            // read without them) keeps its own.
            addresses: c
                .addresses
                .iter()
                .enumerate()
                .map(|(i, a)| PlacedAddress(a, p.coordinates.get(i).copied().flatten()))
                .collect(),
            records: Some(Records {
                orders: p.orders.len(),
                checkouts: p.checkouts.len(),
                email_events: p.email_events.len(),
                storefront_events: p.storefront_events.len(),
                custom_events: p.custom_events.len(),
            }),
            segments: Vec::new(),
        }
    }
}

/// Writes the document of customer `c` in a member list (`members --format
/// json`) to `out`: the [`customer_document`] with its predictions and
/// `segments` (the names the caller worked out, as
/// [`flokk_segments::index::segments_of`] gives them), but without
/// `records`. Decision: the counts of stored orders and events need a pass
/// over every event table, which would cost a long list more than all its
/// other fields; `customer show` has them. `predicted` are the customer's
/// predictive fields, as [`Evaluator::predictions_of`] gives them (a long
/// list scores them with [`Evaluator::remembered_predictions`]).
#[allow(clippy::too_many_arguments)]
pub fn write_member_document(
    out: &mut impl std::io::Write,
    p: &CustomerProfile,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    predicted: CustomerPredictions,
    segments: Vec<String>,
    c: u32,
    tz: &TimeZone,
) -> serde_json::Result<()> {
    let decimals = evaluator.currency_decimals();
    let mut document = Document::new(p, &evaluator.facts(c), tz, decimals);
    document.predicted_gender = predicted_gender(engine, c);
    document.predicted_number_of_orders = predicted.predicted_number_of_orders;
    document.predicted_clv = predicted.predicted_clv.map(|v| money_rounded(v, decimals));
    document.total_clv = total_clv(predicted.predicted_clv, document.amount_spent, decimals);
    document.churn_probability = predicted.churn_probability;
    document.churn_risk = predicted.churn_risk;
    document.expected_next_order_date = predicted.expected_next_order_date.map(|d| d.to_string());
    document.predicted_spend_tier = predicted.predicted_spend_tier;
    document.rfm_group = predicted.rfm_group;
    document.records = None;
    document.segments = segments;
    serde_json::to_writer(out, &document)
}

fn predicted_gender(engine: &Engine, c: u32) -> Option<&str> {
    engine
        .customers
        .predicted_gender
        .values()
        .find(|(_, set)| set.contains(c))
        .map(|(v, _)| v)
}

/// `total_clv`: the predicted plus what was spent (nothing when the spend
/// is no number), rounded to `decimals` places for display.
fn total_clv(predicted_clv: Option<f64>, amount_spent: f64, decimals: u32) -> Option<f64> {
    let spent = if amount_spent.is_finite() {
        amount_spent
    } else {
        0.0
    };
    predicted_clv.map(|v| money_rounded(v + spent, decimals))
}

/// The fields of the customer document that are amounts of money in the
/// store currency: exports print them with the currency's decimals.
pub const MONEY_FIELDS: [&str; 5] = [
    "amount_spent",
    "historic_clv",
    "average_order_value",
    "predicted_clv",
    "total_clv",
];

/// The columns of a member list in CSV (`members --format csv`).
pub const MEMBER_CSV_COLUMNS: [&str; 7] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "amount_spent",
    "number_of_orders",
    "last_order_date",
];

/// The [`MEMBER_CSV_COLUMNS`] of customer `c` with facts `f`: the values
/// [`customer_view`] has under those names, as text (`null` empty); money
/// with the currency's `decimals` places (`119.60`, `1500` for yen).
pub fn member_csv_row(
    c: &Customer,
    f: &CustomerFacts,
    tz: &TimeZone,
    decimals: u32,
) -> [String; 7] {
    let text = |v: Option<&String>| v.cloned().unwrap_or_default();
    let plain = |v: Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    };
    [
        c.id.clone(),
        text(c.email.as_ref()),
        text(c.first_name.as_ref()),
        text(c.last_name.as_ref()),
        f.amount_spent.display(decimals),
        f.number_of_orders.to_string(),
        plain(instant(f.last_order_date, tz)),
    ]
}

/// Fills the predictive fields from the engine (NULL without enough data).
pub fn add_predictions(view: &mut Value, engine: &Engine, evaluator: &Evaluator<'_>, c: u32) {
    let p = evaluator.predictions_of(c);
    let decimals = evaluator.currency_decimals();
    view["predicted_gender"] = json!(predicted_gender(engine, c));
    view["predicted_number_of_orders"] = json!(p.predicted_number_of_orders);
    view["predicted_clv"] = json!(p.predicted_clv.map(|v| money_rounded(v, decimals)));
    view["total_clv"] = json!(total_clv(
        p.predicted_clv,
        view["amount_spent"].as_f64().unwrap_or(0.0),
        decimals
    ));
    view["churn_probability"] = json!(p.churn_probability);
    view["churn_risk"] = json!(p.churn_risk);
    view["expected_next_order_date"] = json!(p.expected_next_order_date.map(|d| d.to_string()));
    view["predicted_spend_tier"] = json!(p.predicted_spend_tier);
    view["rfm_group"] = json!(p.rfm_group);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(city: &str, region: &str, country: &str) -> Address {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Address {
            city: some(city),
            region: some(region),
            country: some(country),
            ..Default::default()
        }
    }

    #[test]
    fn places_are_the_address_methods_deduplicated() {
        let addresses = [
            address(" New York City ", "us-ny", "us"),
            address("Oslo", "03", "no"),
            address("Oslo", "NO-03", "NO"),
            address("Bergen", "", "NO"),
            address("Nowhere", "MA", ""),
            address("", "CA", "US"),
            address("Paris", "", ""),
        ];
        let old = |f: fn(&Address) -> Option<String>| {
            let mut seen = Vec::new();
            for v in addresses.iter().filter_map(f) {
                if !seen.contains(&v) {
                    seen.push(v);
                }
            }
            seen
        };
        let [cities, regions, countries] = places(&addresses);
        assert_eq!(cities, old(Address::city_code));
        assert_eq!(regions, old(Address::region_code));
        assert_eq!(countries, old(Address::country_code));
        assert_eq!(cities, ["US-NY-NewYorkCity", "NO-03-Oslo", "NO--Bergen"]);
    }

    #[test]
    fn a_placed_address_serialises_as_the_address_with_its_coordinates() {
        let full = Address {
            address1: Some("Storgata 1".into()),
            address2: Some("2nd \"floor\"".into()),
            company: Some("Acme".into()),
            city: Some("Oslo".into()),
            region: Some("NO-03".into()),
            country: Some("NO".into()),
            zip: Some("0150".into()),
            phone: Some("+47 22 00 00 00".into()),
            lat: Some(1.5),
            lon: Some(-2.25),
            default: true,
        };
        let bare = Address::default();
        for a in [&full, &bare] {
            for coordinates in [None, Some((59.91, 10.75))] {
                let mut want = a.clone();
                if let Some((lat, lon)) = coordinates {
                    (want.lat, want.lon) = (Some(lat), Some(lon));
                }
                assert_eq!(
                    serde_json::to_string(&PlacedAddress(a, coordinates)).unwrap(),
                    serde_json::to_string(&want).unwrap()
                );
            }
        }
    }
}
