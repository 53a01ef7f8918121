//! A write re-scores only the customers it touched (issue 29), and the
//! answer is still the documented one: after random writes caught up one at
//! a time, every customer's predictive fields equal those of a fresh engine
//! built from the final records with the same saved models and the band
//! cut-offs of the cut-off moment (the first predictions, before the
//! writes; see `band_cutoffs`), and so does the next day's answer (past a
//! store-local midnight the fields move, the cut-offs do not).

use flokk_engine::predictions::prediction_columns::NumericField;
use flokk_engine::saved_models::{PurchaseParameters, SavedModels, SpendParameters};
use flokk_engine::{Engine, Evaluator, KeyedRecord, ReplacedCustomer};
use flokk_lang::{CheckOptions, PropertyTypes, check};
use flokk_model::{Customer, Order, Record};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// One order: days before now, total in quarters (sums stay exact),
/// cancelled.
type OrderSpec = (u16, u16, bool);

/// Customers by number: `None` deleted (or never there).
type Store = BTreeMap<i64, Option<Vec<OrderSpec>>>;

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

fn models() -> SavedModels {
    SavedModels {
        mbgnbd: PurchaseParameters {
            r: 0.6,
            alpha: 40.0,
            a: 0.9,
            b: 3.0,
            log_likelihood: 0.0,
        },
        gamma_gamma: Some(SpendParameters {
            p: 6.0,
            q: 4.0,
            gamma: 15.0,
            log_likelihood: 0.0,
        }),
        gamma_gamma_error: None,
        bgnbd: None,
        customers_with_orders: 0,
        bands: None,
    }
}

fn records(c: i64, orders: &[OrderSpec]) -> Vec<KeyedRecord> {
    let id = format!("c{c}");
    let keyed = |record| KeyedRecord {
        customer_key: Some(c),
        coordinates: Vec::new(),
        record,
    };
    std::iter::once(keyed(Record::Customer(Customer::stub(id.clone()))))
        .chain(
            orders
                .iter()
                .enumerate()
                .map(|(i, &(ago, quarters, cancelled))| {
                    keyed(Record::Order(Order {
                        id: format!("{id}-{i}"),
                        customer_id: id.clone(),
                        placed_at: now()
                            - jiff::SignedDuration::from_hours(i64::from(ago) * 24 + 1),
                        total: flokk_model::Money::from_units(i64::from(quarters) * 2_500),
                        cancelled,
                        ..Default::default()
                    }))
                }),
        )
        .collect()
}

fn fresh(store: &Store, saved: SavedModels) -> Engine {
    let mut engine = Engine::new();
    engine.saved_models = Some(saved);
    for (&c, orders) in store {
        if let Some(orders) = orders {
            for r in records(c, orders) {
                engine.add(r.customer_key, &r.coordinates, &r.record);
            }
        }
    }
    engine
}

/// Every live customer's predictive fields, by id.
fn fields(engine: &Engine) -> BTreeMap<String, String> {
    fields_at(engine, now())
}

/// [`fields`] as of `at`.
fn fields_at(engine: &Engine, at: Timestamp) -> BTreeMap<String, String> {
    let ev = Evaluator::new(engine, at, TimeZone::UTC);
    let p = ev.predictions();
    let clv = p.column(engine.tables(), NumericField::PredictedClv);
    let churn = p.column(engine.tables(), NumericField::ChurnProbability);
    let orders = p.column(engine.tables(), NumericField::PredictedOrders);
    let next = p.column(engine.tables(), NumericField::NextOrderDay);
    engine
        .customers
        .all()
        .iter()
        .map(|c| {
            let band = |index: &flokk_engine::columns::value_index::ValueIndex| {
                index
                    .values()
                    .find(|(_, set)| set.contains(c))
                    .map(|(v, _)| v.to_owned())
            };
            let facts = format!(
                "rfm={:?} churn_risk={:?} tier={:?} clv={:?} p={:?} orders={:?} next={:?}",
                band(&p.rfm_group),
                band(&p.churn_risk),
                band(&p.spend_tier),
                clv[c as usize],
                churn[c as usize],
                orders[c as usize],
                next[c as usize]
            );
            (ev.id(c).to_owned(), facts)
        })
        .collect()
}

fn count(engine: &Engine, query: &str) -> u64 {
    count_at(engine, query, now())
}

/// [`count`] as of `at`.
fn count_at(engine: &Engine, query: &str, at: Timestamp) -> u64 {
    let options = CheckOptions {
        strict: false,
        properties: &PropertyTypes::new(),
    };
    let typed = check(query, &options).expect("checks");
    Evaluator::new(engine, at, TimeZone::UTC)
        .eval(&typed.expr)
        .expect("evaluates")
        .len()
}

fn order() -> impl Strategy<Value = OrderSpec> {
    (0u16..500, 0u16..2000, prop::bool::weighted(0.1))
}

fn customer() -> impl Strategy<Value = Option<Vec<OrderSpec>>> {
    prop::option::weighted(0.9, prop::collection::vec(order(), 0..6))
}

fn store() -> impl Strategy<Value = Store> {
    prop::collection::btree_map(1i64..40, customer(), 5..30)
}

/// Catch-ups, each replacing a few customers (new ones included; each
/// once, as the store's change feed gives them).
fn writes() -> impl Strategy<Value = Vec<Store>> {
    prop::collection::vec(
        prop::collection::btree_map(1i64..45, customer(), 1..4),
        1..6,
    )
}

/// Every predictive field, in the forms segments use them.
const QUERIES: [&str; 11] = [
    "rfm_group = 'CHAMPIONS'",
    "rfm_group = 'AT_RISK' OR rfm_group = 'DORMANT' OR rfm_group = 'PROSPECTS'",
    "churn_risk = 'HIGH'",
    "churn_risk = 'LOW' AND number_of_orders > 1",
    "predicted_spend_tier = 'HIGH'",
    "predicted_spend_tier != 'LOW'",
    "predicted_clv > 20",
    "churn_probability BETWEEN 0.3 AND 0.8 OR total_clv > 100",
    "predicted_number_of_orders >= 0.5",
    "expected_next_order_date < +30d",
    "expected_next_order_date IS NULL",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn writes_equal_a_fresh_engine_with_the_same_cut_offs(
        initial in store(),
        writes in writes(),
    ) {
        let mut engine = fresh(&initial, models());
        // The cut-off moment: the first predictions (every field asked for).
        let before = fields(&engine);
        let cutoffs = Evaluator::new(&engine, now(), TimeZone::UTC).predictions().cutoffs();
        let mut store = initial.clone();
        for (sequence, write) in writes.into_iter().enumerate() {
            let mut replaced = Vec::new();
            for (c, orders) in write {
                store.insert(c, orders.clone());
                replaced.push(ReplacedCustomer {
                    key: c,
                    records: orders.map(|o| records(c, &o)),
                });
            }
            engine.catch_up(replaced, None, sequence as u64 + 1);
            // The cached predictions were kept, the touched customers
            // re-scored (not dropped and computed again for everyone).
            prop_assert!(engine.holds_predictions());
            let saved = SavedModels { bands: Some(cutoffs), ..models() };
            let expected = fresh(&store, saved);
            prop_assert_eq!(fields(&engine), fields(&expected));
            for q in QUERIES {
                prop_assert_eq!(count(&engine, q), count(&expected, q), "{}", q);
            }
        }
        // Past midnight: every field as of the new day, the same cut-offs.
        let tomorrow = now() + jiff::SignedDuration::from_hours(24);
        let expected = fresh(&store, SavedModels { bands: Some(cutoffs), ..models() });
        prop_assert_eq!(fields_at(&engine, tomorrow), fields_at(&expected, tomorrow));
        for q in QUERIES {
            prop_assert_eq!(count_at(&engine, q, tomorrow), count_at(&expected, q, tomorrow), "{}", q);
        }
        prop_assert!(!before.is_empty() || initial.values().all(Option::is_none));
    }
}

#[test]
fn a_write_does_not_re_cut_the_bands() {
    // Nine customers alike but for how recently they bought (c1 yesterday,
    // c9 nine days ago). A tenth whose last order is older than all of
    // theirs raises everyone's rank: in a fresh ranking c2 moves from R=4
    // to R=5. Until the next cut-off moment c2 keeps its group.
    let store: Store = (1..=9)
        .map(|c| (c, Some(vec![(c as u16, 40, false)])))
        .collect();
    let mut engine = fresh(&store, models());
    let band = |engine: &Engine, id: &str| fields(engine)[id].clone();
    let c2 = band(&engine, "c2");
    let oldest = vec![(100, 40, false)];
    engine.catch_up(
        vec![ReplacedCustomer {
            key: 10,
            records: Some(records(10, &oldest)),
        }],
        None,
        1,
    );
    assert_eq!(band(&engine, "c2"), c2);
    // A fresh engine measuring its own cut-offs bands c2 differently: the
    // write really would have moved someone else.
    let mut all = store.clone();
    all.insert(10, Some(oldest));
    assert_ne!(band(&fresh(&all, models()), "c2"), c2);
}
