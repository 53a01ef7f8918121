//! After a bulk tag, the engine catches up by replacing the tagged
//! customers' tags alone, however many there are (before, tagging more than
//! a twentieth of the store made the next process rebuild the engine from
//! scratch), and answers exactly as an engine built afresh. A customer
//! tagged and given a record in the same transaction is re-read whole.

use flokk_engine::{Engine, Evaluator, QueryBackend};
use flokk_lang::{CheckOptions, check};
use flokk_model::{Customer, Order, Record};
use flokk_segments::catch_up::{build_engine, catch_up_engine};
use flokk_store::Store;

fn count(engine: &Engine, query: &str) -> u64 {
    let properties = engine.property_types();
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap();
    let now = "2026-06-01T12:00:00Z".parse().unwrap();
    let evaluator = Evaluator::new(engine, now, jiff::tz::TimeZone::UTC);
    QueryBackend::members(&evaluator, &typed).unwrap().len()
}

#[test]
fn mass_tagging_is_caught_up_without_a_rebuild_and_answers_as_a_fresh_engine() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let n = 1_500;
    {
        let mut w = store.writer().unwrap();
        for i in 0..n {
            let tags = if i % 3 == 0 {
                vec!["Gold".to_owned()]
            } else {
                Vec::new()
            };
            w.apply(&Record::Customer(Customer {
                tags,
                ..Customer::stub(format!("c{i}"))
            }))
            .unwrap();
        }
        w.commit().unwrap();
    }
    let mut engine = build_engine(&store).unwrap();
    assert_eq!(count(&engine, "customer_tags CONTAINS 'gold'"), 500);

    // Tag everyone `vip`, untag `gold`; one customer also gets an order in
    // the same transaction.
    {
        let mut w = store.writer().unwrap();
        let ids: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let outcome = w
            .set_tag(ids.iter().map(String::as_str), "vip", true)
            .unwrap();
        assert_eq!(outcome.changed, n as u64);
        w.set_tag(ids.iter().map(String::as_str), "gold", false)
            .unwrap();
        w.apply(&Record::Order(Order {
            id: "o1".into(),
            customer_id: "c7".into(),
            placed_at: "2026-05-01T10:00:00Z".parse().unwrap(),
            total: flokk_model::Money::from_whole(10),
            ..Default::default()
        }))
        .unwrap();
        w.commit().unwrap();
    }
    let changes = store
        .changes_since(engine.sequence, 1_000)
        .unwrap()
        .unwrap();
    assert_eq!(
        changes.retagged.len(),
        n - 1,
        "every customer but c7 was only tagged"
    );
    assert_eq!(changes.customers.len(), 1, "c7 is read whole");

    let caught_up = catch_up_engine(&store, &mut engine).unwrap();
    let caught_up = caught_up.expect("no rebuild: 1,500 tagged customers are over a twentieth");
    assert_eq!(caught_up.retagged.len(), n as u64 - 1);
    let fresh = build_engine(&store).unwrap();
    for query in [
        "customer_tags CONTAINS 'vip'",
        "customer_tags CONTAINS 'gold'",
        "customer_tags IS NULL",
        "customer_tags CONTAINS 'VIP' AND number_of_orders = 1",
        "customer_tags NOT CONTAINS 'vip'",
    ] {
        assert_eq!(count(&engine, query), count(&fresh, query), "{query}");
    }
    assert_eq!(count(&engine, "customer_tags CONTAINS 'vip'"), n as u64);
    assert_eq!(count(&engine, "customer_tags CONTAINS 'gold'"), 0);
    assert_eq!(count(&engine, "number_of_orders = 1"), 1);
}
