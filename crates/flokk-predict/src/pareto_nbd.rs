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

#[cfg(test)]
mod tests {
    use super::*;

    /// `ln A₀` from `A₀ = (r+s+x) ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ`
    /// (the dropout term of the likelihood): Simpson's rule on a fine grid in
    /// `u = ln(α+τ)`, scaled by the integrand at the lower end so heavy
    /// buyers do not underflow; an independent check of the `₂F₁` form.
    fn ln_a0_by_quadrature(m: &ParetoNbd, x: f64, t_x: f64, t: f64) -> f64 {
        let (lo, hi) = ((m.alpha + t_x).ln(), (m.alpha + t).ln());
        let n = 20_000;
        let h = (hi - lo) / n as f64;
        let phi = |u: f64| u * (1.0 - m.r - x) - (m.s + 1.0) * (m.beta + u.exp() - m.alpha).ln();
        let f = |u: f64| (phi(u) - phi(lo)).exp();
        let mut sum = f(lo) + f(hi);
        for i in 1..n {
            sum += f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        (m.r + m.s + x).ln() + phi(lo) + (sum * h / 3.0).ln()
    }

    #[test]
    fn a0_matches_the_integral_it_stands_for() {
        for m in [
            ParetoNbd {
                r: 0.55,
                alpha: 74.0,
                s: 0.61,
                beta: 81.7,
            },
            ParetoNbd {
                r: 2.0,
                alpha: 300.0,
                s: 1.5,
                beta: 10.0,
            },
            ParetoNbd {
                r: 0.3,
                alpha: 5.0,
                s: 0.2,
                beta: 900.0,
            },
        ] {
            for (x, t_x, t) in [(0.0, 0.0, 272.0), (3.0, 100.0, 250.0), (12.0, 30.0, 600.0)] {
                let quadrature = ln_a0_by_quadrature(&m, x, t_x, t);
                let closed = m.ln_a0(x, t_x, t);
                assert!(
                    (closed - quadrature).abs() < 1e-8,
                    "{m:?} x={x}: {closed} vs {quadrature}"
                );
            }
        }
    }

    #[test]
    fn heavy_buyers_do_not_overflow() {
        // (α+T)^(r+x) and the ₂F₁ values are far beyond f64 here.
        for m in [
            ParetoNbd {
                r: 0.5,
                alpha: 2.0,
                s: 0.6,
                beta: 400.0,
            },
            ParetoNbd {
                r: 0.5,
                alpha: 400.0,
                s: 0.6,
                beta: 2.0,
            },
        ] {
            let ll = m.customer_log_likelihood(500.0, 690.0, 700.0);
            let alive = m.probability_alive(500.0, 690.0, 700.0);
            let expected = m.expected_purchases(365.0, 500.0, 690.0, 700.0);
            assert!(
                ll.is_finite() && (0.0..=1.0).contains(&alive) && expected.is_finite(),
                "{m:?}: {ll} {alive} {expected}"
            );
            // P(alive) from the quadrature A₀ (Fader & Hardie 2005 eq. 18).
            let (r, s, x, t) = (m.r, m.s, 500.0, 700.0);
            let ln_odds = s.ln() - (r + s + x).ln()
                + (r + x) * (m.alpha + t).ln()
                + s * (m.beta + t).ln()
                + ln_a0_by_quadrature(&m, x, 690.0, t);
            let independent = 1.0 / (1.0 + ln_odds.exp());
            assert!(
                (alive - independent).abs() < 1e-8,
                "{m:?}: {alive} vs {independent}"
            );
        }
    }
}
