//! Filters with one value per customer (language.md §7) and custom
//! properties.

use super::condition::{Clock, NumCondition, TimeTest, text};
use super::{EvalError, Evaluator};
use crate::columns::time_column::TimeColumn;
use crate::columns::uint_column::{UintColumn, UintSlice as _};
use crate::columns::value_index::{ListIndex, ValueIndex};
use crate::predictions::prediction_columns::NumericField;
use crate::tables::properties::PropertyKind;
use crate::{CustomerSet, NO_TIME};
use flokk_lang::ast::{CompareOp, Predicate};
use flokk_lang::catalog::FilterSpec;

/// How a predicate splits into "positive test" and "complement of it".
enum Shape<'p> {
    /// The predicate as it is.
    Positive(&'p Predicate),
    /// `!=`: the complement of `=` with the same value.
    NotEqual(&'p flokk_lang::value::Literal),
    /// IS NULL (`negated`: IS NOT NULL).
    IsNull(bool),
}

fn shape(p: &Predicate) -> Shape<'_> {
    match p {
        Predicate::Compare {
            op: CompareOp::Ne,
            value,
        } => Shape::NotEqual(value),
        Predicate::IsNull { negated } => Shape::IsNull(*negated),
        other => Shape::Positive(other),
    }
}

/// A NaN column value is NULL.
fn known(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

impl Evaluator<'_> {
    fn clock(&self) -> Clock<'_> {
        Clock {
            now: self.now,
            tz: &self.tz,
        }
    }

    /// Customers of `universe` whose number passes `predicate`; a missing
    /// number (`None`) passes only the negative forms.
    fn numeric(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        value: impl Fn(u32) -> Option<f64>,
    ) -> Result<CustomerSet, EvalError> {
        let select = |test: &dyn Fn(Option<f64>) -> bool| -> CustomerSet {
            super::select(universe, |c| test(value(c)))
        };
        Ok(match shape(predicate) {
            Shape::IsNull(negated) => select(&|v| v.is_none() != negated),
            Shape::NotEqual(v) => {
                let v = super::condition::number(v)?;
                universe - &select(&|x| x == Some(v))
            }
            Shape::Positive(p) => {
                let cond = NumCondition::from_predicate(p)?;
                match cond.interval() {
                    Some((lo, hi)) => super::select(universe, |c| {
                        // `&`, not `&&`: no branch to mispredict on a
                        // half-selective range.
                        value(c).is_some_and(|x| (lo <= x) & (x <= hi))
                    }),
                    None => select(&|x| x.is_some_and(|x| cond.holds(x))),
                }
            }
        })
    }

    /// Customers of `universe` whose instant (seconds) passes `predicate`.
    fn instant(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        value: impl Fn(u32) -> Option<i64>,
    ) -> Result<CustomerSet, EvalError> {
        let select = |test: &TimeTest| -> CustomerSet {
            super::select(universe, |c| value(c).is_some_and(|t| test.holds(t)))
        };
        Ok(match predicate {
            Predicate::IsNull { negated } => {
                super::select(universe, |c| value(c).is_none() != *negated)
            }
            p => {
                let test = self.clock().from_predicate(p)?;
                if test.outside {
                    universe
                        - &select(&TimeTest {
                            outside: false,
                            ..test
                        })
                } else {
                    select(&test)
                }
            }
        })
    }

    /// [`Evaluator::numeric`] over a count column, instantiated per width
    /// of the column so that the pass over the customers holds no branch
    /// on it.
    fn count_filter(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        column: &UintColumn,
    ) -> Result<CustomerSet, EvalError> {
        crate::uint_slice!(column, values => {
            self.numeric(universe, predicate, |c| Some(f64::from(values.at(c as usize))))
        })
    }

    /// [`Evaluator::instant`] over a column of optional instants: the
    /// window is translated into the column's offsets once, so the pass
    /// over the customers compares plain `u32`s.
    fn time_filter(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        column: &TimeColumn,
    ) -> Result<CustomerSet, EvalError> {
        let TimeColumn::Narrow { base, offsets } = column else {
            return self.instant(universe, predicate, |c| {
                Some(column.get(c as usize)).filter(|t| *t != NO_TIME)
            });
        };
        let base = base.unwrap_or(0);
        // Offsets in [lo, hi) are the instants in [start, end); none
        // (u32::MAX) is never below `hi`.
        let offset = |t: Option<i64>, unbounded: u32| {
            t.map_or(unbounded, |t| {
                (t.saturating_sub(base)).clamp(0, i64::from(u32::MAX)) as u32
            })
        };
        let within = |test: &TimeTest| {
            let (lo, hi) = (
                offset(test.range.start, 0),
                offset(test.range.end, u32::MAX),
            );
            super::select(universe, |c| {
                let o = offsets[c as usize];
                (o >= lo) & (o < hi)
            })
        };
        Ok(match predicate {
            Predicate::IsNull { negated } => {
                super::select(universe, |c| (offsets[c as usize] == u32::MAX) != *negated)
            }
            p => {
                let test = self.clock().from_predicate(p)?;
                if test.outside {
                    universe - &within(&test)
                } else {
                    within(&test)
                }
            }
        })
    }

    fn text_filter(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        index: &ValueIndex,
    ) -> Result<CustomerSet, EvalError> {
        Ok(match predicate {
            Predicate::Compare {
                op: CompareOp::Eq,
                value,
            } => index.equal_within(&text(value)?, universe),
            Predicate::Compare {
                op: CompareOp::Ne,
                value,
            } => universe - &index.equal_within(&text(value)?, universe),
            Predicate::IsNull { negated: false } => universe - index.present(),
            Predicate::IsNull { negated: true } => universe & index.present(),
            other => return Err(EvalError::Internal(format!("text filter with {other:?}"))),
        })
    }

    fn list_filter(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
        index: &ListIndex,
    ) -> Result<CustomerSet, EvalError> {
        Ok(match predicate {
            Predicate::Contains {
                negated: false,
                value,
            } => index.contains_within(&text(value)?, universe),
            Predicate::Contains {
                negated: true,
                value,
            } => universe - &index.contains_within(&text(value)?, universe),
            Predicate::IsNull { negated: false } => universe - index.non_empty(),
            Predicate::IsNull { negated: true } => universe & index.non_empty(),
            other => return Err(EvalError::Internal(format!("list filter with {other:?}"))),
        })
    }

    /// A catalog filter.
    pub(super) fn filter(
        &self,
        spec: &FilterSpec,
        predicate: &Predicate,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let cs = &self.engine.customers;
        let a = &*self.aggregates;
        match spec.name {
            // Money meets the literal as an f64: the exact amount's nearest
            // f64 is the literal's own when they are the same decimal (both
            // correctly rounded), so `amount_spent = 119.64` is exact, and
            // rounding keeps order, so `<`/`>` are too, also against a
            // literal with more places than any currency has.
            "amount_spent" | "historic_clv" => self.numeric(universe, predicate, |c| {
                Some(a.amount_spent[c as usize].to_f64())
            }),
            "number_of_orders" => self.count_filter(universe, predicate, &a.number_of_orders),
            "average_order_value" => self.numeric(universe, predicate, |c| {
                let n = a.number_of_orders.get(c as usize);
                (n > 0).then(|| a.amount_spent[c as usize].to_f64() / f64::from(n))
            }),
            "average_days_between_orders" => {
                self.numeric(universe, predicate, |c| a.average_days_between_orders(c))
            }
            "number_of_tickets" => self.numeric(universe, predicate, |c| {
                Some(a.number_of_tickets.get(c as usize) as f64)
            }),
            "number_of_events" => self.count_filter(universe, predicate, &a.number_of_events),
            "random_bucket" => self.numeric(universe, predicate, |c| {
                Some(f64::from(cs.random_bucket[c as usize]))
            }),
            "age" => {
                let today = flokk_lang::time::today(self.now, &self.tz);
                self.numeric(universe, predicate, |c| {
                    let days = cs.birth_date[c as usize];
                    if days == i32::MIN {
                        return None;
                    }
                    let birth = jiff::civil::date(1970, 1, 1)
                        .checked_add(jiff::Span::new().days(i64::from(days)))
                        .ok()?;
                    flokk_model::age_on(birth, today).map(|y| y as f64)
                })
            }
            "first_order_date" => self.time_filter(universe, predicate, &a.first_order),
            "last_order_date" => self.time_filter(universe, predicate, &a.last_order),
            "abandoned_checkout_date" => {
                self.time_filter(universe, predicate, &a.abandoned_checkout)
            }
            "customer_added_date" => self.time_filter(universe, predicate, &cs.created_at),
            "birth_date" => {
                let starts = super::places::DayStarts::new(&self.tz);
                self.instant(universe, predicate, |c| {
                    starts.start(cs.birth_date[c as usize])
                })
            }
            "customer_email_domain" => self.text_filter(universe, predicate, &cs.email_domain),
            "customer_language" => self.text_filter(universe, predicate, &cs.language),
            "customer_account_status" => self.text_filter(universe, predicate, &cs.account_status),
            "email_subscription_status" => {
                self.text_filter(universe, predicate, &cs.email_subscription)
            }
            "sms_subscription_status" => {
                self.text_filter(universe, predicate, &cs.sms_subscription)
            }
            "product_subscription_status" => {
                self.text_filter(universe, predicate, &cs.product_subscription)
            }
            "created_by_app_id" => self.text_filter(universe, predicate, &cs.created_by_app_id),
            "gender" => self.text_filter(universe, predicate, &cs.gender),
            "customer_tags" => self.list_filter(universe, predicate, &cs.tags),
            "customer_cities" => self.list_filter(universe, predicate, &cs.cities),
            "customer_regions" => self.list_filter(universe, predicate, &cs.regions),
            "customer_countries" => self.list_filter(universe, predicate, &cs.countries),
            "companies" => self.list_filter(universe, predicate, &cs.companies),
            "permissions" => self.list_filter(universe, predicate, &cs.permissions),
            "customer_segments" => self.customer_segments(predicate, universe),
            "customer_lists" => self.customer_lists(predicate, universe),
            "predicted_gender" => self.text_filter(universe, predicate, &cs.predicted_gender),
            "rfm_group" => self.text_filter(universe, predicate, &self.predictions().rfm_group),
            "churn_risk" => self.text_filter(universe, predicate, &self.predictions().churn_risk),
            "subscription_status" => self.subscription_status(universe, predicate),
            "predicted_spend_tier" => {
                self.text_filter(universe, predicate, &self.predictions().spend_tier)
            }
            "predicted_clv" => {
                let col = self.prediction_column(NumericField::PredictedClv);
                self.numeric(universe, predicate, |c| known(col[c as usize]))
            }
            "total_clv" => {
                let col = self.prediction_column(NumericField::PredictedClv);
                self.numeric(universe, predicate, |c| {
                    known(col[c as usize]).map(|v| v + a.amount_spent[c as usize].to_f64())
                })
            }
            "predicted_number_of_orders" => {
                let col = self.prediction_column(NumericField::PredictedOrders);
                self.numeric(universe, predicate, |c| known(col[c as usize]))
            }
            "churn_probability" => {
                let col = self.prediction_column(NumericField::ChurnProbability);
                self.numeric(universe, predicate, |c| known(col[c as usize]))
            }
            "expected_next_order_date" => {
                let col = self.prediction_column(NumericField::NextOrderDay);
                let starts = super::places::DayStarts::new(&self.tz);
                self.instant(universe, predicate, |c| {
                    known(col[c as usize]).and_then(|day| starts.start(day as i32))
                })
            }
            other => Err(EvalError::Internal(format!("no column for filter {other}"))),
        }
    }

    /// A custom property `metafields.<key>`.
    /// `metafields.<key>` typed `ty` as the query was checked: values of
    /// other types read as missing (the module doc of
    /// [`crate::tables::properties`]), so a query checked before the key's most
    /// common type changed (customers replaced since) still evaluates.
    pub(super) fn property(
        &self,
        key: &str,
        ty: flokk_lang::ValueType,
        predicate: &Predicate,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let Some(col) = self.engine.customers.properties.get(key) else {
            // The checker only accepts known keys; a key that vanished since
            // has no values.
            return Ok(match predicate {
                Predicate::IsNull { negated: false } => universe.clone(),
                Predicate::Compare {
                    op: CompareOp::Ne, ..
                } => universe.clone(),
                Predicate::Contains { negated: true, .. } => universe.clone(),
                _ => CustomerSet::new(),
            });
        };
        use flokk_lang::ValueType as T;
        let kind = match ty {
            T::Integer | T::Float => PropertyKind::Number,
            T::Date => PropertyKind::Date,
            T::String => PropertyKind::String,
            T::Boolean => PropertyKind::Boolean,
            T::List => PropertyKind::List,
        };
        match kind {
            PropertyKind::Number => self.numeric(universe, predicate, |c| col.numbers.get(c)),
            PropertyKind::Date => {
                let starts = super::places::DayStarts::new(&self.tz);
                self.instant(universe, predicate, |c| {
                    col.dates.get(c).and_then(|d| starts.start(d))
                })
            }
            PropertyKind::String => self.text_filter(universe, predicate, &col.strings),
            PropertyKind::Boolean => self.text_filter(universe, predicate, &col.booleans),
            PropertyKind::List => self.list_filter(universe, predicate, &col.lists),
        }
    }
}
