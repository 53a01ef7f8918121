//! The fitted predictive models as the store keeps them (JSON in the
//! `models` table), so scoring a customer never needs a refit: the models
//! are refitted on a schedule (`predict_refit_hours`) or on request
//! (`flokk predict --refit`), and between refits every customer is scored
//! with the same parameters — a customer's predictive fields move when
//! their own orders change, at a store-local midnight (the models count
//! whole days), or at a refit, never because someone else bought. The
//! bands' store-wide cut-offs are measured with the fit and saved beside
//! the models for the same reason ([`crate::band_cutoffs`]).

use crate::indexes::aggregates::Aggregates;
use crate::predictions::band_cutoffs::measure_bands;
use crate::predictions::purchase_history::PurchaseHistory;
use crate::tables::record_tables::RecordTables;
use flokk_predict::{
    BgNbd, CustomerSummary, Fitted, GammaGamma, MbgNbd, PredictError, PredictionSettings,
    StoreModels, SufficiencyRules, check_sufficiency, compress,
};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// The name of the predictive models in the store's `models` table.
pub const PREDICTIVE_MODELS: &str = "predictive";

/// Purchase-model parameters (BG/NBD or MBG/NBD; time unit: days).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PurchaseParameters {
    /// Shape of the purchase-rate gamma.
    pub r: f64,
    /// Scale of the purchase-rate gamma, in days.
    pub alpha: f64,
    /// First dropout beta shape.
    pub a: f64,
    /// Second dropout beta shape.
    pub b: f64,
    /// Log-likelihood at the maximum.
    pub log_likelihood: f64,
}

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpendParameters {
    /// Shape of one transaction's value.
    pub p: f64,
    /// Shape of the mixing gamma.
    pub q: f64,
    /// Scale of the mixing gamma.
    pub gamma: f64,
    /// Log-likelihood at the maximum.
    pub log_likelihood: f64,
}

/// The models of one store, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedModels {
    /// The default purchase model, scoring every customer.
    pub mbgnbd: PurchaseParameters,
    /// The spend model; `None` when it could not be fitted (then
    /// `predicted_clv` is NULL while the purchase fields are given).
    pub gamma_gamma: Option<SpendParameters>,
    /// Why the spend model is missing.
    pub gamma_gamma_error: Option<String>,
    /// BG/NBD, fitted alongside for reports (`flokk predict`).
    pub bgnbd: Option<PurchaseParameters>,
    /// Customers with orders the fit saw.
    pub customers_with_orders: usize,
    /// The bands' cut-offs measured with the fit (`None` in models saved
    /// before they were kept; see [`crate::band_cutoffs`]).
    #[serde(default)]
    pub bands: Option<crate::predictions::band_cutoffs::BandCutoffs>,
}

fn purchase(f: &Fitted<MbgNbd>) -> PurchaseParameters {
    PurchaseParameters {
        r: f.model.r,
        alpha: f.model.alpha,
        a: f.model.a,
        b: f.model.b,
        log_likelihood: f.log_likelihood,
    }
}

impl SavedModels {
    /// The models in the form the scorer takes.
    pub fn models(&self) -> StoreModels {
        let m = &self.mbgnbd;
        StoreModels {
            purchases: Fitted {
                model: MbgNbd {
                    r: m.r,
                    alpha: m.alpha,
                    a: m.a,
                    b: m.b,
                },
                log_likelihood: m.log_likelihood,
                iterations: 0,
            },
            spend: match &self.gamma_gamma {
                Some(g) => Ok(Fitted {
                    model: GammaGamma {
                        p: g.p,
                        q: g.q,
                        gamma: g.gamma,
                    },
                    log_likelihood: g.log_likelihood,
                    iterations: 0,
                }),
                None => Err(PredictError::NoData {
                    model: "Gamma-Gamma",
                }),
            },
        }
    }

    /// These models with the band cut-offs of the customers in `records`
    /// (with their `aggregates`) as of `now` (seconds) in `tz`, scored with
    /// them: what a fit saves.
    pub fn with_bands(
        mut self,
        records: RecordTables<'_>,
        aggregates: &Aggregates,
        settings: &PredictionSettings,
        now: i64,
        tz: &TimeZone,
    ) -> Self {
        let history = PurchaseHistory::collect(records, now, tz);
        let bands = measure_bands(aggregates, settings, &history, &self.models(), tz);
        self.bands = Some(bands);
        self
    }

    /// Saved form of freshly fitted models (`bgnbd` for reports only).
    pub fn from_models(
        models: &StoreModels,
        bgnbd: Option<&Fitted<BgNbd>>,
        customers_with_orders: usize,
    ) -> Self {
        SavedModels {
            mbgnbd: purchase(&models.purchases),
            gamma_gamma: models.spend.as_ref().ok().map(|g| SpendParameters {
                p: g.model.p,
                q: g.model.q,
                gamma: g.model.gamma,
                log_likelihood: g.log_likelihood,
            }),
            gamma_gamma_error: models.spend.as_ref().err().map(|e| e.to_string()),
            bgnbd: bgnbd.map(|f| PurchaseParameters {
                r: f.model.r,
                alpha: f.model.alpha,
                a: f.model.a,
                b: f.model.b,
                log_likelihood: f.log_likelihood,
            }),
            customers_with_orders,
            bands: None,
        }
    }
}

/// What a fit found: the models, or why the store cannot have them yet.
// Made once per refit and unpacked at once: the size of a variant is moot.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum FitOutcome {
    /// Fitted (with BG/NBD alongside when asked for).
    Fitted(SavedModels),
    /// Failed data-sufficiency rules or a failed fit, with the reasons.
    NotFitted(Vec<String>),
}

/// Fits the models on the engine's purchase histories as of `now`
/// (seconds) in `tz`, after the data-sufficiency rules (predictive.md).
pub fn fit_models(
    records: RecordTables<'_>,
    aggregates: &Aggregates,
    settings: &PredictionSettings,
    now: i64,
    tz: &TimeZone,
    with_bgnbd: bool,
) -> FitOutcome {
    let history = PurchaseHistory::collect(records, now, tz);
    let reasons: Vec<String> =
        check_sufficiency(&history.store_history(), &SufficiencyRules::default())
            .into_iter()
            .map(|r| r.to_string())
            .collect();
    if !reasons.is_empty() {
        return FitOutcome::NotFitted(reasons);
    }
    let summaries: Vec<CustomerSummary> = history.summaries().into_iter().flatten().collect();
    let models = match StoreModels::fit(&summaries) {
        Ok(m) => m,
        Err(e) => {
            return FitOutcome::NotFitted(vec![format!(
                "the purchase model could not be fitted: {e}"
            )]);
        }
    };
    let bgnbd = with_bgnbd
        .then(|| BgNbd::fit(&compress(&summaries)).ok())
        .flatten();
    let mut saved = SavedModels::from_models(&models, bgnbd.as_ref(), summaries.len());
    saved.bands = Some(measure_bands(aggregates, settings, &history, &models, tz));
    FitOutcome::Fitted(saved)
}
