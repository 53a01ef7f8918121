//! The definitions version moves with every definition or setting write
//! (that is how a running server sees another process's writes) and not
//! with activity bookkeeping (or every count would make servers reload).

use flokk_store::{NewSegment, Store};

#[test]
fn definition_and_setting_writes_move_the_version_and_activity_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let start = store.definitions_version().unwrap();
    let now = "2025-01-01T00:00:00Z".parse().unwrap();

    let mut w = store.segment_writer(now).unwrap();
    let sid = w
        .create(&NewSegment {
            name: "VIP",
            description: None,
            query: "customer_tags CONTAINS 'vip'",
            author: "merchant",
        })
        .unwrap();
    w.commit().unwrap();
    let created = store.definitions_version().unwrap();
    assert!(created > start, "create");

    let mut w = store.segment_writer(now).unwrap();
    w.touch_used(sid).unwrap();
    w.set_draft(sid, Some("number_of_orders > 1")).unwrap();
    w.commit().unwrap();
    assert_eq!(store.definitions_version().unwrap(), created, "activity");

    let mut w = store.segment_writer(now).unwrap();
    w.rename(sid, "Big spenders").unwrap();
    w.commit().unwrap();
    let renamed = store.definitions_version().unwrap();
    assert!(renamed > created, "rename");

    let mut w = store.segment_writer(now).unwrap();
    w.update_query(sid, "number_of_orders > 2", "merchant")
        .unwrap();
    w.commit().unwrap();
    let updated = store.definitions_version().unwrap();
    assert!(updated > renamed, "update");

    let mut w = store.segment_writer(now).unwrap();
    w.set_deleted(sid, true).unwrap();
    w.commit().unwrap();
    let deleted = store.definitions_version().unwrap();
    assert!(deleted > updated, "delete");

    store.settings().set("churn_risk_high", "0.8").unwrap();
    assert!(store.definitions_version().unwrap() > deleted, "setting");

    // A rolled-back write leaves the version where it was.
    let before = store.definitions_version().unwrap();
    let mut w = store.segment_writer(now).unwrap();
    w.rename(sid, "Gone").unwrap();
    drop(w);
    assert_eq!(store.definitions_version().unwrap(), before, "rollback");
}
