//! MATCHES over order lines and orders is answered either by scanning the
//! record tables or, when few customers are still in play, customer by
//! customer. Both must give the same customers.

use flokk_engine::{Engine, Evaluator};
use flokk_lang::{CheckOptions, PropertyTypes, check};
use flokk_model::{Customer, Order, OrderLine, Record};

fn store() -> Engine {
    let mut engine = Engine::new();
    for c in 0..200i64 {
        let id = format!("c{c}");
        let tags = if c % 50 == 0 {
            vec!["few".to_owned()]
        } else {
            vec![]
        };
        engine.add(
            Some(c + 1),
            &[],
            &Record::Customer(Customer {
                tags,
                ..Customer::stub(&id)
            }),
        );
        for o in 0..(c % 4) {
            let order = Order {
                id: format!("{id}-{o}"),
                customer_id: id.clone(),
                placed_at: format!("2025-0{}-1{}T10:00:00Z", 1 + o, c % 10)
                    .parse()
                    .unwrap(),
                total: 10.0 * (o + 1) as f64,
                cancelled: (c + o) % 7 == 0,
                lines: (0..2)
                    .map(|l| OrderLine {
                        product_id: Some(format!("p{}", (c + o + l) % 5)),
                        tags: vec![format!("t{}", l)],
                        quantity: l + 1,
                        price: 5.0,
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            };
            engine.add(Some(c + 1), &[], &Record::Order(order));
        }
    }
    engine
}

fn members(engine: &Engine, query: &str) -> Vec<String> {
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &PropertyTypes::new(),
        },
    )
    .unwrap_or_else(|e| panic!("{query}: {e:?}"));
    let ev = Evaluator::new(
        engine,
        "2025-06-01T00:00:00Z".parse().unwrap(),
        jiff::tz::TimeZone::UTC,
    );
    ev.eval(&typed.expr)
        .unwrap()
        .iter()
        .map(|c| ev.id(c).to_owned())
        .collect()
}

#[test]
fn few_customers_and_all_customers_agree() {
    let engine = store();
    for matches in [
        "products_purchased MATCHES (date > 2025-02-01)",
        "products_purchased MATCHES (sum_quantity >= 4)",
        "products_purchased MATCHES (count = 0)",
        "orders_placed MATCHES (sum_amount >= 30)",
        "orders_placed MATCHES (count <= 1, date < 2025-03-01)",
    ] {
        // The tag leaves 4 of 200 customers in play: read customer by customer.
        let narrow = members(
            &engine,
            &format!("customer_tags CONTAINS 'few' AND {matches}"),
        );
        // Alone, every customer is in play: the tables are scanned.
        let wide = members(&engine, matches);
        let few = members(&engine, "customer_tags CONTAINS 'few'");
        let expected: Vec<String> = wide.iter().filter(|c| few.contains(c)).cloned().collect();
        assert_eq!(narrow, expected, "{matches}");
        assert!(!wide.is_empty(), "{matches} should match someone");
    }
}

/// Existence questions are answered from each customer's first and last
/// order and, compacted, from customers by their latest purchase of each
/// line key, with the undecided customers checked order by order. Windows
/// whose edges fall inside buckets and beside them, and customers whose
/// orders were replaced (their old entries stay in the index) must give
/// the answers tallies over the orders give.
#[test]
fn indexes_agree_with_reading_the_orders() {
    for compact in [false, true] {
        indexes_agree_with_reading_the_orders_of(compact);
    }
}

fn indexes_agree_with_reading_the_orders_of(compact: bool) {
    use flokk_engine::{KeyedRecord, ReplacedCustomer};
    let mut engine = store();
    if compact {
        engine.compact();
    }
    let windows = [
        "date > 2025-02-01",
        "date >= 2025-02-13",
        "date < 2025-03-15",
        "date BETWEEN 2025-01-12 AND 2025-02-14",
        "date > 2025-04-17",
        "date <= 2024-12-31",
    ];
    // Negative filters have no posting: never answered from the buckets
    // of every line.
    let keyed = [
        "",
        "tag = 't1', ",
        "id = 'p3', ",
        "id IN ('p1', 'p4'), ",
        "id NOT IN ('p0', 'p1', 'p2', 'p3'), ",
        "tag != 't1', ",
    ];
    let questions: Vec<String> = windows
        .iter()
        .flat_map(|w| {
            keyed
                .iter()
                .map(move |k| format!("products_purchased MATCHES ({k}{w})"))
                .chain([format!("orders_placed MATCHES ({w})")])
        })
        .collect();
    // The same question with a `count >= 1` condition is answered by
    // tallies over the records, never from the buckets.
    let by_tallies = |engine: &Engine, q: &str| {
        members(engine, &q.replace("MATCHES (", "MATCHES (count >= 1, "))
    };
    let check_all = |engine: &Engine, stage: &str| {
        let mut nonempty = 0;
        for q in &questions {
            let fast = members(engine, q);
            assert_eq!(fast, by_tallies(engine, q), "{stage}: {q}");
            nonempty += usize::from(!fast.is_empty());
        }
        assert!(
            nonempty * 2 > questions.len(),
            "{stage}: too many empty answers"
        );
    };
    check_all(&engine, if compact { "compacted" } else { "as built" });
    // Replace customers' orders: c5's move out of every window, c6 loses
    // theirs, c7's are cancelled; the buckets still name them.
    let replaced = |c: i64, orders: Vec<Order>| ReplacedCustomer {
        key: c + 1,
        records: Some(
            std::iter::once(Record::Customer(Customer::stub(format!("c{c}"))))
                .chain(orders.into_iter().map(Record::Order))
                .map(|record| KeyedRecord {
                    customer_key: Some(c + 1),
                    coordinates: Vec::new(),
                    record,
                })
                .collect(),
        ),
    };
    let order = |c: i64, at: &str, cancelled: bool| Order {
        id: format!("c{c}-new"),
        customer_id: format!("c{c}"),
        placed_at: at.parse().unwrap(),
        total: 10.0,
        cancelled,
        lines: vec![OrderLine {
            product_id: Some("p3".into()),
            tags: vec!["t1".into()],
            quantity: 1,
            price: 10.0,
            ..Default::default()
        }],
        ..Default::default()
    };
    let before = members(&engine, "orders_placed MATCHES (date > 2024-12-31)");
    assert!(before.contains(&"c5".to_owned()) && before.contains(&"c7".to_owned()));
    engine.catch_up(
        vec![
            replaced(5, vec![order(5, "2024-06-01T00:00:00Z", false)]),
            replaced(6, vec![]),
            replaced(7, vec![order(7, "2025-02-20T00:00:00Z", true)]),
        ],
        None,
        1,
    );
    check_all(&engine, "after catch-up");
    let after = members(&engine, "orders_placed MATCHES (date > 2024-12-31)");
    for gone in ["c5", "c6", "c7"] {
        assert!(!after.contains(&gone.to_owned()), "{gone} still matches");
    }
    assert!(
        members(&engine, "orders_placed MATCHES (date < 2024-07-01)").contains(&"c5".to_owned())
    );
}
