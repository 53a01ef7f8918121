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

    /// Total log-likelihood and gradient in `(ln p, ln q, ln γ)`. The gamma
    /// functions depend on `x` only, so they are evaluated once per distinct
    /// `x`; the `ln m̄` terms do not depend on the parameters and are summed
    /// once in [`PreparedSpend`]. Per row only `ln(γ + m̄x)` remains.
    fn log_likelihood_and_gradient(&self, data: &PreparedSpend) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, gamma } = *self;
        let (lg_q, dg_q, ln_gamma_) = (ln_gamma(q), digamma(q), gamma.ln());
        let mut total = p * data.sum_wx_ln_m - data.sum_w_ln_m;
        let mut grad = [data.sum_wx_ln_m, 0.0, 0.0];
        for group in &data.groups {
            let (x, w) = (group.x, group.weight);
            let px = p * x;
            let dg_pxq = digamma(px + q);
            total += w * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_gamma_ + px * x.ln());
            grad[0] += w * x * (dg_pxq - digamma(px) + x.ln());
            grad[1] += w * (dg_pxq - dg_q + ln_gamma_);
            grad[2] += w * q / gamma;
            for row in &data.rows[group.start..group.end] {
                let denominator = gamma + row.mean_value * x;
                let ln_denominator = denominator.ln();
                total -= row.weight * (px + q) * ln_denominator;
                grad[0] -= row.weight * x * ln_denominator;
                grad[1] -= row.weight * ln_denominator;
                grad[2] -= row.weight * (px + q) / denominator;
            }
        }
        (total, [grad[0] * p, grad[1] * q, grad[2] * gamma])
    }

    /// Total log-likelihood of the rows.
    pub fn log_likelihood(&self, rows: &[SpendRow]) -> f64 {
        self.log_likelihood_and_gradient(&PreparedSpend::new(rows))
            .0
    }

    /// Maximum-likelihood fit on rows with `x > 0` and `m̄ > 0` (others are
    /// skipped: the model is defined for positive spend only).
    pub fn fit(rows: &[SpendRow]) -> Result<Fitted<GammaGamma>, PredictError> {
        const MODEL: &str = "Gamma-Gamma";
        let data = PreparedSpend::new(rows);
        let rows = &data.rows;
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
            let (ll, g) = model.log_likelihood_and_gradient(&data);
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

/// Usable rows (`x > 0`, `m̄ > 0`, weight > 0) sorted by `x`, grouped by
/// distinct `x`, with the parameter-free sums `Σ w x ln m̄` and `Σ w ln m̄`.
struct PreparedSpend {
    rows: Vec<SpendRow>,
    groups: Vec<SpendGroup>,
    sum_wx_ln_m: f64,
    sum_w_ln_m: f64,
}

struct SpendGroup {
    x: f64,
    weight: f64,
    start: usize,
    end: usize,
}

impl PreparedSpend {
    fn new(rows: &[SpendRow]) -> Self {
        let mut rows: Vec<SpendRow> = rows
            .iter()
            .copied()
            .filter(|r| r.x > 0.0 && r.mean_value > 0.0 && r.weight > 0.0)
            .collect();
        rows.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut groups: Vec<SpendGroup> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            match groups.last_mut() {
                Some(group) if group.x == row.x => {
                    group.weight += row.weight;
                    group.end = i + 1;
                }
                _ => groups.push(SpendGroup {
                    x: row.x,
                    weight: row.weight,
                    start: i,
                    end: i + 1,
                }),
            }
        }
        let sum_wx_ln_m = rows
            .iter()
            .map(|r| r.weight * r.x * r.mean_value.ln())
            .sum();
        let sum_w_ln_m = rows.iter().map(|r| r.weight * r.mean_value.ln()).sum();
        PreparedSpend {
            rows,
            groups,
            sum_wx_ln_m,
            sum_w_ln_m,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::central_difference_gradient;

    fn rows() -> Vec<SpendRow> {
        vec![
            SpendRow {
                x: 1.0,
                mean_value: 12.5,
                weight: 2.0,
            },
            SpendRow {
                x: 3.0,
                mean_value: 40.0,
                weight: 1.0,
            },
            SpendRow {
                x: 1.0,
                mean_value: 7.0,
                weight: 1.0,
            },
            SpendRow {
                x: 12.0,
                mean_value: 25.0,
                weight: 3.0,
            },
        ]
    }

    #[test]
    fn grouped_likelihood_equals_the_sum_of_customer_likelihoods() {
        let model = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let direct: f64 = rows()
            .iter()
            .map(|r| r.weight * model.customer_log_likelihood(r.x, r.mean_value))
            .sum();
        assert!((model.log_likelihood(&rows()) - direct).abs() < 1e-10);
    }

    #[test]
    fn analytic_gradient_matches_central_differences() {
        let data = PreparedSpend::new(&rows());
        let f = |v: &[f64]| {
            GammaGamma {
                p: v[0].exp(),
                q: v[1].exp(),
                gamma: v[2].exp(),
            }
            .log_likelihood_and_gradient(&data)
            .0
        };
        for point in [[6.25f64, 3.74, 15.44], [0.5, 1.2, 300.0]] {
            let logs: Vec<f64> = point.iter().map(|v| v.ln()).collect();
            let numeric = central_difference_gradient(&f, &logs);
            let (_, analytic) = GammaGamma {
                p: point[0],
                q: point[1],
                gamma: point[2],
            }
            .log_likelihood_and_gradient(&data);
            for i in 0..3 {
                assert!(
                    (numeric[i] - analytic[i]).abs() < 1e-6 * (1.0 + analytic[i].abs()),
                    "{point:?} {i}: {numeric:?} {analytic:?}"
                );
            }
        }
    }
}
