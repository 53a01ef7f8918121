//! The data-sufficiency bar of predictive.md: predictions only for stores with
//! enough history, and a list of every condition that failed so `flokk
//! predict` and the UI can say why.

/// Store-level facts the check needs (days are store-local day indexes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoreHistory {
    /// Customers with at least one (non-cancelled) order.
    pub customers_with_orders: usize,
    /// Day of the earliest order, if any.
    pub first_order_day: Option<i64>,
    /// Day of the latest order on or before today, if any.
    pub last_order_day: Option<i64>,
    /// Today.
    pub now_day: i64,
    /// Most orders placed by one customer.
    pub max_orders_per_customer: u64,
}

/// The bar (defaults per predictive.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SufficiencyRules {
    /// Customers with an order (500).
    pub min_customers_with_orders: usize,
    /// Days from the first order to today (180).
    pub min_history_days: i64,
    /// The latest order is at most this many days old (30).
    pub max_days_since_last_order: i64,
    /// Some customer has at least this many orders (3).
    pub min_orders_of_best_customer: u64,
}

impl Default for SufficiencyRules {
    fn default() -> Self {
        Self {
            min_customers_with_orders: 500,
            min_history_days: 180,
            max_days_since_last_order: 30,
            min_orders_of_best_customer: 3,
        }
    }
}

/// One failed condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Insufficiency {
    /// Too few customers with an order.
    #[error("only {have} customers have an order; predictions need at least {need}")]
    TooFewCustomers {
        /// Customers with an order.
        have: usize,
        /// Required.
        need: usize,
    },
    /// History too short.
    #[error("order history spans {have} days; predictions need at least {need}")]
    ShortHistory {
        /// Days from the first order to today (0 without orders).
        have: i64,
        /// Required.
        need: i64,
    },
    /// No recent order.
    #[error("no order within the last {within} days{}", .days_since_last.map(|d| format!(" (the latest is {d} days old)")).unwrap_or_default())]
    NoRecentOrder {
        /// Age of the latest order, if any.
        days_since_last: Option<i64>,
        /// Required recency.
        within: i64,
    },
    /// No customer with enough orders.
    #[error("no customer has {need} or more orders (the most is {have})")]
    NoRepeatBuyer {
        /// Most orders of one customer.
        have: u64,
        /// Required.
        need: u64,
    },
}

/// Every failed condition, in the order of predictive.md; empty when the store
/// qualifies. "Within the last 30 days" includes an order exactly 30 days old.
pub fn check_sufficiency(history: &StoreHistory, rules: &SufficiencyRules) -> Vec<Insufficiency> {
    let mut failures = Vec::new();
    if history.customers_with_orders < rules.min_customers_with_orders {
        failures.push(Insufficiency::TooFewCustomers {
            have: history.customers_with_orders,
            need: rules.min_customers_with_orders,
        });
    }
    let span = history
        .first_order_day
        .map_or(0, |first| (history.now_day - first).max(0));
    if span < rules.min_history_days {
        failures.push(Insufficiency::ShortHistory {
            have: span,
            need: rules.min_history_days,
        });
    }
    let days_since_last = history.last_order_day.map(|last| history.now_day - last);
    if days_since_last.is_none_or(|d| d > rules.max_days_since_last_order) {
        failures.push(Insufficiency::NoRecentOrder {
            days_since_last,
            within: rules.max_days_since_last_order,
        });
    }
    if history.max_orders_per_customer < rules.min_orders_of_best_customer {
        failures.push(Insufficiency::NoRepeatBuyer {
            have: history.max_orders_per_customer,
            need: rules.min_orders_of_best_customer,
        });
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qualifying_store_passes_and_each_failure_is_reported() {
        let ok = StoreHistory {
            customers_with_orders: 500,
            first_order_day: Some(0),
            last_order_day: Some(170),
            now_day: 200,
            max_orders_per_customer: 3,
        };
        assert!(check_sufficiency(&ok, &SufficiencyRules::default()).is_empty());
        let bad = StoreHistory {
            customers_with_orders: 499,
            first_order_day: Some(21),
            last_order_day: Some(169),
            now_day: 200,
            max_orders_per_customer: 2,
        };
        let failures = check_sufficiency(&bad, &SufficiencyRules::default());
        assert_eq!(failures.len(), 4, "{failures:?}");
        assert_eq!(
            failures[2].to_string(),
            "no order within the last 30 days (the latest is 31 days old)"
        );
        let empty = StoreHistory {
            customers_with_orders: 0,
            first_order_day: None,
            last_order_day: None,
            now_day: 200,
            max_orders_per_customer: 0,
        };
        assert_eq!(
            check_sufficiency(&empty, &SufficiencyRules::default()).len(),
            4
        );
    }
}
