//! Predictions: the predictive fields (`predicted_*`, churn risk,
//! lifetime value) and the models behind them.
//!
//! [`purchase_history`] turns the order tables into the per-customer
//! purchase histories the models read; [`saved_models`] fits and stores
//! the models; [`prediction_columns`] holds each customer's predicted
//! figures for a day, as the evaluator reads them; [`remembered`] scores a
//! long list of customers, remembering the predictions of repeated
//! purchase summaries.
//!
//! May use: `indexes`, `tables`, `columns`.

pub mod band_cutoffs;
pub mod prediction_columns;
pub mod purchase_history;
pub mod remembered;
pub mod saved_models;

pub use purchase_history::PurchaseHistory;
