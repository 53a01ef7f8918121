//! Per-customer facts as of an instant: the computed fields of
//! language.md §7 (`amount_spent`, `number_of_orders`, ...) as a profile
//! shows them, and the two definitions every computation of them shares
//! (`random_bucket`, `age_on`).

use crate::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CustomerFacts {
    /// Lifetime spend net of refunds, orders not cancelled.
    pub amount_spent: crate::Money,
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::collections::BTreeSet;

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
        // Pinned values, computed outside this code (FNV-1a 64 of the UTF-8
        // bytes mod 10,000, in Python): changing the hash would move every
        // customer's bucket.
        assert_eq!(random_bucket("1001"), 8839);
        assert_eq!(random_bucket("ann"), 2936);
        assert_eq!(random_bucket(""), 6037);
        let buckets: BTreeSet<u16> = (0..1000).map(|i| random_bucket(&i.to_string())).collect();
        assert!(buckets.len() > 900, "{}", buckets.len());
        assert!(buckets.iter().all(|b| *b < 10_000));
    }
}
