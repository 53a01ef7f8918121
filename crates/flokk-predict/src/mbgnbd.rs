//! MBG/NBD model (Batislam, Denizel and Filiztekin 2007, "Empirical validation
//! and comparison of models for customer base analysis", IJRM 24(3)): BG/NBD
//! where a customer may also drop out right after the first purchase, so
//! one-time buyers are not certain to be alive. flokk's default model for
//! `churn_probability` and the expected-purchase fields (predictive.md).

use crate::beta_geometric::Variant;
use crate::bgnbd::{Fitted, fit_variant};
use crate::error::PredictError;
use crate::summary::WeightedSummary;

/// MBG/NBD parameters. Time unit: days (`α` in days; `r`, `a`, `b` unit-free).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MbgNbd {
    /// Shape of the gamma mixing distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma mixing distribution, in days.
    pub alpha: f64,
    /// First shape of the beta mixing distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of the beta mixing distribution of dropout probabilities.
    pub b: f64,
}

impl MbgNbd {
    /// Total log-likelihood of the weighted rows (Batislam et al. 2007 eq. 5).
    pub fn log_likelihood(&self, rows: &[WeightedSummary]) -> f64 {
        let rows = crate::beta_geometric::prepare_rows(rows);
        crate::beta_geometric::log_likelihood_and_gradient(
            Variant::Mbg,
            [self.r, self.alpha, self.a, self.b],
            &rows,
            false,
        )
        .0
    }

    /// Maximum-likelihood fit (BFGS on log-parameters, analytic gradient).
    pub fn fit(rows: &[WeightedSummary]) -> Result<Fitted<MbgNbd>, PredictError> {
        let ([r, alpha, a, b], log_likelihood, iterations) =
            fit_variant(Variant::Mbg, "MBG/NBD", rows)?;
        Ok(Fitted {
            model: MbgNbd { r, alpha, a, b },
            log_likelihood,
            iterations,
        })
    }

    /// `P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x))`
    /// (Batislam et al. 2007 eq. 9); below one even for `x = 0`.
    pub fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let ln_odds = self.a.ln() - (self.b + x).ln()
            + (self.r + x) * ((self.alpha + t).ln() - (self.alpha + t_x).ln());
        1.0 / (1.0 + ln_odds.exp())
    }

    /// Conditional expected number of transactions in `(T, T + horizon]`
    /// (Batislam et al. 2007 eq. 8), `horizon` in days:
    /// `(a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)] · P(alive)`
    /// with `z = t/(α+T+t)`.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let MbgNbd { r, alpha, a, b } = *self;
        crate::beta_geometric::expected_purchases_factor(
            Variant::Mbg,
            [r, alpha, a, b],
            x,
            t,
            horizon,
        ) * self.probability_alive(x, t_x, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_purchases_are_continuous_at_a_equal_one() {
        let at = |a: f64| {
            MbgNbd {
                r: 0.5,
                alpha: 40.0,
                a,
                b: 2.0,
            }
            .expected_purchases(365.0, 3.0, 100.0, 200.0)
        };
        let (below, exact, above) = (at(1.0 - 1e-3), at(1.0), at(1.0 + 1e-3));
        assert!(exact.is_finite() && exact > 0.0);
        assert!(
            (exact - 0.5 * (below + above)).abs() < 1e-5 * exact,
            "{below} {exact} {above}"
        );
    }

    #[test]
    fn frequent_buyers_over_long_horizons_do_not_overflow() {
        // ₂F₁(r+x, b+x+1; a+b+x; z) alone is ~1e300+ here.
        let model = MbgNbd {
            r: 0.5,
            alpha: 2.0,
            a: 0.3,
            b: 5.0,
        };
        let e = model.expected_purchases(3650.0, 400.0, 700.0, 700.0);
        assert!(e.is_finite() && e > 100.0, "{e}");
    }
}
