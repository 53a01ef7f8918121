//! On-disk compatibility: a store written by schema version 1 (the
//! fixture was made with exactly that version's SQL) opens, migrates to
//! the current version, keeps its records and takes saved segments.

use flokk_store::{NewSegment, SCHEMA_VERSION, SegmentFilter, Store};

#[test]
fn a_version_1_store_migrates_and_keeps_its_records() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.db"),
        tmp.path().join(flokk_store::DB_FILE),
    )
    .unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let version: i64 = rusqlite::Connection::open(tmp.path().join(flokk_store::DB_FILE))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(store.customer_count().unwrap(), 1);
    assert_eq!(store.sequence().unwrap(), 1);
    let profile = store.customer_profile("a").unwrap().unwrap();
    assert_eq!(profile.orders.len(), 1);

    let mut w = store
        .segment_writer("2025-01-01T00:00:00Z".parse().unwrap())
        .unwrap();
    let sid = w
        .create(&NewSegment {
            name: "VIP",
            description: None,
            query: "customer_tags CONTAINS 'vip'",
            author: "merchant",
        })
        .unwrap();
    w.record_changes(sid, &[(1, "a")], &[], flokk_store::ChangeCause::Created)
        .unwrap();
    w.commit().unwrap();
    let segments = store.segments(SegmentFilter::Live).unwrap();
    assert_eq!(
        (segments[0].name.as_str(), segments[0].member_count),
        ("VIP", 1)
    );
    assert_eq!(store.segments_of("a").unwrap(), ["VIP"]);
}

/// A copy of `fixture` (a store file from `tests/fixtures`) in a new
/// directory, not yet opened.
fn fixture_copy(fixture: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR")),
        tmp.path().join(flokk_store::DB_FILE),
    )
    .unwrap();
    tmp
}

fn money(text: &str) -> flokk_model::Money {
    flokk_model::Money::parse(text).unwrap()
}

/// `store-v9.db` was written by flokk at schema version 9 (`flokk import`
/// of the records below, with the build of 2026-12-07), when amounts were
/// `REAL` columns: they migrate to exact integer ten-thousandths and read
/// back as the amounts imported.
#[test]
fn a_version_9_store_with_real_amounts_migrates_to_exact_units() {
    let tmp = fixture_copy("store-v9.db");
    let db = tmp.path().join(flokk_store::DB_FILE);
    let before: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, 9);
    let store = Store::open(tmp.path()).unwrap();

    let a = store.customer_profile("a").unwrap().unwrap();
    let b = store.customer_profile("b").unwrap().unwrap();
    let totals = |p: &flokk_store::CustomerProfile| -> Vec<_> {
        p.orders
            .iter()
            .map(|o| (o.id.clone(), o.total, o.refunded))
            .collect()
    };
    let mut both = totals(&a);
    both.extend(totals(&b));
    both.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        both,
        [
            ("o1".to_owned(), money("119.64"), money("0.3")),
            ("o2".to_owned(), money("22768.92"), money("0")),
            ("o3".to_owned(), money("12345678901.2345"), money("0.1")),
            ("o4".to_owned(), money("999999999999.99"), money("0")),
        ]
    );
    let o1 = a.orders.iter().find(|o| o.id == "o1").unwrap();
    let prices: Vec<_> = o1.lines.iter().map(|l| l.price).collect();
    assert_eq!(prices, [money("49.95"), money("19.74")]);
    let o2 = a.orders.iter().find(|o| o.id == "o2").unwrap();
    assert_eq!(o2.lines[0].price, money("0.0001"));
    assert_eq!(a.checkouts[0].total, money("0.07"));
    assert_eq!(b.checkouts[0].total, money("80.5"));

    // The columns are integers now, and the REAL ones are gone.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let units: Vec<(String, i64, i64, String)> = conn
        .prepare(
            "SELECT id, total_units, refunded_units, typeof(total_units) FROM orders ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(units[0], ("o1".into(), 1_196_400, 3_000, "integer".into()));
    assert_eq!(units[2].1, 123_456_789_012_345);
    assert_eq!(units[3].1, 9_999_999_999_999_900);
    for (table, real) in [
        ("orders", "total"),
        ("orders", "refunded"),
        ("order_lines", "price"),
        ("checkouts", "total"),
    ] {
        let err = conn
            .prepare(&format!("SELECT {real} FROM {table}"))
            .unwrap_err();
        assert!(err.to_string().contains("no such column"), "{err}");
    }
}

/// A REAL amount that is no amount (NaN cannot be stored, but an infinity
/// can) stops the migration with the cause, and the store stays at
/// version 9 with its amounts as they were: nothing is half-converted.
#[test]
fn a_real_amount_that_is_no_amount_stops_the_migration_whole() {
    let tmp = fixture_copy("store-v9.db");
    let db = tmp.path().join(flokk_store::DB_FILE);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE checkouts SET total = 9e999 WHERE id = 'k2'", [])
            .unwrap();
    }
    let Err(err) = Store::open(tmp.path()) else {
        panic!("the migration went through")
    };
    assert!(err.to_string().contains("not an amount"), "{err}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 9);
    let total: f64 = conn
        .query_row("SELECT total FROM orders WHERE id = 'o1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total, 119.64);
}
