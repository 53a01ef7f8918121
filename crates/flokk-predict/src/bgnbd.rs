//! BG/NBD model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy
//! Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)).

use crate::beta_geometric::{self, Variant};
use crate::error::PredictError;
use crate::fit::{MinimiseOptions, minimise_bfgs};
use crate::summary::WeightedSummary;

/// BG/NBD parameters. Time unit: days (`α` is a scale in days; `r`, `a`, `b`
/// are unit-free). FHL's weekly CDNOW `α` is `α_days / 7`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbd {
    /// Shape of the gamma mixing distribution of purchase rates.
    pub r: f64,
    /// Scale of the gamma mixing distribution, in days.
    pub alpha: f64,
    /// First shape of the beta mixing distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of the beta mixing distribution of dropout probabilities.
    pub b: f64,
}

/// A fitted model with its maximised log-likelihood (in the days unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitted<M> {
    /// The parameters at the maximum.
    pub model: M,
    /// Total log-likelihood at the maximum (time unit: days).
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: usize,
}

impl BgNbd {
    /// Total log-likelihood of the weighted rows (FHL 2005 eq. 6, summed).
    pub fn log_likelihood(&self, rows: &[WeightedSummary]) -> f64 {
        let rows = beta_geometric::prepare_rows(rows);
        beta_geometric::log_likelihood_and_gradient(Variant::Bg, self.as_array(), &rows, false).0
    }

    /// Maximum-likelihood fit (BFGS on log-parameters, analytic gradient).
    pub fn fit(rows: &[WeightedSummary]) -> Result<Fitted<BgNbd>, PredictError> {
        let (params, log_likelihood, iterations) = fit_variant(Variant::Bg, "BG/NBD", rows)?;
        Ok(Fitted {
            model: BgNbd::from_array(params),
            log_likelihood,
            iterations,
        })
    }

    /// `P(alive | x, t_x, T)` (FHL 2005 eq. 13; a one-time buyer is alive).
    pub fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let ln_odds = self.a.ln() - (self.b + x - 1.0).ln()
            + (self.r + x) * ((self.alpha + t).ln() - (self.alpha + t_x).ln());
        1.0 / (1.0 + ln_odds.exp())
    }

    /// Conditional expected number of transactions in `(T, T + horizon]`
    /// (FHL 2005 eq. 10), `horizon` in days.
    ///
    /// The `₂F₁` factor is evaluated through `hyp2f1`, which switches to the
    /// Euler transformation where the series would blow up (the papers'
    /// advice), in logs to avoid overflow; `a < 1` only flips the sign of both
    /// `(a − 1)` and the bracket, and `a = 1` is taken as the limit.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        beta_geometric::expected_purchases_factor(Variant::Bg, [r, alpha, a, b], x, t, horizon)
            * self.probability_alive(x, t_x, t)
    }

    /// Unconditional expected number of repeat transactions in `(0, t]` for a
    /// customer who made the first purchase at time 0 (FHL 2005 eq. 7).
    pub fn expected_repeat_purchases_new_customer(&self, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        // Eq. 7 is eq. 10's factor with x = 0 and T = 0.
        beta_geometric::expected_purchases_factor(Variant::Bg, [r, alpha, a, b], 0.0, 0.0, t)
    }

    fn as_array(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }

    fn from_array([r, alpha, a, b]: [f64; 4]) -> Self {
        BgNbd { r, alpha, a, b }
    }
}

/// Fits BG/NBD or MBG/NBD, returning parameters, log-likelihood and iterations.
pub(crate) fn fit_variant(
    variant: Variant,
    model: &'static str,
    rows: &[WeightedSummary],
) -> Result<([f64; 4], f64, usize), PredictError> {
    let rows = beta_geometric::prepare_rows(rows);
    let total_weight: f64 = rows.iter().map(|r| r.weight).sum();
    if rows.is_empty() || total_weight <= 0.0 {
        return Err(PredictError::NoData { model });
    }
    // Minimise the mean negative log-likelihood so the gradient tolerance does
    // not depend on the number of customers.
    let objective = |p: &[f64]| {
        let theta = [p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp()];
        let (ll, grad) = beta_geometric::log_likelihood_and_gradient(variant, theta, &rows, true);
        (
            -ll / total_weight,
            grad.iter().map(|g| -g / total_weight).collect(),
        )
    };
    let start = beta_geometric::starting_point(&rows);
    let minimum = minimise_bfgs(model, objective, &start, MinimiseOptions::default())?;
    let p = &minimum.point;
    let params = [p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp()];
    crate::fit::check_identified(model, &["r", "alpha", "a", "b"], &params)?;
    Ok((params, -minimum.value * total_weight, minimum.iterations))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The likelihood is a density in the x repeat-purchase times, so
    /// rescaling time by 7 (weeks → days) multiplies it by 7^−x: the fact the
    /// CDNOW test uses to compare with the published weekly log-likelihood.
    #[test]
    fn log_likelihood_changes_by_x_ln7_between_weeks_and_days() {
        let weeks = [
            WeightedSummary {
                x: 2.0,
                t_x: 30.43,
                t: 38.86,
                weight: 1.0,
            },
            WeightedSummary {
                x: 0.0,
                t_x: 0.0,
                t: 38.86,
                weight: 3.0,
            },
            WeightedSummary {
                x: 5.0,
                t_x: 20.0,
                t: 33.0,
                weight: 2.0,
            },
        ];
        let days: Vec<WeightedSummary> = weeks
            .iter()
            .map(|w| WeightedSummary {
                t_x: 7.0 * w.t_x,
                t: 7.0 * w.t,
                ..*w
            })
            .collect();
        let model_weeks = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let model_days = BgNbd {
            alpha: 7.0 * model_weeks.alpha,
            ..model_weeks
        };
        let total_x = 2.0 + 5.0 * 2.0;
        let difference = model_weeks.log_likelihood(&weeks) - model_days.log_likelihood(&days);
        assert!(
            (difference - total_x * 7f64.ln()).abs() < 1e-9,
            "{difference}"
        );
        // P(alive) and expected purchases are unit-free given consistent units.
        assert!(
            (model_weeks.probability_alive(2.0, 30.43, 38.86)
                - model_days.probability_alive(2.0, 213.01, 272.02))
            .abs()
                < 1e-12
        );
        let e_weeks = model_weeks.expected_purchases(52.0, 2.0, 30.43, 38.86);
        let e_days = model_days.expected_purchases(364.0, 2.0, 213.01, 272.02);
        assert!((e_weeks - e_days).abs() < 1e-10);
    }
}
