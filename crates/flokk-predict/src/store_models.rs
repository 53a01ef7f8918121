//! One store's fitted default models (MBG/NBD + Gamma-Gamma, predictive.md)
//! and the per-customer fields computed from them: the entry point the engine
//! and `flokk predict` use.

use crate::bgnbd::Fitted;
use crate::customer_value::{CustomerPrediction, PredictionSettings, predict_customer};
use crate::error::PredictError;
use crate::gamma_gamma::{GammaGamma, SpendRow};
use crate::mbgnbd::MbgNbd;
use crate::summary::{CustomerSummary, compress};

/// The fitted default models of one store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreModels {
    /// Purchase model (MBG/NBD), time unit days.
    pub purchases: Fitted<MbgNbd>,
    /// Spend model, or the reason it could not be fitted (then `predicted_clv`
    /// is `None` while the purchase fields are still available).
    pub spend: Result<Fitted<GammaGamma>, PredictError>,
}

impl StoreModels {
    /// Fits MBG/NBD on all customers' `(x, t_x, T)` (compressed into weighted
    /// rows) and Gamma-Gamma on those with a repeat purchase. Run
    /// [`crate::check_sufficiency`] first: on too little data the fit may
    /// fail or be unreliable.
    pub fn fit(customers: &[CustomerSummary]) -> Result<StoreModels, PredictError> {
        let purchases = MbgNbd::fit(&compress(customers))?;
        let spend = GammaGamma::fit(&SpendRow::from_summaries(customers));
        Ok(StoreModels { purchases, spend })
    }

    /// The predictive fields of one customer.
    pub fn predict(
        &self,
        customer: &CustomerSummary,
        settings: &PredictionSettings,
    ) -> CustomerPrediction {
        let spend = self.spend.as_ref().ok().map(|fitted| &fitted.model);
        predict_customer(&self.purchases.model, spend, customer, settings)
    }
}
