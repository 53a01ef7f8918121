//! The engine built in-process from the demo generator: its memory table by
//! table (`Engine::space_usage`, checked against the process's resident
//! memory), and the median time of the benchmark questions, steady state.
//!
//! `cargo run --release -p flokk-engine --example engine_profile -- CUSTOMERS [--dense] [--orders-only] [--runs N] [--check-allowance]`
//!
//! `--check-allowance` exits with status 1 when a part of the engine is
//! over its share of design.md's memory allowance (100 bytes a customer,
//! 24 an order line, and 24 an event: see ARCHITECTURE.md, "Memory"); the
//! test suite runs it at 1M customers, the scale the allowance is set for.
//!
//! `--dense` uses the purchase process with about 11 orders per customer
//! (design.md's 1M customers / 10M orders shape). `--orders-only` leaves
//! out the event records (checkouts, email, storefront and custom events):
//! the benchmark questions about orders stay the same and the engine is
//! about half the size.

mod bench_data;

use flokk_engine::{Engine, Evaluator, Part};
use flokk_lang::{CheckOptions, check};
use std::time::Instant;

/// The questions `scripts/bench_duckdb.py` also asks DuckDB (`name<TAB>query`
/// a line): one list for both, so the comparison cannot miss one.
const DUCKDB_QUESTIONS: &str = include_str!("bench_data/duckdb_questions.tsv");

/// Questions timed beside those.
const QUERIES: &[&str] = &[
    "number_of_orders >= 3 AND last_order_date > -120d AND customer_countries CONTAINS 'NO' AND email_subscription_status = 'SUBSCRIBED' AND products_purchased MATCHES (date > -90d)",
    "products_purchased MATCHES (tag = 'shorts', date > -2y)",
    "products_purchased MATCHES (date > -90d)",
    "shopify_email.opened MATCHES (date > -30d, machine_open = false)",
    "orders_placed MATCHES (date > -90d, count >= 2)",
    // The predictive models fitted on first use; the bands held as bitmaps.
    "number_of_orders >= 2 AND churn_risk = 'HIGH'",
];

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let customers: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dense = args.iter().any(|a| a == "--dense");
    let orders_only = args.iter().any(|a| a == "--orders-only");
    let check_allowance = args.iter().any(|a| a == "--check-allowance");
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(21);
    // `--query I` times only the I-th question (for a profiler).
    let only: Option<usize> = args
        .iter()
        .position(|a| a == "--query")
        .and_then(|i| args.get(i + 1)?.parse().ok());
    let generator = bench_data::generator(customers, dense);
    let before = resident_kib().unwrap_or(0);
    let started = Instant::now();
    let mut engine = Engine::new();
    let mut keys = bench_data::CustomerKeys::default();
    let mut sink = |r: flokk_model::Record| {
        use flokk_model::Record as R;
        if orders_only
            && matches!(
                r,
                R::Checkout(_) | R::EmailEvent(_) | R::StorefrontEvent(_) | R::Event(_)
            )
        {
            return;
        }
        let key = r.customer_id().map(|id| keys.key(id));
        engine.add(key, &[], &r);
    };
    generator.shared_records(&mut sink);
    generator.customers(0..customers, &mut sink);
    drop(keys);
    engine.compact();
    let built = started.elapsed();
    let now = "2026-11-24T12:00:00Z".parse().unwrap();
    let evaluator = Evaluator::new(&engine, now, jiff::tz::TimeZone::UTC);
    let properties = engine.property_types();
    // `--q QUERY` (repeatable) times these questions instead.
    let given: Vec<&str> = args
        .iter()
        .enumerate()
        .filter(|(_, a)| *a == "--q")
        .filter_map(|(i, _)| args.get(i + 1).map(String::as_str))
        .collect();
    let every: Vec<&str> = DUCKDB_QUESTIONS
        .lines()
        .filter_map(|l| Some(l.split_once('\t')?.1))
        .chain(QUERIES.iter().copied())
        .collect();
    let queries: &[&str] = if given.is_empty() { &every } else { &given };
    let typed: Vec<_> = queries
        .iter()
        .map(|q| {
            check(
                q,
                &CheckOptions {
                    strict: false,
                    properties: &properties,
                },
            )
            .expect("the benchmark queries check")
        })
        .collect();
    // Warm: the first evaluation builds lazy indexes.
    let counts: Vec<u64> = typed
        .iter()
        .map(|t| evaluator.eval(&t.expr).unwrap().len())
        .collect();
    let after = resident_kib().unwrap_or(0);
    let orders = engine.orders.orders.len();
    let lines = engine.orders.products.len() + engine.orders.tickets.order.len();
    let usage = engine.space_usage();
    println!(
        "{customers} customers, {orders} orders, {lines} order lines{}; built in {:.1} s",
        if orders_only {
            " (no event records)"
        } else {
            ""
        },
        built.as_secs_f64()
    );
    let a = &engine.activity;
    println!(
        "{} checkouts, {} email events, {} storefront events, {} custom events ({} properties)",
        a.checkouts.customer.len(),
        a.email.customer.len(),
        a.storefront.customer.len(),
        a.custom.customer.len(),
        a.custom.properties.values(),
    );
    println!("{usage}");
    let events = a.checkouts.customer.len()
        + a.email.customer.len()
        + a.storefront.customer.len()
        + a.custom.customer.len();
    let mib = |b: usize| b as f64 / f64::from(1 << 20);
    println!(
        "accounted {:.0} MiB; resident growth {:.0} MiB",
        mib(usage.total()),
        (after.saturating_sub(before)) as f64 / 1024.0,
    );
    // design.md: 100 bytes a customer and 24 an order line; events held to
    // what a line may cost (ARCHITECTURE.md, "Memory").
    let mut allowance = 0;
    let mut over = false;
    for (part, units, unit) in [
        (Part::Customers, customers as usize, "customer"),
        (Part::OrderLines, lines, "order line"),
        (Part::Events, events, "event"),
    ] {
        let bytes = usage.of(part);
        let limit = part.allowance().unwrap_or(0);
        allowance += limit * units;
        over |= bytes > limit * units;
        println!(
            "{part:?}: {:.1} MiB = {:.1} B per {unit} (allowance {limit} B){}",
            mib(bytes),
            bytes as f64 / units.max(1) as f64,
            if bytes <= limit * units { "" } else { "  OVER" },
        );
    }
    println!(
        "total {:.0} MiB, allowance {:.0} MiB (100 B/customer + 24 B/order line + 24 B/event); without events {:.0} of {:.0} MiB",
        mib(usage.total()),
        mib(allowance),
        mib(usage.total() - usage.of(Part::Events)),
        mib(100 * customers as usize + 24 * lines),
    );
    if check_allowance && over {
        eprintln!("over design.md's memory allowance (see the parts above)");
        std::process::exit(1);
    }
    for (i, ((q, t), count)) in queries.iter().zip(&typed).zip(&counts).enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t0 = Instant::now();
                std::hint::black_box(evaluator.eval(&t.expr).unwrap().len());
                t0.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("{:>9.3} ms  {count:>8}  {q}", times[times.len() / 2]);
    }
}
