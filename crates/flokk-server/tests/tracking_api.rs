//! The Segment tracking API (`/v1/*`): the call types with payloads from
//! Segment's spec (<https://segment.com/docs/connections/spec/identify/>,
//! `track/`, `page/`; the examples there, trimmed of context fields flokk
//! ignores), ingest tokens, batches with partial success, messageId
//! de-duplication, anonymous visitors and back-pressure.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answer, call, send, state_with, token};
use flokk_server::ServerState;
use flokk_store::Store;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

fn basic(token: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{token}:")))
}

async fn post(state: &Arc<ServerState>, path: &str, auth: Option<&str>, body: &Value) -> Answer {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header("content-type", "application/json");
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    send(state, request.body(Body::from(body.to_string())).unwrap()).await
}

fn dump(dir: &tempfile::TempDir) -> Vec<Value> {
    let mut out = Vec::new();
    flokk_store::dump(&Store::open(dir.path()).unwrap(), &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn of_kind<'a>(d: &'a [Value], kind: &str) -> Vec<&'a Value> {
    d.iter().filter(|r| r["kind"] == kind).collect()
}

/// The count of `query`, waiting (up to five seconds) for segments to
/// follow the writes until it is `want`.
async fn count_becomes(state: &Arc<ServerState>, query: &str, want: u64) {
    let uri = format!(
        "/api/count?query={}",
        query
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let mut last = Value::Null;
    for _ in 0..100 {
        let (_, v) = call(state, "GET", &uri, None).await;
        if v["count"] == want {
            return;
        }
        last = v;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{query}: wanted {want}, last answer {last}");
}

fn identify_example() -> Value {
    json!({
      "anonymousId": "507f191e810c19729de860ea",
      "channel": "browser",
      "context": {"ip": "8.8.8.8", "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_2)"},
      "integrations": {"All": false, "Mixpanel": true, "Salesforce": true},
      "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
      "receivedAt": "2015-02-23T22:28:55.387Z",
      "sentAt": "2015-02-23T22:28:55.111Z",
      "timestamp": "2015-02-23T22:28:55.111Z",
      "traits": {
        "name": "Peter Gibbons",
        "email": "peter@example.com",
        "plan": "premium",
        "logins": 5,
        "address": {"street": "6th St", "city": "San Francisco", "state": "CA",
                    "postalCode": "94103", "country": "USA"}
      },
      "type": "identify",
      "userId": "97980cfea0067",
      "version": "1.1"
    })
}

fn track_example() -> Value {
    json!({
      "anonymousId": "23adfd82-aa0f-45a7-a756-24f2a7a4c895",
      "context": {"library": {"name": "analytics.js", "version": "2.11.1"}, "ip": "108.0.78.21"},
      "event": "Course Clicked",
      "integrations": {},
      "messageId": "ajs-f8ca1e4de5024d9430b3928bd8ac6b96",
      "properties": {"title": "Intro to Analytics", "revenue": 19.99},
      "receivedAt": "2015-12-12T19:11:01.266Z",
      "sentAt": "2015-12-12T19:11:01.169Z",
      "timestamp": "2015-12-12T19:11:01.249Z",
      "type": "track",
      "userId": "97980cfea0067",
      "originalTimestamp": "2015-12-12T19:11:01.152Z"
    })
}

fn page_example() -> Value {
    json!({
      "anonymousId": "507f191e810c19729de860ea",
      "channel": "browser",
      "context": {"ip": "8.8.8.8"},
      "integrations": {},
      "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093dc",
      "name": "Home",
      "properties": {"title": "Welcome | Initech", "url": "http://www.initech.com"},
      "receivedAt": "2015-02-23T22:28:55.387Z",
      "sentAt": "2015-02-23T22:28:55.111Z",
      "timestamp": "2015-02-23T22:28:55.111Z",
      "type": "page",
      "userId": "97980cfea0067",
      "version": "1.1"
    })
}

#[tokio::test]
async fn identify_track_and_page_from_the_spec() {
    let (dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));

    let a = post(&state, "/v1/identify", Some(&key), &identify_example()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["success"], true);
    let d = dump(&dir);
    let peter = of_kind(&d, "customer")[0];
    assert_eq!(peter["id"], "97980cfea0067");
    assert_eq!(peter["email"], "peter@example.com");
    assert_eq!(peter["first_name"], "Peter");
    assert_eq!(peter["last_name"], "Gibbons");
    assert_eq!(peter["properties"]["custom.plan"], "premium");
    assert_eq!(peter["properties"]["custom.logins"], 5.0);
    assert_eq!(peter["properties"]["custom.address_country"], "USA");
    assert_eq!(peter["addresses"][0]["city"], "San Francisco");
    assert_eq!(peter["addresses"][0]["zip"], "94103");

    let a = post(&state, "/v1/track", Some(&key), &track_example()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let a = post(&state, "/v1/page", Some(&key), &page_example()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut product = page_example();
    product["messageId"] = json!("page-2");
    product["properties"]["product_id"] = json!("p1");
    let a = post(&state, "/v1/page", Some(&key), &product).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);

    let d = dump(&dir);
    let events = of_kind(&d, "event");
    assert_eq!(events.len(), 2, "{events:?}");
    let clicked = events
        .iter()
        .find(|e| e["name"] == "Course Clicked")
        .unwrap();
    assert_eq!(clicked["customer_id"], "97980cfea0067");
    assert_eq!(clicked["at"], "2015-12-12T19:11:01.249Z");
    assert_eq!(clicked["properties"]["value"], 19.99);
    assert_eq!(clicked["properties"]["title"], "Intro to Analytics");
    let page = events.iter().find(|e| e["name"] == "Page Viewed").unwrap();
    assert_eq!(page["properties"]["name"], "Home");
    assert_eq!(page["properties"]["url"], "http://www.initech.com");
    let viewed = of_kind(&d, "storefront_event");
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0]["type"], "product_viewed");
    assert_eq!(viewed[0]["id"], "p1");

    // Queryable, and segments follow.
    count_becomes(&state, "metafields.custom.plan = 'premium'", 1).await;
    count_becomes(
        &state,
        "custom_event MATCHES (name = 'Course Clicked', sum_value > 10)",
        1,
    )
    .await;
    count_becomes(&state, "storefront.product_viewed MATCHES (id = 'p1')", 1).await;
}

#[tokio::test]
async fn only_ingest_tokens_may_send() {
    let (dir, state) = state_with(&[]);
    let a = post(&state, "/v1/identify", None, &identify_example()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    let a = post(
        &state,
        "/v1/identify",
        Some(&basic("flokk_nonsense")),
        &identify_example(),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    let read = basic(&token(&state, "read,write"));
    let a = post(&state, "/v1/identify", Some(&read), &identify_example()).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert_eq!(a.json()["error"]["scope"], "ingest");
    assert!(of_kind(&dump(&dir), "customer").is_empty());
    // And an ingest token reads nothing.
    let ingest = token(&state, "ingest");
    let request = Request::builder()
        .uri("/api/customers")
        .header("authorization", format!("Bearer {ingest}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&state, request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_batch_reports_each_message_and_skips_duplicates() {
    let (dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));
    let mut bad_time = track_example();
    bad_time["messageId"] = json!("bad-time");
    bad_time["timestamp"] = json!("yesterday");
    let mut no_event = track_example();
    no_event["messageId"] = json!("no-event");
    no_event.as_object_mut().unwrap().remove("event");
    let body = json!({"batch": [identify_example(), track_example(), bad_time, no_event,
                                {"type": "group", "userId": "97980cfea0067", "groupId": "g1"},
                                {"type": "fly", "userId": "x"}],
                      "sentAt": "2015-12-12T19:11:01.169Z"});
    let a = post(&state, "/v1/batch", Some(&key), &body).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(v["accepted"], 2, "{v}");
    assert_eq!(v["rejected"], 3, "{v}");
    assert_eq!(v["ignored"], 1, "{v}");
    assert_eq!(v["results"][2]["status"], "rejected");
    assert!(
        v["results"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("timestamp"),
        "{v}"
    );
    assert!(
        v["results"][3]["reason"]
            .as_str()
            .unwrap()
            .contains("event"),
        "{v}"
    );
    assert_eq!(v["results"][5]["status"], "rejected");

    // The same batch again: the accepted messages are duplicates.
    let a = post(&state, "/v1/batch", Some(&key), &body).await;
    let v = a.json();
    assert_eq!(v["duplicates"], 2, "{v}");
    assert_eq!(v["accepted"], 0, "{v}");
    assert_eq!(of_kind(&dump(&dir), "event").len(), 1);

    // A single call refused is an error of the call.
    let mut no_event = track_example();
    no_event["messageId"] = json!("single-no-event");
    no_event.as_object_mut().unwrap().remove("event");
    let a = post(&state, "/v1/track", Some(&key), &no_event).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(a.code(), "invalid_message");

    // Larger than Segment's 500 KB.
    let big = json!({"batch": [{"type": "track", "userId": "u", "event": "x",
                                "properties": {"blob": "y".repeat(520 * 1024)}}]});
    let a = post(&state, "/v1/batch", Some(&key), &big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
}

#[tokio::test]
async fn anonymous_events_join_the_customer_on_identify() {
    let (dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));
    let mut anonymous = track_example();
    anonymous.as_object_mut().unwrap().remove("userId");
    anonymous["anonymousId"] = json!("anon-1");
    let a = post(&state, "/v1/track", Some(&key), &anonymous).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut viewed = page_example();
    viewed.as_object_mut().unwrap().remove("userId");
    viewed["anonymousId"] = json!("anon-1");
    viewed["properties"]["product_id"] = json!("p7");
    post(&state, "/v1/page", Some(&key), &viewed).await;
    // A visitor is no customer yet.
    let d = dump(&dir);
    assert!(of_kind(&d, "customer").is_empty());
    assert!(of_kind(&d, "event").is_empty());

    let mut identify = identify_example();
    identify["anonymousId"] = json!("anon-1");
    post(&state, "/v1/identify", Some(&key), &identify).await;
    let d = dump(&dir);
    let events = of_kind(&d, "event");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["customer_id"], "97980cfea0067");
    assert_eq!(
        of_kind(&d, "storefront_event")[0]["customer_id"],
        "97980cfea0067"
    );

    // From then on the anonymous id stands for the customer.
    let mut later = anonymous.clone();
    later["messageId"] = json!("later");
    post(&state, "/v1/track", Some(&key), &later).await;
    assert_eq!(of_kind(&dump(&dir), "event").len(), 2);
    count_becomes(&state, "storefront.product_viewed MATCHES (id = 'p7')", 1).await;
}

#[tokio::test]
async fn identify_changes_only_the_traits_it_carries() {
    let (dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));
    post(&state, "/v1/identify", Some(&key), &identify_example()).await;
    let update = json!({"type": "identify", "userId": "97980cfea0067", "messageId": "m2",
                        "traits": {"plan": "basic", "logins": null, "phone": "+4791234567"}});
    let a = post(&state, "/v1/identify", Some(&key), &update).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let peter = of_kind(&dump(&dir), "customer")[0].clone();
    assert_eq!(peter["email"], "peter@example.com");
    assert_eq!(peter["phone"], "+4791234567");
    assert_eq!(peter["properties"]["custom.plan"], "basic");
    assert!(
        peter["properties"].get("custom.logins").is_none(),
        "{peter}"
    );
}

#[tokio::test]
async fn too_many_requests_at_once_are_answered_429() {
    let (_dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));
    let slots = state.ingest_slots.clone();
    let held = slots
        .clone()
        .acquire_many_owned(flokk_server::inbound::INGEST_SLOTS as u32)
        .await
        .unwrap();
    let a = post(&state, "/v1/track", Some(&key), &track_example()).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.headers["retry-after"], "1");
    drop(held);
    let a = post(&state, "/v1/track", Some(&key), &track_example()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

#[tokio::test]
async fn browsers_of_the_shops_origins_may_send_with_the_key_in_the_body() {
    let (dir, state) = state_with(&[]);
    let key = token(&state, "ingest");
    Store::open(dir.path())
        .unwrap()
        .settings()
        .set("storefront_origins", "https://shop.example.com")
        .unwrap();
    let body = json!({"writeKey": key, "batch": [track_example()]});
    let request = |origin: &str, method: &str| {
        Request::builder()
            .method(method)
            .uri("/v1/batch")
            .header("origin", origin)
            .header("content-type", "text/plain")
            .body(Body::from(if method == "POST" {
                body.to_string()
            } else {
                String::new()
            }))
            .unwrap()
    };
    let a = send(&state, request("https://shop.example.com", "OPTIONS")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://shop.example.com"
    );
    let a = send(&state, request("https://shop.example.com", "POST")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://shop.example.com"
    );
    assert_eq!(a.json()["accepted"], 1);

    for method in ["OPTIONS", "POST"] {
        let a = send(&state, request("https://evil.example", method)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert_eq!(a.code(), "origin_not_allowed");
        assert!(a.headers.get("access-control-allow-origin").is_none());
    }
    assert_eq!(of_kind(&dump(&dir), "event").len(), 1);

    let snippet = send(
        &state,
        Request::builder()
            .uri("/js/flokk.js")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(snippet.status, StatusCode::OK);
    assert!(
        snippet.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(snippet.body.contains("/v1/batch"));
}

#[tokio::test]
async fn a_message_over_32_kb_is_rejected_alone() {
    let (dir, state) = state_with(&[]);
    let key = basic(&token(&state, "ingest"));
    let big = json!({"type": "track", "userId": "u1", "event": "Big", "messageId": "big",
                     "properties": {"blob": "y".repeat(40 * 1024)}});
    let body = json!({"batch": [big, track_example()]});
    let a = post(&state, "/v1/batch", Some(&key), &body).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(v["results"][0]["status"], "rejected", "{v}");
    assert!(
        v["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("32 KB"),
        "{v}"
    );
    assert_eq!(v["accepted"], 1, "{v}");
    assert_eq!(of_kind(&dump(&dir), "event").len(), 1);
}
