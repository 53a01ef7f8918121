//! Live membership against a fresh evaluation, under random histories:
//! imports (new customers, changed attributes, new and replaced orders,
//! deletions), bulk tags (alone, or with records in the same transaction:
//! a sync evaluates only the segments that read tags for customers only
//! tagged), segment lifecycle operations (create, update, delete, restore,
//! nested segments) and days passing. After every step:
//!
//! 1. every live segment's stored members are exactly the customers its
//!    query matches when evaluated from scratch as of now;
//! 2. replaying the feed from empty gives exactly the stored members of
//!    every segment (deleted ones: none), with no entry of a member and no
//!    exit of a non-member;
//! 3. feed sequence numbers increase.
//!
//! `PROPTEST_CASES=500 cargo test -p flokk-segments --test live_membership`
//! runs deeper.

use flokk_engine::Engine;
use flokk_model::{ParseOptions, parse_record};
use flokk_segments::{
    Clock, MembershipCache, SegmentGraph, Segments, SegmentsError, with_segments,
};
use flokk_store::{SegmentFilter, Store};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Segment names the steps use (a name may or may not exist at a step).
const NAMES: &[&str] = &["Recent", "Big", "Nested", "Tagged", "Lapsed"];

/// Queries the steps save; some name other segments, some move with the day.
const QUERIES: &[&str] = &[
    "last_order_date > -3d",
    "amount_spent >= 300",
    "customer_segments CONTAINS 'Big' AND customer_tags CONTAINS 'vip'",
    "customer_tags CONTAINS 'vip' OR customer_countries CONTAINS 'NO'",
    "number_of_orders >= 1 AND last_order_date < -5d",
    "customer_segments NOT CONTAINS 'Recent' AND number_of_orders >= 2",
    "orders_placed MATCHES (date > -7d, count >= 2)",
    "email_subscription_status = 'SUBSCRIBED'",
    "shopify_email.opened MATCHES (date > -2d, count >= 2) OR abandoned_checkout_date > -3d",
];

#[derive(Debug, Clone)]
enum Step {
    /// Import records: (customer number, what).
    Import(Vec<(u8, Change)>),
    /// A bulk tag (`flokk tag`): add or remove the tag (spelled `vip` or
    /// `VIP`) for these customers, then these records in the same
    /// transaction.
    Tag {
        customers: Vec<u8>,
        add: bool,
        upper: bool,
        with: Vec<(u8, Change)>,
    },
    Create(usize, usize),
    Update(usize, usize),
    Delete(usize),
    Restore(usize),
    /// Let this many hours pass.
    Wait(u16),
}

#[derive(Debug, Clone)]
enum Change {
    Customer {
        vip: bool,
        country: bool,
        subscribed: bool,
    },
    Order {
        number: u8,
        total: u16,
        hours_ago: u16,
    },
    DeleteCustomer,
    DeleteOrder {
        number: u8,
    },
    Opened {
        hours_ago: u16,
    },
    Checkout {
        hours_ago: u16,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(vip, country, subscribed)| Change::Customer { vip, country, subscribed }),
        5 => (0u8..6, 1u16..400, 0u16..300)
            .prop_map(|(number, total, hours_ago)| Change::Order { number, total, hours_ago }),
        1 => Just(Change::DeleteCustomer),
        1 => (0u8..6).prop_map(|number| Change::DeleteOrder { number }),
        1 => (0u16..100).prop_map(|hours_ago| Change::Opened { hours_ago }),
        1 => (0u16..100).prop_map(|hours_ago| Change::Checkout { hours_ago }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => proptest::collection::vec((0u8..12, change()), 1..8).prop_map(Step::Import),
        2 => (
            proptest::collection::vec(0u8..14, 0..10),
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec((0u8..12, change()), 0..2),
        )
            .prop_map(|(customers, add, upper, with)| Step::Tag { customers, add, upper, with }),
        3 => (0..NAMES.len(), 0..QUERIES.len()).prop_map(|(n, q)| Step::Create(n, q)),
        2 => (0..NAMES.len(), 0..QUERIES.len()).prop_map(|(n, q)| Step::Update(n, q)),
        1 => (0..NAMES.len()).prop_map(Step::Delete),
        1 => (0..NAMES.len()).prop_map(Step::Restore),
        2 => (1u16..60).prop_map(Step::Wait),
    ]
}

fn record_line(customer: u8, change: &Change, now: Timestamp) -> String {
    let id = format!("c{customer}");
    match change {
        Change::Customer {
            vip,
            country,
            subscribed,
        } => {
            let tags = if *vip { r#"["vip"]"# } else { "[]" };
            let country = if *country { "NO" } else { "SE" };
            let sub = if *subscribed {
                "SUBSCRIBED"
            } else {
                "UNSUBSCRIBED"
            };
            format!(
                r#"{{"kind":"customer","id":"{id}","tags":{tags},"email_subscription":"{sub}","addresses":[{{"country":"{country}"}}]}}"#
            )
        }
        Change::Order {
            number,
            total,
            hours_ago,
        } => {
            let at = now - i64::from(*hours_ago).hours();
            format!(
                r#"{{"kind":"order","id":"{id}-o{number}","customer_id":"{id}","placed_at":"{at}","total":{total}}}"#
            )
        }
        Change::DeleteCustomer => format!(r#"{{"kind":"delete","entity":"customer","id":"{id}"}}"#),
        Change::DeleteOrder { number } => {
            format!(r#"{{"kind":"delete","entity":"order","id":"{id}-o{number}"}}"#)
        }
        Change::Opened { hours_ago } => {
            let at = now - i64::from(*hours_ago).hours();
            format!(
                r#"{{"kind":"email_event","customer_id":"{id}","type":"opened","activity_id":"a1","at":"{at}"}}"#
            )
        }
        Change::Checkout { hours_ago } => {
            let at = now - i64::from(*hours_ago).hours();
            format!(
                r#"{{"kind":"checkout","id":"{id}-k","customer_id":"{id}","abandoned_at":"{at}","total":10}}"#
            )
        }
    }
}

fn build_engine(store: &Store) -> Engine {
    flokk_segments::catch_up::build_engine(store).expect("the store scans")
}

/// Catches the engine up with the store's changes, as a running server
/// does (a fresh build only when the change set is too large); the
/// invariants compare against an engine built fresh, so a catch-up that
/// drifts from a rebuild fails them.
fn refresh(store: &Store, engine: &mut Engine) -> Result<(), SegmentsError> {
    if flokk_segments::catch_up::catch_up_engine(store, engine)?.is_none() {
        *engine = build_engine(store);
    }
    Ok(())
}

/// Runs one lifecycle step. A refusal is fine when its code is one the
/// step can cause (`refusals`: an unknown or taken name, a cycle, a
/// segment in use, ...); it must just leave everything consistent. Any
/// other error fails the test, user error or not.
fn lifecycle(
    store: &Store,
    engine: &mut Engine,
    clock: &Clock,
    cache: Option<&mut MembershipCache>,
    refusals: &[&str],
    op: &mut dyn FnMut(&mut Segments<'_>) -> Result<(), SegmentsError>,
) {
    match with_segments(store, engine, clock, &mut refresh, cache, op) {
        Ok(_) => {}
        Err(e) if e.is_user_error() && causes(&e).iter().all(|c| refusals.contains(c)) => {}
        Err(e) => panic!("unexpected failure {:?}: {e}", causes(&e)),
    }
}

/// The codes of what went wrong: a query's own errors (a segment name
/// unknown, a cycle), else the error's code.
fn causes(e: &SegmentsError) -> Vec<&'static str> {
    match e {
        SegmentsError::Query { errors, .. } => errors.0.iter().map(|e| e.code.as_str()).collect(),
        other => vec![other.code()],
    }
}

/// What a create may be refused for: the name is taken, or the query names
/// a segment that does not exist, or itself. (A deleted segment holding
/// the name: `invalid_state`, see [`with_deleted`].)
const CREATE_REFUSALS: &[&str] = &["conflict", "unknown_segment", "segment_cycle"];
/// Update: no such segment, an unknown inner segment, or a cycle.
const UPDATE_REFUSALS: &[&str] = &["not_found", "unknown_segment", "segment_cycle"];
/// Delete: no such segment, or others name it.
const DELETE_REFUSALS: &[&str] = &["not_found", "segment_in_use"];

/// `refusals`, and `invalid_state` when segment `name` is deleted (it must
/// be restored before it is changed, and holds its name): any other state
/// refusal is a failure.
fn with_deleted(store: &Store, name: &str, refusals: &[&'static str]) -> Vec<&'static str> {
    let deleted = store
        .segments(SegmentFilter::All)
        .unwrap()
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(name) && s.deleted_at.is_some());
    let mut out = refusals.to_vec();
    if deleted {
        out.push("invalid_state");
    }
    out
}
/// Restore: no such deleted segment, its name taken again, or its inner
/// segment gone.
const RESTORE_REFUSALS: &[&str] = &[
    "not_found",
    "invalid_state",
    "conflict",
    "unknown_segment",
    "segment_cycle",
];

/// Checks the invariants; returns how many live segments have members.
fn check_invariants(store: &Store, clock: &Clock, history: &[Step]) -> usize {
    let engine = build_engine(store);
    let segments = store.segments(SegmentFilter::All).unwrap();
    let graph = SegmentGraph::build(
        segments.clone(),
        flokk_segments::graph::static_lists(store).unwrap(),
        &engine.property_types(),
    );
    let evaluator = clock.evaluator(&engine, &graph);
    // Replay the feed.
    let mut replayed: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    let mut last_seq = 0;
    for e in store.feed(0, None, None).unwrap() {
        assert!(e.seq > last_seq, "feed out of order at {}", e.seq);
        last_seq = e.seq;
        let members = replayed.entry(e.segment_id).or_default();
        if e.change == "entered" {
            assert!(
                members.insert(e.customer.clone()),
                "{} entered {} twice; history {history:?}",
                e.customer,
                e.segment
            );
        } else {
            assert!(
                members.remove(&e.customer),
                "{} exited {} without being in it; history {history:?}",
                e.customer,
                e.segment
            );
        }
    }
    let mut with_members = 0;
    for s in &segments {
        let stored: BTreeSet<String> = store
            .segment_members(s.id)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let from_feed = replayed.remove(&s.id).unwrap_or_default();
        assert_eq!(
            from_feed, stored,
            "feed replay != stored members of {}; history {history:?}",
            s.name
        );
        assert_eq!(
            s.member_count,
            stored.len() as u64,
            "member_count of {}",
            s.name
        );
        let fresh: BTreeSet<String> = match graph.node(s.id) {
            Some(node) => evaluator
                .eval(&node.query.expr)
                .unwrap()
                .iter()
                .map(|o| engine.customers.ids[o as usize].to_string())
                .collect(),
            None => BTreeSet::new(),
        };
        assert_eq!(
            stored, fresh,
            "stored members != fresh evaluation of {} ({}) at {}; history {history:?}",
            s.name, s.query, clock.now
        );
        with_members += usize::from(!fresh.is_empty());
    }
    with_members
}

/// `cached`: run as a long-running server does, with membership held in
/// memory across steps. Returns whether some segment had members after
/// some step (a history where every segment stays empty checks little).
fn run(steps: Vec<Step>, zone: &str, cached: bool) -> bool {
    let mut cache = cached.then(MembershipCache::new);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut clock = Clock {
        now: "2026-03-28T20:30:00Z".parse().unwrap(),
        tz: TimeZone::get(zone).unwrap(),
        fixed: true,
    };
    let mut engine = build_engine(&store);
    let mut history = Vec::new();
    let mut had_members = false;
    for step in steps {
        history.push(step.clone());
        match &step {
            Step::Import(changes) => {
                let mut writer = store.writer().unwrap();
                for (customer, change) in changes {
                    let line = record_line(*customer, change, clock.now);
                    let record = parse_record(&line, ParseOptions::default())
                        .unwrap_or_else(|e| panic!("{line}: {e}"));
                    writer.apply(&record).unwrap();
                }
                writer.commit().unwrap();
                lifecycle(
                    &store,
                    &mut engine,
                    &clock,
                    cache.as_mut(),
                    &[],
                    &mut |_| Ok(()),
                );
            }
            Step::Tag {
                customers,
                add,
                upper,
                with,
            } => {
                let mut writer = store.writer().unwrap();
                let ids: Vec<String> = customers.iter().map(|c| format!("c{c}")).collect();
                let tag = if *upper { "VIP" } else { "vip" };
                writer
                    .set_tag(ids.iter().map(String::as_str), tag, *add)
                    .unwrap();
                for (customer, change) in with {
                    let line = record_line(*customer, change, clock.now);
                    let record = parse_record(&line, ParseOptions::default())
                        .unwrap_or_else(|e| panic!("{line}: {e}"));
                    writer.apply(&record).unwrap();
                }
                writer.commit().unwrap();
                lifecycle(
                    &store,
                    &mut engine,
                    &clock,
                    cache.as_mut(),
                    &[],
                    &mut |_| Ok(()),
                );
            }
            Step::Create(n, q) => lifecycle(
                &store,
                &mut engine,
                &clock,
                cache.as_mut(),
                &with_deleted(&store, NAMES[*n], CREATE_REFUSALS),
                &mut |s| {
                    s.create(NAMES[*n], QUERIES[*q], None, "merchant")
                        .map(|_| ())
                },
            ),
            Step::Update(n, q) => lifecycle(
                &store,
                &mut engine,
                &clock,
                cache.as_mut(),
                &with_deleted(&store, NAMES[*n], UPDATE_REFUSALS),
                &mut |s| s.update(NAMES[*n], QUERIES[*q], "merchant").map(|_| ()),
            ),
            Step::Delete(n) => lifecycle(
                &store,
                &mut engine,
                &clock,
                cache.as_mut(),
                &with_deleted(&store, NAMES[*n], DELETE_REFUSALS),
                &mut |s| s.delete(NAMES[*n]).map(|_| ()),
            ),
            Step::Restore(n) => lifecycle(
                &store,
                &mut engine,
                &clock,
                cache.as_mut(),
                RESTORE_REFUSALS,
                &mut |s| s.restore(NAMES[*n]).map(|_| ()),
            ),
            Step::Wait(hours) => {
                clock.now += i64::from(*hours).hours();
                lifecycle(
                    &store,
                    &mut engine,
                    &clock,
                    cache.as_mut(),
                    &[],
                    &mut |_| Ok(()),
                );
            }
        }
        had_members |= check_invariants(&store, &clock, &history) > 0;
    }
    had_members
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

/// The property over random histories; a history where no segment ever
/// has a member checks little, so a fair share of them must have some.
#[test]
fn membership_and_feed_follow_the_queries() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        ..Config::default()
    });
    let (histories, with_members) = (Cell::new(0u32), Cell::new(0u32));
    let strategy = (
        proptest::collection::vec(step(), 1..24),
        prop_oneof![Just("UTC"), Just("Europe/Oslo"), Just("America/New_York")],
        any::<bool>(),
    );
    runner
        .run(&strategy, |(steps, zone, cached)| {
            histories.set(histories.get() + 1);
            with_members.set(with_members.get() + u32::from(run(steps, zone, cached)));
            Ok(())
        })
        .unwrap();
    // Counts include shrinking runs only on failure, which panics above.
    let (n, k) = (histories.get(), with_members.get());
    eprintln!("{k} of {n} histories had a segment with members");
    assert!(
        k * 4 >= n,
        "only {k} of {n} histories ever had a segment with members"
    );
}

/// A fixed history through every cause: created, customer_changed,
/// record_added, midnight, definition_changed (update, delete), and a
/// nested segment following its inner one.
#[test]
fn causes_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut clock = Clock {
        now: "2026-03-28T12:00:00Z".parse().unwrap(),
        tz: TimeZone::UTC,
        fixed: true,
    };
    let import = |lines: &[String]| {
        let mut writer = store.writer().unwrap();
        for line in lines {
            writer
                .apply(&parse_record(line, ParseOptions::default()).unwrap())
                .unwrap();
        }
        writer.commit().unwrap();
    };
    let customer = |vip: bool| Change::Customer {
        vip,
        country: true,
        subscribed: true,
    };
    import(&[record_line(1, &customer(false), clock.now)]);
    let mut engine = build_engine(&store);
    let op = |engine: &mut Engine,
              clock: &Clock,
              f: &mut dyn FnMut(&mut Segments<'_>) -> Result<(), SegmentsError>| {
        with_segments(&store, engine, clock, &mut refresh, None, f).unwrap();
    };
    op(&mut engine, &clock, &mut |s| {
        s.create("Recent", "last_order_date > -2d", None, "merchant")?;
        s.create("VIP", "customer_tags CONTAINS 'vip'", None, "merchant")?;
        s.create(
            "Recent VIP",
            "customer_segments CONTAINS 'recent' AND customer_segments CONTAINS 'VIP'",
            None,
            "merchant",
        )?;
        Ok(())
    });
    import(&[record_line(
        1,
        &Change::Order {
            number: 1,
            total: 10,
            hours_ago: 1,
        },
        clock.now,
    )]);
    op(&mut engine, &clock, &mut |_| Ok(()));
    import(&[record_line(1, &customer(true), clock.now)]);
    op(&mut engine, &clock, &mut |_| Ok(()));
    clock.now += 72.hours();
    op(&mut engine, &clock, &mut |_| Ok(()));
    op(&mut engine, &clock, &mut |s| {
        s.update("Recent", "last_order_date > -10d", "merchant")
            .map(|_| ())
    });
    let feed: Vec<String> = store
        .feed(0, None, None)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {} {} {}", e.segment, e.customer, e.change, e.cause))
        .collect();
    assert_eq!(
        feed,
        [
            "Recent c1 entered record_added",
            "VIP c1 entered customer_changed",
            "Recent VIP c1 entered customer_changed",
            "Recent c1 exited midnight",
            "Recent VIP c1 exited midnight",
            "Recent c1 entered definition_changed",
            "Recent VIP c1 entered definition_changed",
        ]
    );
    check_invariants(&store, &clock, &[]);
    // A segment others name cannot be deleted; the nested one can.
    let refused = with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |s| {
        s.delete("VIP").map(|_| ())
    });
    assert!(
        matches!(refused, Err(SegmentsError::InUse { .. })),
        "{refused:?}"
    );
    op(&mut engine, &clock, &mut |s| {
        s.delete("Recent VIP").map(|_| ())
    });
    let last = store.feed(0, None, None).unwrap().pop().unwrap();
    assert_eq!(
        (last.segment.as_str(), last.change, last.cause.as_str()),
        ("Recent VIP", "exited", "definition_changed")
    );
    check_invariants(&store, &clock, &[]);
}

/// SQLite gives the key of a deleted last customer to the next new one:
/// the feed must still show the old customer leaving and the new one
/// entering, not a silent swap.
#[test]
fn a_reused_store_key_is_a_different_customer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let clock = Clock {
        now: "2026-03-28T12:00:00Z".parse().unwrap(),
        tz: TimeZone::UTC,
        fixed: true,
    };
    let import = |lines: &[&str]| {
        let mut writer = store.writer().unwrap();
        for line in lines {
            writer
                .apply(&parse_record(line, ParseOptions::default()).unwrap())
                .unwrap();
        }
        writer.commit().unwrap();
    };
    import(&[
        r#"{"kind":"customer","id":"first"}"#,
        r#"{"kind":"customer","id":"second"}"#,
    ]);
    let mut engine = build_engine(&store);
    with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |s| {
        s.create("Everyone", "number_of_orders >= 0", None, "merchant")
            .map(|_| ())
    })
    .unwrap();
    import(&[
        r#"{"kind":"delete","entity":"customer","id":"second"}"#,
        r#"{"kind":"customer","id":"third"}"#,
    ]);
    with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |_| {
        Ok(())
    })
    .unwrap();
    let feed: Vec<String> = store
        .feed(0, None, None)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.customer, e.change))
        .collect();
    assert_eq!(
        feed,
        [
            "first entered",
            "second entered",
            "second exited",
            "third entered"
        ]
    );
    check_invariants(&store, &clock, &[]);
}

/// An import's summary is what the feed recorded for its changes, even
/// when another process (a running server) synced them first and the
/// importer's own sync finds nothing left to do.
#[test]
fn the_feed_tells_an_import_what_its_changes_caused_whoever_synced_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let clock = Clock {
        now: "2026-03-28T12:00:00Z".parse().unwrap(),
        tz: TimeZone::UTC,
        fixed: true,
    };
    let import = |lines: &[&str]| {
        let mut writer = store.writer().unwrap();
        for line in lines {
            writer
                .apply(&parse_record(line, ParseOptions::default()).unwrap())
                .unwrap();
        }
        writer.commit().unwrap();
    };
    import(&[
        r#"{"kind":"customer","id":"a","tags":["vip"]}"#,
        r#"{"kind":"customer","id":"b"}"#,
    ]);
    let mut engine = build_engine(&store);
    with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |s| {
        s.create("VIP", "customer_tags CONTAINS 'vip'", None, "merchant")
            .map(|_| ())
    })
    .unwrap();

    let before = store.sequence().unwrap();
    import(&[
        r#"{"kind":"customer","id":"a"}"#,
        r#"{"kind":"customer","id":"b","tags":["vip"]}"#,
        r#"{"kind":"customer","id":"c","tags":["VIP"]}"#,
    ]);
    let after = store.sequence().unwrap();
    // The server syncs first ...
    let mut server_engine = build_engine(&store);
    let (_, by_server) = with_segments(
        &store,
        &mut server_engine,
        &clock,
        &mut refresh,
        None,
        &mut |_| Ok(()),
    )
    .unwrap();
    assert_eq!((by_server.moves.entered, by_server.moves.exited), (2, 1));
    // ... so the importer's own sync has nothing left.
    let (_, own) = with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |_| {
        Ok(())
    })
    .unwrap();
    assert_eq!((own.moves.entered, own.moves.exited), (0, 0));
    // The feed still says what the import caused.
    assert_eq!(store.feed_moves_of_changes(before, after).unwrap(), (2, 1));
    // A later import's range does not count the earlier one's entries.
    let later = store.sequence().unwrap();
    import(&[r#"{"kind":"customer","id":"d"}"#]);
    with_segments(&store, &mut engine, &clock, &mut refresh, None, &mut |_| {
        Ok(())
    })
    .unwrap();
    assert_eq!(
        store
            .feed_moves_of_changes(later, store.sequence().unwrap())
            .unwrap(),
        (0, 0)
    );
}

/// Two processes on the wall clock moments apart are one moment; a wall
/// clock far behind a sync (made as of a later `--now`) is read-only.
#[test]
fn a_wall_clock_moments_behind_a_sync_writes_and_one_far_behind_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let at = |now: &str, fixed: bool| Clock {
        now: now.parse().unwrap(),
        tz: TimeZone::UTC,
        fixed,
    };
    let mut writer = store.writer().unwrap();
    writer
        .apply(&parse_record(r#"{"kind":"customer","id":"a"}"#, ParseOptions::default()).unwrap())
        .unwrap();
    writer.commit().unwrap();
    let mut engine = build_engine(&store);
    let create = |engine: &mut Engine, clock: &Clock, name: &str| {
        with_segments(&store, engine, clock, &mut refresh, None, &mut |s| {
            s.create(name, "number_of_orders >= 0", None, "merchant")
                .map(|_| ())
        })
    };
    create(&mut engine, &at("2026-03-28T12:00:30Z", true), "First").unwrap();
    // 30 s behind on the wall clock: a race, it writes.
    create(&mut engine, &at("2026-03-28T12:00:00Z", false), "Second").unwrap();
    // Two hours behind: read-only, on the wall clock as with a given now.
    let err = create(&mut engine, &at("2026-03-28T10:00:00Z", false), "Third").unwrap_err();
    assert_eq!(err.code(), "now_before_last_sync");
    let err = create(&mut engine, &at("2026-03-28T12:00:00Z", true), "Fourth").unwrap_err();
    assert_eq!(err.code(), "now_before_last_sync");
    let names: Vec<String> = store
        .segments(SegmentFilter::Live)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["First", "Second"]);
}
