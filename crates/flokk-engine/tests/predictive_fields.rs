//! The predictive filters on a store with enough data: the engine's answers
//! equal the models of flokk-predict applied, in this test, to summaries
//! built straight from the raw records (store-local days, refunds netted,
//! cancelled and future orders left out).

use flokk_demo::{DemoConfig, generate};
use flokk_engine::{Engine, Evaluator};
use flokk_lang::{CheckOptions, PropertyTypes, check};
use flokk_model::Record;
use flokk_predict::{PredictionSettings, StoreModels, summarise};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn churn_and_clv_filters_follow_the_fitted_models() {
    let as_of = jiff::civil::date(2026, 11, 24);
    let now: jiff::Timestamp = "2026-11-24T00:00:00Z".parse().unwrap();
    let mut engine = Engine::new();
    let mut keys: BTreeMap<String, i64> = BTreeMap::new();
    let mut days: BTreeMap<String, Vec<(i64, f64)>> = BTreeMap::new();
    generate(&DemoConfig::new(3000, 7, as_of), &mut |r| {
        let key = r.customer_id().map(|id| {
            let next = keys.len() as i64 + 1;
            *keys.entry(id.to_owned()).or_insert(next)
        });
        if let Record::Order(o) = &r
            && !o.cancelled
            && o.placed_at <= now
        {
            let day = o.placed_at.as_second().div_euclid(86_400);
            days.entry(o.customer_id.clone())
                .or_default()
                .push((day, o.total.saturating_sub(o.refunded).to_f64()));
        }
        engine.add(key, &[], &r);
    });
    let now_day = now.as_second().div_euclid(86_400);
    let summaries: BTreeMap<&String, _> = days
        .iter()
        .filter_map(|(id, d)| Some((id, summarise(d, now_day)?)))
        .collect();
    let all: Vec<_> = summaries.values().copied().collect();
    let models = StoreModels::fit(&all).expect("3,000 demo customers are enough to fit");
    let settings = PredictionSettings::default();
    let predicted: BTreeMap<&String, _> = summaries
        .iter()
        .map(|(id, s)| (*id, models.predict(s, &settings)))
        .collect();

    let ev = Evaluator::new(&engine, now, jiff::tz::TimeZone::UTC);
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
    let expected = |keep: &dyn Fn(&flokk_predict::CustomerPrediction) -> bool| -> BTreeSet<String> {
        predicted
            .iter()
            .filter(|(_, p)| keep(p))
            .map(|(id, _)| (*id).clone())
            .collect()
    };
    assert!(
        ev.predictions().reasons.is_empty(),
        "{:?}",
        ev.predictions().reasons
    );
    let churn = members("churn_probability > 0.5");
    assert!(!churn.is_empty());
    assert_eq!(churn, expected(&|p| p.churn_probability > 0.5));
    assert_eq!(
        members("churn_risk = 'HIGH'"),
        expected(&|p| p.churn_risk.as_str() == "HIGH")
    );
    assert_eq!(
        members("predicted_clv >= 100"),
        expected(&|p| p.predicted_clv.is_some_and(|v| v >= 100.0))
    );
    assert_eq!(
        members("predicted_number_of_orders < 0.2"),
        expected(&|p| p.predicted_number_of_orders < 0.2)
    );
    // Customers without orders have no prediction: NULL.
    let buyers: BTreeSet<String> = summaries.keys().map(|s| (*s).clone()).collect();
    let null = members("churn_probability IS NULL");
    assert!(null.iter().all(|id| !buyers.contains(id)));
    assert_eq!(null.len() + buyers.len(), ev.all().len() as usize);
    // Everyone is in one RFM group; the ones without orders are prospects.
    assert_eq!(members("rfm_group = 'PROSPECTS'"), null);
}

/// A 3,000-customer demo store as of 2026-11-20 (seed 11).
fn demo_engine() -> Engine {
    let mut engine = Engine::new();
    let mut keys: BTreeMap<String, i64> = BTreeMap::new();
    generate(
        &DemoConfig::new(3000, 11, jiff::civil::date(2026, 11, 20)),
        &mut |r| {
            let key = r.customer_id().map(|id| {
                let next = keys.len() as i64 + 1;
                *keys.entry(id.to_owned()).or_insert(next)
            });
            engine.add(key, &[], &r);
        },
    );
    engine
}

/// Predictive fields count whole store-local days and score with the saved
/// models: within one day they do not move, the next day they can; and a
/// model the engine fitted itself is handed back for saving, then used as
/// saved models give the same answers.
#[test]
fn predictions_hold_within_a_day_and_follow_saved_models() {
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
    let engine = demo_engine();
    let at = |s: &str| -> jiff::Timestamp { s.parse().unwrap() };
    let fields = |engine: &Engine, now: jiff::Timestamp| {
        let ev = Evaluator::new(engine, now, tz.clone());
        (0..engine.customers.len())
            .map(|c| format!("{:?}", ev.predictions_of(c)))
            .collect::<Vec<_>>()
    };
    // 2026-11-22 in Oslo runs from 23:00Z on the 21st to 23:00Z on the 22nd.
    let early = fields(&engine, at("2026-11-21T23:00:01Z"));
    let fitted = engine
        .fitted_models()
        .expect("the engine fitted models itself");
    let late = fields(&engine, at("2026-11-22T22:59:59Z"));
    assert_eq!(early, late, "predictions moved within one store-local day");
    let next_day = fields(&engine, at("2026-11-22T23:00:01Z"));
    assert_ne!(early, next_day, "a new day moves recency-based fields");

    // Scoring with the saved form of that fit gives the same answers.
    let mut scored = demo_engine();
    scored.set_saved_models(Some(fitted.clone()));
    assert_eq!(fields(&scored, at("2026-11-21T23:00:01Z")), early);
    assert!(
        scored.fitted_models().is_none(),
        "saved models are not refitted"
    );
    // Other saved parameters give other answers: the saved models are used.
    let mut other = fitted;
    other.mbgnbd.b *= 1000.0;
    scored.set_saved_models(Some(other));
    assert_ne!(fields(&scored, at("2026-11-21T23:00:01Z")), early);
}

/// A long list's remembered scoring gives every customer exactly the
/// fields scoring them one by one gives, and repeated summaries are
/// remembered (one-time buyers of a day share theirs).
#[test]
fn remembered_predictions_are_the_predictions_of_each_customer() {
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
    let engine = demo_engine();
    let now: jiff::Timestamp = "2026-11-21T12:00:00Z".parse().unwrap();
    let ev = Evaluator::new(&engine, now, tz);
    let mut remembered = ev.remembered_predictions();
    let mut with_orders = 0;
    for c in 0..engine.customers.len() {
        let one = ev.predictions_of(c);
        with_orders += usize::from(one.predicted_number_of_orders.is_some());
        assert_eq!(remembered.of(c), one, "customer {c}");
    }
    assert!(
        with_orders > 1000,
        "{with_orders} customers with predictions"
    );
    assert!(
        remembered.remembered() < with_orders,
        "{} summaries for {with_orders} customers",
        remembered.remembered()
    );
}
