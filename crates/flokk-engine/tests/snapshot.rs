//! Engine snapshots: a saved engine answers like the one it was saved from,
//! and a stale, damaged or foreign file is refused, never trusted.

use flokk_demo::{DemoConfig, generate};
use flokk_engine::{Engine, Evaluator, SnapshotError};
use flokk_lang::{CheckOptions, check};
use std::collections::BTreeMap;

fn demo_engine() -> Engine {
    let mut engine = Engine::new();
    let mut keys: BTreeMap<String, i64> = BTreeMap::new();
    generate(
        &DemoConfig::new(300, 3, jiff::civil::date(2026, 11, 24)),
        &mut |r| {
            let key = r.customer_id().map(|id| {
                let next = keys.len() as i64 + 1;
                *keys.entry(id.to_owned()).or_insert(next)
            });
            engine.add(key, &[], &r);
        },
    );
    engine.sequence = 42;
    engine
}

/// Each question's members, by id.
fn answers(engine: &Engine) -> Vec<Vec<String>> {
    let now = "2026-11-24T00:00:00Z".parse().unwrap();
    let ev = Evaluator::new(engine, now, jiff::tz::TimeZone::get("Europe/Oslo").unwrap());
    let properties = engine.property_types();
    [
        "number_of_orders >= 2 AND last_order_date > -1y",
        "customer_tags CONTAINS 'vip' OR customer_countries CONTAINS 'NO'",
        "products_purchased MATCHES (date > -90d, sum_quantity >= 2)",
        "products_purchased MATCHES (tag = 'shorts', date > -2y)",
        "orders_placed MATCHES (date BETWEEN -2y AND -1y)",
        "metafields.custom.points_balance > 50",
        "shopify_email.opened MATCHES (machine_open = false, count >= 2)",
        "tickets_purchased MATCHES (channel = 'box_office')",
        "custom_event MATCHES (name = 'Viewed Product')",
        "customer_within_distance MATCHES (coordinates = (59.91, 10.75), distance_km = 50)",
        "rfm_group = 'PROSPECTS'",
    ]
    .iter()
    .map(|q| {
        let typed = check(
            q,
            &CheckOptions {
                strict: false,
                properties: &properties,
            },
        )
        .unwrap();
        ev.eval(&typed.expr)
            .unwrap()
            .iter()
            .map(|c| ev.id(c).to_owned())
            .collect()
    })
    .collect()
}

#[test]
fn a_snapshot_answers_like_the_engine_it_was_saved_from() {
    for compact in [false, true] {
        a_snapshot_of(compact);
    }
}

/// As built, or compacted as the binary saves it (clustered orders with
/// their runs, the key index, packed positions, tight bitmaps).
fn a_snapshot_of(compact: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.snapshot");
    let mut engine = demo_engine();
    if compact {
        engine.compact();
    }
    engine.save_snapshot(&path).unwrap();
    let loaded = Engine::load_snapshot(&path, 42).unwrap();
    assert_eq!(loaded.sequence, 42);
    let before = answers(&engine);
    let nonempty = before.iter().filter(|m| !m.is_empty()).count();
    assert!(nonempty * 2 > before.len(), "{before:?}");
    assert_eq!(answers(&loaded), before);
    assert_eq!(loaded.property_types(), engine.property_types());
}

#[test]
fn stale_damaged_and_missing_snapshots_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.snapshot");
    assert!(matches!(
        Engine::load_snapshot(&path, 42),
        Err(SnapshotError::Missing)
    ));
    demo_engine().save_snapshot(&path).unwrap();
    assert!(matches!(
        Engine::load_snapshot(&path, 43),
        Err(SnapshotError::Stale {
            found: 42,
            expected: 43
        })
    ));
    let good = std::fs::read(&path).unwrap();
    // One flipped byte in the payload.
    let mut flipped = good.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x40;
    std::fs::write(&path, &flipped).unwrap();
    let err = Engine::load_snapshot(&path, 42).err().unwrap();
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    // Cut short.
    std::fs::write(&path, &good[..good.len() / 2]).unwrap();
    let err = Engine::load_snapshot(&path, 42).err().unwrap();
    assert!(err.to_string().contains("truncated"), "{err}");
    // Another format version.
    let mut other = good.clone();
    other[8] = 99;
    std::fs::write(&path, &other).unwrap();
    let err = Engine::load_snapshot(&path, 42).err().unwrap();
    assert!(err.to_string().contains("format version 99"), "{err}");
    // Not a snapshot at all, or an empty file (a crash before the rename
    // cannot leave one, a full disk or a hand could).
    for junk in [&b"hello"[..], b""] {
        std::fs::write(&path, junk).unwrap();
        assert!(
            matches!(
                Engine::load_snapshot(&path, 42),
                Err(SnapshotError::Corrupt(_))
            ),
            "{junk:?}"
        );
    }
}
