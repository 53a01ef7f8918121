//! Steady-state evaluation of segment queries on an in-memory engine built
//! from the demo generator, as a server answers them after its first query
//! (the now-dependent columns and indexes are warm).
//!
//! `cargo bench -p flokk-engine --bench count` (FLOKK_BENCH_CUSTOMERS sets
//! the store size; default 100,000).

use criterion::{Criterion, criterion_group};
use flokk_demo::{DemoConfig, generate};
use flokk_engine::{Engine, Evaluator};
use flokk_lang::{CheckOptions, check};
use std::collections::HashMap;
use std::hint::black_box;

const QUERIES: &[(&str, &str)] = &[
    (
        "five clauses",
        "number_of_orders >= 3 AND last_order_date > -120d AND customer_countries CONTAINS 'NO' \
         AND email_subscription_status = 'SUBSCRIBED' AND products_purchased MATCHES (date > -90d)",
    ),
    ("one column scan", "amount_spent > 500"),
    ("one bitmap", "customer_tags CONTAINS 'vip'"),
    (
        "one MATCHES over all lines",
        "products_purchased MATCHES (date > -90d)",
    ),
    (
        "email events",
        "shopify_email.opened MATCHES (date > -30d, machine_open = false)",
    ),
];

fn engine(customers: u64) -> Engine {
    let mut engine = Engine::new();
    let mut keys: HashMap<String, i64> = HashMap::new();
    generate(
        &DemoConfig::new(customers, 42, jiff::civil::date(2026, 11, 24)),
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

fn bench(c: &mut Criterion) {
    let customers = std::env::var("FLOKK_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let engine = engine(customers);
    let now = "2026-11-24T00:00:00Z".parse().unwrap();
    let evaluator = Evaluator::new(&engine, now, jiff::tz::TimeZone::UTC);
    let properties = engine.property_types();
    for (name, query) in QUERIES {
        let typed = check(
            query,
            &CheckOptions {
                strict: false,
                properties: &properties,
            },
        )
        .unwrap();
        // Warm: the first evaluation builds lazy indexes.
        let count = evaluator.eval(&typed.expr).unwrap().len();
        c.bench_function(
            &format!("{customers} customers: {name} ({count} match)"),
            |b| b.iter(|| black_box(evaluator.eval(black_box(&typed.expr)).unwrap().len())),
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
