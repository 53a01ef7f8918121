//! Parsing and checking a 1,000-clause query (target: under 1 ms).
//!
//! `cargo bench -p flokk-lang --bench parse_check`

use criterion::{Criterion, criterion_group};
use flokk_lang::{CheckOptions, Limits, PropertyTypes, ValueType, check, parse};
use std::hint::black_box;

const CLAUSES: &[&str] = &[
    "number_of_orders >= 3",
    "last_order_date > -120d",
    "customer_tags NOT CONTAINS 'wholesale'",
    "products_purchased MATCHES (tag = 'shorts', date > -1y)",
    "email_subscription_status = 'SUBSCRIBED'",
    "amount_spent BETWEEN 100.5 AND 2000",
    "shopify_email.opened MATCHES (date > -30d, machine_open = false, count >= 2)",
    "customer_countries CONTAINS 'NO'",
    "metafields.facts.shoe_size > 40",
    "orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01, sum_amount > 100)",
];

/// 1,000 clauses in groups of ten: `(c1 AND c2 ... ) OR (...)`, with NOTs.
fn big_query() -> String {
    let groups: Vec<String> = (0..100)
        .map(|g| {
            let clauses: Vec<String> = CLAUSES
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if (g + i) % 7 == 0 {
                        format!("NOT {c}")
                    } else {
                        (*c).to_owned()
                    }
                })
                .collect();
            format!("({})", clauses.join(" AND "))
        })
        .collect();
    groups.join(" OR ")
}

fn bench(c: &mut Criterion) {
    let query = big_query();
    let properties = PropertyTypes::from([("facts.shoe_size".to_owned(), ValueType::Integer)]);
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    assert_eq!(
        check(&query, &options)
            .unwrap()
            .query()
            .expr
            .clauses()
            .len(),
        1000
    );
    c.bench_function("tokenize 1000 clauses", |b| {
        b.iter(|| flokk_lang::lexer::tokenize(black_box(&query)))
    });
    c.bench_function("parse 1000 clauses", |b| {
        b.iter(|| parse(black_box(&query), &Limits::default()).unwrap())
    });
    c.bench_function("parse+check 1000 clauses", |b| {
        b.iter(|| check(black_box(&query), &options).unwrap())
    });
}

/// Nanoseconds this thread has run on a CPU (Linux), which unlike wall
/// time leaves out the time other processes held the shared cores.
fn on_cpu_nanos() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Median on-CPU time per iteration of `f`, over 15 rounds of 200.
fn on_cpu_per_iteration(mut f: impl FnMut()) -> Option<f64> {
    let mut rounds = Vec::new();
    for _ in 0..15 {
        let start = on_cpu_nanos()?;
        for _ in 0..200 {
            f();
        }
        rounds.push((on_cpu_nanos()? - start) as f64 / 200.0);
    }
    rounds.sort_by(f64::total_cmp);
    Some(rounds[rounds.len() / 2])
}

fn on_cpu_report() {
    let query = big_query();
    let properties = PropertyTypes::from([("facts.shoe_size".to_owned(), ValueType::Integer)]);
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let parse_only = on_cpu_per_iteration(|| {
        black_box(parse(black_box(&query), &Limits::default()).unwrap());
    });
    let parse_check = on_cpu_per_iteration(|| {
        black_box(check(black_box(&query), &options).unwrap());
    });
    if let (Some(p), Some(c)) = (parse_only, parse_check) {
        println!(
            "on-CPU time per iteration: parse {:.0} µs, parse+check {:.0} µs",
            p / 1000.0,
            c / 1000.0
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    on_cpu_report();
    Criterion::default().configure_from_args().final_summary();
}
