//! The bitmap engine behind the backend seam (`QueryBackend`): its
//! answers are the evaluator's own, and customers cross the seam as store
//! keys, not ordinals (keys here are deliberately not the ordinals).

use flokk_engine::{CustomerKey, Engine, Evaluator, QueryBackend};
use flokk_lang::{CheckOptions, PropertyTypes, check};
use flokk_model::{Customer, Order, Record};
use jiff::tz::TimeZone;

/// Customers `a`..`e` under store keys 50, 40, 30, 20, 10 (ordinals 0..5);
/// `a`, `c` and `e` have an order, `c` two.
fn engine() -> Engine {
    let mut engine = Engine::new();
    let customers = [("a", 50), ("b", 40), ("c", 30), ("d", 20), ("e", 10)];
    for (id, key) in customers {
        engine.add(Some(key), &[], &Record::Customer(Customer::stub(id)));
    }
    for (n, (id, key)) in [("a", 50), ("c", 30), ("c", 30), ("e", 10)]
        .into_iter()
        .enumerate()
    {
        let order = Order {
            id: format!("o{n}"),
            customer_id: id.into(),
            placed_at: "2025-01-01T10:00:00Z".parse().unwrap(),
            total: flokk_model::Money::from_whole(10 * (n as i64 + 1)),
            ..Default::default()
        };
        engine.add(Some(key), &[], &Record::Order(order));
    }
    engine
}

fn query(text: &str) -> flokk_lang::check::TypedQuery {
    let properties = PropertyTypes::new();
    check(
        text,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap()
}

fn evaluator(engine: &Engine) -> Evaluator<'_> {
    let now: jiff::Timestamp = "2025-02-01T00:00:00Z".parse().unwrap();
    Evaluator::new(engine, now, TimeZone::UTC)
}

#[test]
fn members_cross_the_seam_as_store_keys() {
    let engine = engine();
    let backend = evaluator(&engine);
    let buyers = query("number_of_orders >= 1");
    let members = QueryBackend::members(&backend, &buyers).unwrap();
    assert_eq!(backend.member_count(&members), 3);
    assert_eq!(backend.member_keys(&members), vec![10, 30, 50]);
    let some: [CustomerKey; 4] = [40, 30, 10, 999];
    assert_eq!(backend.matching(&buyers, &some).unwrap(), vec![10, 30]);
    let repeat = query("number_of_orders >= 2");
    assert_eq!(backend.matching(&repeat, &some).unwrap(), vec![30]);
}

#[test]
fn the_engine_backend_counts_as_the_evaluator_does() {
    let engine = engine();
    let backend = evaluator(&engine);
    let q = query("number_of_orders >= 1 AND number_of_orders < 2");
    let through_seam = QueryBackend::count(&backend, &q).unwrap();
    let direct = backend.count(&q).unwrap();
    assert_eq!(through_seam.count, 2);
    assert_eq!(through_seam.count, direct.count);
    assert_eq!(through_seam.total, 5);
    assert_eq!(through_seam.clauses, direct.clauses);
    assert_eq!(
        through_seam
            .clauses
            .iter()
            .map(|c| c.count)
            .collect::<Vec<_>>(),
        vec![3, 4]
    );
    let members = QueryBackend::members(&backend, &q).unwrap();
    let statistics = QueryBackend::statistics(&backend, &members).unwrap();
    assert_eq!(statistics, direct.statistics);
    // `a` spent 10, `e` 40.
    assert_eq!(statistics.amount_spent_sum, 50.0);
}
