//! Benchmark harness for live membership (BENCHMARKS.md, "Live segments"):
//!
//! 1. saves 100 segments on a store (60 of them relative to today);
//! 2. one customer change → its entered/exited rows committed: a new order
//!    for a random customer is written to the store, the engine catches up,
//!    membership is synced; median and p99 over many changes;
//! 3. the midnight re-evaluation of the time-relative segments.
//!
//! `cargo run --release -p flokk-segments --example live_bench -- DATA_DIR [CHANGES]`
//! on a store made by `flokk demo --customers N --no-serve`. The store is
//! changed (segments and orders are added); run it on a copy.

use flokk_engine::Engine;
use flokk_model::{Order, Record};
use flokk_segments::{Clock, MembershipCache, Segments, SegmentsError, with_segments};
use flokk_store::Store;
use jiff::{Timestamp, ToSpan};
use std::time::Instant;

fn build_engine(store: &Store) -> Engine {
    flokk_segments::catch_up::build_engine(store).expect("the store scans")
}

/// 100 segment queries: 60 relative to today, 40 not.
fn queries() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..30 {
        out.push((
            format!("recent buyers {i}"),
            format!(
                "last_order_date > -{}d AND amount_spent > {}",
                7 + i * 13,
                i * 50
            ),
        ));
        out.push((
            format!("frequent lately {i}"),
            format!(
                "orders_placed MATCHES (date > -{}d, count >= {})",
                30 + i * 10,
                1 + i % 4
            ),
        ));
    }
    for i in 0..20 {
        out.push((
            format!("spend band {i}"),
            format!("amount_spent BETWEEN {} AND {}", i * 100, i * 100 + 400),
        ));
        out.push((
            format!("subscribed repeaters {i}"),
            format!(
                "email_subscription_status = 'SUBSCRIBED' AND number_of_orders >= {}",
                1 + i % 6
            ),
        ));
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: live_bench DATA_DIR [CHANGES]");
    let changes: usize = args
        .next()
        .map(|n| n.parse().expect("a number"))
        .unwrap_or(200);
    let store = Store::open(std::path::Path::new(&dir)).expect("the store opens");
    let tz = jiff::tz::TimeZone::get(&store.settings().timezone().expect("timezone"))
        .expect("a known zone");
    let started = Instant::now();
    let mut engine = build_engine(&store);
    eprintln!(
        "engine: {} customers in {:.1} s",
        engine.customers.all().len(),
        started.elapsed().as_secs_f64()
    );
    let mut clock = Clock {
        now: Timestamp::now(),
        tz,
        fixed: false,
    };
    let mut cache = MembershipCache::new();
    let mut refresh = |store: &Store, engine: &mut Engine| -> Result<(), SegmentsError> {
        *engine = build_engine(store);
        Ok(())
    };

    // 1. Save the segments.
    let started = Instant::now();
    let (_, report) = with_segments(
        &store,
        &mut engine,
        &clock,
        &mut refresh,
        Some(&mut cache),
        &mut |s: &mut Segments<'_>| {
            for (name, query) in queries() {
                if s.get(&name).is_err() {
                    s.create(&name, &query, None, "merchant")?;
                }
            }
            Ok(())
        },
    )
    .expect("segments save");
    println!(
        "save 100 segments: {:.2} s (sync before: {} entered)",
        started.elapsed().as_secs_f64(),
        report.moves.entered
    );

    // 2. One customer change at a time.
    let ids: Vec<String> = engine.customers.ids.iter().map(|s| s.to_string()).collect();
    let mut latencies = Vec::with_capacity(changes);
    let mut moved = 0;
    for i in 0..changes {
        let customer = &ids[(i * 7919 + 13) % ids.len()];
        let order = Order {
            id: format!("bench-{}-{i}", clock.now.as_second()),
            customer_id: customer.clone(),
            placed_at: clock.now,
            total: flokk_model::Money::parse("250.0").unwrap(),
            ..Default::default()
        };
        let started = Instant::now();
        let mut writer = store.writer().expect("writer");
        writer.apply(&Record::Order(order)).expect("applies");
        writer.commit().expect("commits");
        let t_store = started.elapsed().as_secs_f64() * 1000.0;
        // The engine catches up by the change sequence, as `flokk serve`
        // does; membership follows.
        flokk_segments::catch_up::catch_up_engine(&store, &mut engine)
            .expect("catches up")
            .expect("one customer is a small change");
        let (_, report) = with_segments(
            &store,
            &mut engine,
            &clock,
            &mut refresh,
            Some(&mut cache),
            &mut |_| Ok(()),
        )
        .expect("syncs");
        moved += report.moves.entered + report.moves.exited;
        if std::env::var_os("LIVE_BENCH_TRACE").is_some() {
            eprintln!(
                "store write {t_store:.2} ms, total {:.2} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    if !latencies.is_empty() {
        println!(
            "one change -> feed committed ({changes} changes, {moved} entries/exits): median {:.2} ms, p99 {:.2} ms",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99)
        );
    }

    // 3. Midnight.
    clock.now += 24.hours();
    let started = Instant::now();
    let (_, report) = with_segments(
        &store,
        &mut engine,
        &clock,
        &mut refresh,
        Some(&mut cache),
        &mut |_| Ok(()),
    )
    .expect("syncs");
    println!(
        "midnight: {} segments re-evaluated in {:.2} s ({} entered, {} exited)",
        report.full_evaluations,
        started.elapsed().as_secs_f64(),
        report.moves.entered,
        report.moves.exited
    );
}
