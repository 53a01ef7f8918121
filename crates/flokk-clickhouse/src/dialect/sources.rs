//! The tables a statement reads, each once: a `GROUP BY customer_id`
//! subquery holding every aggregate the query asks of that table, joined
//! to the customers by customer id.
//!
//! Every subquery keeps only what the language lets count: rows not
//! deleted, records at or before `now` (records after it are invisible
//! everywhere), and, for orders and their lines, orders not cancelled
//! (cancelled orders count nowhere). A customer without rows gets 0 from
//! the `LEFT JOIN` (ClickHouse fills a missing right side with the
//! type's default), which is what the language says an empty count or
//! sum is.

/// A table read by aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Source {
    /// `orders`: one row an order.
    Orders,
    /// `order_lines` (with the performance each ticket line is for).
    Lines,
    /// `checkouts`.
    Checkouts,
    /// `email_events`.
    Email,
    /// `storefront_events`.
    Storefront,
    /// `custom_events`.
    Custom,
}

impl Source {
    /// Every source, in the order their joins are written.
    pub(crate) const ALL: [Source; 6] = [
        Source::Orders,
        Source::Lines,
        Source::Checkouts,
        Source::Email,
        Source::Storefront,
        Source::Custom,
    ];

    /// The alias of its subquery, also the prefix of its aggregates.
    pub(crate) fn alias(self) -> &'static str {
        match self {
            Source::Orders => "o",
            Source::Lines => "l",
            Source::Checkouts => "k",
            Source::Email => "e",
            Source::Storefront => "s",
            Source::Custom => "x",
        }
    }

    /// `FROM ... WHERE ...` of its subquery; `now` is the placeholder of
    /// the evaluation instant in unix seconds; `performances`: whether
    /// ticket lines need their performance (production, venue, start).
    pub(crate) fn rows_clause(self, now: &str, performances: bool) -> String {
        match self {
            Source::Orders => format!(
                "FROM orders FINAL\n    WHERE NOT deleted AND NOT cancelled AND placed_at <= {now}"
            ),
            // A ticket line's production, venue and start are the
            // performance's; `known` tells a performance the catalogue
            // does not have (its fields are then missing, §4) from one
            // whose fields are the type's default.
            Source::Lines if !performances => format!(
                "FROM order_lines AS r FINAL\n    WHERE NOT r.deleted AND NOT r.cancelled AND r.placed_at <= {now}"
            ),
            Source::Lines => format!(
                "FROM order_lines AS r FINAL\n    LEFT JOIN (SELECT performance_id, production_id, venue_id, starts_at, 1 AS known FROM performances FINAL WHERE NOT deleted) AS perf ON perf.performance_id = r.performance_id\n    WHERE NOT r.deleted AND NOT r.cancelled AND r.placed_at <= {now}"
            ),
            Source::Checkouts => {
                format!("FROM checkouts FINAL\n    WHERE NOT deleted AND abandoned_at <= {now}")
            }
            Source::Email => {
                format!("FROM email_events FINAL\n    WHERE NOT deleted AND at <= {now}")
            }
            Source::Storefront => {
                format!("FROM storefront_events FINAL\n    WHERE NOT deleted AND at <= {now}")
            }
            Source::Custom => {
                format!("FROM custom_events FINAL\n    WHERE NOT deleted AND at <= {now}")
            }
        }
    }

    /// How its rows name their customer inside the subquery.
    pub(crate) fn customer_column(self) -> &'static str {
        match self {
            Source::Lines => "r.customer_id",
            _ => "customer_id",
        }
    }
}
