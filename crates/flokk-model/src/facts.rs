//! Per-customer facts as of an instant: the computed fields of
//! language.md §7 (`amount_spent`, `number_of_orders`, ...), derived from
//! one customer's records by the plain definitions of the spec.
//!
//! This is the straightforward, one-customer-at-a-time computation used by
//! `flokk customer show`; the engine computes the same columns in bulk with
//! its own code, and tests hold the two to the same answers.

use crate::{Checkout, Customer, Order, Performance, Timestamp};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `random_bucket`: a stable 0–9999 hash of the customer id (FNV-1a 64 of
/// the id's UTF-8 bytes, modulo 10,000). Stable across versions and
/// machines, so samples and hold-outs stay put.
pub fn random_bucket(id: &str) -> u16 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % 10_000) as u16
}

/// Whole years from `birth` to `today` (the birthday counts on its day; a
/// 29 February birthday counts on 28 February in other years).
pub fn age_on(birth: Date, today: Date) -> Option<i64> {
    if birth > today {
        return None;
    }
    let mut years = i64::from(today.year()) - i64::from(birth.year());
    let birthday_this_year = birth.with().year(today.year()).build().unwrap_or_else(|_| {
        // 29 Feb in a non-leap year.
        Date::new(today.year(), 2, 28).expect("28 Feb exists")
    });
    if today < birthday_this_year {
        years -= 1;
    }
    Some(years)
}

/// The computed facts of one customer as of `now`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerFacts {
    /// Lifetime spend net of refunds, orders not cancelled.
    pub amount_spent: f64,
    /// Orders not cancelled.
    pub number_of_orders: i64,
    /// First order (not cancelled).
    pub first_order_date: Option<Timestamp>,
    /// Last order (not cancelled).
    pub last_order_date: Option<Timestamp>,
    /// Most recent abandoned checkout.
    pub abandoned_checkout_date: Option<Timestamp>,
    /// Tickets bought (orders not cancelled).
    pub number_of_tickets: i64,
    /// Distinct performances bought for.
    pub number_of_events: i64,
    /// Whole years since `birth_date`.
    pub age: Option<i64>,
    /// `amount_spent / number_of_orders`.
    pub average_order_value: Option<f64>,
    /// `t_x / x` over store-local purchase days.
    pub average_days_between_orders: Option<f64>,
    /// Stable 0–9999 bucket.
    pub random_bucket: u16,
}

impl CustomerFacts {
    /// Computes the facts from one customer's records. Records after `now`
    /// are invisible; cancelled orders count nowhere.
    pub fn compute(
        customer: &Customer,
        orders: &[Order],
        checkouts: &[Checkout],
        performances: &BTreeMap<String, Performance>,
        now: Timestamp,
        tz: &TimeZone,
    ) -> Self {
        let live: Vec<&Order> = orders
            .iter()
            .filter(|o| !o.cancelled && o.placed_at <= now)
            .collect();
        let amount_spent: f64 = live.iter().map(|o| o.total - o.refunded).sum();
        let number_of_orders = live.len() as i64;
        let first_order_date = live.iter().map(|o| o.placed_at).min();
        let last_order_date = live.iter().map(|o| o.placed_at).max();
        let abandoned_checkout_date = checkouts
            .iter()
            .map(|c| c.abandoned_at)
            .filter(|t| *t <= now)
            .max();
        let mut number_of_tickets = 0;
        let mut events = BTreeSet::new();
        for line in live.iter().flat_map(|o| &o.lines) {
            if let Some(pid) = &line.performance_id {
                number_of_tickets += line.quantity;
                // A performance not (yet) known still is a distinct event.
                let _ = performances.get(pid);
                events.insert(pid.as_str());
            }
        }
        let days: BTreeSet<Date> = live
            .iter()
            .map(|o| tz.to_datetime(o.placed_at).date())
            .collect();
        let average_days_between_orders = match (days.first(), days.last()) {
            (Some(first), Some(last)) if days.len() > 1 => {
                let t_x = (*last - *first).get_days() as f64;
                Some(t_x / (days.len() - 1) as f64)
            }
            _ => None,
        };
        let today = tz.to_datetime(now).date();
        CustomerFacts {
            amount_spent,
            number_of_orders,
            first_order_date,
            last_order_date,
            abandoned_checkout_date,
            number_of_tickets,
            number_of_events: events.len() as i64,
            age: customer.birth_date.and_then(|b| age_on(b, today)),
            average_order_value: (number_of_orders > 0)
                .then(|| amount_spent / number_of_orders as f64),
            average_days_between_orders,
            random_bucket: random_bucket(&customer.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn age_counts_birthdays_including_leap_days() {
        assert_eq!(age_on(date(1988, 4, 12), date(2025, 4, 11)), Some(36));
        assert_eq!(age_on(date(1988, 4, 12), date(2025, 4, 12)), Some(37));
        assert_eq!(age_on(date(2000, 2, 29), date(2025, 2, 27)), Some(24));
        assert_eq!(age_on(date(2000, 2, 29), date(2025, 2, 28)), Some(25));
        assert_eq!(age_on(date(2000, 2, 29), date(2024, 2, 29)), Some(24));
        assert_eq!(age_on(date(2030, 1, 1), date(2025, 1, 1)), None);
    }

    #[test]
    fn random_bucket_is_stable_and_spread() {
        // Pinned values: changing the hash would move every customer's bucket.
        assert_eq!(random_bucket("1001"), random_bucket("1001"));
        let buckets: BTreeSet<u16> = (0..1000).map(|i| random_bucket(&i.to_string())).collect();
        assert!(buckets.len() > 900, "{}", buckets.len());
        assert!(buckets.iter().all(|b| *b < 10_000));
    }

    fn order(id: &str, at: &str, total: f64, refunded: f64, cancelled: bool) -> Order {
        Order {
            id: id.into(),
            customer_id: "c".into(),
            placed_at: at.parse().unwrap(),
            total,
            refunded,
            cancelled,
            ..Default::default()
        }
    }

    #[test]
    fn facts_follow_the_spec() {
        let c = Customer {
            birth_date: Some(date(1990, 6, 1)),
            ..Customer::stub("c")
        };
        let orders = [
            order("1", "2025-01-01T10:00:00Z", 100.0, 10.0, false),
            order("2", "2025-01-01T20:00:00Z", 50.0, 0.0, false), // same UTC day
            order("3", "2025-01-11T10:00:00Z", 30.0, 0.0, true),  // cancelled
            order("4", "2025-01-21T10:00:00Z", 20.0, 0.0, false),
            order("5", "2025-03-01T10:00:00Z", 999.0, 0.0, false), // after now
        ];
        let now: Timestamp = "2025-02-01T00:00:00Z".parse().unwrap();
        let f = CustomerFacts::compute(&c, &orders, &[], &BTreeMap::new(), now, &TimeZone::UTC);
        assert_eq!(f.amount_spent, 160.0);
        assert_eq!(f.number_of_orders, 3);
        assert_eq!(
            f.first_order_date,
            Some("2025-01-01T10:00:00Z".parse().unwrap())
        );
        assert_eq!(
            f.last_order_date,
            Some("2025-01-21T10:00:00Z".parse().unwrap())
        );
        assert_eq!(f.average_order_value, Some(160.0 / 3.0));
        // Two purchase days, 20 days apart: x = 1, t_x = 20.
        assert_eq!(f.average_days_between_orders, Some(20.0));
        assert_eq!(f.age, Some(34));
        // In Tokyo order 2 falls on the next local day: three purchase days.
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        let f = CustomerFacts::compute(&c, &orders, &[], &BTreeMap::new(), now, &tokyo);
        assert_eq!(f.average_days_between_orders, Some(10.0));
    }
}
