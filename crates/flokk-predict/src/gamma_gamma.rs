//! Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: Using
//! Iso-Value Curves for Customer Base Analysis", JMR 42(4); Fader & Hardie
//! 2013, "The Gamma-Gamma Model of Monetary Value"). Fitted on customers with
//! at least one repeat transaction day (`x > 0`), on the mean repeat value `m̄`.

use crate::Fitted;
use crate::error::PredictError;
use crate::fit::{MinimiseOptions, minimise_bfgs};
use crate::special::{digamma, ln_gamma};

/// Gamma-Gamma parameters (`γ` in currency units; `p`, `q` unit-free).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    /// Shape of the gamma distribution of one transaction's value.
    pub p: f64,
    /// Shape of the gamma mixing distribution of the scale ν.
    pub q: f64,
    /// Scale of the gamma mixing distribution of ν.
    pub gamma: f64,
}

/// One customer's input to the spend model: `x` repeat transactions with mean value `m̄`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendRow {
    /// Repeat transactions (> 0).
    pub x: f64,
    /// Mean value of the repeat transactions (> 0).
    pub mean_value: f64,
    /// Number of customers with these values.
    pub weight: f64,
}

impl SpendRow {
    /// Rows of the customers with `x > 0` and a positive mean repeat value,
    /// one per customer (weight 1).
    pub fn from_summaries(summaries: &[crate::CustomerSummary]) -> Vec<SpendRow> {
        summaries
            .iter()
            .filter_map(|s| match s.monetary {
                Some(m) if s.x > 0.0 && m > 0.0 => Some(SpendRow {
                    x: s.x,
                    mean_value: m,
                    weight: 1.0,
                }),
                _ => None,
            })
            .collect()
    }
}

impl GammaGamma {
    /// Log-likelihood of one customer (Fader & Hardie 2013 eq. 3):
    /// `ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x)`.
    pub fn customer_log_likelihood(&self, x: f64, mean_value: f64) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * gamma.ln()
            + (p * x - 1.0) * mean_value.ln()
            + p * x * x.ln()
            - (p * x + q) * (gamma + mean_value * x).ln()
    }

    /// Total log-likelihood and gradient in `(ln p, ln q, ln γ)`.
    fn log_likelihood_and_gradient(&self, rows: &[SpendRow]) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, gamma } = *self;
        let (lg_q, dg_q, ln_gamma_) = (ln_gamma(q), digamma(q), gamma.ln());
        let mut total = 0.0;
        let mut grad = [0.0; 3];
        for row in rows {
            let (x, m, w) = (row.x, row.mean_value, row.weight);
            let px = p * x;
            let ln_denominator = (gamma + m * x).ln();
            total += w
                * (ln_gamma(px + q) - ln_gamma(px) - lg_q
                    + q * ln_gamma_
                    + (px - 1.0) * m.ln()
                    + px * x.ln()
                    - (px + q) * ln_denominator);
            let dg_pxq = digamma(px + q);
            grad[0] += w * x * (dg_pxq - digamma(px) + m.ln() + x.ln() - ln_denominator);
            grad[1] += w * (dg_pxq - dg_q + ln_gamma_ - ln_denominator);
            grad[2] += w * (q / gamma - (px + q) / (gamma + m * x));
        }
        (total, [grad[0] * p, grad[1] * q, grad[2] * gamma])
    }

    /// Total log-likelihood of the rows.
    pub fn log_likelihood(&self, rows: &[SpendRow]) -> f64 {
        self.log_likelihood_and_gradient(rows).0
    }

    /// Maximum-likelihood fit on rows with `x > 0` and `m̄ > 0` (others are
    /// skipped: the model is defined for positive spend only).
    pub fn fit(rows: &[SpendRow]) -> Result<Fitted<GammaGamma>, PredictError> {
        const MODEL: &str = "Gamma-Gamma";
        let rows: Vec<SpendRow> = rows
            .iter()
            .copied()
            .filter(|r| r.x > 0.0 && r.mean_value > 0.0 && r.weight > 0.0)
            .collect();
        let total_weight: f64 = rows.iter().map(|r| r.weight).sum();
        if rows.is_empty() {
            return Err(PredictError::NoData { model: MODEL });
        }
        let objective = |v: &[f64]| {
            let model = GammaGamma {
                p: v[0].exp(),
                q: v[1].exp(),
                gamma: v[2].exp(),
            };
            let (ll, g) = model.log_likelihood_and_gradient(&rows);
            (
                -ll / total_weight,
                g.iter().map(|d| -d / total_weight).collect(),
            )
        };
        let mean = rows.iter().map(|r| r.weight * r.mean_value).sum::<f64>() / total_weight;
        let start = [0.0, 0.0, mean.max(1e-6).ln()];
        let minimum = minimise_bfgs(
            MODEL,
            objective,
            &start,
            MinimiseOptions {
                gradient_tolerance: 1e-7,
                ..MinimiseOptions::default()
            },
        )?;
        let v = &minimum.point;
        let values: Vec<f64> = v.iter().map(|x| x.exp()).collect();
        crate::fit::check_identified(MODEL, &["p", "q", "gamma"], &values)?;
        Ok(Fitted {
            model: GammaGamma {
                p: v[0].exp(),
                q: v[1].exp(),
                gamma: v[2].exp(),
            },
            log_likelihood: -minimum.value * total_weight,
            iterations: minimum.iterations,
        })
    }

    /// `E[M | m̄, x] = p(γ + m̄x) / (px + q − 1)` (Fader & Hardie 2013 eq. 5), the
    /// posterior mean of a customer's average transaction value. With `x = 0`
    /// (no repeat purchase) it is the population mean `pγ / (q − 1)`. `None`
    /// when `q ≤ 1` and `x = 0` (the mean does not exist). The model is
    /// defined for positive values; a non-positive `m̄` (refunds exceeding
    /// purchases) counts as `m̄ = 0`, which shrinks the estimate towards zero.
    pub fn expected_average_value(&self, x: f64, mean_value: Option<f64>) -> Option<f64> {
        let GammaGamma { p, q, gamma } = *self;
        let (x, m) = match mean_value {
            Some(m) if x > 0.0 => (x, m.max(0.0)),
            _ => (0.0, 0.0),
        };
        let denominator = p * x + q - 1.0;
        (denominator > 0.0).then(|| p * (gamma + m * x) / denominator)
    }
}
