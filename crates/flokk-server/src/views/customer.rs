//! The document of one customer: every computed field under its filter
//! name (language.md §7), the predictive fields, the segments the customer
//! is in and, for the customer page, a timeline of their records. Shared by
//! `flokk customer show` and `GET /api/customers/{id}`, so both agree.

use flokk_engine::{Engine, Evaluator};
use flokk_model::{Customer, CustomerFacts, Timestamp};
use flokk_segments::SegmentGraph;
use flokk_store::CustomerProfile;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use std::collections::BTreeSet;

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
    let mut view = customer_view(p, &evaluator.facts(c), tz);
    add_predictions(&mut view, engine, evaluator, c);
    view["segments"] = json!(flokk_segments::index::segments_of(evaluator, graph, c)?);
    Ok(view)
}

/// The customer's records, newest first, at most `limit`: what the
/// customer page's timeline shows.
pub fn timeline(p: &CustomerProfile, tz: &TimeZone, limit: usize) -> Vec<Value> {
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
            format!("{tickets} tickets, order {} ({:.2})", o.id, o.total)
        } else {
            format!("order {} ({:.2}, {} lines)", o.id, o.total, o.lines.len())
        };
        items.push((
            o.placed_at,
            json!({ "kind": kind, "summary": what, "cancelled": o.cancelled }),
        ));
    }
    for k in &p.checkouts {
        items.push((k.abandoned_at, json!({ "kind": "checkout", "summary": format!("abandoned checkout ({:.2})", k.total) })));
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
        Some(t) => json!(
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        ),
    }
}

fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values.filter(|v| seen.insert(v.clone())).collect()
}

/// The JSON view of a customer: the record's fields and the computed
/// facts `f` (from the engine, so the profile agrees with counts and member
/// lists). Predictive fields are `null` here; see [`add_predictions`].
pub fn customer_view(p: &CustomerProfile, f: &CustomerFacts, tz: &TimeZone) -> Value {
    let c = &p.customer;
    let properties: serde_json::Map<String, Value> = c
        .properties
        .iter()
        .map(|(k, v)| {
            (
                format!("metafields.{k}"),
                serde_json::to_value(v).expect("serialises"),
            )
        })
        .collect();
    json!({
        "id": c.id,
        "email": c.email,
        "phone": c.phone,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "title": c.title,
        "amount_spent": f.amount_spent,
        "number_of_orders": f.number_of_orders,
        "first_order_date": instant(f.first_order_date, tz),
        "last_order_date": instant(f.last_order_date, tz),
        "customer_added_date": instant(c.created_at, tz),
        "abandoned_checkout_date": instant(f.abandoned_checkout_date, tz),
        "customer_tags": c.tags,
        "customer_cities": unique(c.addresses.iter().filter_map(|a| a.city_code())),
        "customer_regions": unique(c.addresses.iter().filter_map(|a| a.region_code())),
        "customer_countries": unique(c.addresses.iter().filter_map(|a| a.country_code())),
        "customer_email_domain": c.email_domain(),
        "customer_language": c.language,
        "customer_account_status": c.account_status.map(|s| s.as_str()),
        "email_subscription_status": c.email_subscription.map(|s| s.as_str()),
        "sms_subscription_status": c.sms_subscription.map(|s| s.as_str()),
        "product_subscription_status": c.product_subscription.map(|s| s.as_str()),
        "companies": c.companies,
        "created_by_app_id": c.created_by_app_id,
        "birth_date": c.birth_date.map(|d| d.to_string()),
        "age": f.age,
        "gender": c.gender.map(|g| g.as_str()),
        "permissions": c.permissions,
        "random_bucket": f.random_bucket,
        "number_of_tickets": f.number_of_tickets,
        "number_of_events": f.number_of_events,
        "historic_clv": f.amount_spent,
        "average_order_value": f.average_order_value,
        "average_days_between_orders": f.average_days_between_orders,
        "predicted_gender": Value::Null,
        "predicted_number_of_orders": Value::Null,
        "predicted_clv": Value::Null,
        "total_clv": Value::Null,
        "churn_probability": Value::Null,
        "churn_risk": Value::Null,
        "expected_next_order_date": Value::Null,
        "predicted_spend_tier": Value::Null,
        "rfm_group": Value::Null,
        "properties": properties,
        "addresses": c.addresses.iter().zip(&p.coordinates).map(|(a, coords)| {
            let mut v = serde_json::to_value(a).expect("serialises");
            if let Some((lat, lon)) = coords {
                v["lat"] = json!(lat);
                v["lon"] = json!(lon);
            }
            v
        }).collect::<Vec<_>>(),
        "records": {
            "orders": p.orders.len(),
            "checkouts": p.checkouts.len(),
            "email_events": p.email_events.len(),
            "storefront_events": p.storefront_events.len(),
            "custom_events": p.custom_events.len(),
        },
        "segments": Vec::<String>::new(),
    })
}

/// The document of customer `c` in a member list (`members --format
/// json`): the [`customer_document`] with its predictions and `segments`
/// (the names the caller worked out, as
/// [`flokk_segments::index::segments_of`] gives them), but without
/// `records`. Decision: the counts of stored orders and events need a pass
/// over every event table, which would cost a long list more than all its
/// other fields; `customer show` has them.
pub fn member_document(
    p: &CustomerProfile,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    segments: Vec<String>,
    c: u32,
    tz: &TimeZone,
) -> Value {
    let mut view = customer_view(p, &evaluator.facts(c), tz);
    add_predictions(&mut view, engine, evaluator, c);
    view["segments"] = json!(segments);
    if let Some(object) = view.as_object_mut() {
        object.shift_remove("records");
    }
    view
}

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
/// [`customer_view`] has under those names, as text (`null` empty).
pub fn member_csv_row(c: &Customer, f: &CustomerFacts, tz: &TimeZone) -> [String; 7] {
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
        plain(json!(f.amount_spent)),
        f.number_of_orders.to_string(),
        plain(instant(f.last_order_date, tz)),
    ]
}

/// Fills the predictive fields from the engine (NULL without enough data).
pub fn add_predictions(view: &mut Value, engine: &Engine, evaluator: &Evaluator<'_>, c: u32) {
    let p = evaluator.predictions_of(c);
    let gender = engine
        .customers
        .predicted_gender
        .values()
        .find(|(_, set)| set.contains(c))
        .map(|(v, _)| v.to_owned());
    view["predicted_gender"] = json!(gender);
    view["predicted_number_of_orders"] = json!(p.predicted_number_of_orders);
    view["predicted_clv"] = json!(p.predicted_clv);
    view["total_clv"] = json!(
        p.predicted_clv
            .map(|v| v + view["amount_spent"].as_f64().unwrap_or(0.0))
    );
    view["churn_probability"] = json!(p.churn_probability);
    view["churn_risk"] = json!(p.churn_risk);
    view["expected_next_order_date"] = json!(p.expected_next_order_date.map(|d| d.to_string()));
    view["predicted_spend_tier"] = json!(p.predicted_spend_tier);
    view["rfm_group"] = json!(p.rfm_group);
}
