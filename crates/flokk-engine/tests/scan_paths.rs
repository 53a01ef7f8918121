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
