//! The per-customer predictive fields of predictive.md ("Fields"):
//! `predicted_number_of_orders`, `predicted_clv`, `churn_probability`,
//! `churn_risk`, the expected gap to the next order and
//! `average_days_between_orders`.

use crate::gamma_gamma::GammaGamma;
use crate::purchase_model::PurchaseModel;
use crate::summary::CustomerSummary;

/// `LOW` < `medium_from` ≤ `MEDIUM` < `high_from` ≤ `HIGH` (settings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChurnRiskThresholds {
    /// Lowest churn probability rated `MEDIUM` (default 0.33).
    pub medium_from: f64,
    /// Lowest churn probability rated `HIGH` (default 0.66).
    pub high_from: f64,
}

impl Default for ChurnRiskThresholds {
    fn default() -> Self {
        Self {
            medium_from: 0.33,
            high_from: 0.66,
        }
    }
}

/// Churn risk band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChurnRisk {
    /// Churn probability below `medium_from`.
    Low,
    /// Between the thresholds.
    Medium,
    /// At or above `high_from`.
    High,
}

impl ChurnRisk {
    /// The band for a churn probability.
    pub fn from_probability(churn_probability: f64, thresholds: &ChurnRiskThresholds) -> Self {
        if churn_probability >= thresholds.high_from {
            ChurnRisk::High
        } else if churn_probability >= thresholds.medium_from {
            ChurnRisk::Medium
        } else {
            ChurnRisk::Low
        }
    }

    /// The value as the filter language spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChurnRisk::Low => "LOW",
            ChurnRisk::Medium => "MEDIUM",
            ChurnRisk::High => "HIGH",
        }
    }
}

/// Settings of the predictive fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictionSettings {
    /// Horizon of `predicted_number_of_orders` and `predicted_clv`, days (365).
    pub horizon_days: f64,
    /// Monthly discount rate of `predicted_clv` (`clv_discount_monthly`, default 0).
    pub clv_discount_monthly: f64,
    /// Churn-risk thresholds.
    pub churn_risk: ChurnRiskThresholds,
    /// The RFM grid (`rfm_grid`).
    pub rfm_grid: crate::rfm::RfmGrid,
}

impl Default for PredictionSettings {
    fn default() -> Self {
        Self {
            horizon_days: 365.0,
            clv_discount_monthly: 0.0,
            churn_risk: ChurnRiskThresholds::default(),
            rfm_grid: crate::rfm::RfmGrid::default(),
        }
    }
}

/// Predictions for one customer with at least one order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerPrediction {
    /// Expected transaction days within the horizon.
    pub predicted_number_of_orders: f64,
    /// `predicted_number_of_orders × E[M | m̄, x]`, discounted monthly when set;
    /// `None` without a spend model or when `E[M]` does not exist.
    pub predicted_clv: Option<f64>,
    /// `1 − P(alive)`.
    pub churn_probability: f64,
    /// Band of `churn_probability`.
    pub churn_risk: ChurnRisk,
    /// Days from the last order to the expected next one, `(α + t_x)/(r + x − 1)`;
    /// `None` when `r + x ≤ 1`.
    pub expected_next_order_gap_days: Option<f64>,
    /// `t_x / x`; `None` when `x = 0`.
    pub average_days_between_orders: Option<f64>,
}

/// Computes the predictive fields of one customer.
pub fn predict_customer<M: PurchaseModel>(
    purchases: &M,
    spend: Option<&GammaGamma>,
    customer: &CustomerSummary,
    settings: &PredictionSettings,
) -> CustomerPrediction {
    let CustomerSummary {
        x,
        t_x,
        t,
        monetary,
    } = *customer;
    let predicted_number_of_orders = purchases.expected_purchases(settings.horizon_days, x, t_x, t);
    let churn_probability = 1.0 - purchases.probability_alive(x, t_x, t);
    let predicted_clv = spend
        .and_then(|gg| gg.expected_average_value(x, monetary))
        .map(|value| {
            // Undiscounted, the purchases are the ones just computed: the
            // same call, so the same value, for a third of the model's cost
            // in a long member list.
            value
                * if settings.clv_discount_monthly == 0.0 {
                    predicted_number_of_orders
                } else {
                    discounted_purchases(
                        purchases,
                        customer,
                        settings.horizon_days,
                        settings.clv_discount_monthly,
                    )
                }
        });
    let (r, alpha) = purchases.purchase_rate_shape_scale();
    CustomerPrediction {
        predicted_number_of_orders,
        predicted_clv,
        churn_probability,
        churn_risk: ChurnRisk::from_probability(churn_probability, &settings.churn_risk),
        expected_next_order_gap_days: expected_next_order_gap_days(r, alpha, x, t_x),
        average_days_between_orders: (x > 0.0).then(|| t_x / x),
    }
}

/// Posterior mean gap to the next order, `(α + t_x) / (r + x − 1)` days: the
/// mean of `1/λ` under the posterior `Gamma(r + x, α + t_x)` of the purchase
/// rate at the last order (predictive.md). `None` when `r + x ≤ 1`, where
/// that mean is infinite.
pub fn expected_next_order_gap_days(r: f64, alpha: f64, x: f64, t_x: f64) -> Option<f64> {
    (r + x > 1.0).then(|| (alpha + t_x) / (r + x - 1.0))
}

/// Expected purchases in the horizon, each month's share discounted by
/// `(1 + d)^−month` (months of horizon/12 days, the convention of lifetimes'
/// `customer_lifetime_value`). With `d = 0` this is `E[Y(horizon)]`.
fn discounted_purchases<M: PurchaseModel>(
    model: &M,
    c: &CustomerSummary,
    horizon: f64,
    monthly_discount: f64,
) -> f64 {
    if monthly_discount == 0.0 {
        return model.expected_purchases(horizon, c.x, c.t_x, c.t);
    }
    let month = horizon / 12.0;
    let mut previous = 0.0;
    let mut total = 0.0;
    for i in 1..=12 {
        let cumulative = model.expected_purchases(month * i as f64, c.x, c.t_x, c.t);
        total += (cumulative - previous) / (1.0 + monthly_discount).powi(i);
        previous = cumulative;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mbgnbd::MbgNbd;

    #[test]
    fn churn_risk_bands_follow_the_thresholds() {
        let t = ChurnRiskThresholds::default();
        assert_eq!(ChurnRisk::from_probability(0.0, &t), ChurnRisk::Low);
        assert_eq!(ChurnRisk::from_probability(0.3299, &t), ChurnRisk::Low);
        assert_eq!(ChurnRisk::from_probability(0.33, &t), ChurnRisk::Medium);
        assert_eq!(ChurnRisk::from_probability(0.66, &t), ChurnRisk::High);
        let custom = ChurnRiskThresholds {
            medium_from: 0.5,
            high_from: 0.9,
        };
        assert_eq!(
            ChurnRisk::from_probability(0.66, &custom).as_str(),
            "MEDIUM"
        );
    }

    #[test]
    fn next_order_gap_is_undefined_for_r_plus_x_at_most_one() {
        assert_eq!(expected_next_order_gap_days(0.5, 40.0, 0.0, 0.0), None);
        assert_eq!(expected_next_order_gap_days(0.5, 40.0, 0.5, 10.0), None);
        assert_eq!(
            expected_next_order_gap_days(0.5, 40.0, 2.0, 10.0),
            Some(50.0 / 1.5)
        );
    }

    #[test]
    fn discounting_lowers_clv_and_zero_discount_is_the_plain_product() {
        let model = MbgNbd {
            r: 0.525,
            alpha: 43.28,
            a: 0.891,
            b: 1.614,
        };
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let customer = CustomerSummary {
            x: 4.0,
            t_x: 171.0,
            t: 235.0,
            monetary: Some(16.26),
        };
        let plain = predict_customer(&model, Some(&gg), &customer, &PredictionSettings::default());
        let expected =
            plain.predicted_number_of_orders * gg.expected_average_value(4.0, Some(16.26)).unwrap();
        assert!((plain.predicted_clv.unwrap() - expected).abs() < 1e-9);
        let settings = PredictionSettings {
            clv_discount_monthly: 0.01,
            ..PredictionSettings::default()
        };
        let discounted = predict_customer(&model, Some(&gg), &customer, &settings)
            .predicted_clv
            .unwrap();
        assert!(
            discounted < expected && discounted > expected / 1.01f64.powi(12),
            "{discounted} vs {expected}"
        );
        assert_eq!(plain.average_days_between_orders, Some(171.0 / 4.0));
    }
}
