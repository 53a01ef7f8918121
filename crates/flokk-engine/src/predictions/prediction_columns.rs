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
//! - The bands (`churn_risk`, `predicted_spend_tier`, `rfm_group`) are kept
//!   as bitmaps from the start; a numeric field (`predicted_clv`,
//!   `churn_probability`, ...) is a column of eight bytes a customer, so it
//!   is kept only once a query asks for it ([`Predictions::column`]: the
//!   same models score every customer's history again), and a profile's
//!   values are scored for that customer alone. A store whose segments use
//!   `churn_risk` holds about two bytes a customer of predictions instead
//!   of 30.
//! - The bands' store-wide cut-offs (RFM quintiles, spend-tier percentiles)
//!   are those saved with the models, measured at the fit
//!   ([`crate::predictions::band_cutoffs`]), so after a write only the customers it
//!   touched are scored again ([`crate::catch_up`]) and the answer is the
//!   one a fresh engine with the same saved models gives.

use crate::columns::value_index::ValueIndex;
use crate::indexes::aggregates::Aggregates;
use crate::predictions::band_cutoffs::{BandCutoffs, rfm_input};
use crate::predictions::purchase_history::PurchaseHistory;
use crate::predictions::saved_models::SavedModels;
use crate::tables::record_tables::RecordTables;
use flokk_predict::rfm::RfmInput;
use flokk_predict::{
    CustomerPrediction, CustomerSummary, PredictionSettings, StoreModels, SufficiencyRules,
    check_sufficiency, summarise,
};
use jiff::tz::TimeZone;
use std::sync::{Arc, OnceLock};

/// A numeric predictive field, kept as a column once asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericField {
    /// `predicted_number_of_orders`.
    PredictedOrders,
    /// `predicted_clv`.
    PredictedClv,
    /// `churn_probability`.
    ChurnProbability,
    /// `expected_next_order_date` as a store-local day (days since
    /// 1970-01-01).
    NextOrderDay,
}

/// The predictive fields (see the module doc). Numeric columns hold NaN for
/// NULL (`i32::MIN` as a day).
#[derive(Debug)]
pub struct Predictions {
    /// Why predictions are missing (failed sufficiency rules or a failed
    /// fit); empty when the models were fitted.
    pub reasons: Vec<String>,
    /// `churn_risk`.
    pub churn_risk: ValueIndex,
    /// `predicted_spend_tier`.
    pub spend_tier: ValueIndex,
    /// `rfm_group`.
    pub rfm_group: ValueIndex,
    /// The models that scored the customers (`None`: no predictions).
    pub(crate) models: Option<StoreModels>,
    /// What the bands are cut at.
    cutoffs: BandCutoffs,
    pub(crate) settings: PredictionSettings,
    pub(crate) now: i64,
    /// The store-local day of `now`.
    now_day: i64,
    pub(crate) tz: TimeZone,
    /// The numeric columns asked for so far, by [`NumericField`].
    pub(crate) columns: [OnceLock<Arc<Vec<f64>>>; 4],
}

impl Predictions {
    /// Fits the models (unless saved ones are given) and computes every
    /// band as of `now` in `tz`, against the saved cut-offs or, without
    /// them, cut-offs measured now (see [`crate::predictions::band_cutoffs`]).
    pub fn compute(
        records: RecordTables<'_>,
        saved_models: Option<&SavedModels>,
        remember_fit: impl FnOnce(SavedModels),
        aggregates: &Aggregates,
        now: i64,
        tz: &TimeZone,
        settings: &PredictionSettings,
    ) -> Predictions {
        let n = records.customers.len() as usize;
        let history = PurchaseHistory::collect(records, now, tz);
        let summaries = history.summaries();
        let mut p = Predictions {
            reasons: check_sufficiency(&history.store_history(), &SufficiencyRules::default())
                .into_iter()
                .map(|r| r.to_string())
                .collect(),
            churn_risk: ValueIndex::default(),
            spend_tier: ValueIndex::default(),
            rfm_group: ValueIndex::default(),
            models: None,
            cutoffs: BandCutoffs::default(),
            settings: *settings,
            now,
            now_day: history.now_day,
            tz: tz.clone(),
            columns: Default::default(),
        };
        // RFM needs no model.
        let rfm_inputs: Vec<Option<RfmInput>> = (0..n)
            .map(|c| rfm_input(aggregates, c, history.now_day, tz))
            .collect();
        let saved_bands = saved_models.and_then(|s| s.bands);
        let mut fitted_here = None;
        let models = if let Some(saved) = saved_models {
            // Saved models score everyone until the next refit, whatever
            // the data look like now.
            p.reasons.clear();
            Some(saved.models())
        } else if !p.reasons.is_empty() {
            None
        } else {
            let present: Vec<CustomerSummary> = summaries.iter().flatten().copied().collect();
            match StoreModels::fit(&present) {
                Ok(m) => {
                    fitted_here = Some(SavedModels::from_models(&m, None, present.len()));
                    Some(m)
                }
                Err(e) => {
                    p.reasons
                        .push(format!("the purchase model could not be fitted: {e}"));
                    None
                }
            }
        };
        // Without a history the predicted spend is 0 (tier LOW).
        let spend: Option<Vec<f64>> = models.as_ref().map(|models| {
            let mut spend = vec![0.0; n];
            for (c, summary) in summaries.iter().enumerate() {
                let Some(summary) = summary else { continue };
                let pred = models.predict(summary, settings);
                p.churn_risk.insert(c as u32, pred.churn_risk.as_str());
                spend[c] = pred.predicted_clv.unwrap_or(f64::NAN);
            }
            spend
        });
        p.cutoffs = saved_bands.unwrap_or_else(|| {
            BandCutoffs::measure(&rfm_inputs, history.now_day, spend.as_deref())
        });
        if let Some(mut saved) = fitted_here {
            saved.bands = Some(p.cutoffs);
            remember_fit(saved);
        }
        for (c, input) in rfm_inputs.iter().enumerate() {
            p.band_rfm(c as u32, input.as_ref());
        }
        for (c, v) in spend.iter().flatten().enumerate() {
            p.band_spend(c as u32, *v);
        }
        p.churn_risk.shrink_to_fit();
        p.spend_tier.shrink_to_fit();
        p.rfm_group.shrink_to_fit();
        p.models = models;
        p
    }

    /// Gives customer `c` their `rfm_group` against the cut-offs.
    pub(crate) fn band_rfm(&mut self, c: u32, input: Option<&RfmInput>) {
        let score = self
            .cutoffs
            .rfm()
            .score(input, self.now_day, &self.settings.rfm_grid);
        self.rfm_group.insert(c, score.group.as_str());
    }

    /// Gives customer `c` their `predicted_spend_tier` for predicted
    /// spend `v` against the cut-offs (none for NaN).
    pub(crate) fn band_spend(&mut self, c: u32, v: f64) {
        if let Some(tier) = self.cutoffs.spend_tier().and_then(|t| t.tier(v)) {
            self.spend_tier.insert(c, tier.as_str());
        }
    }

    /// The band cut-offs these predictions use.
    pub fn cutoffs(&self) -> BandCutoffs {
        self.cutoffs
    }

    /// The value of `field` for a customer with purchase days `days`
    /// (NaN: NULL), as every column and profile computes it.
    pub(crate) fn value(&self, field: NumericField, days: &[(i64, f64)]) -> f64 {
        match self.predict(days) {
            Some(pred) => field_value(&pred, field, days),
            None => f64::NAN,
        }
    }

    /// The models' prediction for a customer with purchase `days`, when
    /// there are models and purchases.
    fn predict(&self, days: &[(i64, f64)]) -> Option<CustomerPrediction> {
        summarise(days, self.now_day).and_then(|summary| self.predict_summary(&summary))
    }

    /// The models' prediction for a customer with purchase summary
    /// `summary`, when there are models.
    pub(crate) fn predict_summary(&self, summary: &CustomerSummary) -> Option<CustomerPrediction> {
        let models = self.models.as_ref()?;
        Some(models.predict(summary, &self.settings))
    }

    /// The column of `field` for every customer of `engine` (the engine
    /// these predictions were computed from), computed on first use.
    pub fn column(&self, records: RecordTables<'_>, field: NumericField) -> Arc<Vec<f64>> {
        self.columns[field as usize]
            .get_or_init(|| {
                let history = PurchaseHistory::collect(records, self.now, &self.tz);
                Arc::new(history.days.iter().map(|d| self.value(field, d)).collect())
            })
            .clone()
    }
}

/// `field` of prediction `pred` for a customer with purchase `days`.
fn field_value(pred: &CustomerPrediction, field: NumericField, days: &[(i64, f64)]) -> f64 {
    match field {
        NumericField::PredictedOrders => pred.predicted_number_of_orders,
        NumericField::PredictedClv => pred.predicted_clv.unwrap_or(f64::NAN),
        NumericField::ChurnProbability => pred.churn_probability,
        NumericField::NextOrderDay => {
            match (
                pred.expected_next_order_gap_days,
                days.iter().map(|(d, _)| *d).max(),
            ) {
                (Some(gap), Some(last)) => (last as f64 + gap.floor()) as i32 as f64,
                _ => f64::NAN,
            }
        }
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
    /// The fields of customer `c` of `engine` (the engine these predictions
    /// were computed from), scored for that customer alone.
    pub fn of(&self, records: RecordTables<'_>, c: u32) -> CustomerPredictions {
        self.of_predicted(records, c, |summary| self.predict_summary(summary))
    }

    /// [`Predictions::of`], the models' prediction for a purchase summary
    /// made by `predict` (which may remember them: see
    /// [`crate::predictions::remembered`]).
    pub(crate) fn of_predicted(
        &self,
        records: RecordTables<'_>,
        c: u32,
        predict: impl FnOnce(&CustomerSummary) -> Option<CustomerPrediction>,
    ) -> CustomerPredictions {
        let days = PurchaseHistory::of_customer(records, c, self.now, &self.tz);
        // One prediction for the four fields: each is a costly evaluation
        // of the models, and a long member list asks for every customer's.
        let pred = summarise(&days, self.now_day).and_then(|summary| predict(&summary));
        let known = |v: f64| (!v.is_nan()).then_some(v);
        let value = |field| {
            known(
                pred.as_ref()
                    .map_or(f64::NAN, |p| field_value(p, field, &days)),
            )
        };
        CustomerPredictions {
            predicted_number_of_orders: value(NumericField::PredictedOrders),
            predicted_clv: value(NumericField::PredictedClv),
            churn_probability: value(NumericField::ChurnProbability),
            churn_risk: value_of(&self.churn_risk, c),
            expected_next_order_date: value(NumericField::NextOrderDay).and_then(|day| {
                jiff::civil::date(1970, 1, 1)
                    .checked_add(jiff::Span::new().days(day as i64))
                    .ok()
            }),
            predicted_spend_tier: value_of(&self.spend_tier, c),
            rfm_group: value_of(&self.rfm_group, c),
        }
    }
}

impl crate::columns::heap_size::HeapSize for Predictions {
    fn heap_bytes(&self) -> usize {
        self.reasons.heap_bytes()
            + self
                .columns
                .iter()
                .filter_map(|c| c.get())
                .map(|c| c.heap_bytes())
                .sum::<usize>()
            + self.churn_risk.heap_bytes()
            + self.spend_tier.heap_bytes()
            + self.rfm_group.heap_bytes()
    }
}
