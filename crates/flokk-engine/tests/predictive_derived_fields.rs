//! `total_clv`, `predicted_spend_tier` and `expected_next_order_date`
//! against predictive.md's definitions, computed here from the raw records:
//! amounts and purchase days summed in this test, the fitted model's
//! parameters plugged into the formulas, percentiles interpolated here
//! (type 7, numpy's default). Only the fitted models come from
//! flokk-predict (checked against the papers and lifetimes on their own).

use flokk_demo::{DemoConfig, generate};
use flokk_engine::{Engine, Evaluator};
use flokk_lang::{CheckOptions, PropertyTypes, check};
use flokk_model::Record;
use flokk_predict::{PredictionSettings, StoreModels, summarise};
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

/// Type-7 percentile of sorted values, `p` in 0–100.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A threshold between two neighbouring distinct values near the middle
/// of `values`, far enough from both that rounding cannot matter.
fn threshold(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    (mid..sorted.len() - 1)
        .find(|&i| sorted[i + 1] - sorted[i] > 0.02)
        .map(|i| (sorted[i] + sorted[i + 1]) / 2.0)
        .expect("spread-out values")
}

#[test]
fn derived_predictive_fields_follow_the_formulas() {
    let now: jiff::Timestamp = "2026-11-24T00:00:00Z".parse().unwrap();
    let now_day = now.as_second().div_euclid(DAY);
    let mut engine = Engine::new();
    let mut keys: BTreeMap<String, i64> = BTreeMap::new();
    // Live orders (not cancelled, not after now): net amounts, and net
    // value per UTC day (the store is in UTC).
    let mut spent: BTreeMap<String, f64> = BTreeMap::new();
    let mut days: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    generate(
        &DemoConfig::new(3000, 7, jiff::civil::date(2026, 11, 24)),
        &mut |r| {
            let key = r.customer_id().map(|id| {
                let next = keys.len() as i64 + 1;
                *keys.entry(id.to_owned()).or_insert(next)
            });
            if let Record::Order(o) = &r
                && !o.cancelled
                && o.placed_at <= now
            {
                *spent.entry(o.customer_id.clone()).or_default() +=
                    o.total.saturating_sub(o.refunded).to_f64();
                *days
                    .entry(o.customer_id.clone())
                    .or_default()
                    .entry(o.placed_at.as_second().div_euclid(DAY))
                    .or_default() += o.total.saturating_sub(o.refunded).to_f64();
            }
            engine.add(key, &[], &r);
        },
    );
    let summaries: Vec<_> = days
        .values()
        .filter_map(|d| {
            summarise(
                &d.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
                now_day,
            )
        })
        .collect();
    let models = StoreModels::fit(&summaries).expect("3,000 demo customers are enough");
    let (r, alpha) = (models.purchases.model.r, models.purchases.model.alpha);
    let settings = PredictionSettings::default();
    // predicted_clv per buyer, from the fitted models.
    let predicted_clv: BTreeMap<&String, Option<f64>> = days
        .iter()
        .map(|(id, d)| {
            let d: Vec<(i64, f64)> = d.iter().map(|(k, v)| (*k, *v)).collect();
            let s = summarise(&d, now_day).expect("a buyer has a summary");
            (id, models.predict(&s, &settings).predicted_clv)
        })
        .collect();

    let ev = Evaluator::new(&engine, now, jiff::tz::TimeZone::UTC);
    assert!(
        ev.predictions().reasons.is_empty(),
        "{:?}",
        ev.predictions().reasons
    );
    let members = |q: &str| -> BTreeSet<String> {
        let typed = check(
            q,
            &CheckOptions {
                strict: false,
                properties: &PropertyTypes::new(),
            },
        )
        .unwrap();
        ev.eval(&typed.expr)
            .unwrap()
            .iter()
            .map(|c| ev.id(c).to_owned())
            .collect()
    };

    // total_clv = historic_clv (amount_spent) + predicted_clv.
    let total: BTreeMap<&String, f64> = predicted_clv
        .iter()
        .filter_map(|(id, clv)| Some((*id, spent[*id] + (*clv)?)))
        .collect();
    let cut = threshold(&total.values().copied().collect::<Vec<_>>());
    let want: BTreeSet<String> = total
        .iter()
        .filter(|(_, v)| **v >= cut)
        .map(|(id, _)| (*id).clone())
        .collect();
    assert!(want.len() > 100 && want.len() < total.len());
    assert_eq!(
        members(&format!("total_clv >= {cut:.4}")),
        want,
        "total_clv >= {cut}"
    );
    let with_total: BTreeSet<String> = total.keys().map(|id| (*id).clone()).collect();
    assert_eq!(members("total_clv IS NOT NULL"), with_total);

    // expected_next_order_date = last order day + (α + t_x) / (r + x − 1)
    // days; NULL when r + x <= 1. Whole days: `<= D` holds while the
    // instant is before the start of D + 1.
    let next: BTreeMap<&String, i64> = days
        .iter()
        .filter_map(|(id, d)| {
            let (first, last) = (*d.keys().next()?, *d.keys().next_back()?);
            let x = (d.len() - 1) as f64;
            let t_x = (last - first) as f64;
            (r + x > 1.0).then(|| {
                let gap = (alpha + t_x) / (r + x - 1.0);
                (id, last + gap.floor() as i64)
            })
        })
        .collect();
    let mut next_days: Vec<i64> = next.values().copied().collect();
    next_days.sort();
    let d = next_days[next_days.len() / 2];
    let date = jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(d))
        .unwrap();
    for (op, keep) in [
        ("<=", &(|n: i64| n <= d) as &dyn Fn(i64) -> bool),
        ("=", &|n: i64| n == d),
        (">", &|n: i64| n > d),
    ] {
        let want: BTreeSet<String> = next
            .iter()
            .filter(|(_, n)| keep(**n))
            .map(|(id, _)| (*id).clone())
            .collect();
        assert!(!want.is_empty(), "{op} {date}");
        assert_eq!(
            members(&format!("expected_next_order_date {op} {date}")),
            want,
            "expected_next_order_date {op} {date}"
        );
    }
    let dated: BTreeSet<String> = next.keys().map(|id| (*id).clone()).collect();
    assert_eq!(members("expected_next_order_date IS NOT NULL"), dated);

    // predicted_spend_tier: predicted 12-month spend across the store's
    // customers (0 without a live order; buyers without a spend estimate
    // have no tier), HIGH above the 70th percentile, LOW below the 10th or
    // at zero, else MEDIUM.
    let spend: BTreeMap<&String, f64> = keys
        .keys()
        .filter_map(|id| match predicted_clv.get(id) {
            None => Some((id, 0.0)),
            Some(clv) => Some((id, (*clv)?)),
        })
        .collect();
    let mut sorted: Vec<f64> = spend.values().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let (p10, p70) = (percentile(&sorted, 10.0), percentile(&sorted, 70.0));
    let tier = |v: f64| {
        if v <= 0.0 || v < p10 {
            "LOW"
        } else if v > p70 {
            "HIGH"
        } else {
            "MEDIUM"
        }
    };
    for band in ["LOW", "MEDIUM", "HIGH"] {
        let want: BTreeSet<String> = spend
            .iter()
            .filter(|(_, v)| tier(**v) == band)
            .map(|(id, _)| (*id).clone())
            .collect();
        assert!(want.len() > 100, "{band}: {}", want.len());
        assert_eq!(
            members(&format!("predicted_spend_tier = '{band}'")),
            want,
            "predicted_spend_tier = '{band}'"
        );
    }
}
