//! The predictive fields of a long list of customers (`members --format
//! json`, exports with predictive columns), scored one customer at a time
//! as [`Predictions::of`] scores them, but remembering each purchase
//! summary's prediction.
//!
//! Scoring a customer evaluates the purchase model (hypergeometric series,
//! the largest cost of a long member list), and the model's inputs are
//! whole days: every one-time buyer who first bought on the same day has
//! the same summary, and so the same prediction (the spend model ignores
//! the amount of a customer without repeat purchases). Remembering them is
//! exact: the same function of the same inputs.

use crate::predictions::prediction_columns::{CustomerPredictions, Predictions};
use crate::tables::record_tables::RecordTables;
use flokk_predict::{CustomerPrediction, CustomerSummary};
use std::collections::HashMap;
use std::sync::Arc;

/// Summaries remembered at most: past this many distinct ones (mostly
/// repeat buyers, whose summaries rarely repeat) new ones are scored
/// without being kept, so memory stays bounded (about 80 bytes each).
const REMEMBERED: usize = 200_000;

/// Scores customers of one engine as of one instant (see the module doc).
pub struct RememberedPredictions<'e> {
    predictions: Arc<Predictions>,
    records: RecordTables<'e>,
    made: HashMap<[u64; 4], Option<CustomerPrediction>>,
}

impl<'e> RememberedPredictions<'e> {
    /// Scores with `predictions`, computed from the engine of `records`.
    pub fn new(predictions: Arc<Predictions>, records: RecordTables<'e>) -> Self {
        RememberedPredictions {
            predictions,
            records,
            made: HashMap::new(),
        }
    }

    /// Customer `c`'s predictive fields, equal to [`Predictions::of`]'s.
    pub fn of(&mut self, c: u32) -> CustomerPredictions {
        let predictions = &self.predictions;
        let made = &mut self.made;
        predictions.of_predicted(self.records, c, |summary| {
            let key = key(summary);
            if let Some(known) = made.get(&key) {
                return *known;
            }
            let predicted = predictions.predict_summary(summary);
            if made.len() < REMEMBERED {
                made.insert(key, predicted);
            }
            predicted
        })
    }
}

impl RememberedPredictions<'_> {
    /// How many distinct summaries' predictions are remembered.
    pub fn remembered(&self) -> usize {
        self.made.len()
    }
}

/// A summary as a key: its four numbers' bits (`monetary` absent as NaN's).
fn key(s: &CustomerSummary) -> [u64; 4] {
    [
        s.x.to_bits(),
        s.t_x.to_bits(),
        s.t.to_bits(),
        s.monetary.unwrap_or(f64::NAN).to_bits(),
    ]
}
