//! Retention of inbound data (`Store::prune_inbound`): applied Shopify
//! deliveries, seen tracking messageIds and anonymous visitors' events are
//! dropped after their `*_retention_days` settings, counted back from an
//! injected now; what is younger, and deliveries still waiting, stay.

use flokk_model::Timestamp;
use flokk_store::Store;
use flokk_store::shopify::{SHOPIFY_SOURCE, apply_waiting_shopify};
use flokk_store::tracking::{MessageOutcome, apply_messages, read_message};
use serde_json::{Value, json};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const T0: &str = "2026-03-01T12:00:00Z";

fn send(store: &Store, messages: &[Value], now: Timestamp) -> Vec<MessageOutcome> {
    let read = messages
        .iter()
        .map(|m| read_message(m.clone(), None, now, false))
        .collect();
    apply_messages(store, read, now).unwrap().0
}

fn track(message_id: &str) -> Value {
    json!({"type": "track", "userId": "c1", "event": "Viewed", "messageId": message_id})
}

fn anonymous_page(message_id: &str) -> Value {
    json!({"type": "page", "anonymousId": "anon-1", "name": "Home", "messageId": message_id})
}

fn customer_body(id: u64, updated_at: &str) -> Vec<u8> {
    json!({"id": id, "email": format!("c{id}@example.com"), "first_name": "Ann",
           "last_name": "Lee", "created_at": "2026-01-01T00:00:00Z", "updated_at": updated_at})
    .to_string()
    .into_bytes()
}

fn count(store: &Store, table: &str) -> i64 {
    let db = rusqlite::Connection::open(store.dir().join(flokk_store::DB_FILE)).unwrap();
    db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn each_kind_goes_after_its_retention_and_not_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t0 = at(T0);
    assert_eq!(
        send(&store, &[track("m-1"), anonymous_page("m-2")], t0),
        vec![MessageOutcome::Accepted, MessageOutcome::Accepted]
    );
    store
        .enqueue_delivery(
            SHOPIFY_SOURCE,
            "w-1",
            "customers/create",
            &customer_body(7, T0),
            t0,
        )
        .unwrap();
    assert_eq!(apply_waiting_shopify(&store, t0).unwrap().count, 1);
    // Received later and never applied: waiting deliveries are kept.
    store
        .enqueue_delivery(SHOPIFY_SOURCE, "w-2", "customers/nonsense", b"{}", t0)
        .unwrap();

    // Six days on, within every default: nothing goes, and a retry of a
    // message is still a duplicate.
    let pruned = store.prune_inbound(at("2026-03-07T12:00:00Z")).unwrap();
    assert!(pruned.is_empty(), "{pruned:?}");
    assert_eq!(
        send(&store, &[track("m-1")], at("2026-03-07T12:00:00Z")),
        vec![MessageOutcome::Duplicate]
    );

    // Past seven days: the applied delivery and the message ids go; the
    // delivery not applied stays; anonymous events (30 days) stay.
    let pruned = store.prune_inbound(at("2026-03-08T12:00:01Z")).unwrap();
    assert_eq!(pruned.shopify_deliveries, 1);
    assert_eq!(pruned.message_ids, 2);
    assert_eq!(pruned.anonymous_events, 0);
    assert_eq!(count(&store, "inbound_deliveries"), 1);
    assert!(
        store
            .enqueue_delivery(SHOPIFY_SOURCE, "w-2", "customers/nonsense", b"{}", t0)
            .is_ok_and(|new| !new),
        "the waiting delivery is still there"
    );
    assert_eq!(count(&store, "anonymous_events"), 1);

    // Past thirty days the anonymous event goes: a later identify joins
    // nothing.
    let late = at("2026-03-31T12:00:01Z");
    let pruned = store.prune_inbound(late).unwrap();
    assert_eq!(pruned.anonymous_events, 1);
    send(
        &store,
        &[
            json!({"type": "identify", "userId": "c9", "anonymousId": "anon-1",
                 "traits": {"email": "c9@example.com"}}),
        ],
        late,
    );
    let mut out = Vec::new();
    flokk_store::dump(&store, &mut out).unwrap();
    let dump = String::from_utf8(out).unwrap();
    assert!(!dump.contains("Page Viewed"), "{dump}");
}

#[test]
fn the_settings_set_the_periods() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .settings()
        .set("tracking_message_id_retention_days", "1")
        .unwrap();
    store
        .settings()
        .set("anonymous_event_retention_days", "2")
        .unwrap();
    send(&store, &[track("m-1"), anonymous_page("m-2")], at(T0));
    let pruned = store.prune_inbound(at("2026-03-02T13:00:00Z")).unwrap();
    assert_eq!((pruned.message_ids, pruned.anonymous_events), (2, 0));
    let pruned = store.prune_inbound(at("2026-03-03T13:00:00Z")).unwrap();
    assert_eq!(pruned.anonymous_events, 1);
    // Retried after its id was forgotten, a message is applied again.
    assert_eq!(
        send(&store, &[track("m-1")], at("2026-03-03T13:00:00Z")),
        vec![MessageOutcome::Accepted]
    );
    for bad in ["0", "-1", "a week"] {
        let e = store
            .settings()
            .set("shopify_webhook_retention_days", bad)
            .unwrap_err();
        assert!(
            e.to_string().contains("shopify_webhook_retention_days"),
            "{e}"
        );
    }
}

#[test]
fn rows_from_before_retention_are_aged_from_the_first_prune() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    send(&store, &[track("m-1"), anonymous_page("m-2")], at(T0));
    // As a store migrated from before retention holds them: no times.
    let db = rusqlite::Connection::open(dir.path().join(flokk_store::DB_FILE)).unwrap();
    db.execute_batch(
        "UPDATE seen_messages SET seen_at = NULL; UPDATE anonymous_events SET kept_at = NULL;",
    )
    .unwrap();
    let first = at("2027-01-01T00:00:00Z");
    assert!(store.prune_inbound(first).unwrap().is_empty());
    let pruned = store.prune_inbound(at("2027-01-08T00:00:01Z")).unwrap();
    assert_eq!((pruned.message_ids, pruned.anonymous_events), (2, 0));
}
