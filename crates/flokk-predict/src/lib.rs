//! Predictive models for flokk: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma
//! (log-likelihoods, maximum-likelihood fits, P(alive), conditional expected
//! purchases and spend), the per-customer predictive fields, the data
//! sufficiency check, RFM groups, spend tiers and gender from titles and first
//! names. Depends on nothing else in flokk (design.md).
//!
//! Time unit everywhere: **days**. Inputs are plain numbers (day indexes,
//! values) so the crate needs no calendar library. Published parameters in
//! weeks convert as `α_weeks = α_days / 7`, `β_weeks = β_days / 7` (the shape
//! parameters do not depend on the unit) and `LL_weeks = LL_days + ln 7 · Σx`.
//!
//! Time convention (verified by reproducing the published CDNOW estimates in
//! `tests/cdnow_validation.rs`): time is counted in whole days between dates;
//! orders dated on the day of `now` count, and `T` = `now_day` − first day.
//!
//! ```
//! use flokk_predict::{compress, summarise, GammaGamma, MbgNbd, PredictionSettings, SpendRow, predict_customer};
//!
//! // (day, value) orders per customer, "now" is day 400. A tiny generator
//! // with heterogeneous purchase rates and lifetimes stands in for real data.
//! let mut seed = 7u64;
//! let mut uniform = move || {
//!     seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
//!     ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
//! };
//! let orders: Vec<Vec<(i64, f64)>> = (0..2000)
//!     .map(|_| {
//!         let mean_gap = 10.0 + 300.0 * uniform() * uniform();
//!         let lifetime = -400.0 * uniform().ln();
//!         let first = (uniform() * 300.0) as i64;
//!         let mut day = first as f64;
//!         let mut orders = vec![(first, 30.0)];
//!         loop {
//!             day += -mean_gap * uniform().ln();
//!             if day > 400.0 || day - first as f64 > lifetime {
//!                 break orders;
//!             }
//!             orders.push((day as i64, 10.0 + 40.0 * uniform()));
//!         }
//!     })
//!     .collect();
//! let summaries: Vec<_> = orders.iter().filter_map(|o| summarise(o, 400)).collect();
//! let purchases = MbgNbd::fit(&compress(&summaries)).unwrap().model;
//! let spend_rows: Vec<SpendRow> = summaries
//!     .iter()
//!     .filter_map(|s| s.monetary.map(|m| SpendRow { x: s.x, mean_value: m, weight: 1.0 }))
//!     .collect();
//! let spend = GammaGamma::fit(&spend_rows).unwrap().model;
//! let p = predict_customer(&purchases, Some(&spend), &summaries[3], &PredictionSettings::default());
//! assert!(p.predicted_number_of_orders > 0.0 && (0.0..=1.0).contains(&p.churn_probability));
//! println!("{} orders next year, CLV {:?}, risk {}", p.predicted_number_of_orders, p.predicted_clv, p.churn_risk.as_str());
//! ```

#![warn(missing_docs)]

pub mod band_cutoffs;
mod beta_geometric;
pub mod bgnbd;
pub mod customer_value;
pub mod error;
pub mod fit;
pub mod gamma_gamma;
pub mod gender;
pub mod hyp2f1;
pub mod mbgnbd;
pub mod pareto_nbd;
pub mod purchase_model;
pub mod rfm;
mod rfm_grid_text;
pub mod special;
pub mod spend_tier;
pub mod store_models;
pub mod sufficiency;
pub mod summary;

pub use band_cutoffs::{QuintileCutoffs, RfmCutoffs, SpendTierCutoffs};
pub use bgnbd::{BgNbd, Fitted};
pub use customer_value::{
    ChurnRisk, ChurnRiskThresholds, CustomerPrediction, PredictionSettings,
    expected_next_order_gap_days, predict_customer,
};
pub use error::PredictError;
pub use gamma_gamma::{GammaGamma, SpendRow};
pub use gender::{PredictedGender, predict_gender};
pub use mbgnbd::MbgNbd;
pub use pareto_nbd::ParetoNbd;
pub use purchase_model::PurchaseModel;
pub use rfm::{RfmGrid, RfmGroup, RfmInput, RfmScore, rfm_scores};
pub use spend_tier::{SpendTier, SpendTierSettings, spend_tiers};
pub use store_models::StoreModels;
pub use sufficiency::{Insufficiency, StoreHistory, SufficiencyRules, check_sufficiency};
pub use summary::{CustomerSummary, WeightedSummary, compress, summarise};
