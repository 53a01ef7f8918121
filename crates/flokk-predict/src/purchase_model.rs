//! The common face of the three purchase-count models, so the default
//! (MBG/NBD, predictive.md) can be swapped without touching the callers.

use crate::bgnbd::BgNbd;
use crate::mbgnbd::MbgNbd;
use crate::pareto_nbd::ParetoNbd;

/// A "buy till you die" model: P(alive) and conditional expected purchases.
pub trait PurchaseModel {
    /// Probability that a customer with `(x, t_x, T)` (days) is still active.
    fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64;
    /// Expected number of transaction days in the next `horizon` days.
    fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64;
    /// `(r, α)` of the gamma distribution of purchase rates (α in days), used
    /// for the expected gap to the next order.
    fn purchase_rate_shape_scale(&self) -> (f64, f64);
}

macro_rules! impl_purchase_model {
    ($model:ty) => {
        impl PurchaseModel for $model {
            fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
                <$model>::probability_alive(self, x, t_x, t)
            }
            fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
                <$model>::expected_purchases(self, horizon, x, t_x, t)
            }
            fn purchase_rate_shape_scale(&self) -> (f64, f64) {
                (self.r, self.alpha)
            }
        }
    };
}

impl_purchase_model!(BgNbd);
impl_purchase_model!(MbgNbd);
impl_purchase_model!(ParetoNbd);
