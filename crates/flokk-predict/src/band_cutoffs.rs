//! The store-wide cut-offs of the bands (`rfm_group`'s quintiles,
//! `predicted_spend_tier`'s percentiles) apart from scoring one customer
//! against them. Computing the cut-offs sorts every customer; scoring one
//! customer is a handful of comparisons, so a caller can fix the cut-offs
//! at one moment (a refit) and band a changed customer without looking at
//! anyone else. Banding everyone against cut-offs taken from those same
//! customers gives exactly [`crate::rfm_scores`] and [`crate::spend_tiers`]
//! (they are built on this).

use crate::rfm::{RfmGrid, RfmGroup, RfmInput, RfmScore};
use crate::spend_tier::{SpendTier, SpendTierSettings, percentile};

/// The four thresholds of a quintile score: a value scores `1 +` the number
/// of thresholds it is strictly above.
///
/// Why this equals the ranking of [`crate::rfm_scores`]: there the score is
/// `1 + min(4, ⌊5k/n⌋)` with `k` the values strictly below. It is at least
/// `s` exactly when `k ≥ ⌈(s−1)·n/5⌉ = m`, that is when the `m`-th smallest
/// value is strictly below: threshold `s` is that value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuintileCutoffs(pub [f64; 4]);

impl QuintileCutoffs {
    /// The thresholds of `sorted` (ascending by `f64::total_cmp`); `None`
    /// when it is empty.
    pub fn from_sorted(sorted: &[f64]) -> Option<Self> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let mut t = [0.0; 4];
        for (i, slot) in t.iter_mut().enumerate() {
            // Score s = i + 2 needs m = ⌈(s−1)·n/5⌉ values below (1 ≤ m < n).
            let m = ((i + 1) * n).div_ceil(5);
            *slot = sorted[m - 1];
        }
        Some(QuintileCutoffs(t))
    }

    /// The score (1–5) of `value`.
    pub fn score(&self, value: f64) -> u8 {
        1 + self.0.iter().filter(|&&t| t < value).count() as u8
    }
}

/// RFM quintile cut-offs. Recency is cut on the store-local day of the last
/// order (days since 1970-01-01), not on days since it, so the cut-offs
/// mean the same tomorrow: a day passing moves every customer's recency
/// alike and changes nobody's rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmCutoffs {
    /// On the last order's day (later is better).
    pub last_order_day: QuintileCutoffs,
    /// On the number of orders.
    pub orders: QuintileCutoffs,
    /// On lifetime net spend.
    pub spend: QuintileCutoffs,
}

fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v
}

impl RfmCutoffs {
    /// The cut-offs of the customers with orders among `customers`, whose
    /// recency was counted on day `now_day`; `None` when nobody has orders.
    pub fn of(customers: &[Option<RfmInput>], now_day: i64) -> Option<Self> {
        let with_orders = || customers.iter().flatten();
        let last_day = |c: &RfmInput| now_day as f64 - c.days_since_last_order;
        Some(RfmCutoffs {
            last_order_day: QuintileCutoffs::from_sorted(&sorted(with_orders().map(last_day)))?,
            orders: QuintileCutoffs::from_sorted(&sorted(with_orders().map(|c| c.orders)))?,
            spend: QuintileCutoffs::from_sorted(&sorted(with_orders().map(|c| c.spend)))?,
        })
    }

    /// The scores and group of one customer (`None`: no orders, so
    /// `PROSPECTS`), recency counted on day `now_day`.
    pub fn score(&self, customer: Option<&RfmInput>, now_day: i64, grid: &RfmGrid) -> RfmScore {
        let Some(c) = customer else {
            return RfmScore {
                r: 0,
                f: 0,
                m: 0,
                group: RfmGroup::Prospects,
            };
        };
        let r = self
            .last_order_day
            .score(now_day as f64 - c.days_since_last_order);
        let f = self.orders.score(c.orders);
        let m = self.spend.score(c.spend);
        RfmScore {
            r,
            f,
            m,
            group: grid.group(r, (f as f64 + m as f64) / 2.0),
        }
    }
}

/// `predicted_spend_tier` cut-offs: the two percentiles of predicted
/// 12-month spend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendTierCutoffs {
    /// `HIGH` strictly above.
    pub high: f64,
    /// `LOW` strictly below (and at zero or less).
    pub low: f64,
}

impl SpendTierCutoffs {
    /// The cut-offs of `predicted_spend` (non-finite values left out);
    /// `None` when no value is finite.
    pub fn of(predicted_spend: &[f64], settings: &SpendTierSettings) -> Option<Self> {
        let sorted = sorted(predicted_spend.iter().copied().filter(|v| v.is_finite()));
        if sorted.is_empty() {
            return None;
        }
        Some(SpendTierCutoffs {
            high: percentile(&sorted, settings.high_above_percentile),
            low: percentile(&sorted, settings.low_below_percentile),
        })
    }

    /// The tier of one predicted spend (`None` when it is not finite).
    pub fn tier(&self, v: f64) -> Option<SpendTier> {
        if !v.is_finite() {
            None
        } else if v <= 0.0 || v < self.low {
            Some(SpendTier::Low)
        } else if v > self.high {
            Some(SpendTier::High)
        } else {
            Some(SpendTier::Medium)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rank definition of a quintile score, as predictive.md states it.
    fn ranked(values: &[f64], v: f64) -> u8 {
        let n = values.len();
        let worse = values.iter().filter(|&&w| w < v).count();
        1 + (5 * worse / n).min(4) as u8
    }

    #[test]
    fn thresholds_score_as_the_ranks_do() {
        // Small stores with ties, every size from 1 to 40, values probed
        // at, between and beyond the members.
        for n in 1..=40usize {
            let values: Vec<f64> = (0..n).map(|i| ((i * 7) % 5 + i / 3) as f64).collect();
            let mut s = values.clone();
            s.sort_by(f64::total_cmp);
            let cut = QuintileCutoffs::from_sorted(&s).expect("not empty");
            for probe in -2..30 {
                let v = f64::from(probe) / 2.0;
                assert_eq!(cut.score(v), ranked(&values, v), "n={n} v={v}");
            }
        }
        assert_eq!(QuintileCutoffs::from_sorted(&[]), None);
    }

    #[test]
    fn a_later_day_keeps_recency_scores() {
        let inputs: Vec<Option<RfmInput>> = (0..10)
            .map(|i| {
                Some(RfmInput {
                    days_since_last_order: f64::from(i),
                    orders: 1.0,
                    spend: 1.0,
                })
            })
            .collect();
        let cut = RfmCutoffs::of(&inputs, 100).expect("orders");
        // Ten days later everyone is ten days further from their last order.
        let later = RfmInput {
            days_since_last_order: 12.0,
            ..inputs[2].unwrap()
        };
        assert_eq!(
            cut.score(Some(&later), 110, &RfmGrid::default()).r,
            cut.score(inputs[2].as_ref(), 100, &RfmGrid::default()).r
        );
        assert_eq!(cut.score(inputs[0].as_ref(), 100, &RfmGrid::default()).r, 5);
    }
}
