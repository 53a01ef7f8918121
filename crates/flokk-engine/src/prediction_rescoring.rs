//! Keeping the predictive fields current after a catch-up by re-scoring the
//! customers it touched, instead of scoring the whole store again: the
//! models are fixed between refits and the bands' cut-offs with them
//! ([`crate::band_cutoffs`]), so nobody else's fields can have moved.

use crate::indexes::aggregates::Aggregates;
use crate::predictions::PurchaseHistory;
use crate::predictions::band_cutoffs::rfm_input;
use crate::predictions::prediction_columns::{NumericField, Predictions};
use crate::{CustomerSet, Engine};
use flokk_predict::summarise;
use std::sync::Arc;

const FIELDS: [NumericField; 4] = [
    NumericField::PredictedOrders,
    NumericField::PredictedClv,
    NumericField::ChurnProbability,
    NumericField::NextOrderDay,
];

impl Predictions {
    /// Scores `customers` of `engine` again (after their records were
    /// replaced; deleted ones end as customers without orders do), with
    /// `aggregates` current for them. The cost is that of the customers
    /// given, whatever the size of the store.
    pub(crate) fn rescore(
        &mut self,
        engine: &Engine,
        aggregates: &Aggregates,
        customers: &CustomerSet,
    ) {
        let n = engine.customers.len() as usize;
        let now_day = crate::indexes::aggregates::local_day(self.now, &self.tz);
        for column in &mut self.columns {
            if let Some(values) = column.get_mut() {
                Arc::make_mut(values).resize(n, f64::NAN);
            }
        }
        for c in customers {
            let days = PurchaseHistory::of_customer(engine.tables(), c, self.now, &self.tz);
            self.rfm_group.remove_customer(c);
            self.churn_risk.remove_customer(c);
            self.spend_tier.remove_customer(c);
            let input = rfm_input(aggregates, c as usize, i64::from(now_day), &self.tz);
            self.band_rfm(c, input.as_ref());
            // Without a history the predicted spend is 0, as in `compute`.
            let scored =
                self.models
                    .as_ref()
                    .map(|models| match summarise(&days, i64::from(now_day)) {
                        None => (None, 0.0),
                        Some(summary) => {
                            let pred = models.predict(&summary, &self.settings);
                            (
                                Some(pred.churn_risk.as_str()),
                                pred.predicted_clv.unwrap_or(f64::NAN),
                            )
                        }
                    });
            if let Some((risk, spend)) = scored {
                if let Some(risk) = risk {
                    self.churn_risk.insert(c, risk);
                }
                self.band_spend(c, spend);
            }
            for field in FIELDS {
                if self.columns[field as usize].get().is_some() {
                    let v = self.value(field, &days);
                    if let Some(values) = self.columns[field as usize].get_mut() {
                        Arc::make_mut(values)[c as usize] = v;
                    }
                }
            }
        }
    }
}

impl Engine {
    /// Keeps the cut-offs of `cached` predictions when the saved models
    /// came without any (saved before cut-offs were kept): from now on,
    /// until a refit brings saved ones, a write never re-cuts the bands.
    pub(crate) fn keep_band_cutoffs(&mut self, cached: Option<&crate::engine::CachedPredictions>) {
        if let (Some(saved), Some((_, _, predictions))) = (&mut self.saved_models, cached)
            && saved.bands.is_none()
        {
            saved.bands = Some(predictions.cutoffs());
        }
    }

    /// Puts back the predictions `cached` before a catch-up, with the
    /// customers in `changed` scored again, when that gives what computing
    /// them afresh would: they saw every record before (computed at
    /// `newest_before` or later), they see every record now, in the same
    /// zone as `aggregates`, and the models are the saved ones (models an
    /// engine fits itself would be fitted again on the new data).
    pub(crate) fn rescore_predictions(
        &mut self,
        cached: Option<crate::engine::CachedPredictions>,
        newest_before: i64,
        aggregates: &Aggregates,
        tz: &jiff::tz::TimeZone,
        changed: &CustomerSet,
    ) {
        let Some(((at, day), zone, mut predictions)) = cached else {
            return;
        };
        let newest = self.newest.max(i64::MIN + 1);
        if self.saved_models.is_none() || at != newest_before || zone != *tz {
            return;
        }
        let Some(p) = Arc::get_mut(&mut predictions) else {
            return;
        };
        if p.now < newest {
            return;
        }
        p.rescore(self, aggregates, changed);
        if let Ok(cache) = self.predictions.get_mut() {
            *cache = Some(((newest, day), zone, predictions));
        }
    }
}
