//! Sending campaigns through a running `flokk serve`: over the API (send,
//! pause, resume, cancel, with the `write` scope) and on a schedule
//! (`campaign send --at`, `POST .../send {"at"}`), with the clock injected
//! by `--now`, against a real SMTP server (`smtp_relay/`).

#[path = "campaign_server/mod.rs"]
mod campaign_server;
#[path = "common/mod.rs"]
mod common;
#[path = "smtp_relay/mod.rs"]
#[allow(dead_code)] // each test file uses its own part
mod smtp_relay;

use campaign_server::{Server, api, api_with, http_as, many, run_ok, serve, serve_with};
use common::{flokk, json, stderr};
use serde_json::Value;
use smtp_relay::TestRelay;
use std::path::Path;
use std::time::{Duration, Instant};

fn report(server: &Server, name: &str) -> Value {
    let (status, body) = api(server, "GET", &format!("/api/campaigns/{name}"), "");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Polls the report until `done` says so (at most 60 s).
fn wait_for(server: &Server, name: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let r = report(server, name);
        if done(&r) {
            return r;
        }
        assert!(start.elapsed().as_secs() < 60, "never: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_received(relay: &TestRelay, at_least: usize) {
    let start = Instant::now();
    while relay.received().len() < at_least {
        assert!(start.elapsed().as_secs() < 60, "the send never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Every address the relay received, checked to be there once each.
fn once_each(relay: &TestRelay) -> usize {
    let mut to: Vec<String> = relay.received().into_iter().flat_map(|m| m.to).collect();
    let all = to.len();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), all, "no recipient got the campaign twice");
    all
}

fn body(v: &(u16, String)) -> Value {
    serde_json::from_str(&v.1).unwrap_or(Value::Null)
}

#[test]
fn a_campaign_is_sent_paused_resumed_and_cancelled_over_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let n = 120;
    let data = many(dir.path(), &relay.url(), n, 40);
    let server = serve(&data);

    // A token that may only read cannot send.
    let reader = json(
        &data,
        &["token", "create", "reader", "--scopes", "read", "--json"],
    );
    let reader = reader["secret"].as_str().unwrap().to_owned();
    let refused = api_with(&server, &reader, "POST", "/api/campaigns/Big/send", "");
    assert_eq!(refused.0, 403, "{}", refused.1);
    assert_eq!(relay.received().len(), 0);

    assert_eq!(api(&server, "POST", "/api/campaigns/Nope/send", "").0, 404);
    let bad = api(&server, "POST", "/api/campaigns/Big/send", "{\"when\":1}");
    assert_eq!(bad.0, 400, "{}", bad.1);
    assert_eq!(body(&bad)["error"]["code"], "bad_body", "{}", bad.1);
    let not_sending = api(&server, "POST", "/api/campaigns/Big/pause", "");
    assert_eq!(not_sending.0, 409);
    assert_eq!(body(&not_sending)["error"]["code"], "not_sending");

    let started = api(&server, "POST", "/api/campaigns/Big/send", "");
    assert_eq!(started.0, 202, "{}", started.1);
    let started = body(&started);
    assert_eq!(started["state"], "sending", "{started}");
    assert_eq!(
        started["recipients"], n,
        "the audience is frozen: {started}"
    );

    // A CLI send of the same campaign meanwhile is refused: one sender.
    let cli = flokk(&data, &["campaign", "send", "Big", "--json"]);
    assert_eq!(cli.status.code(), Some(2), "{}", stderr(&cli));
    assert!(stderr(&cli).contains("already_sending"), "{}", stderr(&cli));

    wait_received(&relay, 10);
    let paused = api(&server, "POST", "/api/campaigns/Big/pause", "");
    assert_eq!(paused.0, 200, "{}", paused.1);
    assert_eq!(body(&paused)["state"], "paused");
    // The one in flight at the pause may still land.
    std::thread::sleep(Duration::from_millis(300));
    let at_pause = relay.received().len();
    assert!(at_pause < n, "paused mid-queue ({at_pause})");
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(relay.received().len(), at_pause, "nothing while paused");

    let resumed = api(&server, "POST", "/api/campaigns/Big/send", "");
    assert_eq!(resumed.0, 202, "{}", resumed.1);
    let done = wait_for(&server, "Big", |r| r["state"] == "sent");
    assert_eq!(done["sent"], n, "{done}");
    assert_eq!(done["delivered"], n, "{done}");
    assert_eq!(once_each(&relay), n);

    let again = api(&server, "POST", "/api/campaigns/Big/send", "");
    assert_eq!(again.0, 409);
    assert_eq!(body(&again)["error"]["code"], "already_sent");
    let late = api(&server, "POST", "/api/campaigns/Big/cancel", "");
    assert_eq!(late.0, 409);
    assert_eq!(body(&late)["error"]["code"], "already_sent");

    // Cancelling mid-send: the rest is never sent.
    let b = dir.path().join("b.md");
    run_ok(
        &data,
        &[
            "campaign",
            "create",
            "Second",
            "--query",
            "customer_tags CONTAINS 'news'",
            "--subject",
            "Second",
            "--body-file",
            b.to_str().unwrap(),
        ],
    );
    let before = relay.received().len();
    assert_eq!(
        api(&server, "POST", "/api/campaigns/Second/send", "").0,
        202
    );
    wait_received(&relay, before + 5);
    let cancelled = api(&server, "POST", "/api/campaigns/Second/cancel", "");
    assert_eq!(cancelled.0, 200, "{}", cancelled.1);
    assert_eq!(body(&cancelled)["state"], "cancelled");
    std::thread::sleep(Duration::from_millis(300));
    let second = relay.received().len() - before;
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        relay.received().len() - before,
        second,
        "nothing after the cancel"
    );
    assert!(second < n, "{second}");
    let r = report(&server, "Second");
    assert_eq!(r["queued"], 0, "{r}");
    let refused = api(&server, "POST", "/api/campaigns/Second/send", "");
    assert_eq!(refused.0, 409);
    assert_eq!(body(&refused)["error"]["code"], "cancelled");
}

fn admin_token(data: &Path) -> String {
    json(
        data,
        &["token", "create", "admin", "--scopes", "admin", "--json"],
    )["secret"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_scheduled_campaign_is_sent_by_a_running_server_when_due_with_the_audience_of_then() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = many(dir.path(), &relay.url(), 5, 1000);
    let token = admin_token(&data);
    let at = |now: &str, args: &[&str]| {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        flokk(&data, &all)
    };
    // Not an instant, or not in the future: refused, nothing scheduled.
    let bad = at(
        "2026-12-01T00:00:00Z",
        &["campaign", "send", "Big", "--at", "tomorrow", "--json"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("invalid_instant"), "{}", stderr(&bad));
    let past = at(
        "2026-12-01T00:00:00Z",
        &[
            "campaign",
            "send",
            "Big",
            "--at",
            "2026-11-30T09:00:00Z",
            "--json",
        ],
    );
    assert_eq!(past.status.code(), Some(2));
    assert!(
        stderr(&past).contains("not in the future"),
        "{}",
        stderr(&past)
    );

    let scheduled = at(
        "2026-12-01T00:00:00Z",
        &[
            "campaign",
            "send",
            "Big",
            "--at",
            "2026-12-01T09:00:00Z",
            "--json",
        ],
    );
    assert!(scheduled.status.success(), "{}", stderr(&scheduled));
    let scheduled: Value = serde_json::from_slice(&scheduled.stdout).unwrap();
    assert_eq!(scheduled["state"], "scheduled", "{scheduled}");
    assert_eq!(scheduled["scheduled_at"], "2026-12-01T09:00:00Z");
    assert_eq!(scheduled["recipients"], 0, "not frozen yet: {scheduled}");
    // Rescheduled before it starts.
    let later = at(
        "2026-12-01T00:00:00Z",
        &[
            "campaign",
            "send",
            "Big",
            "--at",
            "2026-12-01T10:00:00Z",
            "--json",
        ],
    );
    assert!(later.status.success(), "{}", stderr(&later));

    // A customer who joins the audience before the send starts gets it.
    let file = dir.path().join("late.ndjson");
    std::fs::write(
        &file,
        r#"{"kind":"customer","id":"late","email":"late@example.no","email_subscription":"SUBSCRIBED","tags":["news"]}"#,
    )
    .unwrap();
    run_ok(&data, &["import", file.to_str().unwrap()]);

    // Before its time: a server leaves it alone.
    let server = serve_with(&data, &["--now", "2026-12-01T09:30:00Z"], Some(&token));
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(relay.received().len(), 0);
    assert_eq!(report(&server, "Big")["state"], "scheduled");
    // A second campaign scheduled over the API, then cancelled before it starts.
    let b = dir.path().join("b.md");
    run_ok(
        &data,
        &[
            "campaign",
            "create",
            "Never",
            "--query",
            "customer_tags CONTAINS 'news'",
            "--subject",
            "Never",
            "--body-file",
            b.to_str().unwrap(),
        ],
    );
    let past = api(
        &server,
        "POST",
        "/api/campaigns/Never/send",
        r#"{"at":"2026-12-01T09:00:00Z"}"#,
    );
    assert_eq!(
        past.0, 422,
        "the server's clock says it is past: {}",
        past.1
    );
    let sched = api(
        &server,
        "POST",
        "/api/campaigns/Never/send",
        r#"{"at":"2026-12-01T09:45:00Z"}"#,
    );
    assert_eq!(sched.0, 200, "{}", sched.1);
    assert_eq!(body(&sched)["state"], "scheduled");
    assert_eq!(body(&sched)["scheduled_at"], "2026-12-01T09:45:00Z");
    let cancelled = api(&server, "POST", "/api/campaigns/Never/cancel", "");
    assert_eq!(cancelled.0, 200, "{}", cancelled.1);
    drop(server);

    // Its time has come: a server (started later) sends it, to the
    // audience as of then.
    let server = serve_with(&data, &["--now", "2026-12-01T10:00:01Z"], Some(&token));
    let done = wait_for(&server, "Big", |r| r["state"] == "sent");
    assert_eq!(done["recipients"], 6, "{done}");
    assert_eq!(done["sent"], 6, "{done}");
    assert_eq!(once_each(&relay), 6);
    assert!(
        relay
            .received()
            .iter()
            .any(|m| m.to.iter().any(|t| t == "late@example.no"))
    );
    let never = report(&server, "Never");
    assert_eq!(never["state"], "cancelled", "{never}");
    assert_eq!(never["recipients"], 0, "{never}");
    // Once started it cannot be rescheduled.
    let moved = api(
        &server,
        "POST",
        "/api/campaigns/Big/send",
        r#"{"at":"2026-12-02T10:00:00Z"}"#,
    );
    assert_eq!(moved.0, 409, "{}", moved.1);
    drop(server);
    assert_eq!(relay.received().len(), 6, "sent once");
}

#[test]
fn sending_a_scheduled_campaign_from_the_command_line_sends_it_now() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = many(dir.path(), &relay.url(), 3, 1000);
    run_ok(
        &data,
        &[
            "--now",
            "2026-12-01T00:00:00Z",
            "campaign",
            "send",
            "Big",
            "--at",
            "2030-01-01T00:00:00Z",
        ],
    );
    let r = json(&data, &["campaign", "send", "Big", "--wait", "--json"]);
    assert_eq!(r["state"], "sent", "{r}");
    assert_eq!(r["sent"], 3, "{r}");
    assert_eq!(once_each(&relay), 3);
}

/// The open pixel's path in a received message.
fn open_path(data: &str) -> String {
    let html = data.replace("=\r\n", "").replace("=3D", "=");
    let at = html.find("<img src=\"").expect("an open pixel") + "<img src=\"".len();
    let url = &html[at..];
    url[..url.find('"').unwrap()]
        .strip_prefix("https://flokk.shop.example")
        .unwrap()
        .to_owned()
}

#[test]
fn an_open_within_seconds_of_delivery_is_a_machine_open_and_a_later_one_human() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = many(dir.path(), &relay.url(), 2, 1000);
    run_ok(&data, &["config", "set", "email_machine_open_seconds", "2"]);
    let server = serve(&data);
    assert_eq!(api(&server, "POST", "/api/campaigns/Big/send", "").0, 202);
    wait_for(&server, "Big", |r| r["state"] == "sent");
    let received = relay.received();
    let human_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
    // c0 opens at once, in a browser's clothes: too soon for a person.
    let first = open_path(&received[0].data);
    assert_eq!(http_as(&server, "GET", &first, "", human_agent).0, 200);
    let r = report(&server, "Big");
    assert_eq!(
        r["opened"],
        serde_json::json!({"human": 0, "machine": 1}),
        "{r}"
    );
    // c1 opens after the window: a person.
    std::thread::sleep(Duration::from_millis(2200));
    let second = open_path(&received[1].data);
    assert_eq!(http_as(&server, "GET", &second, "", human_agent).0, 200);
    let r = report(&server, "Big");
    assert_eq!(
        r["opened"],
        serde_json::json!({"human": 1, "machine": 1}),
        "{r}"
    );
    let machine = json(
        &data,
        &[
            "count",
            "--json",
            "shopify_email.opened MATCHES (activity_id = 'flokk-1', machine_open = true)",
        ],
    );
    assert_eq!(machine["count"], 1, "{machine}");
}

#[test]
fn orders_after_the_send_or_a_click_within_the_window_are_attributed_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = many(dir.path(), &relay.url(), 3, 1000);
    run_ok(&data, &["config", "set", "campaign_attribution_days", "2"]);
    let before = json(&data, &["campaign", "show", "Big", "--json"]);
    assert_eq!(before["orders"], 0, "{before}");
    let sent = json(&data, &["campaign", "send", "Big", "--wait", "--json"]);
    assert_eq!(sent["sent"], 3, "{sent}");
    let now = jiff::Timestamp::now();
    let at = |hours: i64| (now + jiff::SignedDuration::from_hours(hours)).to_string();
    let order = |id: &str, who: &str, hours: i64, total: &str, extra: &str| {
        format!(
            r#"{{"kind":"order","id":"{id}","customer_id":"{who}","placed_at":"{}","total":{total}{extra}}}"#,
            at(hours)
        )
    };
    let lines = [
        // c0: an hour after the send, partly refunded: 100.05 net.
        order("o1", "c0", 1, "100.1", r#","refunded":0.05"#),
        // c0: before the send: not the campaign's.
        order("o2", "c0", -24, "999", ""),
        // c1: three days on, past the window without a click ...
        order("o3", "c1", 72, "50", ""),
        // ... cancelled: never counts.
        order("o4", "c1", 1, "70", r#","cancelled":true"#),
        // c2: 0.1 + 0.2 is exactly 0.30.
        order("o5", "c2", 1, "0.1", ""),
        order("o6", "c2", 2, "0.2", ""),
        // c1 clicked at 60 h: o3 (at 72 h) is within two days of the click.
        format!(
            r#"{{"kind":"email_event","customer_id":"c1","type":"clicked","activity_id":"flokk-1","at":"{}"}}"#,
            at(60)
        ),
    ];
    let file = dir.path().join("orders.ndjson");
    std::fs::write(&file, lines.join("\n")).unwrap();
    run_ok(&data, &["import", file.to_str().unwrap()]);
    let r = json(&data, &["campaign", "show", "Big", "--json"]);
    assert_eq!(r["orders"], 4, "{r}");
    assert_eq!(r["revenue"], serde_json::json!(150.35), "{r}");
    // A shorter window drops the order that only the click brought in
    // range ... and the click still counts from the click, not the send.
    run_ok(&data, &["config", "set", "campaign_attribution_days", "1"]);
    let r = json(&data, &["campaign", "show", "Big", "--json"]);
    assert_eq!(r["orders"], 4, "o3 is 12 h after the click: {r}");
    run_ok(
        &data,
        &["config", "set", "campaign_attribution_days", "100"],
    );
    let r = json(&data, &["campaign", "show", "Big", "--json"]);
    assert_eq!(r["orders"], 4, "o2 came before the send: {r}");
}
