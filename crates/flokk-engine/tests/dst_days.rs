//! Every date operator at a DST change, in two time zones, with answers
//! worked out by hand (language.md §3): the engine and the reference share
//! `flokk_lang::time`, so comparing them cannot catch a wrong day start;
//! these cases can.
//!
//! Day starts, from the zones' rules (EU: clocks change at 01:00 UTC on
//! the last Sunday of March and October; US: at 02:00 local on the second
//! Sunday of March and the first of November):
//!
//! | zone, day D | start(D) | start(D+1) | length |
//! |---|---|---|---|
//! | Oslo 2025-03-30 | 2025-03-29T23:00Z (CET, +1) | 2025-03-30T22:00Z (CEST, +2) | 23 h |
//! | Oslo 2025-10-26 | 2025-10-25T22:00Z (CEST, +2) | 2025-10-26T23:00Z (CET, +1) | 25 h |
//! | New York 2025-03-09 | 2025-03-09T05:00Z (EST, -5) | 2025-03-10T04:00Z (EDT, -4) | 23 h |
//! | New York 2025-11-02 | 2025-11-02T04:00Z (EDT, -4) | 2025-11-03T05:00Z (EST, -5) | 25 h |
//!
//! Each store has five customers: `a` ordered one second before start(D),
//! `b` at start(D), `c` one second before start(D+1), `d` at start(D+1),
//! `x` never. A 24-hour day, or a day in UTC, moves `c` or `d` (and for
//! New York `a` and `b`) across a boundary.

mod reference;

use flokk_engine::Evaluator;
use flokk_lang::{CheckOptions, check};
use flokk_model::{Customer, Order};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use reference::{AsOf, Store, StoreCustomer};
use std::collections::BTreeSet;

struct DstDay {
    zone: &'static str,
    /// D, D-1 and D+1 as written in queries.
    day: &'static str,
    before: &'static str,
    after: &'static str,
    /// start(D) and start(D+1), by hand (see the module table).
    start: &'static str,
    next: &'static str,
    /// Seven days after D, noon UTC (the same date in both zones): `-7d`
    /// and `-1w` then name D.
    now: &'static str,
}

const DAYS: &[DstDay] = &[
    DstDay {
        zone: "Europe/Oslo",
        day: "2025-03-30",
        before: "2025-03-29",
        after: "2025-03-31",
        start: "2025-03-29T23:00:00Z",
        next: "2025-03-30T22:00:00Z",
        now: "2025-04-06T12:00:00Z",
    },
    DstDay {
        zone: "Europe/Oslo",
        day: "2025-10-26",
        before: "2025-10-25",
        after: "2025-10-27",
        start: "2025-10-25T22:00:00Z",
        next: "2025-10-26T23:00:00Z",
        now: "2025-11-02T12:00:00Z",
    },
    DstDay {
        zone: "America/New_York",
        day: "2025-03-09",
        before: "2025-03-08",
        after: "2025-03-10",
        start: "2025-03-09T05:00:00Z",
        next: "2025-03-10T04:00:00Z",
        now: "2025-03-16T12:00:00Z",
    },
    DstDay {
        zone: "America/New_York",
        day: "2025-11-02",
        before: "2025-11-01",
        after: "2025-11-03",
        start: "2025-11-02T04:00:00Z",
        next: "2025-11-03T05:00:00Z",
        now: "2025-11-09T12:00:00Z",
    },
];

fn at(s: &str) -> Timestamp {
    s.parse().expect("an instant")
}

fn store(d: &DstDay) -> Store {
    let second = jiff::SignedDuration::from_secs(1);
    let placed = [
        ("a", Some(at(d.start) - second)),
        ("b", Some(at(d.start))),
        ("c", Some(at(d.next) - second)),
        ("d", Some(at(d.next))),
        ("x", None),
    ];
    let mut store = Store::default();
    for (id, when) in placed {
        let mut c = StoreCustomer::new(Customer::stub(id));
        if let Some(t) = when {
            c.orders.push(Order {
                id: format!("{id}-1"),
                customer_id: id.into(),
                placed_at: t,
                total: flokk_model::Money::parse("10.0").unwrap(),
                ..Default::default()
            });
        }
        store.customers.push(c);
    }
    store
}

/// Answers of the engine and the reference; both must equal `want`.
fn check_case(d: &DstDay, store: &Store, query: &str, want: &[&str], failures: &mut Vec<String>) {
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &store.property_types,
        },
    )
    .unwrap_or_else(|e| panic!("{query}: {e:?}"));
    let as_of = AsOf {
        now: at(d.now),
        tz: TimeZone::get(d.zone).expect("a known zone"),
    };
    let engine = store.build_engine();
    let evaluator = Evaluator::new(&engine, as_of.now, as_of.tz.clone());
    let from_engine: BTreeSet<String> = evaluator
        .eval(&typed.expr)
        .unwrap()
        .iter()
        .map(|c| evaluator.id(c).to_owned())
        .collect();
    let from_reference = reference::members(store, &typed.expr, &as_of).unwrap();
    let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
    if from_engine != want {
        failures.push(format!(
            "engine, {} {}: {query}: want {want:?}, got {from_engine:?}",
            d.zone, d.day
        ));
    }
    if from_reference != want {
        failures.push(format!(
            "reference, {} {}: {query}: want {want:?}, got {from_reference:?}",
            d.zone, d.day
        ));
    }
}

#[test]
fn every_date_operator_at_every_dst_change() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for d in DAYS {
        let store = store(d);
        let (day, before, after) = (d.day, d.before, d.after);
        // The same day written absolutely and relatively.
        for value in [day, "-7d", "-1w"] {
            // A filter: `x` has no value, so only `!=` takes it.
            let filter_cases: [(String, &[&str]); 6] = [
                (format!("= {value}"), &["b", "c"]),
                (format!("!= {value}"), &["a", "d", "x"]),
                (format!("> {value}"), &["d"]),
                (format!(">= {value}"), &["b", "c", "d"]),
                (format!("< {value}"), &["a"]),
                (format!("<= {value}"), &["a", "b", "c"]),
            ];
            for field in ["last_order_date", "first_order_date"] {
                for (op, want) in &filter_cases {
                    check_case(d, &store, &format!("{field} {op}"), want, &mut failures);
                    cases += 1;
                }
            }
            // The `date` parameter constrains each order (`x` has none).
            for (op, want) in &filter_cases {
                let want: Vec<&str> = want.iter().copied().filter(|c| *c != "x").collect();
                let query = format!("orders_placed MATCHES (date {op})");
                check_case(d, &store, &query, &want, &mut failures);
                cases += 1;
            }
        }
        for (range, want) in [
            (format!("BETWEEN {before} AND {day}"), &["a", "b", "c"][..]),
            (format!("BETWEEN {day} AND {after}"), &["b", "c", "d"][..]),
            (format!("BETWEEN {day} AND {day}"), &["b", "c"][..]),
            ("BETWEEN -7d AND -7d".to_owned(), &["b", "c"][..]),
        ] {
            check_case(
                d,
                &store,
                &format!("last_order_date {range}"),
                want,
                &mut failures,
            );
            let query = format!("orders_placed MATCHES (date {range})");
            check_case(d, &store, &query, want, &mut failures);
            cases += 2;
        }
    }
    assert_eq!(cases, 4 * (3 * 18 + 8));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
