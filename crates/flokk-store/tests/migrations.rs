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
