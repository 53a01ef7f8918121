//! Pareto/NBD model (Schmittlein, Morrison and Colombo 1987, "Counting Your
//! Customers: Who Are They and What Will They Do Next?", Management Science
//! 33(1)), in the form of Fader and Hardie (2005), "A Note on Deriving the
//! Pareto/NBD Model and Related Expressions" (eqs. 16–22).

use crate::Fitted;
use crate::error::PredictError;
use crate::fit::{MinimiseOptions, central_difference_gradient, minimise_bfgs};
use crate::hyp2f1::ln_hyp2f1;
use crate::special::{ln_gamma, log_add_exp};
use crate::summary::WeightedSummary;

/// Pareto/NBD parameters. Time unit: days (`α`, `β` in days; `r`, `s` unit-free).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoNbd {
    /// Shape of the gamma distribution of purchase rates λ.
    pub r: f64,
    /// Scale of the gamma distribution of purchase rates, in days.
    pub alpha: f64,
    /// Shape of the gamma distribution of dropout rates μ.
    pub s: f64,
    /// Scale of the gamma distribution of dropout rates, in days.
    pub beta: f64,
}

impl ParetoNbd {
    /// `ln A₀` of Fader & Hardie (2005) eq. 19, computed in log space:
    ///
    /// `A₀ = ₂F₁(r+s+x, t; r+s+x+1; |α−β|/(m+t_x)) / (m+t_x)^(r+s+x)
    ///      − ₂F₁(r+s+x, t; r+s+x+1; |α−β|/(m+T)) / (m+T)^(r+s+x)`
    ///
    /// with `m = max(α, β)` and `t = s+1` if `α ≥ β`, else `t = r+x`. Both
    /// `₂F₁` values can overflow for frequent buyers (the papers' "2F1 overflow"
    /// advice); `ln_hyp2f1` returns logarithms, and the difference is formed as
    /// `ln(e^u − e^v)` with `u ≥ v`.
    fn ln_a0(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (largest, smallest, second) = if alpha >= beta {
            (alpha, beta, s + 1.0)
        } else {
            (beta, alpha, r + x)
        };
        let rsx = r + s + x;
        let gap = largest - smallest;
        let u =
            ln_hyp2f1(rsx, second, rsx + 1.0, gap / (largest + t_x)) - rsx * (largest + t_x).ln();
        let v = ln_hyp2f1(rsx, second, rsx + 1.0, gap / (largest + t)) - rsx * (largest + t).ln();
        // A₀ > 0 always (it is an integral of a positive function over (t_x, T)),
        // so u ≥ v up to rounding; t_x = T makes A₀ = 0.
        if v >= u {
            return f64::NEG_INFINITY;
        }
        u + (-(v - u).exp()).ln_1p()
    }

    /// Log-likelihood of one customer (Fader & Hardie 2005 eq. 22).
    pub fn customer_log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive_through_t = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        let died_before_t = s.ln() - (r + s + x).ln() + self.ln_a0(x, t_x, t);
        head + log_add_exp(alive_through_t, died_before_t)
    }

    /// Total log-likelihood of the weighted rows.
    pub fn log_likelihood(&self, rows: &[WeightedSummary]) -> f64 {
        rows.iter()
            .map(|row| row.weight * self.customer_log_likelihood(row.x, row.t_x, row.t))
            .sum()
    }

    /// Maximum-likelihood fit: BFGS on log-parameters with a central-difference
    /// gradient (the analytic derivatives of `₂F₁` in its parameters are not
    /// worth their complexity at four parameters; the difference gradient is
    /// tested against the analytic one of BG/NBD in `fit.rs`).
    pub fn fit(rows: &[WeightedSummary]) -> Result<Fitted<ParetoNbd>, PredictError> {
        const MODEL: &str = "Pareto/NBD";
        let rows: Vec<WeightedSummary> = rows.iter().copied().filter(|r| r.weight > 0.0).collect();
        let total_weight: f64 = rows.iter().map(|r| r.weight).sum();
        if rows.is_empty() {
            return Err(PredictError::NoData { model: MODEL });
        }
        let mean_negative_ll = |p: &[f64]| {
            let model = ParetoNbd {
                r: p[0].exp(),
                alpha: p[1].exp(),
                s: p[2].exp(),
                beta: p[3].exp(),
            };
            -model.log_likelihood(&rows) / total_weight
        };
        let objective = |p: &[f64]| {
            (
                mean_negative_ll(p),
                central_difference_gradient(&mean_negative_ll, p),
            )
        };
        let mean_t = rows.iter().map(|r| r.weight * r.t).sum::<f64>() / total_weight;
        let start = [0.0, mean_t.max(1.0).ln(), 0.0, mean_t.max(1.0).ln()];
        // The difference gradient is accurate to ~1e-10, so ask for less.
        let options = MinimiseOptions {
            gradient_tolerance: 1e-7,
            ..MinimiseOptions::default()
        };
        let minimum = minimise_bfgs(MODEL, objective, &start, options)?;
        let p = &minimum.point;
        let values: Vec<f64> = p.iter().map(|v| v.exp()).collect();
        crate::fit::check_identified(MODEL, &["r", "alpha", "s", "beta"], &values)?;
        Ok(Fitted {
            model: ParetoNbd {
                r: p[0].exp(),
                alpha: p[1].exp(),
                s: p[2].exp(),
                beta: p[3].exp(),
            },
            log_likelihood: -minimum.value * total_weight,
            iterations: minimum.iterations,
        })
    }

    /// `P(alive | x, t_x, T)` (Fader & Hardie 2005 eq. 18):
    /// `1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀)`.
    pub fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ln_odds = s.ln() - (r + s + x).ln()
            + (r + x) * (alpha + t).ln()
            + s * (beta + t).ln()
            + self.ln_a0(x, t_x, t);
        1.0 / (1.0 + ln_odds.exp())
    }

    /// Conditional expected number of transactions in `(T, T + horizon]`
    /// (Schmittlein et al. 1987 eq. 22; Fader & Hardie 2005 eq. 41):
    /// `(r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)`,
    /// with the `s → 1` limit `(r+x)(β+T)/(α+T) · ln((β+T+t)/(β+T))`.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let ln_growth = ((beta + t + horizon) / (beta + t)).ln();
        // (1 − e^{−(s−1)L}) / (s−1) → L as s → 1; expm1 keeps it accurate near 1.
        let integral = if (s - 1.0).abs() < 1e-9 {
            ln_growth
        } else {
            -(-(s - 1.0) * ln_growth).exp_m1() / (s - 1.0)
        };
        (r + x) * (beta + t) / (alpha + t) * integral * self.probability_alive(x, t_x, t)
    }
}
