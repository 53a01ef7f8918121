//! A deliberately naive reference evaluator for FSQL, written straight from
//! `shared/spec/language.md`: one customer at a time, every filter computed
//! from that customer's raw records, every negative form as the complement
//! of its positive form. It exists only to check the fast engine, so it
//! favours being obviously right over being fast, and shares no code with
//! `flokk-engine/src` (it uses the language crate's parser, checker and
//! whole-day rules, and the record model's own helpers, which are the
//! spec's definitions and are tested on their own).
//!
//! Shared by several test crates, each of which uses only part of it.
#![allow(dead_code)]

pub mod conditions;
pub mod customer_fields;
pub mod places_and_days;
pub mod record_functions;
pub mod store;

use flokk_lang::ast::Predicate;
use flokk_lang::check::{ParamTarget, Subject, TypedExpr};

/// A MATCHES parameter with what its name refers to.
#[derive(Debug, Clone)]
pub struct TypedParam {
    /// The parameter as written.
    pub param: flokk_lang::ast::Param,
    /// What it refers to.
    pub target: ParamTarget,
}
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::BTreeSet;
pub use store::{Store, StoreCustomer};

/// The instant and time zone a query is evaluated "as of" (§3).
#[derive(Debug, Clone)]
pub struct AsOf {
    /// Evaluation instant; records after it are invisible.
    pub now: Timestamp,
    /// The store time zone, which fixes where days start.
    pub tz: TimeZone,
}

impl AsOf {
    /// Whether a record made at `t` is visible. Instants are compared at
    /// whole-second precision, like every bound the language produces.
    pub fn sees(&self, t: Timestamp) -> bool {
        t.as_second() <= self.now.as_second()
    }
}

/// A filter the reference cannot evaluate: predictive fields on a store
/// with enough data for models (it fits none), a `customer_segments` name
/// the store has no segment for. Nested segments it evaluates itself, from
/// `Store::segments`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

/// Whether `customer` is in the segment `expr`.
pub fn matches(
    store: &Store,
    customer: &StoreCustomer,
    expr: &TypedExpr,
    as_of: &AsOf,
) -> Result<bool, Unavailable> {
    Ok(match expr {
        TypedExpr::Or { operands, .. } => {
            let mut any = false;
            for e in operands {
                // Every operand is evaluated so an unavailable filter is
                // reported wherever it sits.
                any |= matches(store, customer, e, as_of)?;
            }
            any
        }
        TypedExpr::And { operands, .. } => {
            let mut all = true;
            for e in operands {
                all &= matches(store, customer, e, as_of)?;
            }
            all
        }
        TypedExpr::Not { operand, .. } => !matches(store, customer, operand, as_of)?,
        TypedExpr::Clause(clause) => match (&clause.subject, &clause.clause.predicate) {
            (Subject::Function { spec, .. }, Predicate::Matches { negated, .. }) => {
                let params: Vec<TypedParam> = clause
                    .params()
                    .map(|(param, target)| TypedParam {
                        param: param.clone(),
                        target: target.clone(),
                    })
                    .collect();
                let positive =
                    record_functions::function_matches(store, customer, spec.name, &params, as_of);
                positive != *negated
            }
            (Subject::Filter(spec), predicate) if MODEL_FIELDS.contains(&spec.name) => {
                // predictive.md: without enough data every model-based field is
                // NULL. The reference knows only that case (it fits no models).
                if buyers(store, as_of) >= 500 {
                    return Err(Unavailable(spec.name.to_owned()));
                }
                let null = match spec.name {
                    "churn_risk" | "predicted_spend_tier" => conditions::FieldValue::Text(None),
                    "expected_next_order_date" => conditions::FieldValue::Instant(None),
                    _ => conditions::FieldValue::Number(None),
                };
                conditions::clause_holds(&null, predicate, as_of)
            }
            (Subject::Filter(spec), predicate) if spec.name == "customer_lists" => {
                // language.md §7.1: the names of the static lists the
                // customer is on; a name no list has is an error.
                if let Predicate::Contains { value, .. } = predicate {
                    let named = value.value.as_id().unwrap_or_default().to_lowercase();
                    if !store.lists.iter().any(|(n, _)| n.to_lowercase() == named) {
                        return Err(Unavailable(format!("list {named}")));
                    }
                }
                let names: Vec<String> = store
                    .lists
                    .iter()
                    .filter(|(_, ids)| ids.contains(&customer.record.id))
                    .map(|(name, _)| name.clone())
                    .collect();
                conditions::clause_holds(&conditions::FieldValue::Folded(names), predicate, as_of)
            }
            (Subject::Filter(spec), predicate) if spec.name == "customer_segments" => {
                // language.md §7: the names of the saved segments the customer
                // belongs to; a name the store has no segment for is an error.
                if let Predicate::Contains { value, .. } = predicate {
                    let named = value.value.as_id().unwrap_or_default().to_lowercase();
                    if !store
                        .segments
                        .iter()
                        .any(|(n, _)| n.to_lowercase() == named)
                    {
                        return Err(Unavailable(format!("segment {named}")));
                    }
                }
                // The segments the clause can depend on: the one it names
                // (a saved segment names only others, so this ends), or
                // every one for IS NULL / IS NOT NULL (never in a saved
                // segment).
                let named = |name: &str| match predicate {
                    Predicate::Contains { value, .. } => {
                        value.value.as_id().unwrap_or_default().to_lowercase()
                            == name.to_lowercase()
                    }
                    _ => true,
                };
                let mut names = Vec::new();
                for (name, expr) in store.segments.iter().filter(|(n, _)| named(n)) {
                    if matches(store, customer, expr, as_of)? {
                        names.push(name.clone());
                    }
                }
                conditions::clause_holds(&conditions::FieldValue::Folded(names), predicate, as_of)
            }
            (Subject::Filter(spec), predicate) => {
                let value = customer_fields::filter_value(customer, spec.name, as_of)?;
                conditions::clause_holds(&value, predicate, as_of)
            }
            (Subject::Property { namespace, key, ty }, predicate) => {
                let value = customer_fields::property_value(
                    customer,
                    &format!("{namespace}.{key}"),
                    *ty,
                    as_of,
                );
                conditions::clause_holds(&value, predicate, as_of)
            }
            (subject, predicate) => {
                panic!("the checker let through {subject:?} with {predicate:?}")
            }
        },
    })
}

/// The filters whose values come from the fitted purchase and spend models.
const MODEL_FIELDS: &[&str] = &[
    "predicted_clv",
    "total_clv",
    "predicted_number_of_orders",
    "churn_probability",
    "churn_risk",
    "expected_next_order_date",
    "predicted_spend_tier",
];

/// Customers with at least one counted order as of now (not cancelled, not
/// after now): predictions need 500 of them.
fn buyers(store: &Store, as_of: &AsOf) -> usize {
    store
        .customers
        .iter()
        .filter(|c| {
            c.orders
                .iter()
                .any(|o| !o.cancelled && o.placed_at <= as_of.now)
        })
        .count()
}

/// The ids of every customer in the segment.
pub fn members(
    store: &Store,
    expr: &TypedExpr,
    as_of: &AsOf,
) -> Result<BTreeSet<String>, Unavailable> {
    let mut out = BTreeSet::new();
    for c in &store.customers {
        if matches(store, c, expr, as_of)? {
            out.insert(c.record.id.clone());
        }
    }
    Ok(out)
}
