//! Ticketing venues from the command line (issue 22): `--shown-for` on
//! count, members, segment members and export; the home venue (setting
//! `venue`) as the origin of distances; place names and postcodes. Every
//! expected answer is worked out by hand from the small store below.

mod common;

use common::{flokk, json, refused, stderr, stdout};
use std::path::{Path, PathBuf};

/// Customers and what they hold:
/// - `ann` (Oslo): Carmen on 10 January, Tosca;
/// - `bob` (Oslo): Carmen on 12 January;
/// - `cid` (Drammen, ~36 km from the opera): Tosca;
/// - `dag` (Bergen, ~305 km): nothing;
/// - `eve` (Boston, Beacon Hill): nothing.
const STORE: &str = r#"{"kind":"venue","id":"operaen","name":"Operaen","lat":59.9075,"lon":10.7531}
{"kind":"venue","id":"tent","name":"Touring tent"}
{"kind":"production","id":"carmen","name":"Carmen"}
{"kind":"production","id":"tosca","name":"Tosca"}
{"kind":"performance","id":"carmen-0110","production_id":"carmen","venue_id":"operaen","starts_at":"2026-01-10T19:00:00+01:00"}
{"kind":"performance","id":"carmen-0112","production_id":"carmen","venue_id":"operaen","starts_at":"2026-01-12T19:00:00+01:00"}
{"kind":"performance","id":"tosca-0201","production_id":"tosca","venue_id":"operaen","starts_at":"2026-02-01T19:00:00+01:00"}
{"kind":"customer","id":"ann","email":"ann@example.no","email_subscription":"SUBSCRIBED","addresses":[{"city":"Oslo","country":"NO","lat":59.9139,"lon":10.7522}]}
{"kind":"customer","id":"bob","email":"bob@example.no","email_subscription":"SUBSCRIBED","addresses":[{"city":"Oslo","country":"NO","lat":59.92,"lon":10.76}]}
{"kind":"customer","id":"cid","email":"cid@example.no","addresses":[{"city":"Drammen","country":"NO","lat":59.7439,"lon":10.2045}]}
{"kind":"customer","id":"dag","email":"dag@example.no","addresses":[{"city":"Bergen","country":"NO","lat":60.3913,"lon":5.3221}]}
{"kind":"customer","id":"eve","email":"eve@example.com","addresses":[{"city":"Boston","country":"US","lat":42.3588,"lon":-71.0707}]}
{"kind":"order","id":"o1","customer_id":"ann","placed_at":"2025-11-01T10:00:00Z","total":900,"lines":[{"performance_id":"carmen-0110","quantity":2,"price":450}]}
{"kind":"order","id":"o2","customer_id":"ann","placed_at":"2025-11-02T10:00:00Z","total":300,"lines":[{"performance_id":"tosca-0201","quantity":1,"price":300}]}
{"kind":"order","id":"o3","customer_id":"bob","placed_at":"2025-11-03T10:00:00Z","total":450,"lines":[{"performance_id":"carmen-0112","quantity":1,"price":450}]}
{"kind":"order","id":"o4","customer_id":"cid","placed_at":"2025-11-04T10:00:00Z","total":300,"lines":[{"performance_id":"tosca-0201","quantity":1,"price":300}]}
"#;

const EVERYONE: &str = "number_of_orders >= 0";

fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let file = tmp.path().join("venues.ndjson");
    std::fs::write(&file, STORE).unwrap();
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (tmp, data)
}

fn members(data: &Path, args: &[&str]) -> Vec<String> {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out).lines().map(str::to_owned).collect()
}

#[test]
fn shown_for_leaves_out_the_ticket_holders_everywhere() {
    let (_tmp, data) = store();
    assert_eq!(
        members(&data, &["members", EVERYONE]),
        ["ann", "bob", "cid", "dag", "eve"]
    );
    // Carmen: ann and bob hold tickets (to different dates).
    assert_eq!(
        members(
            &data,
            &["members", EVERYONE, "--shown-for", "production:carmen"]
        ),
        ["cid", "dag", "eve"]
    );
    // One date of Carmen: only ann holds a ticket to it.
    assert_eq!(
        members(
            &data,
            &[
                "members",
                EVERYONE,
                "--shown-for",
                "performance:carmen-0110"
            ]
        ),
        ["bob", "cid", "dag", "eve"]
    );
    let count = json(
        &data,
        &[
            "--json",
            "count",
            "number_of_orders >= 1",
            "--shown-for",
            "production:tosca",
        ],
    );
    // ann, bob, cid bought; ann and cid hold Tosca.
    assert_eq!(count["count"], 1, "{count}");
    let clauses = count["clauses"].as_array().unwrap();
    assert_eq!(
        clauses.last().unwrap()["text"],
        "tickets_purchased NOT MATCHES (production_id = 'tosca')"
    );
    assert_eq!(clauses.last().unwrap()["count"], 3, "bob, dag, eve");
    // A saved segment's members, and a static list's.
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "Buyers",
            "--query",
            "number_of_orders >= 1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        members(
            &data,
            &[
                "segment",
                "members",
                "Buyers",
                "--shown-for",
                "production:carmen"
            ]
        ),
        ["cid"]
    );
    // An export writes only those shown for it.
    let out = flokk(
        &data,
        &[
            "export",
            "Buyers",
            "--format",
            "csv",
            "--columns",
            "email",
            "--shown-for",
            "performance:carmen-0112",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(
        csv.contains("ann@example.no") && csv.contains("cid@example.no"),
        "{csv}"
    );
    assert!(!csv.contains("bob@"), "bob holds a ticket to it: {csv}");
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");
}

#[test]
fn shown_for_an_unknown_production_or_performance_is_an_error_naming_it() {
    let (_tmp, data) = store();
    let e = refused(
        &data,
        &[
            "--json",
            "count",
            "number_of_orders >= 1",
            "--shown-for",
            "production:carmne",
        ],
    );
    assert_eq!(e["error"]["code"], "unknown_production", "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("'carmne'"), "{message}");
    assert!(
        message.contains("'carmen'"),
        "lists the known ones: {message}"
    );
    let e = refused(
        &data,
        &[
            "--json",
            "members",
            EVERYONE,
            "--shown-for",
            "performance:carmen-2099",
        ],
    );
    assert_eq!(e["error"]["code"], "unknown_performance", "{e}");
    let e = refused(
        &data,
        &[
            "--json",
            "export",
            "--query",
            EVERYONE,
            "--format",
            "csv",
            "--shown-for",
            "tosca",
        ],
    );
    assert_eq!(e["error"]["code"], "invalid_shown_for", "{e}");
}

#[test]
fn the_home_venue_is_checked_when_set_and_measured_from() {
    let (_tmp, data) = store();
    let near = "customer_within_distance MATCHES (distance_km = 50)";
    // No home venue yet: an error that says how to set one.
    let e = refused(&data, &["--json", "count", near]);
    assert_eq!(e["error"]["code"], "no_home_venue", "{e}");
    let e = refused(&data, &["--json", "config", "set", "venue", "operan"]);
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("\"operan\""), "{message}");
    assert!(
        message.contains("operaen"),
        "lists the known venues: {message}"
    );
    let out = flokk(&data, &["config", "set", "venue", "operaen"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(members(&data, &["members", near]), ["ann", "bob", "cid"]);
    assert_eq!(
        members(
            &data,
            &[
                "members",
                "customer_within_distance MATCHES (distance_km = 5)"
            ]
        ),
        ["ann", "bob"]
    );
    // A venue id in a query that names no venue, or one without a position.
    let e = refused(
        &data,
        &[
            "--json",
            "count",
            "customer_within_distance MATCHES (venue_id = 'atlantis', distance_km = 50)",
        ],
    );
    assert_eq!(e["error"]["code"], "unknown_venue", "{e}");
    let e = refused(
        &data,
        &[
            "--json",
            "count",
            "customer_within_distance MATCHES (venue_id = 'tent', distance_km = 50)",
        ],
    );
    assert_eq!(e["error"]["code"], "venue_without_coordinates", "{e}");
}

#[test]
fn place_names_and_postcodes_are_origins() {
    let (_tmp, data) = store();
    assert_eq!(
        members(
            &data,
            &[
                "members",
                "customer_within_distance MATCHES (place = 'Boston, US', distance_km = 48)"
            ]
        ),
        ["eve"]
    );
    assert_eq!(
        members(
            &data,
            &[
                "members",
                "customer_within_distance MATCHES (postcode = '0154', country = 'NO', distance_km = 40)"
            ]
        ),
        ["ann", "bob", "cid"]
    );
    let e = refused(
        &data,
        &[
            "--json",
            "count",
            "customer_within_distance MATCHES (place = 'Portland, US', distance_mi = 30)",
        ],
    );
    assert_eq!(e["error"]["code"], "ambiguous_place", "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("'Portland, US-ME, US'"), "{message}");
}

/// Subscriptions relative to the real clock (the CLI tests run without a
/// fixed now): ann's season runs until next year, bob's ended last year,
/// cid's membership is cancelled, dag's starts next year; eve has none.
fn subscriptions_file(dir: &Path) -> PathBuf {
    let year = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year();
    let file = dir.join("subscriptions.ndjson");
    let line = |id: &str,
                who: &str,
                plan: &str,
                starts: String,
                ends: Option<String>,
                status: &str| {
        let ends = ends.map_or(String::new(), |e| format!(r#","ends":"{e}""#));
        format!(
            r#"{{"kind":"subscription","id":"{id}","customer_id":"{who}","plan":"{plan}","starts":"{starts}"{ends},"status":"{status}"}}"#
        )
    };
    let text = [
        line(
            "s1",
            "ann",
            "season",
            format!("{}-08-01", year - 1),
            Some(format!("{}-06-30", year + 1)),
            "ACTIVE",
        ),
        line(
            "s2",
            "bob",
            "season",
            format!("{}-08-01", year - 2),
            Some(format!("{}-06-30", year - 1)),
            "ACTIVE",
        ),
        line(
            "s3",
            "cid",
            "membership",
            format!("{}-01-01", year - 3),
            None,
            "CANCELLED",
        ),
        line(
            "s4",
            "dag",
            "Season",
            format!("{}-08-01", year + 1),
            Some(format!("{}-06-30", year + 2)),
            "ACTIVE",
        ),
    ]
    .join("\n");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn subscriptions_are_imported_filtered_caught_up_and_dumped() {
    let (tmp, data) = store();
    // Before any subscription everyone is NONE (and the snapshot is saved).
    assert_eq!(
        members(&data, &["members", "subscription_status = 'NONE'"]),
        ["ann", "bob", "cid", "dag", "eve"]
    );
    let file = subscriptions_file(tmp.path());
    let out = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The engine catches up from its snapshot with the new records.
    assert_eq!(
        members(&data, &["members", "subscription_status = 'ACTIVE'"]),
        ["ann", "dag"]
    );
    assert_eq!(
        members(&data, &["members", "subscription_status = 'LAPSED'"]),
        ["bob", "cid"]
    );
    assert_eq!(
        members(&data, &["members", "subscription_status != 'NONE'"]),
        ["ann", "bob", "cid", "dag"]
    );
    assert_eq!(
        members(
            &data,
            &["members", "subscriptions MATCHES (plan = 'season')"]
        ),
        ["ann", "bob", "dag"],
        "plans compare without regard to case"
    );
    assert_eq!(
        members(&data, &["members", "subscriptions MATCHES (date > today)"]),
        ["dag"]
    );
    assert_eq!(
        members(&data, &["members", "subscriptions MATCHES (ends < today)"]),
        ["bob"]
    );
    // Cancelling ann's season moves her to LAPSED.
    let cancel = tmp.path().join("cancel.ndjson");
    let year = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year();
    std::fs::write(
        &cancel,
        format!(
            r#"{{"kind":"subscription","id":"s1","customer_id":"ann","plan":"season","starts":"{}-08-01","status":"CANCELLED"}}"#,
            year - 1
        ),
    )
    .unwrap();
    let out = flokk(&data, &["import", cancel.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        members(&data, &["members", "subscription_status = 'ACTIVE'"]),
        ["dag"]
    );
    let dumped = stdout(&flokk(&data, &["dump"]));
    assert_eq!(
        dumped.matches(r#""kind":"subscription""#).count(),
        4,
        "{dumped}"
    );
    // ClickHouse refuses them rather than answer differently.
    let e = refused(
        &data,
        &[
            "--json",
            "sql",
            "subscription_status = 'ACTIVE'",
            "--dialect",
            "clickhouse",
        ],
    );
    assert_eq!(e["error"]["code"], "unsupported_on_clickhouse", "{e}");
}
