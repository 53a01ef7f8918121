//! The facts a profile shows (`Evaluator::facts`) follow the spec's
//! definitions: cancelled and future orders count nowhere, refunds are
//! netted, purchase days are store-local.

use flokk_engine::{Engine, Evaluator};
use flokk_model::{Customer, Order, Record};
use jiff::tz::TimeZone;

fn order(id: &str, at: &str, total: f64, refunded: f64, cancelled: bool) -> Record {
    Record::Order(Order {
        id: id.into(),
        customer_id: "c".into(),
        placed_at: at.parse().unwrap(),
        total: flokk_model::Money::from_f64(total).unwrap(),
        refunded: flokk_model::Money::from_f64(refunded).unwrap(),
        cancelled,
        ..Default::default()
    })
}

#[test]
fn facts_follow_the_spec() {
    let mut engine = Engine::new();
    let birth = jiff::civil::date(1990, 6, 1);
    engine.add(
        Some(1),
        &[],
        &Record::Customer(Customer {
            birth_date: Some(birth),
            ..Customer::stub("c")
        }),
    );
    for r in [
        order("1", "2025-01-01T10:00:00Z", 100.0, 10.0, false),
        order("2", "2025-01-01T20:00:00Z", 50.0, 0.0, false), // same UTC day
        order("3", "2025-01-11T10:00:00Z", 30.0, 0.0, true),  // cancelled
        order("4", "2025-01-21T10:00:00Z", 20.0, 0.0, false),
        order("5", "2025-03-01T10:00:00Z", 999.0, 0.0, false), // after now
    ] {
        engine.add(Some(1), &[], &r);
    }
    let now: jiff::Timestamp = "2025-02-01T00:00:00Z".parse().unwrap();
    let f = Evaluator::new(&engine, now, TimeZone::UTC).facts(0);
    assert_eq!(f.amount_spent, flokk_model::Money::from_whole(160));
    assert_eq!(f.number_of_orders, 3);
    assert_eq!(
        f.first_order_date,
        Some("2025-01-01T10:00:00Z".parse().unwrap())
    );
    assert_eq!(
        f.last_order_date,
        Some("2025-01-21T10:00:00Z".parse().unwrap())
    );
    assert_eq!(f.average_order_value, Some(160.0 / 3.0));
    // Two purchase days, 20 days apart: x = 1, t_x = 20.
    assert_eq!(f.average_days_between_orders, Some(20.0));
    assert_eq!(f.age, Some(34));
    assert_eq!(f.random_bucket, flokk_model::random_bucket("c"));
    // In Tokyo order 2 falls on the next local day: three purchase days.
    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    let f = Evaluator::new(&engine, now, tokyo).facts(0);
    assert_eq!(f.average_days_between_orders, Some(10.0));
}
