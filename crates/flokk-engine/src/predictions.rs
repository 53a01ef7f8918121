//! The predictive fields (predictive.md) as columns: fitted on the store's
//! purchase histories as of "now", per store time zone, and cached like the
//! other now-dependent columns. Fitting is done only when a query uses a
//! predictive field.
//!
//! Decisions:
//! - When the store fails a data-sufficiency rule, every model-based field
//!   is NULL (positive comparisons match nobody, `IS NULL` everybody), as
//!   predictive.md says; `rfm_group` and `predicted_gender` need no model and
//!   are always computed.
//! - Customers without a (live) order have no purchase history: their
//!   model-based fields are NULL, `rfm_group` is `PROSPECTS`, and their
//!   predicted 12-month spend is 0, so their `predicted_spend_tier` is `LOW`.
//! - `expected_next_order_date` is the last purchase day plus the expected
//!   gap, rounded down to a whole day.
//! - Everything counts whole store-local days (recency for RFM too), so a
//!   customer's fields do not move within a day unless their orders do.
//! - With saved models (`Engine::saved_models`, from the store) customers
//!   are scored with them and nothing is refitted; without, the models are
//!   fitted here once and handed back (`Engine::fitted_models`) for the
//!   binary to save.

use crate::aggregates::{Aggregates, local_day};
use crate::value_index::ValueIndex;
use crate::{Engine, NO_TIME};
use flokk_predict::rfm::{RfmInput, rfm_scores};
use flokk_predict::spend_tier::{SpendTierSettings, spend_tiers};
use flokk_predict::{
    CustomerSummary, PredictionSettings, StoreHistory, StoreModels, SufficiencyRules,
    check_sufficiency, summarise,
};
use jiff::tz::TimeZone;

/// Every customer's purchase days as of now: all live orders of one
/// store-local day are one transaction worth their total net of refunds.
#[derive(Debug, Clone)]
pub struct PurchaseHistory {
    /// `(day, value)` per customer ordinal (days since 1970-01-01).
    pub days: Vec<Vec<(i64, f64)>>,
    /// Live orders per customer ordinal.
    pub orders: Vec<u64>,
    /// Today, store-local.
    pub now_day: i64,
}

impl PurchaseHistory {
    /// Collects the histories as of `now` (seconds) in `tz`.
    pub fn collect(engine: &Engine, now: i64, tz: &TimeZone) -> Self {
        let n = engine.customers.len() as usize;
        let mut days = vec![Vec::new(); n];
        let mut orders = vec![0u64; n];
        let tables = &engine.orders;
        let mut refunds = tables.orders.refunded.cursor_from(0);
        tables.orders.customers.for_each_from(0, |i, c| {
            let o = i as u32;
            if !tables.live(o, now) {
                return;
            }
            let c = c as usize;
            let day = i64::from(local_day(tables.orders.time.get(i), tz));
            let refunded = refunds.at(o).unwrap_or(0.0);
            days[c].push((day, tables.orders.total.get(i) - refunded));
            orders[c] += 1;
        });
        PurchaseHistory {
            days,
            orders,
            now_day: i64::from(local_day(now, tz)),
        }
    }

    /// The BTYD summary of every customer (`None` without purchases).
    pub fn summaries(&self) -> Vec<Option<CustomerSummary>> {
        self.days
            .iter()
            .map(|d| summarise(d, self.now_day))
            .collect()
    }

    /// What the data-sufficiency rules look at.
    pub fn store_history(&self) -> StoreHistory {
        let all_days = self.days.iter().flatten().map(|(d, _)| *d);
        StoreHistory {
            customers_with_orders: self.days.iter().filter(|d| !d.is_empty()).count(),
            first_order_day: all_days.clone().min(),
            last_order_day: all_days.max(),
            now_day: self.now_day,
            max_orders_per_customer: self.orders.iter().copied().max().unwrap_or(0),
        }
    }
}

/// The predictive columns, one value per customer ordinal (NaN / `i32::MIN`
/// is NULL).
#[derive(Debug, Clone)]
pub struct Predictions {
    /// Why predictions are missing (failed sufficiency rules or a failed
    /// fit); empty when the models were fitted.
    pub reasons: Vec<String>,
    /// `predicted_number_of_orders`.
    pub predicted_orders: Vec<f64>,
    /// `predicted_clv`.
    pub predicted_clv: Vec<f64>,
    /// `churn_probability`.
    pub churn_probability: Vec<f64>,
    /// `expected_next_order_date` as a store-local day.
    pub next_order_day: Vec<i32>,
    /// `churn_risk`.
    pub churn_risk: ValueIndex,
    /// `predicted_spend_tier`.
    pub spend_tier: ValueIndex,
    /// `rfm_group`.
    pub rfm_group: ValueIndex,
}

impl Predictions {
    /// Fits the models and computes every column as of `now` in `tz`.
    pub fn compute(
        engine: &Engine,
        aggregates: &Aggregates,
        now: i64,
        tz: &TimeZone,
        settings: &PredictionSettings,
    ) -> Predictions {
        let n = engine.customers.len() as usize;
        let history = PurchaseHistory::collect(engine, now, tz);
        let summaries = history.summaries();
        let mut p = Predictions {
            reasons: check_sufficiency(&history.store_history(), &SufficiencyRules::default())
                .into_iter()
                .map(|r| r.to_string())
                .collect(),
            predicted_orders: vec![f64::NAN; n],
            predicted_clv: vec![f64::NAN; n],
            churn_probability: vec![f64::NAN; n],
            next_order_day: vec![i32::MIN; n],
            churn_risk: ValueIndex::default(),
            spend_tier: ValueIndex::default(),
            rfm_group: ValueIndex::default(),
        };
        // RFM needs no model.
        let rfm_inputs: Vec<Option<RfmInput>> = (0..n)
            .map(|c| {
                let last = aggregates.last_order.get(c);
                (aggregates.number_of_orders.get(c) > 0 && last != NO_TIME).then(|| RfmInput {
                    days_since_last_order: (history.now_day - i64::from(local_day(last, tz)))
                        as f64,
                    orders: f64::from(aggregates.number_of_orders.get(c)),
                    spend: aggregates.amount_spent[c],
                })
            })
            .collect();
        for (c, score) in rfm_scores(&rfm_inputs, &settings.rfm_grid)
            .iter()
            .enumerate()
        {
            p.rfm_group.insert(c as u32, score.group.as_str());
        }
        let models = if let Some(saved) = &engine.saved_models {
            // Saved models score everyone until the next refit, whatever
            // the data look like now.
            p.reasons.clear();
            saved.models()
        } else {
            if !p.reasons.is_empty() {
                return p;
            }
            let present: Vec<CustomerSummary> = summaries.iter().flatten().copied().collect();
            match StoreModels::fit(&present) {
                Ok(m) => {
                    engine.remember_fit(crate::saved_models::SavedModels::from_models(
                        &m,
                        None,
                        present.len(),
                    ));
                    m
                }
                Err(e) => {
                    p.reasons
                        .push(format!("the purchase model could not be fitted: {e}"));
                    return p;
                }
            }
        };
        let mut spend = vec![0.0; n];
        for (c, summary) in summaries.iter().enumerate() {
            let Some(summary) = summary else { continue };
            let pred = models.predict(summary, settings);
            p.predicted_orders[c] = pred.predicted_number_of_orders;
            p.churn_probability[c] = pred.churn_probability;
            p.churn_risk.insert(c as u32, pred.churn_risk.as_str());
            if let Some(clv) = pred.predicted_clv {
                p.predicted_clv[c] = clv;
                spend[c] = clv;
            } else {
                spend[c] = f64::NAN;
            }
            if let (Some(gap), Some(last)) = (
                pred.expected_next_order_gap_days,
                history.days[c].iter().map(|(d, _)| *d).max(),
            ) {
                p.next_order_day[c] = (last as f64 + gap.floor()) as i32;
            }
        }
        for (c, tier) in spend_tiers(&spend, &SpendTierSettings::default())
            .iter()
            .enumerate()
        {
            if let Some(tier) = tier {
                p.spend_tier.insert(c as u32, tier.as_str());
            }
        }
        p
    }
}

/// The predictive fields of one customer, for profiles.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CustomerPredictions {
    /// `predicted_number_of_orders`.
    pub predicted_number_of_orders: Option<f64>,
    /// `predicted_clv`.
    pub predicted_clv: Option<f64>,
    /// `churn_probability`.
    pub churn_probability: Option<f64>,
    /// `churn_risk`.
    pub churn_risk: Option<String>,
    /// `expected_next_order_date` (store-local day).
    pub expected_next_order_date: Option<jiff::civil::Date>,
    /// `predicted_spend_tier`.
    pub predicted_spend_tier: Option<String>,
    /// `rfm_group`.
    pub rfm_group: Option<String>,
}

fn value_of(index: &ValueIndex, c: u32) -> Option<String> {
    index
        .values()
        .find(|(_, set)| set.contains(c))
        .map(|(v, _)| v.to_owned())
}

impl Predictions {
    /// The fields of customer `c`.
    pub fn of(&self, c: u32) -> CustomerPredictions {
        let i = c as usize;
        let known = |v: f64| (!v.is_nan()).then_some(v);
        CustomerPredictions {
            predicted_number_of_orders: known(self.predicted_orders[i]),
            predicted_clv: known(self.predicted_clv[i]),
            churn_probability: known(self.churn_probability[i]),
            churn_risk: value_of(&self.churn_risk, c),
            expected_next_order_date: (self.next_order_day[i] != i32::MIN)
                .then(|| {
                    jiff::civil::date(1970, 1, 1)
                        .checked_add(jiff::Span::new().days(i64::from(self.next_order_day[i])))
                        .ok()
                })
                .flatten(),
            predicted_spend_tier: value_of(&self.spend_tier, c),
            rfm_group: value_of(&self.rfm_group, c),
        }
    }
}

impl crate::space_usage::HeapSize for Predictions {
    fn heap_bytes(&self) -> usize {
        self.reasons.heap_bytes()
            + self.predicted_orders.heap_bytes()
            + self.predicted_clv.heap_bytes()
            + self.churn_probability.heap_bytes()
            + self.next_order_day.heap_bytes()
            + self.churn_risk.heap_bytes()
            + self.spend_tier.heap_bytes()
            + self.rfm_group.heap_bytes()
    }
}
