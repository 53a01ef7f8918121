//! The answers built on evaluation: counts with per-clause counts, member
//! lists sorted by a field, statistics of a member set.

use crate::eval::{EvalError, Evaluator};
use crate::{CustomerSet, NO_TIME};
use flokk_lang::check::{TypedExpr, TypedQuery};
use flokk_model::{Money, MoneySum};
use serde::Serialize;
use std::cmp::Ordering;

/// The count of one top-level clause on its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseCount {
    /// The clause in canonical form.
    pub text: String,
    /// Customers matching it alone.
    pub count: u64,
}

/// Sum and average of the headline facts over a member set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    /// Sum of `amount_spent`: the exact sum rounded to the currency's
    /// decimals (a JSON number whose shortest printing is that decimal).
    pub amount_spent_sum: f64,
    /// Average `amount_spent` (0 for an empty set), rounded like the sum
    /// (for display only: it is a quotient).
    pub amount_spent_average: f64,
    /// The exact sum.
    #[serde(skip)]
    pub amount_spent_exact: MoneySum,
    /// Decimal places of the store currency, for printing the amounts.
    #[serde(skip)]
    pub currency_decimals: u32,
    /// Sum of `number_of_orders`.
    pub number_of_orders_sum: u64,
    /// Average `number_of_orders` (0 for an empty set).
    pub number_of_orders_average: f64,
}

impl Statistics {
    /// The statistics of `members` customers who spent `spent` in all over
    /// `orders` orders, rounded for a currency of `decimals` places: one
    /// place for every backend, so the engine and ClickHouse print alike.
    pub fn from_sums(spent: MoneySum, orders: u64, members: u64, decimals: u32) -> Statistics {
        let avg = |x: f64| {
            if members == 0 {
                0.0
            } else {
                x / members as f64
            }
        };
        Statistics {
            amount_spent_sum: spent.rounded_f64(decimals),
            amount_spent_average: money_rounded(spent.average(members), decimals),
            amount_spent_exact: spent,
            currency_decimals: decimals,
            number_of_orders_sum: orders,
            number_of_orders_average: avg(orders as f64),
        }
    }
}

/// The answer to "how many match": the shape of `flokk count --json` and
/// `GET /api/count` (fields in cli.md's order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountAnswer {
    /// Matching customers.
    pub count: u64,
    /// All customers.
    pub total: u64,
    /// `count` as a percentage of `total`.
    pub percent: f64,
    /// Each top-level clause on its own.
    pub clauses: Vec<ClauseCount>,
    /// Milliseconds the evaluation of the query took.
    pub eval_ms: f64,
    /// Sums and averages over the members.
    pub statistics: Statistics,
}

/// An average amount (a quotient, not money anyone paid) rounded to
/// `decimals` places for display.
pub fn money_rounded(v: f64, decimals: u32) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let r = (v * scale).round() / scale;
    // No `-0.00`.
    if r == 0.0 { 0.0 } else { r }
}

/// A sort order written `FIELD`, `-FIELD` or `FIELD:desc` (`FIELD:asc`).
pub fn parse_sort(spec: &str) -> (&str, bool) {
    if let Some(field) = spec.strip_prefix('-') {
        return (field, true);
    }
    if let Some(field) = spec.strip_suffix(":desc") {
        return (field, true);
    }
    (spec.strip_suffix(":asc").unwrap_or(spec), false)
}

/// A value to sort members by; missing values sort last.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortValue {
    Number(f64),
    Money(Money),
    Text(String),
}

impl Evaluator<'_> {
    /// Counts a checked query, with per-clause counts and statistics.
    pub fn count(&self, query: &TypedQuery) -> Result<CountAnswer, EvalError> {
        let started = std::time::Instant::now();
        let members = self.members(query)?;
        let eval_ms = started.elapsed().as_secs_f64() * 1000.0;
        let total = self.all().len();
        let count = members.len();
        Ok(CountAnswer {
            count,
            total,
            percent: if total == 0 {
                0.0
            } else {
                count as f64 * 100.0 / total as f64
            },
            clauses: self.clause_counts(query)?,
            eval_ms,
            statistics: self.statistics(&members),
        })
    }

    /// The members of a checked query.
    pub fn members(&self, query: &TypedQuery) -> Result<CustomerSet, EvalError> {
        self.eval(&query.expr)
    }

    /// Each top-level clause (operand of a top-level AND, or the whole
    /// query) counted on its own, for the editor's per-filter counts.
    pub fn clause_counts(&self, query: &TypedQuery) -> Result<Vec<ClauseCount>, EvalError> {
        let parts: Vec<&TypedExpr> = match &query.expr {
            TypedExpr::And { operands, .. } => operands.iter().collect(),
            e => vec![e],
        };
        parts
            .into_iter()
            .map(|e| {
                Ok(ClauseCount {
                    text: e.to_string(),
                    count: self.eval(e)?.len(),
                })
            })
            .collect()
    }

    /// Sums and averages over `members`.
    pub fn statistics(&self, members: &CustomerSet) -> Statistics {
        let a = &self.aggregates;
        let n = members.len();
        let spent: MoneySum = members.iter().map(|c| a.amount_spent[c as usize]).sum();
        let decimals = self.currency_decimals();
        let orders: u64 = members
            .iter()
            .map(|c| u64::from(a.number_of_orders.get(c as usize)))
            .sum();
        Statistics::from_sums(spent, orders, n, decimals)
    }

    /// The fields members can be sorted by.
    pub const SORT_FIELDS: &'static [&'static str] = &[
        "id",
        "amount_spent",
        "number_of_orders",
        "first_order_date",
        "last_order_date",
        "customer_added_date",
        "abandoned_checkout_date",
        "number_of_tickets",
        "number_of_events",
        "average_order_value",
        "random_bucket",
    ];

    fn sort_value(&self, field: &str, c: u32) -> Option<SortValue> {
        let a = &self.aggregates;
        let i = c as usize;
        let time = |t: i64| (t != NO_TIME).then_some(SortValue::Number(t as f64));
        match field {
            "id" => Some(SortValue::Text(self.engine.customers.ids[i].to_string())),
            "amount_spent" => Some(SortValue::Money(a.amount_spent[i])),
            "number_of_orders" => Some(SortValue::Number(f64::from(a.number_of_orders.get(i)))),
            "first_order_date" => time(a.first_order.get(i)),
            "last_order_date" => time(a.last_order.get(i)),
            "customer_added_date" => time(self.engine.customers.created_at.get(i)),
            "abandoned_checkout_date" => time(a.abandoned_checkout.get(i)),
            "number_of_tickets" => Some(SortValue::Number(a.number_of_tickets.get(i) as f64)),
            "number_of_events" => Some(SortValue::Number(f64::from(a.number_of_events.get(i)))),
            "average_order_value" => (a.number_of_orders.get(i) > 0).then(|| {
                SortValue::Number(a.amount_spent[i].to_f64() / f64::from(a.number_of_orders.get(i)))
            }),
            "random_bucket" => Some(SortValue::Number(f64::from(
                self.engine.customers.random_bucket[i],
            ))),
            _ => None,
        }
    }

    /// `members` ordered by `field` (ties and missing values: by id),
    /// descending when asked.
    pub fn sorted(
        &self,
        members: &CustomerSet,
        field: &str,
        descending: bool,
    ) -> Result<Vec<u32>, EvalError> {
        if !Self::SORT_FIELDS.contains(&field) {
            return Err(EvalError::UnknownSortField {
                field: field.to_owned(),
                fields: Self::SORT_FIELDS.join(", "),
            });
        }
        let ids = &self.engine.customers.ids;
        if field == "id" {
            // Ids are unique and never missing: compared in place, without
            // a copy of each (a long list's sort is most of its cost).
            let mut rows: Vec<u32> = members.iter().collect();
            rows.sort_unstable_by(|a, b| ids[*a as usize].cmp(&ids[*b as usize]));
            if descending {
                rows.reverse();
            }
            return Ok(rows);
        }
        let mut rows: Vec<(Option<SortValue>, u32)> = members
            .iter()
            .map(|c| (self.sort_value(field, c), c))
            .collect();
        rows.sort_by(|(va, a), (vb, b)| {
            let by_value = match (va, vb) {
                (Some(x), Some(y)) => {
                    let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
                    if descending { o.reverse() } else { o }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_value.then_with(|| ids[*a as usize].cmp(&ids[*b as usize]))
        });
        Ok(rows.into_iter().map(|(_, c)| c).collect())
    }

    /// The computed facts of customer `c` as of now: the same columns the
    /// filters read, so a profile always agrees with counts and member lists.
    pub fn facts(&self, c: u32) -> flokk_model::CustomerFacts {
        let a = &self.aggregates;
        let cs = &self.engine.customers;
        let i = c as usize;
        let time = |t: i64| {
            (t != NO_TIME)
                .then(|| jiff::Timestamp::from_second(t).ok())
                .flatten()
        };
        let today = flokk_lang::time::today(self.now, &self.tz);
        let birth = (cs.birth_date[i] != i32::MIN)
            .then(|| {
                jiff::civil::date(1970, 1, 1)
                    .checked_add(jiff::Span::new().days(i64::from(cs.birth_date[i])))
                    .ok()
            })
            .flatten();
        let orders = a.number_of_orders.get(i);
        flokk_model::CustomerFacts {
            amount_spent: a.amount_spent[i],
            number_of_orders: i64::from(orders),
            first_order_date: time(a.first_order.get(i)),
            last_order_date: time(a.last_order.get(i)),
            abandoned_checkout_date: time(a.abandoned_checkout.get(i)),
            number_of_tickets: a.number_of_tickets.get(i),
            number_of_events: i64::from(a.number_of_events.get(i)),
            age: birth.and_then(|b| flokk_model::age_on(b, today)),
            average_order_value: (orders > 0)
                .then(|| a.amount_spent[i].to_f64() / f64::from(orders)),
            average_days_between_orders: a.average_days_between_orders(c),
            random_bucket: cs.random_bucket[i],
        }
    }

    /// Decimal places of the store currency (2 when the loader did not
    /// say): what answers round money to for display.
    pub fn currency_decimals(&self) -> u32 {
        self.engine.currency_decimals.unwrap_or(2)
    }

    /// The id of customer `c`.
    pub fn id(&self, c: u32) -> &str {
        &self.engine.customers.ids[c as usize]
    }
}

/// The headline facts of one member, for member lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberFacts {
    /// Customer id.
    pub id: String,
    /// `amount_spent`, rounded to the currency's decimals.
    pub amount_spent: f64,
    /// `number_of_orders`.
    pub number_of_orders: u32,
    /// `last_order_date` (RFC 3339), when there is one.
    pub last_order_date: Option<String>,
}

impl Evaluator<'_> {
    /// The headline facts of customer `c` as of the evaluator's now.
    pub fn member_facts(&self, c: u32) -> MemberFacts {
        let a = &self.aggregates;
        let last = a.last_order.get(c as usize);
        MemberFacts {
            id: self.id(c).to_owned(),
            amount_spent: MoneySum::from(a.amount_spent[c as usize])
                .rounded_f64(self.currency_decimals()),
            number_of_orders: a.number_of_orders.get(c as usize),
            last_order_date: (last != NO_TIME)
                .then(|| jiff::Timestamp::from_second(last).ok())
                .flatten()
                .map(|t| {
                    t.to_zoned_datetime(self.tz.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                }),
        }
    }
}
