//! `flokk campaign` against a real SMTP server (`smtp_relay/`, started in
//! the test): the consent gate's `left_out`, merge fields, MIME structure
//! and the unsubscribe headers of the received messages, 4xx retried then
//! accepted, 4xx until a soft bounce, 5xx a hard bounce that suppresses the
//! customer from the next campaign, one message per recipient, the email
//! events queried by the language, and the SMTP password never printed.

#[path = "campaign_server/mod.rs"]
mod campaign_server;
#[path = "smtp_relay/mod.rs"]
mod smtp_relay;

use campaign_server::{Server, api, http_as, many, serve};
use smtp_relay::TestRelay;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn ok(data: &Path, args: &[&str]) -> Output {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    out
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&ok(data, args))).unwrap()
}

/// Ten customers, all tagged `news`: 1, 2, flaky, soft and hard subscribed
/// (2 without a first name); 3 unsubscribed; 4 not subscribed; 5 without
/// an address; 6 with a hard bounce and 7 with a spam complaint on record.
fn store(dir: &Path, relay: &TestRelay) -> PathBuf {
    let data = dir.join("store");
    let file = dir.join("c.ndjson");
    let c = |id: &str, email: &str, status: &str, first: &str| {
        let first = if first.is_empty() {
            String::new()
        } else {
            format!(r#","first_name":"{first}""#)
        };
        let email = if email.is_empty() {
            String::new()
        } else {
            format!(r#","email":"{email}""#)
        };
        format!(
            r#"{{"kind":"customer","id":"{id}"{email}{first},"email_subscription":"{status}","tags":["news"]}}"#
        )
    };
    let lines = [
        c("1", "ann@example.no", "SUBSCRIBED", "Ann"),
        c("2", "bo@example.no", "SUBSCRIBED", ""),
        c("3", "cy@example.no", "UNSUBSCRIBED", "Cy"),
        c("4", "di@example.no", "NOT_SUBSCRIBED", "Di"),
        c("5", "", "SUBSCRIBED", "Ed"),
        c("6", "fi@example.no", "SUBSCRIBED", "Fi"),
        c("7", "gu@example.no", "SUBSCRIBED", "Gu"),
        c("8", "flaky@example.no", "SUBSCRIBED", "Flo"),
        c("9", "soft@example.no", "SUBSCRIBED", "Sy"),
        c("10", "hard@example.no", "SUBSCRIBED", "Hal"),
        r#"{"kind":"email_event","customer_id":"6","type":"bounced","activity_id":"old","at":"2025-01-01T00:00:00Z","bounce_type":"HARD"}"#.into(),
        r#"{"kind":"email_event","customer_id":"7","type":"marked_as_spam","activity_id":"old","at":"2025-01-01T00:00:00Z"}"#.into(),
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    ok(&data, &["import", file.to_str().unwrap()]);
    ok(
        &data,
        &[
            "segment",
            "create",
            "News",
            "--query",
            "customer_tags CONTAINS 'news'",
        ],
    );
    for (k, v) in [
        ("smtp_url", relay.url()),
        ("smtp_from", "Shop <news@shop.example>".into()),
        ("public_url", "https://flokk.shop.example".into()),
        ("smtp_retry_seconds", "1".into()),
        ("smtp_max_attempts", "2".into()),
        ("smtp_rate_per_second", "1000".into()),
    ] {
        ok(&data, &["config", "set", k, &v]);
    }
    data
}

fn body_file(dir: &Path) -> PathBuf {
    let body = dir.join("body.md");
    std::fs::write(
        &body,
        "# Hello {{ first_name | default: \"friend\" }}\n\nOur spring show: [tickets]({{ campaign_link }}).\n",
    )
    .unwrap();
    body
}

/// Quoted-printable decoded (RFC 2045 §6.7): soft line breaks joined,
/// `=XX` bytes decoded; the parts' text as a reader sees it.
fn qp_decode(s: &str) -> String {
    let joined = s.replace("=\r\n", "");
    let b = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(x) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(x);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn count(data: &Path, query: &str) -> u64 {
    json(data, &["count", "--json", query])["count"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_campaign_goes_through_the_gate_to_a_real_smtp_server_once_per_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let body = body_file(dir.path());
    let body = body.to_str().unwrap();

    // An unknown merge field is refused at create time, with its place.
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "Hi\nthere {{ frist_name }}\n").unwrap();
    let out = flokk(
        &data,
        &[
            "campaign",
            "create",
            "Bad",
            "News",
            "--subject",
            "S",
            "--body-file",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("body line 2, column 10: unknown merge field 'frist_name'"),
        "{}",
        stderr(&out)
    );

    let created = json(
        &data,
        &[
            "campaign",
            "create",
            "Spring",
            "News",
            "--subject",
            "Hi {{ first_name | default: \"there\" }}",
            "--body-file",
            body,
            "--link",
            "https://shop.example/spring",
            "--json",
        ],
    );
    assert_eq!(created["state"], "draft");
    assert_eq!(created["id"], "flokk-1");

    // The preview is the message that would be sent.
    let preview = stdout(&ok(
        &data,
        &["campaign", "preview", "Spring", "--customer", "1"],
    ));
    assert!(preview.contains("Subject: Hi Ann\r\n"), "{preview}");
    assert!(preview.contains("List-Unsubscribe: <https://flokk.shop.example/email/unsubscribe/"));

    let sent = json(&data, &["campaign", "send", "Spring", "--wait", "--json"]);
    assert_eq!(sent["state"], "sent", "{sent}");
    assert_eq!(sent["recipients"], 5, "{sent}");
    assert_eq!(
        sent["left_out"],
        serde_json::json!({"no_email": 1, "not_subscribed": 1, "suppressed_complaint": 1,
                           "suppressed_hard_bounce": 1, "unsubscribed": 1})
    );
    assert_eq!(sent["sent"], 3, "{sent}");
    assert_eq!(sent["delivered"], 3);
    assert_eq!(sent["bounced"], serde_json::json!({"hard": 1, "soft": 1}));
    assert_eq!(sent["queued"], 0);

    // What the relay received: one message to each accepted address.
    let received = relay.received();
    let mut to: Vec<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["ann@example.no", "bo@example.no", "flaky@example.no"]);
    let attempts = relay.attempts();
    assert_eq!(attempts["flaky@example.no"], 2, "451 once, then accepted");
    assert_eq!(attempts["soft@example.no"], 2, "smtp_max_attempts");
    assert_eq!(attempts["hard@example.no"], 1, "a 5xx is not retried");
    assert!(!attempts.contains_key("cy@example.no"));
    let ann = received
        .iter()
        .find(|m| m.to == ["ann@example.no"])
        .unwrap();
    assert_eq!(ann.from, "news@shop.example");
    let d = &ann.data;
    assert!(d.contains("From: Shop <news@shop.example>\r\n"), "{d}");
    assert!(d.contains("Subject: Hi Ann\r\n"), "{d}");
    assert!(
        d.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
        "{d}"
    );
    assert!(
        d.contains("List-Unsubscribe: <https://flokk.shop.example/email/unsubscribe/"),
        "{d}"
    );
    assert!(d.contains("Content-Type: multipart/alternative;"), "{d}");
    assert!(d.contains("Content-Type: text/plain; charset=utf-8"), "{d}");
    assert!(d.contains("Content-Type: text/html; charset=utf-8"), "{d}");
    let d = &qp_decode(d);
    assert!(d.contains("<h1>Hello Ann</h1>"), "{d}");
    assert!(d.contains("\r\n# Hello Ann\r\n"), "the text part: {d}");
    assert!(
        d.contains(
            "(https://shop.example/spring?utm_source=flokk&utm_medium=email&utm_campaign=Spring)"
        ),
        "the campaign link with UTM parameters in the text part: {d}"
    );
    assert!(
        d.contains("<a href=\"https://flokk.shop.example/email/click/"),
        "and tracked in the HTML part: {d}"
    );
    let bo = received.iter().find(|m| m.to == ["bo@example.no"]).unwrap();
    assert!(
        qp_decode(&bo.data).contains("<h1>Hello friend</h1>"),
        "{}",
        bo.data
    );
    assert!(bo.data.contains("Subject: Hi there\r\n"), "{}", bo.data);

    // The outcomes are email events the language queries, and live segments see.
    assert_eq!(
        count(
            &data,
            "shopify_email.delivered MATCHES (activity_id = 'flokk-1')"
        ),
        3
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.bounced MATCHES (activity_id = 'flokk-1', bounce_type = 'HARD')"
        ),
        1
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.bounced MATCHES (activity_id = 'flokk-1', bounce_type = 'SOFT')"
        ),
        1
    );

    // Sending again is refused: nobody gets it twice.
    let again = flokk(&data, &["campaign", "send", "Spring", "--wait"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert_eq!(relay.received().len(), 3);

    // The hard bounce now suppresses customer 10 from the next campaign.
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Autumn",
            "News",
            "--subject",
            "Autumn",
            "--body-file",
            body,
            "--link",
            "https://shop.example/autumn",
        ],
    );
    let autumn = json(&data, &["campaign", "send", "Autumn", "--wait", "--json"]);
    assert_eq!(autumn["left_out"]["suppressed_hard_bounce"], 2, "{autumn}");
    assert_eq!(autumn["recipients"], 4, "{autumn}");
    let list = json(&data, &["campaign", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "Autumn");
}

#[test]
fn a_test_send_and_the_password_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let body = body_file(dir.path());
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Spring",
            "--query",
            "customer_tags CONTAINS 'news'",
            "--subject",
            "Hi",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://shop.example/s",
        ],
    );
    let tested = json(
        &data,
        &[
            "campaign",
            "test",
            "Spring",
            "--to",
            "me@shop.example",
            "--json",
        ],
    );
    assert_eq!(tested["state"], "draft", "a test send freezes nothing");
    let received = relay.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["me@shop.example"]);
    assert!(
        received[0].data.contains("Subject: [Test] Hi\r\n"),
        "{}",
        received[0].data
    );
    assert!(qp_decode(&received[0].data).contains("<h1>Hello friend</h1>"));

    ok(
        &data,
        &[
            "config",
            "set",
            "smtp_url",
            "smtps://news:hunter2@mail.example.com:465",
        ],
    );
    let shown = stdout(&ok(&data, &["config", "get", "smtp_url"]));
    assert_eq!(shown.trim(), "smtps://news:****@mail.example.com:465");
    let all = stdout(&ok(&data, &["config", "get", "--json"]));
    assert!(!all.contains("hunter2"), "{all}");
}

/// One raw HTTP request (no token: these pages are public); status and body.
fn http(server: &Server, method: &str, path: &str, body: &str) -> (u16, String) {
    http_as(
        server,
        method,
        path,
        body,
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
    )
}

#[test]
fn tracking_and_unsubscribe_links_of_a_sent_message_record_events_and_forged_ones_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let body = body_file(dir.path());
    ok(
        &data,
        &[
            "segment",
            "create",
            "Left",
            "--query",
            "shopify_email.unsubscribed MATCHES (activity_id = 'flokk-1')",
        ],
    );
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Spring",
            "News",
            "--subject",
            "Hi",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://shop.example/s",
        ],
    );
    ok(&data, &["campaign", "send", "Spring", "--wait"]);
    let ann = relay
        .received()
        .into_iter()
        .find(|m| m.to == ["ann@example.no"])
        .unwrap();
    let header = ann
        .data
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .unwrap()
        .trim_end_matches('>')
        .to_owned();
    let path = header
        .strip_prefix("https://flokk.shop.example")
        .unwrap()
        .to_owned();
    assert!(path.starts_with("/email/unsubscribe/"), "{path}");
    let token = path.rsplit('/').next().unwrap();
    let html = qp_decode(&ann.data);
    let local = |marker: &str| -> String {
        let at = html
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {html}"));
        let url = &html[at + marker.len()..];
        let url = &url[..url.find('"').unwrap()];
        url.strip_prefix("https://flokk.shop.example")
            .unwrap()
            .to_owned()
    };
    let open = local("<img src=\"");
    assert!(open.starts_with("/email/open/"), "{open}");
    let click = local("<a href=\"");
    assert!(
        click.starts_with("/email/click/"),
        "the campaign link is tracked: {click}"
    );
    assert!(
        html.contains(
            "https://shop.example/s?utm_source=flokk&utm_medium=email&utm_campaign=Spring"
        ),
        "the text part keeps the link as written: {html}"
    );

    // This test opens at once after sending: timing would make every open a
    // machine's (campaign_sending.rs tests that rule).
    ok(&data, &["config", "set", "email_machine_open_seconds", "0"]);
    let server = serve(&data);
    // Opens: Apple's privacy proxy (bare `Mozilla/5.0`) is a machine open.
    let (status, pixel) = http_as(&server, "GET", &open, "", "Mozilla/5.0");
    assert_eq!(status, 200);
    assert!(
        pixel.contains("Content-Type: image/gif") || pixel.contains("content-type: image/gif"),
        "{pixel}"
    );
    assert_eq!(http(&server, "GET", &open, "").0, 200);
    assert_eq!(http(&server, "GET", &open, "").0, 200);
    // A click redirects to the URL its token signs, with the UTM parameters.
    let (status, answer) = http(&server, "GET", &click, "");
    assert_eq!(status, 303, "{answer}");
    assert!(
        answer.to_lowercase().contains(
            "location: https://shop.example/s?utm_source=flokk&utm_medium=email&utm_campaign=spring"
        ),
        "{answer}"
    );
    // A click token for another URL cannot be made: altered, it is refused.
    let forged_click = format!("{}x", click);
    assert_eq!(http(&server, "GET", &forged_click, "").0, 404);
    assert_eq!(http(&server, "GET", &format!("{open}x"), "").0, 404);
    // GET shows a form (a link scanner following it unsubscribes no one).
    let (status, page) = http(&server, "GET", &path, "");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<form method=\"post\">"), "{page}");
    assert!(page.contains("ann@example.no"), "{page}");
    assert!(!page.contains("<script"), "works without JavaScript");
    assert_eq!(
        count(&data, "email_subscription_status = 'UNSUBSCRIBED'"),
        1,
        "only customer 3"
    );

    // Forged and altered tokens: refused, nothing recorded.
    let (payload, sig) = token.split_once('.').unwrap();
    let mut other = payload.to_owned();
    other.replace_range(0..1, if other.starts_with('A') { "B" } else { "A" });
    for bad in [
        format!("{other}.{sig}"),
        format!("{payload}.AAAA"),
        "nonsense".into(),
    ] {
        let (status, _) = http(
            &server,
            "POST",
            &format!("/email/unsubscribe/{bad}"),
            "List-Unsubscribe=One-Click",
        );
        assert_eq!(status, 404, "{bad}");
    }
    assert_eq!(
        count(&data, "email_subscription_status = 'UNSUBSCRIBED'"),
        1
    );
    assert_eq!(count(&data, "shopify_email.unsubscribed MATCHES ()"), 0);

    // RFC 8058 one-click POST.
    let (status, page) = http(&server, "POST", &path, "List-Unsubscribe=One-Click");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("You are unsubscribed"), "{page}");
    // Twice is the same as once.
    assert_eq!(
        http(&server, "POST", &path, "List-Unsubscribe=One-Click").0,
        200
    );
    drop(server);

    assert_eq!(
        count(&data, "email_subscription_status = 'UNSUBSCRIBED'"),
        2
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.unsubscribed MATCHES (activity_id = 'flokk-1', count = 1)"
        ),
        1
    );
    let report = json(&data, &["campaign", "show", "Spring", "--json"]);
    assert_eq!(report["unsubscribed"], 1, "{report}");
    assert_eq!(report["clicked"], 1, "{report}");
    assert_eq!(
        report["opened"],
        serde_json::json!({"human": 1, "machine": 0}),
        "{report}"
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.opened MATCHES (activity_id = 'flokk-1', machine_open = true)"
        ),
        1
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.opened MATCHES (activity_id = 'flokk-1', machine_open = false, count = 1)"
        ),
        1,
        "two human fetches are one open event"
    );
    assert_eq!(
        count(
            &data,
            "shopify_email.clicked MATCHES (activity_id = 'flokk-1')"
        ),
        1
    );
    // The live segment moved when the server wrote the event.
    let feed = json(&data, &["segment", "changes", "Left", "--json"]);
    let entered: Vec<&serde_json::Value> = feed
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change"] == "entered")
        .collect();
    assert_eq!(entered.len(), 1, "{feed}");
    assert_eq!(entered[0]["customer"], "1");
    // The next campaign leaves the customer out as unsubscribed.
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Autumn",
            "News",
            "--subject",
            "Hi",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://shop.example/a",
        ],
    );
    let autumn = json(&data, &["campaign", "send", "Autumn", "--wait", "--json"]);
    assert_eq!(autumn["left_out"]["unsubscribed"], 2, "{autumn}");
}

#[test]
fn a_send_killed_mid_queue_resumes_and_sends_no_one_twice() {
    // The store in memory where the system has one (/dev/shm): a kill -9
    // loses nothing the kernel was given (fsync is for power loss, which
    // this test does not simulate), and twenty thousand fsyncs on a busy
    // disk would take minutes.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let relay = TestRelay::start();
    // Ten thousand recipients, as fast as the relay takes them; killed
    // about a third of the way.
    let n = 10_000;
    let data = many(dir.path(), &relay.url(), n, 100_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(&data)
        .args(["campaign", "send", "Big", "--wait"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while relay.count() < 3_000 {
        assert!(start.elapsed().as_secs() < 60, "the send never got going");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to record anything
    child.wait().unwrap();
    let at_kill = relay.count();
    assert!(at_kill < n, "killed mid-queue ({at_kill} sent)");

    let report = json(&data, &["campaign", "send", "Big", "--wait", "--json"]);
    assert_eq!(report["state"], "sent", "{report}");
    assert_eq!(report["recipients"], n);
    let (sent, unknown) = (
        report["sent"].as_u64().unwrap(),
        report["unknown"].as_u64().unwrap(),
    );
    assert!(unknown <= 1, "at most the one in flight: {report}");
    assert_eq!(sent + unknown, n as u64, "{report}");

    let mut to: Vec<String> = relay.received().into_iter().flat_map(|m| m.to).collect();
    let all = to.len();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), all, "no recipient got the campaign twice");
    assert!(
        all as u64 >= sent && all as u64 <= sent + unknown,
        "{all} received, {report}"
    );
    // A third send is refused; the relay sees nothing more.
    assert_eq!(
        flokk(&data, &["campaign", "send", "Big"]).status.code(),
        Some(2)
    );
    assert_eq!(relay.received().len(), all);
}

#[test]
fn a_relay_that_drops_the_connection_bounces_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = many(dir.path(), &relay.url(), 0, 1000);
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Dropped",
            "--query",
            "customer_tags CONTAINS 'drop'",
            "--subject",
            "S",
            "--body-file",
            dir.path().join("b.md").to_str().unwrap(),
        ],
    );
    let file = dir.path().join("drop.ndjson");
    std::fs::write(
        &file,
        r#"{"kind":"customer","id":"d1","email":"drop@example.no","email_subscription":"SUBSCRIBED","tags":["drop"]}"#,
    )
    .unwrap();
    ok(&data, &["import", file.to_str().unwrap()]);
    let out = flokk(&data, &["campaign", "send", "Dropped", "--wait"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a relay failure is a runtime failure"
    );
    assert!(
        stderr(&out).contains("did not answer 2 times in a row"),
        "{}",
        stderr(&out)
    );
    let report = json(&data, &["campaign", "show", "Dropped", "--json"]);
    assert_eq!(
        report["queued"], 1,
        "the recipient waits for the next send: {report}"
    );
    assert_eq!(report["bounced"], serde_json::json!({"hard": 0, "soft": 0}));
    assert_eq!(count(&data, "shopify_email.bounced MATCHES ()"), 0);
    assert_eq!(relay.attempts()["drop@example.no"], 2);
}

#[test]
fn campaigns_over_the_api_create_show_list_and_preview() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let server = serve(&data);
    let body = serde_json::json!({
        "name": "Api", "segment": "News", "subject": "Hi {{ first_name }}",
        "body": "Hello {{ first_name | default: \"friend\" }}", "link": "https://shop.example/x"
    });
    let (status, created) = api(&server, "POST", "/api/campaigns", &body.to_string());
    assert_eq!(status, 201, "{created}");
    assert!(created.contains("\"id\":\"flokk-1\""), "{created}");
    assert!(created.contains("\"state\":\"draft\""), "{created}");
    let (status, again) = api(&server, "POST", "/api/campaigns", &body.to_string());
    assert_eq!(status, 409, "{again}");
    let bad = serde_json::json!({"name": "Bad", "segment": "News", "subject": "S", "body": "Hi {{ nme }}"});
    let (status, answer) = api(&server, "POST", "/api/campaigns", &bad.to_string());
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer.contains("invalid_template") && answer.contains("line 1, column 7"),
        "{answer}"
    );
    let unknown = serde_json::json!({"name": "U", "segment": "Nope", "subject": "S", "body": "B"});
    assert_eq!(
        api(&server, "POST", "/api/campaigns", &unknown.to_string()).0,
        404
    );
    let bad_query =
        serde_json::json!({"name": "Q", "query": "amount_spent >", "subject": "S", "body": "B"});
    assert_eq!(
        api(&server, "POST", "/api/campaigns", &bad_query.to_string()).0,
        400
    );

    let (status, shown) = api(&server, "GET", "/api/campaigns/api", "");
    assert_eq!(status, 200, "{shown}");
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["name"], "Api");
    let (_, list) = api(&server, "GET", "/api/campaigns", "");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (status, message) = api(&server, "GET", "/api/campaigns/Api/preview?customer=1", "");
    assert_eq!(status, 200, "{message}");
    assert!(message.contains("Subject: Hi Ann\r\n"), "{message}");
    assert!(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert_eq!(api(&server, "GET", "/api/campaigns/Nope", "").0, 404);
    assert_eq!(
        api(
            &server,
            "GET",
            "/api/campaigns/Api/preview?customer=404",
            ""
        )
        .0,
        404
    );
    assert_eq!(
        api(&server, "GET", "/api/campaigns/Api/preview?customer=5", "").0,
        422,
        "no email"
    );
}

#[test]
fn a_campaign_shown_for_a_production_leaves_out_its_ticket_holders() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let file = dir.path().join("tickets.ndjson");
    let lines = [
        r#"{"kind":"venue","id":"hall","name":"The Hall"}"#,
        r#"{"kind":"production","id":"carmen","name":"Carmen"}"#,
        r#"{"kind":"performance","id":"carmen-1","production_id":"carmen","venue_id":"hall","starts_at":"2030-06-20T19:00:00+02:00"}"#,
        r#"{"kind":"order","id":"t-1","customer_id":"2","placed_at":"2026-05-30T10:00:00Z","total":900,"lines":[{"performance_id":"carmen-1","quantity":2,"price":450}]}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    ok(&data, &["import", file.to_str().unwrap()]);
    let body = body_file(dir.path());
    let out = flokk(
        &data,
        &[
            "campaign",
            "create",
            "X",
            "News",
            "--subject",
            "S",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example",
            "--shown-for",
            "opera:carmen",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A production the store does not have is refused, naming it, not a
    // campaign that leaves out nobody (issue 22).
    let out = flokk(
        &data,
        &[
            "campaign",
            "create",
            "Y",
            "News",
            "--subject",
            "S",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example",
            "--shown-for",
            "production:carmne",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("'carmne'"), "{}", stderr(&out));
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Carmen",
            "News",
            "--subject",
            "Carmen",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example/carmen",
            "--shown-for",
            "production:carmen",
        ],
    );
    let sent = json(&data, &["campaign", "send", "Carmen", "--wait", "--json"]);
    assert_eq!(sent["left_out"]["already_holds_tickets"], 1, "{sent}");
    assert_eq!(sent["recipients"], 4, "{sent}");
    let to: Vec<String> = relay.received().into_iter().flat_map(|m| m.to).collect();
    assert!(!to.contains(&"bo@example.no".to_string()), "{to:?}");
    assert!(to.contains(&"ann@example.no".to_string()), "{to:?}");
}

#[test]
fn a_required_permission_leaves_out_who_lacks_it_and_an_empty_audience_is_sent_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    ok(
        &data,
        &["config", "set", "email_required_permission", "newsletter"],
    );
    let body = body_file(dir.path());
    ok(
        &data,
        &[
            "campaign",
            "create",
            "P",
            "News",
            "--subject",
            "S",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example",
        ],
    );
    let sent = json(&data, &["campaign", "send", "P", "--json"]);
    assert_eq!(sent["left_out"]["missing_permission"], 5, "{sent}");
    assert_eq!(sent["recipients"], 0, "{sent}");
    assert_eq!(sent["state"], "sent", "nothing to send: done at once");
    assert!(relay.received().is_empty());
    // Without the setting the reason is not listed at all.
    let file = dir.path().join("p.ndjson");
    std::fs::write(
        &file,
        r#"{"kind":"customer_patch","id":"1","permissions":["Newsletter"]}"#,
    )
    .unwrap();
    ok(&data, &["import", file.to_str().unwrap()]);
    ok(
        &data,
        &[
            "campaign",
            "create",
            "Q",
            "News",
            "--subject",
            "S",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example",
        ],
    );
    let q = json(&data, &["campaign", "send", "Q", "--wait", "--json"]);
    assert_eq!(q["left_out"]["missing_permission"], 4, "{q}");
    assert_eq!(q["recipients"], 1, "{q}");
    ok(&data, &["config", "set", "email_required_permission", ""]);
    ok(
        &data,
        &[
            "campaign",
            "create",
            "R",
            "News",
            "--subject",
            "S",
            "--body-file",
            body.to_str().unwrap(),
            "--link",
            "https://s.example",
        ],
    );
    let r = json(&data, &["campaign", "send", "R", "--wait", "--json"]);
    assert!(r["left_out"].get("missing_permission").is_none(), "{r}");
}

/// Starts `campaign send NAME --wait` in the background and waits until the
/// relay has `at_least` messages.
fn sending(data: &Path, relay: &TestRelay, name: &str, at_least: usize) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(["campaign", "send", name, "--wait"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while relay.received().len() < at_least {
        assert!(start.elapsed().as_secs() < 60, "the send never got going");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child
}

#[test]
fn pausing_stops_a_running_send_which_send_resumes_and_cancelling_sends_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let n = 200;
    let data = many(dir.path(), &relay.url(), n, 50);
    let mut child = sending(&data, &relay, "Big", 10);
    let paused = json(&data, &["campaign", "pause", "Big", "--json"]);
    assert_eq!(paused["state"], "paused");
    let status = child.wait().unwrap();
    assert!(status.success(), "the running send stops when paused");
    let at_pause = relay.received().len();
    assert!(at_pause < n, "{at_pause}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        relay.received().len(),
        at_pause,
        "nothing more while paused"
    );
    assert_eq!(
        flokk(&data, &["campaign", "pause", "Big"]).status.code(),
        Some(2)
    );

    ok(&data, &["config", "set", "smtp_rate_per_second", "1000"]);
    let done = json(&data, &["campaign", "send", "Big", "--wait", "--json"]);
    assert_eq!(done["state"], "sent", "{done}");
    let mut to: Vec<String> = relay.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), relay.received().len(), "no one twice");
    assert_eq!(
        to.len() as u64 + done["unknown"].as_u64().unwrap(),
        n as u64,
        "{done}"
    );

    // Cancelling mid-send: the rest is never sent.
    ok(&data, &["config", "set", "smtp_rate_per_second", "50"]);
    let body = dir.path().join("b.md");
    ok(
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
            body.to_str().unwrap(),
        ],
    );
    let before = relay.received().len();
    let mut child = sending(&data, &relay, "Second", before + 10);
    let cancelled = json(&data, &["campaign", "cancel", "Second", "--json"]);
    assert_eq!(cancelled["state"], "cancelled");
    assert!(child.wait().unwrap().success());
    let second = relay.received().len() - before;
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        relay.received().len() - before,
        second,
        "nothing after the cancel"
    );
    assert!(second < n, "{second}");
    let report = json(&data, &["campaign", "show", "Second", "--json"]);
    assert_eq!(report["queued"], 0, "{report}");
    assert_eq!(report["state"], "cancelled");
    assert_eq!(
        flokk(&data, &["campaign", "send", "Second"]).status.code(),
        Some(2)
    );
    assert_eq!(
        flokk(&data, &["campaign", "cancel", "Second"])
            .status
            .code(),
        Some(2)
    );
}

/// A static list is an audience like a saved segment (cli.md's AUDIENCE):
/// a campaign to a list mails its frozen members, through the same gate.
/// (Before, `campaign create` and the freeze looked up saved segments only
/// and refused a list as `unknown_segment`.)
#[test]
fn a_campaign_to_a_static_list_mails_its_members() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let ids = dir.path().join("picked.csv");
    // 3 is unsubscribed: the gate still applies to a list.
    std::fs::write(&ids, "id\n1\n2\n3\n").unwrap();
    ok(
        &data,
        &[
            "list",
            "create",
            "Picked",
            "--from-file",
            ids.to_str().unwrap(),
        ],
    );
    let body = dir.path().join("plain.md");
    std::fs::write(&body, "Hello {{ first_name | default: \"friend\" }}\n").unwrap();
    let created = json(
        &data,
        &[
            "campaign",
            "create",
            "To the list",
            "Picked",
            "--subject",
            "Picked for you",
            "--body-file",
            body.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(created["state"], "draft", "{created}");
    let sent = json(
        &data,
        &["campaign", "send", "To the list", "--wait", "--json"],
    );
    assert_eq!(sent["state"], "sent", "{sent}");
    assert_eq!(sent["left_out"]["unsubscribed"], 1, "{sent}");
    assert_eq!(sent["recipients"], 2, "{sent}");
    let mut to: Vec<String> = relay.received().iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["ann@example.no", "bo@example.no"]);
}
