//! Predictive models: BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, RFM, spend
//! tier and gender from names. Depends on nothing else in flokk.
//!
//! Time unit everywhere: days (fractional). Inputs are plain numbers (day
//! indexes, values) so the crate needs no calendar library.

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
pub mod special;
pub mod spend_tier;
pub mod sufficiency;
pub mod summary;

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
pub use sufficiency::{Insufficiency, StoreHistory, SufficiencyRules, check_sufficiency};
pub use summary::{CustomerSummary, WeightedSummary, compress, summarise};
