//! The log-likelihood (with analytic gradient) shared by BG/NBD and MBG/NBD.
//!
//! Both models share the Poisson–gamma purchasing process and the
//! beta-geometric dropout; they differ only in whether a customer can drop out
//! right after the first purchase. With `k = 0` (BG/NBD, FHL 2005 eq. 6) or
//! `k = 1` (MBG/NBD, Batislam et al. 2007 eq. 5) one row's likelihood is
//!
//! ```text
//! L = Γ(r+x) α^r / (Γ(r)) · B(a, b+x+k) / B(a, b)
//!     · [ (α+T)^−(r+x) + D · a/(b+x+k−1) · (α+t_x)^−(r+x) ]
//! ```
//!
//! with `D = [x > 0]` for BG/NBD and `D = 1` for MBG/NBD. The bracket is
//! computed with log-sum-exp because `(α+T)^−(r+x)` underflows for frequent
//! buyers with large `T` in days.

use crate::special::{digamma, ln_gamma, log_add_exp};
use crate::summary::WeightedSummary;

/// Which of the two beta-geometric models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// FHL 2005: dropout only after a repeat purchase.
    Bg,
    /// Batislam et al. 2007: dropout possible at every purchase incl. the first.
    Mbg,
}

impl Variant {
    fn offset(self) -> f64 {
        match self {
            Variant::Bg => 0.0,
            Variant::Mbg => 1.0,
        }
    }

    fn has_second_term(self, x: f64) -> bool {
        match self {
            Variant::Bg => x > 0.0,
            Variant::Mbg => true,
        }
    }
}

/// Total weighted log-likelihood and its gradient with respect to the
/// log-parameters `(ln r, ln α, ln a, ln b)`. `rows` must be sorted by `x` so
/// the gamma-function terms, which depend on `x` only, are computed once per
/// distinct `x`.
pub(crate) fn log_likelihood_and_gradient(
    variant: Variant,
    [r, alpha, a, b]: [f64; 4],
    rows: &[WeightedSummary],
    want_gradient: bool,
) -> (f64, [f64; 4]) {
    let k = variant.offset();
    let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
    let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
    let (dg_r, dg_b, dg_ab) = if want_gradient {
        (digamma(r), digamma(b), digamma(a + b))
    } else {
        (0.0, 0.0, 0.0)
    };
    let mut total = 0.0;
    let mut grad = [0.0; 4];
    let mut current_x = f64::NAN;
    // Terms depending on x only.
    let (mut x_terms, mut dx_r, mut dx_a, mut dx_b) = (0.0, 0.0, 0.0, 0.0);
    for row in rows {
        let x = row.x;
        if x != current_x {
            current_x = x;
            x_terms = ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x + k)
                - lg_b
                - ln_gamma(a + b + x + k);
            if want_gradient {
                let dg_abx = digamma(a + b + x + k);
                dx_r = digamma(r + x) - dg_r + ln_alpha;
                dx_a = dg_ab - dg_abx;
                dx_b = dg_ab + digamma(b + x + k) - dg_b - dg_abx;
            }
        }
        let ln_at = (alpha + row.t).ln();
        let first = -(r + x) * ln_at;
        let (bracket, w2, ln_atx, shift) = if variant.has_second_term(x) {
            let shift = b + x + k - 1.0;
            let ln_atx = (alpha + row.t_x).ln();
            let second = ln_a - shift.ln() - (r + x) * ln_atx;
            let bracket = log_add_exp(first, second);
            (bracket, (second - bracket).exp(), ln_atx, shift)
        } else {
            (first, 0.0, 0.0, 1.0)
        };
        let w = row.weight;
        total += w * (x_terms + bracket);
        if want_gradient {
            let w1 = 1.0 - w2;
            grad[0] += w * (dx_r - w1 * ln_at - w2 * ln_atx);
            grad[1] += w * (r / alpha - (r + x) * (w1 / (alpha + row.t) + w2 / (alpha + row.t_x)));
            grad[2] += w * (dx_a + w2 / a);
            grad[3] += w * (dx_b - w2 / shift);
        }
    }
    // Chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ.
    for (g, theta) in grad.iter_mut().zip([r, alpha, a, b]) {
        *g *= theta;
    }
    (total, grad)
}

/// Rows sorted by `x` with zero weights dropped, as `log_likelihood_and_gradient` wants.
pub(crate) fn prepare_rows(rows: &[WeightedSummary]) -> Vec<WeightedSummary> {
    let mut sorted: Vec<WeightedSummary> =
        rows.iter().copied().filter(|r| r.weight > 0.0).collect();
    sorted.sort_by(|p, q| p.x.total_cmp(&q.x));
    sorted
}

/// Starting values in log-space: `r = 1`, `α` = mean age (days), `a = b = 1`.
pub(crate) fn starting_point(rows: &[WeightedSummary]) -> [f64; 4] {
    let weight: f64 = rows.iter().map(|r| r.weight).sum();
    let mean_t = rows.iter().map(|r| r.weight * r.t).sum::<f64>() / weight;
    [0.0, mean_t.max(1.0).ln(), 0.0, 0.0]
}

/// The unconditional part of the expected purchases in `(T, T + t]` shared by
/// FHL 2005 eqs. 7 and 10 (BG/NBD, `k = 0`) and Batislam et al. 2007 eq. 8
/// (MBG/NBD, `k = 1`):
///
/// `(a+b+x+k−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+k; a+b+x+k−1; t/(α+T+t))]`
///
/// The power and `₂F₁` are multiplied in logs (`₂F₁` alone can exceed the
/// `f64` range for frequent buyers and long horizons while the product is
/// below one). At `a = 1` both factors of the product vanish (0/0); there the
/// value is the mean of the two sides at `a = 1 ± 2e-5`, the function being
/// smooth in `a` (error ~1e-10 relative).
pub(crate) fn expected_purchases_factor(
    variant: Variant,
    [r, alpha, a, b]: [f64; 4],
    x: f64,
    t: f64,
    horizon: f64,
) -> f64 {
    let k = variant.offset();
    const NEAR_ONE: f64 = 1e-5;
    if (a - 1.0).abs() < NEAR_ONE {
        let below =
            expected_purchases_factor(variant, [r, alpha, 1.0 - 2.0 * NEAR_ONE, b], x, t, horizon);
        let above =
            expected_purchases_factor(variant, [r, alpha, 1.0 + 2.0 * NEAR_ONE, b], x, t, horizon);
        return 0.5 * (below + above);
    }
    let z = horizon / (alpha + t + horizon);
    let ln_ratio = ((alpha + t) / (alpha + t + horizon)).ln();
    let c = a + b + x + k - 1.0;
    let (ln_hyp, sign) = crate::hyp2f1::ln_abs_hyp2f1(r + x, b + x + k, c, z);
    let bracket = 1.0 - sign * ((r + x) * ln_ratio + ln_hyp).exp();
    c / (a - 1.0) * bracket
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::central_difference_gradient;

    fn rows() -> Vec<WeightedSummary> {
        prepare_rows(&[
            WeightedSummary {
                x: 0.0,
                t_x: 0.0,
                t: 200.0,
                weight: 5.0,
            },
            WeightedSummary {
                x: 2.0,
                t_x: 150.0,
                t: 270.0,
                weight: 2.0,
            },
            WeightedSummary {
                x: 7.0,
                t_x: 30.0,
                t: 300.0,
                weight: 1.0,
            },
            WeightedSummary {
                x: 1.0,
                t_x: 10.0,
                t: 12.0,
                weight: 3.0,
            },
        ])
    }

    #[test]
    fn analytic_gradient_matches_central_differences() {
        let rows = rows();
        for variant in [Variant::Bg, Variant::Mbg] {
            for params in [
                [0.24, 30.9, 0.79, 2.43],
                [1.7, 3.0, 0.2, 9.0],
                [0.05, 400.0, 3.0, 0.5],
            ] {
                let f = |p: &[f64]| {
                    let theta = [p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp()];
                    log_likelihood_and_gradient(variant, theta, &rows, false).0
                };
                let log_params: Vec<f64> = params.iter().map(|v: &f64| v.ln()).collect();
                let numeric = central_difference_gradient(&f, &log_params);
                let (_, analytic) = log_likelihood_and_gradient(variant, params, &rows, true);
                for i in 0..4 {
                    assert!(
                        (numeric[i] - analytic[i]).abs() < 1e-6 * (1.0 + analytic[i].abs()),
                        "{variant:?} {params:?} {i}: {numeric:?} vs {analytic:?}"
                    );
                }
            }
        }
    }
}
