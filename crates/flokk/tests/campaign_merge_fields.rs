//! A campaign's merge fields beyond the customer record, against a real
//! SMTP server (`smtp_relay/`): computed fields by their filter name
//! (`amount_spent`, `average_order_value`, `last_order_date`, ...) with the
//! currency's decimals, exact, frozen when sending starts; and
//! `{{ discount_code }}`, the code the campaign's `--discount` issued each
//! recipient, with members it issued none left out as `no_discount_code`.

#[path = "campaign_server/mod.rs"]
mod campaign_server;
#[path = "common/mod.rs"]
mod common;
#[path = "smtp_relay/mod.rs"]
#[allow(dead_code)] // each test file uses its own part
mod smtp_relay;

use campaign_server::run_ok;
use common::{flokk, json, stderr, stdout};
use smtp_relay::TestRelay;
use std::path::{Path, PathBuf};

/// Ann (VIP, two orders), Bo (VIP, no orders), Cy (not VIP) — all
/// subscribed and tagged `news`; a unique-code discount for the VIPs.
fn store(dir: &Path, relay: &TestRelay) -> PathBuf {
    let data = dir.join("store");
    let file = dir.join("c.ndjson");
    let lines = [
        r#"{"kind":"customer","id":"ann","email":"ann@example.no","first_name":"Ann","email_subscription":"SUBSCRIBED","tags":["news","vip"]}"#,
        r#"{"kind":"customer","id":"bo","email":"bo@example.no","email_subscription":"SUBSCRIBED","tags":["news","vip"]}"#,
        r#"{"kind":"customer","id":"cy","email":"cy@example.no","email_subscription":"SUBSCRIBED","tags":["news"]}"#,
        r#"{"kind":"order","id":"o1","customer_id":"ann","placed_at":"2026-10-01T10:00:00Z","total":100.1}"#,
        r#"{"kind":"order","id":"o2","customer_id":"ann","placed_at":"2026-11-20T23:30:00Z","total":50.25}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    run_ok(&data, &["import", file.to_str().unwrap()]);
    for args in [
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ][..],
        &[
            "segment",
            "create",
            "News",
            "--query",
            "customer_tags CONTAINS 'news'",
        ][..],
        &["config", "set", "smtp_url", &relay.url()][..],
        &["config", "set", "smtp_from", "news@shop.example"][..],
        &["config", "set", "public_url", "https://flokk.shop.example"][..],
        &["config", "set", "smtp_rate_per_second", "1000"][..],
        &["config", "set", "timezone", "Europe/Oslo"][..],
    ] {
        run_ok(&data, args);
    }
    run_ok(
        &data,
        &[
            "discount",
            "create",
            "Thanks",
            "--segment",
            "VIP",
            "--unique",
            "--prefix",
            "TY-",
            "--percent",
            "10",
        ],
    );
    data
}

fn create(data: &Path, dir: &Path, name: &str, body: &str, extra: &[&str]) -> std::process::Output {
    let file = dir.join(format!("{name}.md"));
    std::fs::write(&file, body).unwrap();
    let mut args = vec![
        "campaign",
        "create",
        name,
        "News",
        "--subject",
        "Hello {{ first_name | default: \"friend\" }}",
        "--body-file",
        file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    flokk(data, &args)
}

/// The text part of a received message, quoted-printable undone enough
/// for plain ASCII values (soft breaks joined).
fn text_of(data: &str) -> String {
    data.replace("=\r\n", "").replace("=3D", "=")
}

#[test]
fn computed_fields_and_the_discount_code_are_merged_and_frozen_with_the_audience() {
    let dir = tempfile::tempdir().unwrap();
    let relay = TestRelay::start();
    let data = store(dir.path(), &relay);
    let body = "Spent {{ amount_spent }} in {{ number_of_orders }} orders, \
                {{ average_order_value }} each, last {{ last_order_date | default: \"never\" }}. \
                Code: {{ discount_code }}\n";

    // The code needs a discount, one that exists.
    let missing = create(&data, dir.path(), "NoDiscount", body, &["--json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("--discount"),
        "{}",
        stderr(&missing)
    );
    let unknown = create(
        &data,
        dir.path(),
        "Unknown",
        body,
        &["--discount", "Nope", "--json"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no discount named"),
        "{}",
        stderr(&unknown)
    );
    let made = create(
        &data,
        dir.path(),
        "Thanks",
        body,
        &["--discount", "Thanks", "--json"],
    );
    assert!(made.status.success(), "{}", stderr(&made));

    // The preview shows what sending now would freeze.
    let ann_code = stdout(&run_ok(&data, &["discount", "codes", "Thanks"]))
        .lines()
        .find(|l| l.contains("ann"))
        .and_then(|l| {
            l.split(',')
                .find(|f| f.starts_with("TY-"))
                .map(str::to_owned)
        })
        .expect("Ann has a code");
    let preview = stdout(&run_ok(
        &data,
        &["campaign", "preview", "Thanks", "--customer", "ann"],
    ));
    let preview = text_of(&preview);
    // 150.35 exactly; 75.175 rounded half away from zero; the last order's
    // day in Oslo (23:30 UTC is past midnight there).
    assert!(
        preview.contains(&format!(
            "Spent 150.35 in 2 orders, 75.18 each, last 2026-11-21. Code: {ann_code}"
        )),
        "{preview}"
    );

    let r = json(&data, &["campaign", "send", "Thanks", "--wait", "--json"]);
    assert_eq!(r["recipients"], 2, "{r}");
    assert_eq!(r["left_out"]["no_discount_code"], 1, "Cy has no code: {r}");
    let received = relay.received();
    assert_eq!(received.len(), 2);
    let to_ann = received
        .iter()
        .find(|m| m.to.iter().any(|t| t == "ann@example.no"))
        .unwrap();
    assert!(
        text_of(&to_ann.data).contains(&format!(
            "Spent 150.35 in 2 orders, 75.18 each, last 2026-11-21. Code: {ann_code}"
        )),
        "{}",
        to_ann.data
    );
    let to_bo = received
        .iter()
        .find(|m| m.to.iter().any(|t| t == "bo@example.no"))
        .unwrap();
    assert!(
        text_of(&to_bo.data).contains("Spent 0.00 in 0 orders"),
        "{}",
        to_bo.data
    );
    assert!(
        text_of(&to_bo.data).contains("last never"),
        "{}",
        to_bo.data
    );
    assert!(!to_bo.data.contains(&ann_code), "each their own code");

    // An unknown field is still refused at create time, with its place.
    let typo = create(&data, dir.path(), "Typo", "{{ amount_spnt }}", &["--json"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("invalid_template"),
        "{}",
        stderr(&typo)
    );
}
