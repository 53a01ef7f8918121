//! The store-wide cut-offs of the bands (`rfm_group`'s quintiles,
//! `predicted_spend_tier`'s percentiles), fixed at one moment so that a
//! write re-bands only the customers it touched.
//!
//! The rule (ARCHITECTURE.md, "Predictions"): the cut-offs are measured on
//! every customer when the models are fitted and saved with them; between
//! refits every customer is banded against those saved cut-offs, exactly as
//! a fresh engine built from the store with the same saved models bands
//! them. A customer's band moves when their own orders change, at a refit,
//! and (spend tier only, since predicted spend counts days) at a store-local
//! midnight — never because someone else bought. Saved models from before
//! cut-offs were saved carry none: then an engine measures them when it
//! first computes the predictions of a day and keeps them for that day.

use crate::NO_TIME;
use crate::indexes::aggregates::{Aggregates, local_day};
use crate::predictions::purchase_history::PurchaseHistory;
use flokk_predict::rfm::RfmInput;
use flokk_predict::{
    PredictionSettings, QuintileCutoffs, RfmCutoffs, SpendTierCutoffs, SpendTierSettings,
    StoreModels, summarise,
};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// The band cut-offs as the store keeps them (beside the models).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BandCutoffs {
    /// RFM quintile thresholds on the last order's store-local day (days
    /// since 1970-01-01), the number of orders and net spend; `None` when
    /// no customer had orders.
    pub rfm: Option<[[f64; 4]; 3]>,
    /// `predicted_spend_tier` thresholds `[high, low]`; `None` when no
    /// customer had a predicted spend.
    pub spend_tier: Option<[f64; 2]>,
}

impl BandCutoffs {
    /// The cut-offs of a store whose customers have RFM inputs `rfm`
    /// (recency counted on day `now_day`) and predicted 12-month spend
    /// `spend` (`None`: no models).
    pub fn measure(rfm: &[Option<RfmInput>], now_day: i64, spend: Option<&[f64]>) -> Self {
        BandCutoffs {
            rfm: RfmCutoffs::of(rfm, now_day).map(|c| [c.last_order_day.0, c.orders.0, c.spend.0]),
            spend_tier: spend
                .and_then(|s| SpendTierCutoffs::of(s, &SpendTierSettings::default()))
                .map(|c| [c.high, c.low]),
        }
    }

    /// The RFM cut-offs. Without any (nobody had orders when they were
    /// measured) every customer with orders scores 1 on each axis.
    pub fn rfm(&self) -> RfmCutoffs {
        let [r, f, m] = self.rfm.unwrap_or([[f64::INFINITY; 4]; 3]);
        RfmCutoffs {
            last_order_day: QuintileCutoffs(r),
            orders: QuintileCutoffs(f),
            spend: QuintileCutoffs(m),
        }
    }

    /// The spend-tier cut-offs (`None`: nobody is given a tier).
    pub fn spend_tier(&self) -> Option<SpendTierCutoffs> {
        self.spend_tier
            .map(|[high, low]| SpendTierCutoffs { high, low })
    }
}

/// Customer `c`'s RFM inputs from the now-dependent columns, recency
/// counted on day `now_day` in `tz` (`None`: no live order).
pub fn rfm_input(
    aggregates: &Aggregates,
    c: usize,
    now_day: i64,
    tz: &TimeZone,
) -> Option<RfmInput> {
    if c >= aggregates.amount_spent.len() {
        return None;
    }
    let last = aggregates.last_order.get(c);
    (aggregates.number_of_orders.get(c) > 0 && last != NO_TIME).then(|| RfmInput {
        days_since_last_order: (now_day - i64::from(local_day(last, tz))) as f64,
        orders: f64::from(aggregates.number_of_orders.get(c)),
        spend: aggregates.amount_spent[c].to_f64(),
    })
}

/// The band cut-offs of the store as `history` (collected as of `now` in
/// `tz`) shows it, customers scored with `models`: what a fit saves.
pub(crate) fn measure_bands(
    aggregates: &Aggregates,
    settings: &PredictionSettings,
    history: &PurchaseHistory,
    models: &StoreModels,
    tz: &TimeZone,
) -> BandCutoffs {
    let rfm: Vec<Option<RfmInput>> = (0..history.days.len())
        .map(|c| rfm_input(aggregates, c, history.now_day, tz))
        .collect();
    let spend: Vec<f64> = history
        .days
        .iter()
        .map(|d| match summarise(d, history.now_day) {
            None => 0.0,
            Some(s) => models
                .predict(&s, settings)
                .predicted_clv
                .unwrap_or(f64::NAN),
        })
        .collect();
    BandCutoffs::measure(&rfm, history.now_day, Some(&spend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_cut_offs_survive_json() {
        let inputs: Vec<Option<RfmInput>> = (0..7)
            .map(|i| {
                Some(RfmInput {
                    days_since_last_order: f64::from(i),
                    orders: f64::from(1 + i % 3),
                    spend: 10.5 * f64::from(i),
                })
            })
            .chain([None])
            .collect();
        let spend = [0.0, 3.5, 7.25, f64::NAN];
        let cut = BandCutoffs::measure(&inputs, 20_000, Some(&spend));
        let json = serde_json::to_string(&cut).expect("serialises");
        assert_eq!(
            serde_json::from_str::<BandCutoffs>(&json).expect("reads"),
            cut
        );
        assert!(cut.rfm.is_some() && cut.spend_tier.is_some());
        // Nobody with orders, no models: no cut-offs, and a customer with
        // orders later scores the lowest.
        let none = BandCutoffs::measure(&[None], 20_000, None);
        assert_eq!(none, BandCutoffs::default());
        let score = none
            .rfm()
            .score(inputs[0].as_ref(), 20_000, &Default::default());
        assert_eq!((score.r, score.f, score.m), (1, 1, 1));
    }
}
