//! `flokk prune`: drops inbound data past its retention as of `--now`
//! (or `FLOKK_NOW`): applied Shopify deliveries and seen messageIds after
//! seven days, anonymous visitors' events after thirty (the defaults).

mod common;

use common::{flokk, json, stderr};
use flokk_store::Store;
use flokk_store::shopify::{SHOPIFY_SOURCE, apply_waiting_shopify};
use flokk_store::tracking::{apply_messages, read_message};
use serde_json::json;

/// A store that received, on 2026-03-01, a Shopify delivery (applied), a
/// tracking message of a customer and one of an anonymous visitor.
fn received() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t0: jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
    let messages = [
        json!({"type": "track", "userId": "c1", "event": "Viewed", "messageId": "m-1"}),
        json!({"type": "page", "anonymousId": "a-1", "name": "Home", "messageId": "m-2"}),
    ];
    let read = messages
        .into_iter()
        .map(|m| read_message(m, None, t0, false))
        .collect();
    apply_messages(&store, read, t0).unwrap();
    let body = json!({"id": 7, "email": "c7@example.com", "updated_at": "2026-03-01T12:00:00Z"});
    store
        .enqueue_delivery(
            SHOPIFY_SOURCE,
            "w-1",
            "customers/create",
            body.to_string().as_bytes(),
            t0,
        )
        .unwrap();
    apply_waiting_shopify(&store, t0).unwrap();
    dir
}

#[test]
fn prune_drops_what_is_past_its_retention_as_of_now() {
    let dir = received();
    let d = dir.path();
    let none = json!({"shopify_deliveries": 0, "message_ids": 0, "anonymous_events": 0});
    assert_eq!(
        json(d, &["--now", "2026-03-08T11:00:00Z", "--json", "prune"]),
        none
    );
    assert_eq!(
        json(d, &["--now", "2026-03-08T13:00:00Z", "--json", "prune"]),
        json!({"shopify_deliveries": 1, "message_ids": 2, "anonymous_events": 0})
    );
    // FLOKK_NOW does as --now; the anonymous event goes after 30 days.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(d)
        .args(["--json", "prune"])
        .env("FLOKK_NOW", "2026-04-01T00:00:00Z")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        json!({"shopify_deliveries": 0, "message_ids": 0, "anonymous_events": 1})
    );
}

#[test]
fn prune_refuses_a_bad_now_and_changes_nothing() {
    let dir = received();
    let out = flokk(dir.path(), &["--now", "next week", "prune"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--now"), "{}", stderr(&out));
    assert_eq!(
        json(
            dir.path(),
            &["--now", "2026-03-08T13:00:00Z", "--json", "prune"]
        )["message_ids"],
        2
    );
}
