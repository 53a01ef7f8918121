//! The value of every per-customer filter of §7, computed from the
//! customer's raw records as of `now`, and of custom properties.

use super::conditions::FieldValue;
use super::{AsOf, StoreCustomer, Unavailable};
use flokk_lang::ValueType;
use flokk_model::{Order, PropertyValue, age_on, random_bucket};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// Orders that count: not cancelled, not after `now`.
pub fn counted_orders<'c>(
    customer: &'c StoreCustomer,
    as_of: &'c AsOf,
) -> impl Iterator<Item = &'c Order> + 'c {
    customer
        .orders
        .iter()
        .filter(move |o| !o.cancelled && as_of.sees(o.placed_at))
}

/// A calendar day as the instant it starts in the store time zone, so a
/// date field compares with whole-day values by the rules of §3.
pub fn day_start(day: Date, as_of: &AsOf) -> Timestamp {
    flokk_lang::time::start_of_day(day, &as_of.tz).expect("a day in range")
}

/// Exact: an integer sum of ten-thousandths, as a decimal would be summed
/// by hand, then the nearest f64 (what a literal compares with).
fn amount_spent(customer: &StoreCustomer, as_of: &AsOf) -> f64 {
    let units: i128 = counted_orders(customer, as_of)
        .map(|o| i128::from(o.total.units()) - i128::from(o.refunded.units()))
        .sum();
    units as f64 / 10_000.0
}

fn number_of_orders(customer: &StoreCustomer, as_of: &AsOf) -> usize {
    counted_orders(customer, as_of).count()
}

/// `average_days_between_orders` (predictive.md): all orders of one
/// store-local day are one transaction; t_x / x in days, NULL when x = 0.
fn average_days_between_orders(customer: &StoreCustomer, as_of: &AsOf) -> Option<f64> {
    let days: BTreeSet<Date> = counted_orders(customer, as_of)
        .map(|o| o.placed_at.to_zoned_datetime(as_of.tz.clone()).date())
        .collect();
    let (first, last) = (days.first()?, days.last()?);
    let repeats = days.len() - 1;
    (repeats > 0).then(|| (*last - *first).get_days() as f64 / repeats as f64)
}

fn ticket_lines<'c>(
    customer: &'c StoreCustomer,
    as_of: &'c AsOf,
) -> impl Iterator<Item = &'c flokk_model::OrderLine> + 'c {
    counted_orders(customer, as_of)
        .flat_map(|o| &o.lines)
        .filter(|l| l.performance_id.is_some())
}

fn text(s: Option<&str>) -> FieldValue {
    FieldValue::Text(s.map(str::to_owned))
}

/// The value of catalog filter `name` for `customer`.
pub fn filter_value(
    customer: &StoreCustomer,
    name: &str,
    as_of: &AsOf,
) -> Result<FieldValue, Unavailable> {
    let c = &customer.record;
    let today = flokk_lang::time::today(as_of.now, &as_of.tz);
    let number = |x: f64| FieldValue::Number(Some(x));
    Ok(match name {
        "amount_spent" | "historic_clv" => number(amount_spent(customer, as_of)),
        "number_of_orders" => number(number_of_orders(customer, as_of) as f64),
        "average_order_value" => {
            let n = number_of_orders(customer, as_of);
            FieldValue::Number((n > 0).then(|| amount_spent(customer, as_of) / n as f64))
        }
        "average_days_between_orders" => {
            FieldValue::Number(average_days_between_orders(customer, as_of))
        }
        "first_order_date" => {
            FieldValue::instant(counted_orders(customer, as_of).map(|o| o.placed_at).min())
        }
        "last_order_date" => {
            FieldValue::instant(counted_orders(customer, as_of).map(|o| o.placed_at).max())
        }
        "customer_added_date" => FieldValue::instant(c.created_at),
        "abandoned_checkout_date" => FieldValue::instant(
            customer
                .checkouts
                .iter()
                .map(|k| k.abandoned_at)
                .filter(|t| as_of.sees(*t))
                .max(),
        ),
        "customer_tags" => FieldValue::Folded(c.tags.clone()),
        "customer_cities" => {
            FieldValue::Folded(c.addresses.iter().filter_map(|a| a.city_code()).collect())
        }
        "customer_regions" => {
            FieldValue::Folded(c.addresses.iter().filter_map(|a| a.region_code()).collect())
        }
        "customer_countries" => FieldValue::Folded(
            c.addresses
                .iter()
                .filter_map(|a| a.country_code())
                .collect(),
        ),
        "customer_email_domain" => FieldValue::Text(c.email_domain()),
        "customer_language" => text(c.language.as_deref()),
        "customer_account_status" => text(c.account_status.map(|s| s.as_str())),
        "email_subscription_status" => text(c.email_subscription.map(|s| s.as_str())),
        "sms_subscription_status" => text(c.sms_subscription.map(|s| s.as_str())),
        "product_subscription_status" => text(c.product_subscription.map(|s| s.as_str())),
        "companies" => FieldValue::Folded(c.companies.clone()),
        "created_by_app_id" => text(c.created_by_app_id.as_deref()),
        "age" => FieldValue::Number(
            c.birth_date
                .and_then(|b| age_on(b, today))
                .map(|y| y as f64),
        ),
        "birth_date" => FieldValue::instant(c.birth_date.map(|d| day_start(d, as_of))),
        "gender" => text(c.gender.map(|g| g.as_str())),
        "permissions" => FieldValue::Folded(c.permissions.clone()),
        "random_bucket" => number(f64::from(random_bucket(&c.id))),
        "number_of_tickets" => number(
            ticket_lines(customer, as_of)
                .map(|l| l.quantity)
                .sum::<i64>() as f64,
        ),
        // Season tickets and memberships: the model's own rule of when a
        // subscription holds (`Subscription::holds_on`, the spec's
        // definition), at the store-local today.
        "subscription_status" => text(Some(if customer.subscriptions.is_empty() {
            "NONE"
        } else if customer.subscriptions.iter().any(|s| s.holds_on(today)) {
            "ACTIVE"
        } else {
            "LAPSED"
        })),
        "number_of_events" => {
            let events: BTreeSet<&str> = ticket_lines(customer, as_of)
                .filter_map(|l| l.performance_id.as_deref())
                .collect();
            number(events.len() as f64)
        }
        other => return Err(Unavailable(other.to_owned())),
    })
}

/// The value of custom property `key` (`namespace.key`) of declared type
/// `ty`; a value of another type reads as missing.
pub fn property_value(
    customer: &StoreCustomer,
    key: &str,
    ty: ValueType,
    as_of: &AsOf,
) -> FieldValue {
    let value = customer.record.properties.get(key);
    typed_value(value, ty, as_of)
}

/// A property value (of a customer or of a custom event) read as `ty`.
pub fn typed_value(value: Option<&PropertyValue>, ty: ValueType, as_of: &AsOf) -> FieldValue {
    match ty {
        ValueType::Integer | ValueType::Float => FieldValue::Number(match value {
            Some(PropertyValue::Number(n)) => Some(*n),
            _ => None,
        }),
        ValueType::Date => FieldValue::instant(match value {
            Some(PropertyValue::Date(d)) => Some(day_start(*d, as_of)),
            _ => None,
        }),
        ValueType::String => FieldValue::Text(match value {
            Some(PropertyValue::String(s)) => Some(s.clone()),
            _ => None,
        }),
        ValueType::Boolean => FieldValue::Text(match value {
            Some(PropertyValue::Boolean(b)) => Some(b.to_string()),
            _ => None,
        }),
        ValueType::List => FieldValue::Folded(match value {
            Some(PropertyValue::List(items)) => items.clone(),
            _ => Vec::new(),
        }),
    }
}
