//! Webhook delivery against a real HTTP receiver on loopback that fails,
//! times out and recovers: every feed entry arrives, in order, signed;
//! a retry carries the same webhook-id; an endpoint that keeps failing is
//! disabled with the reason kept.

mod common;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine as _;
use flokk_model::{Customer, Record};
use flokk_server::webhooks::{Attempt, DeliveryConfig, agent, deliver_once};
use hmac::{Hmac, Mac};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the receiver got: (webhook-id, body) per request it answered 2xx.
#[derive(Default)]
struct Received {
    requests: u32,
    accepted: Vec<(String, serde_json::Value)>,
    bad_signatures: u32,
}

/// A receiver: the first `fail` requests get 500, the next `hang` sleep
/// past the client's timeout, the rest 200. Signatures are checked with
/// `secret`.
async fn receiver(secret: String, fail: u32, hang: u32, seen: Arc<Mutex<Received>>) -> String {
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            let secret = secret.clone();
            async move {
                let n = {
                    let mut s = seen.lock().unwrap();
                    s.requests += 1;
                    s.requests
                };
                if n <= fail {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let header = |k: &str| headers[k].to_str().unwrap().to_owned();
                let (id, ts) = (header("webhook-id"), header("webhook-timestamp"));
                let key = base64::engine::general_purpose::STANDARD
                    .decode(secret.strip_prefix("whsec_").unwrap())
                    .unwrap();
                let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
                mac.update(format!("{id}.{ts}.").as_bytes());
                mac.update(&body);
                let want = format!(
                    "v1,{}",
                    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
                );
                {
                    let mut s = seen.lock().unwrap();
                    if header("webhook-signature") != want {
                        s.bad_signatures += 1;
                        return StatusCode::UNAUTHORIZED;
                    }
                    s.accepted
                        .push((id, serde_json::from_slice(&body).unwrap()));
                }
                if n <= fail + hang {
                    // Processed, but answered after the sender gave up.
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                }
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn config(max_failures: u32) -> DeliveryConfig {
    DeliveryConfig {
        timeout: Duration::from_millis(400),
        batch_size: 2,
        max_failures,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
    }
}

/// Five customers, a segment holding all of them: five feed entries.
fn live_with_feed() -> (tempfile::TempDir, Arc<flokk_server::ServerState>) {
    let records: Vec<Record> = (1..=5)
        .map(|i| Record::Customer(Customer::stub(format!("c{i}"))))
        .collect();
    let (dir, state) = common::state_with(&records);
    state
        .live
        .segments(&mut |s| s.create("All", "number_of_orders >= 0", None, "merchant"))
        .unwrap();
    (dir, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_entry_arrives_in_order_through_failures_and_timeouts() {
    let (_dir, state) = live_with_feed();
    let secret = flokk_server::webhooks::new_secret();
    let seen = Arc::new(Mutex::new(Received::default()));
    let url = receiver(secret.clone(), 2, 1, seen.clone()).await;
    let id = state
        .live
        .store(|s| s.add_webhook(&url, None, true, &secret, jiff::Timestamp::now()))
        .unwrap()
        .id;
    let attempts = deliver_all(&state, id).await;
    let failures = attempts
        .iter()
        .filter(|a| matches!(a, Attempt::Failed(..)))
        .count();
    assert_eq!(failures, 3, "two 500s and one timeout: {attempts:?}");
    // No wait for the hung request: the receiver records every request
    // before it answers or hangs (and the server drops a handler whose
    // client has gone), and the sender is idle only after its last attempt.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.bad_signatures, 0);
    // The hung request was answered 200 after the client gave up: the same
    // batch was sent again with the same id, which is how a receiver de-duplicates.
    let ids: Vec<&str> = seen.accepted.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["msg_1_1_2", "msg_1_1_2", "msg_1_3_4", "msg_1_5_5"]);
    assert_eq!(
        seen.accepted[0].1, seen.accepted[1].1,
        "a retry resends the same batch"
    );
    let mut unique_ids = std::collections::BTreeSet::new();
    let customers: Vec<String> = seen
        .accepted
        .iter()
        .filter(|(id, _)| unique_ids.insert(id.clone()))
        .flat_map(|(_, body)| body["data"].as_array().unwrap().clone())
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["seq"], e["customer"], e["change"], e["segment"]
            )
        })
        .collect();
    assert_eq!(
        customers,
        [
            r#"1 "c1" "entered" "All""#,
            r#"2 "c2" "entered" "All""#,
            r#"3 "c3" "entered" "All""#,
            r#"4 "c4" "entered" "All""#,
            r#"5 "c5" "entered" "All""#,
        ]
    );
    let endpoint = state.live.store(|s| s.webhook(id)).unwrap().unwrap();
    assert_eq!((endpoint.cursor, endpoint.failures), (5, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_keeps_failing_is_disabled_with_the_reason() {
    let (_dir, state) = live_with_feed();
    let secret = flokk_server::webhooks::new_secret();
    let seen = Arc::new(Mutex::new(Received::default()));
    let url = receiver(secret.clone(), u32::MAX, 0, seen.clone()).await;
    let id = state
        .live
        .store(|s| s.add_webhook(&url, None, true, &secret, jiff::Timestamp::now()))
        .unwrap()
        .id;
    let live = state.live.clone();
    let last = tokio::task::spawn_blocking(move || {
        let config = config(3);
        let agent = agent(&config);
        let mut last = Attempt::Idle;
        for _ in 0..20 {
            last = deliver_once(&live, &agent, id, &config);
            match &last {
                Attempt::Waiting(d) | Attempt::Failed(_, d) => std::thread::sleep(*d),
                _ => break,
            }
        }
        last
    })
    .await
    .unwrap();
    assert_eq!(last, Attempt::Stopped);
    let endpoint = state.live.store(|s| s.webhook(id)).unwrap().unwrap();
    assert_eq!(endpoint.failures, 3);
    assert_eq!(endpoint.cursor, 0, "nothing was acknowledged");
    let reason = endpoint.disabled_reason.unwrap();
    assert!(
        reason.starts_with("disabled after 3 failed deliveries in a row"),
        "{reason}"
    );
    assert!(reason.contains("500"), "{reason}");
    assert_eq!(seen.lock().unwrap().requests, 3);
    // Enabling resumes where it stopped.
    assert!(state.live.store(|s| s.enable_webhook(id)).unwrap());
    let endpoint = state.live.store(|s| s.webhook(id)).unwrap().unwrap();
    assert_eq!((endpoint.failures, endpoint.disabled_at), (0, None));
}

#[test]
fn only_subscribed_segments_are_delivered_and_others_are_skipped() {
    let records: Vec<Record> = (1..=3)
        .map(|i| Record::Customer(Customer::stub(format!("c{i}"))))
        .collect();
    let (_dir, state) = common::state_with(&records);
    let (ids, _) = state
        .live
        .segments(&mut |s| {
            let a = s.create("A", "number_of_orders >= 0", None, "merchant")?;
            let b = s.create("B", "random_bucket >= 0", None, "merchant")?;
            Ok((a.id, b.id))
        })
        .unwrap();
    let only_b = state
        .live
        .store(|s| {
            s.add_webhook(
                "http://127.0.0.1:9/x",
                Some(vec![ids.1]),
                true,
                "whsec_AAAA",
                jiff::Timestamp::now(),
            )
        })
        .unwrap();
    let batch = state
        .live
        .store(|s| s.webhook_batch(only_b.id, 10))
        .unwrap()
        .unwrap();
    let segments: Vec<&str> = batch.entries.iter().map(|e| e.segment.as_str()).collect();
    assert_eq!(segments, ["B", "B", "B"]);
    assert_eq!((batch.from, batch.to), (1, 6));
    // A retry of the batch in flight is the same batch.
    let again = state
        .live
        .store(|s| s.webhook_batch(only_b.id, 1))
        .unwrap()
        .unwrap();
    assert_eq!(again, batch);
    // A bad address is refused.
    let bad = state
        .live
        .store(|s| s.add_webhook("ftp://x", None, false, "whsec_AAAA", jiff::Timestamp::now()));
    assert!(bad.is_err());
}

/// Delivers to endpoint `id` until there is nothing left to send.
async fn deliver_all(state: &Arc<flokk_server::ServerState>, id: i64) -> Vec<Attempt> {
    let live = state.live.clone();
    tokio::task::spawn_blocking(move || {
        let config = config(10);
        let agent = agent(&config);
        let mut attempts = Vec::new();
        for _ in 0..50 {
            let a = deliver_once(&live, &agent, id, &config);
            if let Attempt::Waiting(d) | Attempt::Failed(_, d) = &a {
                std::thread::sleep(*d);
            }
            let idle = matches!(a, Attempt::Idle | Attempt::Stopped);
            attempts.push(a);
            if idle {
                break;
            }
        }
        attempts
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_that_starts_failing_and_recovers_is_told_to_receivers() {
    // Issue 18: a failing segment is visible to webhook receivers, not only
    // in the index, the API and the CLI.
    let (_dir, state) = common::state_with(&[]);
    let writer = format!("Bearer {}", common::token(&state, "write"));
    let import = |body: &str| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/api/import")
            .header("authorization", &writer)
            .header("content-type", "application/x-ndjson")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap()
    };
    let numbers = "{\"kind\":\"customer\",\"id\":\"n1\",\"properties\":{\"n\":5}}\n";
    let answer = common::send(&state, import(numbers)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(serde_json::json!({ "name": "Big", "query": "metafields.custom.n > 3" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let secret = flokk_server::webhooks::new_secret();
    let seen = Arc::new(Mutex::new(Received::default()));
    let url = receiver(secret.clone(), 1, 0, seen.clone()).await;
    let id = state
        .live
        .store(|s| s.add_webhook(&url, None, false, &secret, jiff::Timestamp::now()))
        .unwrap()
        .id;
    // `n` becomes text for most customers: Big's query no longer checks.
    let words = concat!(
        "{\"kind\":\"customer\",\"id\":\"n2\",\"properties\":{\"n\":\"x\"}}\n",
        "{\"kind\":\"customer\",\"id\":\"n3\",\"properties\":{\"n\":\"y\"}}\n",
    );
    let answer = common::send(&state, import(words)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let attempts = deliver_all(&state, id).await;
    // The first attempt gets a 500: the notice is sent again, same id.
    assert!(
        matches!(attempts.first(), Some(Attempt::Failed(..))),
        "{attempts:?}"
    );
    // Edited to a query that checks, it evaluates again.
    let (status, v) = common::call(
        &state,
        "PATCH",
        "/api/segments/Big",
        Some(serde_json::json!({ "query": "customer_tags CONTAINS 'vip'" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    deliver_all(&state, id).await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.bad_signatures, 0);
    let notices: Vec<(String, serde_json::Value)> = seen
        .accepted
        .iter()
        .filter(|(_, body)| body["type"] == "segment.status")
        .flat_map(|(msg, body)| {
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| (msg.clone(), n.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    let (first_id, failing) = &notices[0];
    assert!(first_id.starts_with("status_"), "{first_id}");
    assert_eq!(failing["segment"], "Big");
    assert_eq!(failing["failing"], true);
    assert!(
        failing["reason"]
            .as_str()
            .is_some_and(|r| r.contains("no longer checks")),
        "{failing}"
    );
    assert_eq!(notices[1].1["failing"], false, "{notices:?}");
    assert!(notices[1].1.get("reason").is_none(), "{notices:?}");
}
