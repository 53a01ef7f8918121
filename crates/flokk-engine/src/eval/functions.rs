//! MATCHES: record filters pick records, aggregate conditions test what the
//! picked records add up to per customer (language.md §5, §7).

use super::condition::NumCondition;
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use flokk_lang::ast::{CompareOp, ParamPredicate};
use flokk_lang::catalog::{FunctionSpec, ParamRole};
use flokk_lang::check::{ParamTarget, TypedClause};
use std::collections::HashMap;

/// What an aggregate condition is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    /// `count`: records (distinct orders for line-based functions).
    Count,
    /// `sum_quantity`.
    SumQuantity,
    /// `sum_amount`.
    SumAmount,
    /// `sum_value`.
    SumValue,
}

/// One customer's aggregate over the records that passed.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Tally {
    pub count: u32,
    pub sum_quantity: f64,
    /// Exact: `sum_amount = 119.64` matches two lines of 59.82.
    pub sum_amount: flokk_model::Money,
    pub sum_value: f64,
    /// The last order counted, so lines of one order count once.
    pub last_group: Option<u32>,
}

impl Tally {
    fn get(&self, m: Measure) -> f64 {
        match m {
            Measure::Count => f64::from(self.count),
            Measure::SumQuantity => self.sum_quantity,
            Measure::SumAmount => self.sum_amount.to_f64(),
            Measure::SumValue => self.sum_value,
        }
    }

    /// Counts a record of group `group` (an order) once per group.
    pub fn count_group(&mut self, group: u32) {
        if self.last_group != Some(group) {
            self.count += 1;
            self.last_group = Some(group);
        }
    }
}

/// Per-customer tallies: a slot number per customer ordinal when many
/// customers are in play (no hashing per record), a map when few are, and a
/// list when the records are read customer by customer. Neither keeps a
/// tally per ordinal: at 10M customers that was 400 MB written per query.
pub(super) enum Tallies {
    /// The customers that have a tally, ascending: records are counted
    /// one customer after the other.
    Listed(Vec<(u32, Tally)>),
    /// Where each customer's tally is in `tallies`, plus one (0: none yet;
    /// a zeroed vector, whose pages the kernel hands out as they are
    /// touched), and the tallies in order of first use.
    Indexed {
        slot: Vec<u32>,
        tallies: Vec<(u32, Tally)>,
    },
    /// Only the customers that have a tally.
    Sparse(HashMap<u32, Tally>),
}

impl Tallies {
    /// Tallies for evaluating over `universe` in an engine of `customers`
    /// ordinals.
    pub fn for_universe(universe: &CustomerSet, customers: u32) -> Self {
        if universe.len() * 8 >= u64::from(customers) {
            Tallies::Indexed {
                slot: vec![0; customers as usize],
                tallies: Vec::new(),
            }
        } else {
            Tallies::Sparse(HashMap::new())
        }
    }

    /// Tallies for records read customer by customer, in ascending order
    /// of customer (each customer's records together).
    pub fn in_customer_order() -> Self {
        Tallies::Listed(Vec::new())
    }

    /// The tally of customer `c`, made empty on first use.
    pub fn entry(&mut self, c: u32) -> &mut Tally {
        match self {
            Tallies::Listed(list) => {
                if list.last().is_none_or(|(last, _)| *last != c) {
                    debug_assert!(
                        list.last().is_none_or(|(last, _)| *last < c),
                        "listed tallies are made in ascending order of customer"
                    );
                    list.push((c, Tally::default()));
                }
                &mut list.last_mut().expect("a tally was just pushed").1
            }
            Tallies::Indexed { slot, tallies } => {
                let i = c as usize;
                if i >= slot.len() {
                    slot.resize(i + 1, 0);
                }
                if slot[i] == 0 {
                    tallies.push((c, Tally::default()));
                    slot[i] = tallies.len() as u32;
                }
                &mut tallies[slot[i] as usize - 1].1
            }
            Tallies::Sparse(map) => map.entry(c).or_default(),
        }
    }

    /// Every customer with a tally, and the tally.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (u32, &Tally)> + '_> {
        match self {
            Tallies::Listed(list) | Tallies::Indexed { tallies: list, .. } => {
                Box::new(list.iter().map(|(c, t)| (*c, t)))
            }
            Tallies::Sparse(map) => Box::new(map.iter().map(|(c, t)| (*c, t))),
        }
    }
}

/// The parameters of one MATCHES, split by role.
pub(super) struct Params<'p> {
    /// Record filters by name.
    pub records: Vec<(&'p str, &'p ParamPredicate)>,
    /// `property.<key>` filters of custom events.
    pub properties: Vec<(&'p str, &'p ParamPredicate)>,
    /// Aggregate conditions.
    pub aggregates: Vec<(Measure, NumCondition)>,
}

impl<'p> Params<'p> {
    fn split(clause: &'p TypedClause) -> Result<Self, EvalError> {
        let mut out = Params {
            records: Vec::new(),
            properties: Vec::new(),
            aggregates: Vec::new(),
        };
        for (param, target) in clause.params() {
            match target {
                ParamTarget::Catalog(spec) if spec.role == ParamRole::Aggregate => {
                    let measure = match spec.name {
                        "count" => Measure::Count,
                        "sum_quantity" => Measure::SumQuantity,
                        "sum_amount" => Measure::SumAmount,
                        "sum_value" => Measure::SumValue,
                        other => return Err(EvalError::Internal(format!("aggregate {other}"))),
                    };
                    out.aggregates
                        .push((measure, NumCondition::from_param(&param.predicate)?));
                }
                ParamTarget::Catalog(spec) => out.records.push((spec.name, &param.predicate)),
                ParamTarget::EventProperty { key, .. } => {
                    out.properties.push((key.as_str(), &param.predicate))
                }
            }
        }
        Ok(out)
    }

    /// The record filter called `name`.
    pub fn record(&self, name: &str) -> Option<&'p ParamPredicate> {
        self.records
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
    }
}

impl Evaluator<'_> {
    /// `function MATCHES (params)`, positive form.
    pub(super) fn function(
        &self,
        spec: &FunctionSpec,
        clause: &TypedClause,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let p = Params::split(clause)?;
        if let Some(found) = self.order_existence(spec.name, &p, universe)? {
            return Ok(found);
        }
        // Conditions a customer without records fails: only customers
        // with an order in the window need a tally.
        let narrowed;
        let universe = match zero_tally_passes(&p.aggregates) {
            false => match self.order_candidates(spec.name, &p, universe)? {
                Some(candidates) => {
                    narrowed = candidates;
                    &narrowed
                }
                None => universe,
            },
            true => universe,
        };
        let tallies = match spec.name {
            "products_purchased" => self.products_purchased(&p, universe)?,
            "orders_placed" => self.orders_placed(&p, universe)?,
            "tickets_purchased" => self.tickets_purchased(&p, universe)?,
            "custom_event" => self.custom_events(&p, universe)?,
            "subscriptions" => self.subscriptions(&p, universe)?,
            "storefront.product_viewed" | "storefront.collection_viewed" => {
                self.storefront(spec.name, &p, universe)?
            }
            name if name.starts_with("shopify_email.") => self.email(name, &p, universe)?,
            "customer_within_distance" => return self.within_distance(&p, universe),
            "anniversary" => return self.anniversary(&p, universe),
            other => return Err(EvalError::Internal(format!("no evaluator for {other}"))),
        };
        Ok(finish(&tallies, &p.aggregates, universe))
    }
}

/// Whether a customer without a matching record passes `conditions`
/// (`count = 0`, `sum_amount < 100`; not the implicit `count >= 1`).
fn zero_tally_passes(conditions: &[(Measure, NumCondition)]) -> bool {
    !conditions.is_empty()
        && conditions
            .iter()
            .all(|(m, c)| c.holds(Tally::default().get(*m)))
}

/// Customers whose tally meets every aggregate condition (`count >= 1` when
/// none is given); customers without a matching record have a zero tally,
/// which some conditions (`count = 0`, `sum_amount < 100`) accept.
pub(super) fn finish(
    tallies: &Tallies,
    conditions: &[(Measure, NumCondition)],
    universe: &CustomerSet,
) -> CustomerSet {
    let implicit = [(Measure::Count, NumCondition::Compare(CompareOp::Ge, 1.0))];
    let conditions = if conditions.is_empty() {
        &implicit[..]
    } else {
        conditions
    };
    let holds = |t: &Tally| conditions.iter().all(|(m, c)| c.holds(t.get(*m)));
    // Sorted first: a bitmap built by appending costs a fraction of one
    // built by inserting customer by customer.
    let sorted = |mut customers: Vec<u32>| {
        customers.sort_unstable();
        CustomerSet::from_sorted_iter(customers).expect("sorted, no repeats")
    };
    let mut out = sorted(
        tallies
            .iter()
            .filter(|(_, t)| holds(t))
            .map(|(c, _)| c)
            .collect(),
    );
    if holds(&Tally::default()) {
        let with_records = sorted(tallies.iter().map(|(c, _)| c).collect());
        out |= universe - &with_records;
    }
    out
}
