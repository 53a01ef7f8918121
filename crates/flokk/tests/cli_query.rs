//! `flokk count` and `flokk members` (cli.md): JSON shapes, exit codes,
//! per-clause counts, sorting and paging, on a small store with known
//! answers.

use std::path::Path;
use std::process::{Command, Output};

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("FLOKK_NOW", "2025-06-01T12:00:00Z")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Four customers: a has two orders (one cancelled), b one big order and
/// the VIP tag, c none, d an order after "now".
const STORE: &str = r#"{"kind":"customer","id":"a","email":"a@x.no","tags":["newsletter"],"addresses":[{"city":"Oslo","country":"NO","region":"NO-03","lat":59.91,"lon":10.75}]}
{"kind":"customer","id":"b","email":"b@y.com","tags":["VIP"],"email_subscription":"SUBSCRIBED"}
{"kind":"customer","id":"c","birth_date":"1990-06-10"}
{"kind":"customer","id":"d"}
{"kind":"order","id":"1","customer_id":"a","placed_at":"2025-05-01T10:00:00Z","total":100,"lines":[{"product_id":"p1","tags":["Shorts"],"quantity":1,"price":100}]}
{"kind":"order","id":"2","customer_id":"a","placed_at":"2025-05-02T10:00:00Z","total":50,"cancelled":true,"lines":[{"product_id":"p2","quantity":1,"price":50}]}
{"kind":"order","id":"3","customer_id":"b","placed_at":"2025-03-01T10:00:00Z","total":900,"refunded":100,"lines":[{"product_id":"p2","quantity":3,"price":300}]}
{"kind":"order","id":"4","customer_id":"d","placed_at":"2025-07-01T10:00:00Z","total":10}
"#;

fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("store.ndjson");
    std::fs::write(&file, STORE).unwrap();
    let data = tmp.path().join("data");
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, data)
}

fn ids(data: &Path, query: &str) -> Vec<String> {
    let out = flokk(data, &["members", query]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out).lines().map(str::to_owned).collect()
}

#[test]
fn count_prints_the_documented_json_shape() {
    let (_t, data) = store();
    let out = flokk(
        &data,
        &[
            "count",
            "number_of_orders >= 1 AND customer_tags NOT CONTAINS 'vip'",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["count"], 1);
    assert_eq!(v["total"], 4);
    assert_eq!(v["percent"], 25.0);
    assert_eq!(
        v["clauses"],
        serde_json::json!([
            {"text": "number_of_orders >= 1", "count": 2},
            {"text": "customer_tags NOT CONTAINS 'vip'", "count": 3},
        ])
    );
    assert!(v["eval_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(v["statistics"]["amount_spent_sum"], 100.0);
}

#[test]
fn answers_follow_the_spec_rules() {
    let (_t, data) = store();
    // Cancelled orders count nowhere; refunds are subtracted; future orders are invisible.
    assert_eq!(ids(&data, "number_of_orders = 1"), ["a", "b"]);
    assert_eq!(ids(&data, "amount_spent = 800"), ["b"]);
    assert_eq!(ids(&data, "number_of_orders = 0"), ["c", "d"]);
    // CONTAINS is case-insensitive; NOT CONTAINS includes empty lists.
    assert_eq!(ids(&data, "customer_tags CONTAINS 'vip'"), ["b"]);
    assert_eq!(
        ids(&data, "customer_tags NOT CONTAINS 'vip'"),
        ["a", "c", "d"]
    );
    // != includes missing values.
    assert_eq!(
        ids(&data, "email_subscription_status != 'SUBSCRIBED'"),
        ["a", "c", "d"]
    );
    assert_eq!(ids(&data, "customer_email_domain = 'y.com'"), ["b"]);
    assert_eq!(ids(&data, "first_order_date IS NULL"), ["c", "d"]);
    assert_eq!(
        ids(&data, "last_order_date BETWEEN 2025-05-01 AND 2025-05-01"),
        ["a"]
    );
    assert_eq!(ids(&data, "last_order_date > -60d"), ["a"]);
    assert_eq!(
        ids(&data, "products_purchased MATCHES (tag = 'shorts')"),
        ["a"]
    );
    assert_eq!(ids(&data, "products_purchased MATCHES (id = 'p2')"), ["b"]);
    assert_eq!(
        ids(&data, "products_purchased MATCHES (sum_quantity >= 3)"),
        ["b"]
    );
    assert_eq!(ids(&data, "orders_placed MATCHES (count = 0)"), ["c", "d"]);
    assert_eq!(
        ids(&data, "orders_placed MATCHES (sum_amount < 500)"),
        ["a", "c", "d"]
    );
    assert_eq!(
        ids(&data, "NOT (customer_countries CONTAINS 'NO')"),
        ["b", "c", "d"]
    );
    assert_eq!(ids(&data, "customer_regions CONTAINS 'NO-03'"), ["a"]);
    assert_eq!(
        ids(
            &data,
            "customer_within_distance MATCHES (coordinates = (59.95, 10.75), distance_km = 5)"
        ),
        ["a"]
    );
    // c turns 35 on 10 June; "now" is 1 June.
    assert_eq!(ids(&data, "age = 34"), ["c"]);
    assert_eq!(ids(&data, "age = 35 OR age IS NULL"), ["a", "b", "d"]);
}

#[test]
fn members_sort_page_and_format() {
    let (_t, data) = store();
    let out = flokk(
        &data,
        &[
            "members",
            "number_of_orders >= 0",
            "--sort",
            "-amount_spent",
            "--limit",
            "2",
        ],
    );
    assert_eq!(stdout(&out), "b\na\n");
    let out = flokk(
        &data,
        &["members", "number_of_orders >= 0", "--offset", "3"],
    );
    assert_eq!(stdout(&out), "d\n");
    let out = flokk(
        &data,
        &["members", "customer_tags CONTAINS 'vip'", "--format", "csv"],
    );
    assert_eq!(
        stdout(&out),
        "id,email,first_name,last_name,amount_spent,number_of_orders,last_order_date\nb,b@y.com,,,800.00,1,2025-03-01T10:00:00+00:00\n"
    );
    let out = flokk(
        &data,
        &[
            "members",
            "customer_tags CONTAINS 'vip'",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["id"], "b");
    let out = flokk(
        &data,
        &["members", "number_of_orders >= 0", "--sort", "shoe_size"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("members cannot be sorted by 'shoe_size'; sort by one of: id, amount_spent,")
            && stderr.contains("(unknown_sort_field)"),
        "{stderr}"
    );
}

#[test]
fn bad_queries_and_unavailable_filters_are_user_errors() {
    let (_t, data) = store();
    let out = flokk(&data, &["count", "number_of_ordres > 1", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v["error"]["code"], "invalid_query");
    assert_eq!(v["error"]["errors"][0]["code"], "unknown_filter");
    assert_eq!(v["error"]["errors"][0]["suggestion"], "number_of_orders");
    // No segment of that name: a user error naming the cause.
    let out = flokk(&data, &["count", "customer_segments CONTAINS 'VIP'"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown_segment"));
}

#[test]
fn the_engine_snapshot_is_reused_only_while_it_matches_the_store() {
    let (tmp, data) = store();
    let count = |data: &Path| -> (u64, String) {
        let out = flokk(data, &["count", "number_of_orders >= 0", "--json"]);
        assert_eq!(out.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        (
            v["count"].as_u64().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(count(&data).0, 4);
    let snapshot = data.join("engine.snapshot");
    assert!(snapshot.exists(), "the first query writes a snapshot");
    // A write moves the store past the snapshot: it is rebuilt, not trusted.
    let more = tmp.path().join("more.ndjson");
    std::fs::write(&more, "{\"kind\":\"customer\",\"id\":\"e\"}\n").unwrap();
    assert_eq!(
        flokk(&data, &["import", more.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(count(&data).0, 5);
    // A damaged snapshot is noticed (a note on stderr) and replaced.
    let damage = || {
        let mut bytes = std::fs::read(&snapshot).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&snapshot, &bytes).unwrap();
    };
    damage();
    let human = |data: &Path| {
        let out = flokk(data, &["count", "number_of_orders >= 0"]);
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = human(&data);
    assert!(stderr.contains("rebuilding the engine"), "{stderr}");
    assert!(
        !human(&data).contains("rebuilding"),
        "the replacement is used"
    );
    // With --json stderr holds nothing but an error document: no note.
    damage();
    let (n, stderr) = count(&data);
    assert_eq!(n, 5);
    assert_eq!(stderr, "");
}

/// A stale snapshot is caught up with the store's changes (customers
/// changed, replaced and deleted, new orders, events, checkouts, the
/// catalogue) and answers exactly as an engine built from scratch.
#[test]
fn a_caught_up_snapshot_answers_like_a_rebuild() {
    let (tmp, data) = store();
    assert_eq!(ids(&data, "number_of_orders >= 0").len(), 4);
    let changes = tmp.path().join("changes.ndjson");
    std::fs::write(
        &changes,
        r#"{"kind":"customer","id":"a","email":"a@z.se","tags":["vip"],"addresses":[{"city":"Bergen","country":"NO","region":"NO-46","lat":60.39,"lon":5.32}],"properties":{"points":5}}
{"kind":"order","id":"1","customer_id":"a","placed_at":"2025-05-20T10:00:00Z","total":300,"lines":[{"product_id":"p9","tags":["Tops"],"quantity":2,"price":150}]}
{"kind":"delete","entity":"customer","id":"b"}
{"kind":"customer","id":"f","tags":["new"]}
{"kind":"order","id":"9","customer_id":"f","placed_at":"2025-05-30T10:00:00Z","total":80,"lines":[{"performance_id":"perf1","quantity":2,"price":40}]}
{"kind":"email_event","customer_id":"f","type":"opened","activity_id":"a1","at":"2025-05-31T08:00:00Z"}
{"kind":"checkout","id":"k1","customer_id":"c","abandoned_at":"2025-05-29T08:00:00Z","total":20}
{"kind":"venue","id":"v1","name":"Hall","lat":59.9,"lon":10.7}
{"kind":"production","id":"prod1","name":"Play"}
{"kind":"performance","id":"perf1","production_id":"prod1","venue_id":"v1","starts_at":"2025-06-10T19:00:00Z"}
"#,
    )
    .unwrap();
    let out = flokk(&data, &["import", changes.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let queries = [
        "number_of_orders >= 0",
        "amount_spent > 200",
        "customer_tags CONTAINS 'vip'",
        "customer_tags CONTAINS 'VIP'",
        "customer_cities CONTAINS 'NO-46-Bergen'",
        "customer_email_domain = 'z.se'",
        "metafields.custom.points > 1",
        "products_purchased MATCHES (tag = 'Tops')",
        "products_purchased MATCHES (tag = 'Shorts')",
        "shopify_email.opened MATCHES (date > -7d)",
        "abandoned_checkout_date > -7d",
        "tickets_purchased MATCHES (production_id = 'prod1')",
        "customer_within_distance MATCHES (coordinates = (60.39, 5.32), distance_km = 10)",
        "customer_within_distance MATCHES (venue_id = 'v1', distance_km = 5)",
    ];
    let caught_up: Vec<Vec<String>> = queries.iter().map(|q| ids(&data, q)).collect();
    std::fs::remove_file(data.join("engine.snapshot")).unwrap();
    let rebuilt: Vec<Vec<String>> = queries.iter().map(|q| ids(&data, q)).collect();
    for ((q, a), b) in queries.iter().zip(&caught_up).zip(&rebuilt) {
        assert_eq!(a, b, "{q}");
    }
    assert_eq!(caught_up[0], ["a", "c", "d", "f"]);
    assert_eq!(caught_up[2], ["a"]);
    assert_eq!(caught_up[7], ["a"]);
    assert_eq!(caught_up[11], ["f"]);
}
