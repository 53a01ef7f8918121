//! The store-level entry point on CDNOW: default models fit, and the fields
//! are consistent with the model methods.

mod common;

use common::*;
use flokk_predict::{ChurnRisk, PredictionSettings, StoreModels};

#[test]
fn store_models_fit_cdnow_and_predict_every_customer() {
    let records = load_cdnow().expect("CDNOW sample");
    let customers = summaries(&records, calibration_end());
    let models = StoreModels::fit(&customers).unwrap();
    let spend = models.spend.as_ref().unwrap().model;
    // Same optimum as lifetimes' ModifiedBetaGeoFitter (tests/lifetimes_reference.rs).
    assert!(
        (models.purchases.model.r - 0.52484).abs() < 1e-4,
        "{:?}",
        models.purchases.model
    );
    let settings = PredictionSettings::default();
    let mut one_time_buyers = 0;
    for c in &customers {
        let p = models.predict(c, &settings);
        assert!(p.predicted_number_of_orders.is_finite() && p.predicted_number_of_orders >= 0.0);
        assert!((0.0..1.0).contains(&p.churn_probability));
        let expected_clv =
            p.predicted_number_of_orders * spend.expected_average_value(c.x, c.monetary).unwrap();
        assert!((p.predicted_clv.unwrap() - expected_clv).abs() <= 1e-9 * expected_clv.max(1.0));
        if c.x == 0.0 {
            // MBG/NBD: one-time buyers may have left right after buying; for
            // CDNOW P(alive) is 0.39–0.43 (lifetimes agrees), so MEDIUM risk.
            one_time_buyers += 1;
            assert!((0.55..0.62).contains(&p.churn_probability), "{c:?} {p:?}");
            assert_eq!(p.churn_risk, ChurnRisk::Medium);
            assert_eq!(p.average_days_between_orders, None);
        }
    }
    assert_eq!(one_time_buyers, 2357 - 946);
}
