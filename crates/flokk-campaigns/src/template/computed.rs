//! Computed merge fields: a customer's computed facts by their filter name
//! (language.md), read from the engine the audience was evaluated with, so
//! a message says what the segment saw. They are computed once, when the
//! audience is frozen, and frozen with each recipient (the queue's
//! `merge_values`): a send of hours mails everyone the figures of its start.
//!
//! Formatting decisions (a template author adds the currency and words):
//! money (`amount_spent`, `average_order_value`, `predicted_clv`) with the
//! store currency's decimals, exact (`1234.50`, `1500` for yen), no
//! currency sign or thousands separator; dates as the store-local day
//! (`2026-11-24`); counts as integers; `churn_probability` and
//! `predicted_number_of_orders` with two decimals,
//! `average_days_between_orders` with one. A fact the customer does not
//! have (no orders: no `last_order_date`; no model fitted: no
//! `predicted_clv`) is missing, so `| default: "..."` applies.

use flokk_engine::Evaluator;
use flokk_model::Money;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// Computed fields a template may name.
pub const COMPUTED_FIELDS: &[&str] = &[
    "amount_spent",
    "number_of_orders",
    "average_order_value",
    "first_order_date",
    "last_order_date",
    "abandoned_checkout_date",
    "number_of_tickets",
    "number_of_events",
    "age",
    "average_days_between_orders",
    "predicted_clv",
    "predicted_number_of_orders",
    "churn_probability",
    "churn_risk",
    "expected_next_order_date",
    "predicted_spend_tier",
    "rfm_group",
];

/// Those that need the predictive models (a costlier evaluation).
const PREDICTED_FIELDS: &[&str] = &[
    "predicted_clv",
    "predicted_number_of_orders",
    "churn_probability",
    "churn_risk",
    "expected_next_order_date",
    "predicted_spend_tier",
    "rfm_group",
];

/// The values of `fields` (computed ones; others are skipped) for customer
/// `c` of the evaluator's engine, as of its now, dates in `tz`.
pub fn computed_values(
    evaluator: &Evaluator<'_>,
    c: u32,
    tz: &TimeZone,
    fields: &[&'static str],
) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    if fields.is_empty() {
        return out;
    }
    let decimals = evaluator.currency_decimals();
    let f = evaluator.facts(c);
    let day = |t: Option<jiff::Timestamp>| t.map(|t| tz.to_datetime(t).date().to_string());
    let predicted = fields
        .iter()
        .any(|x| PREDICTED_FIELDS.contains(x))
        .then(|| evaluator.predictions_of(c));
    for &field in fields {
        let value = match field {
            "amount_spent" => Some(f.amount_spent.display(decimals)),
            "number_of_orders" => Some(f.number_of_orders.to_string()),
            // Exact: the sum's units divided by the orders, rounded once.
            "average_order_value" => (f.number_of_orders > 0).then(|| {
                let units = i128::from(f.amount_spent.units());
                let n = i128::from(f.number_of_orders);
                let avg = (units + units.signum() * n / 2) / n;
                Money::from_units(avg as i64).display(decimals)
            }),
            "first_order_date" => day(f.first_order_date),
            "last_order_date" => day(f.last_order_date),
            "abandoned_checkout_date" => day(f.abandoned_checkout_date),
            "number_of_tickets" => Some(f.number_of_tickets.to_string()),
            "number_of_events" => Some(f.number_of_events.to_string()),
            "age" => f.age.map(|a| a.to_string()),
            "average_days_between_orders" => {
                f.average_days_between_orders.map(|d| format!("{d:.1}"))
            }
            _ => predicted.as_ref().and_then(|p| match field {
                "predicted_clv" => p
                    .predicted_clv
                    .and_then(Money::from_f64)
                    .map(|m| m.display(decimals)),
                "predicted_number_of_orders" => {
                    p.predicted_number_of_orders.map(|v| format!("{v:.2}"))
                }
                "churn_probability" => p.churn_probability.map(|v| format!("{v:.2}")),
                "churn_risk" => p.churn_risk.clone(),
                "expected_next_order_date" => p.expected_next_order_date.map(|d| d.to_string()),
                "predicted_spend_tier" => p.predicted_spend_tier.clone(),
                "rfm_group" => p.rfm_group.clone(),
                _ => None,
            }),
        };
        if let Some(v) = value {
            out.insert(field, v);
        }
    }
    out
}
