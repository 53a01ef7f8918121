//! Organisations and segment descriptions on the command line, and
//! `flokk demo --ticketing`: the venue group it builds, deterministic for
//! a seed, with ticketing queries that find customers.

mod common;

use common::{flokk, json, refused, stderr, stdout};
use serde_json::Value;
use std::path::Path;

const NOW: &str = "2026-11-24T12:00:00Z";

fn catalogue(data: &Path) {
    let file = data.parent().unwrap().join("group.ndjson");
    std::fs::write(
        &file,
        [
            r#"{"kind":"venue","id":"opera-house","name":"Opera House","organisation":"Opera"}"#,
            r#"{"kind":"venue","id":"jazz-club","name":"Jazz Club","organisation":"Jazz"}"#,
            r#"{"kind":"production","id":"carmen","name":"Carmen","organisation":"Opera"}"#,
            r#"{"kind":"customer","id":"a"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    json(data, &["import", file.to_str().unwrap(), "--json"]);
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "segment" && s["author"] != "flokk")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn segments_carry_an_organisation_and_a_searchable_description() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    catalogue(&data);
    let created = json(
        &data,
        &[
            "segment",
            "create",
            "Opera fans",
            "--query",
            "number_of_orders >= 0",
            "--organisation",
            "Opera",
            "--description",
            "Everyone for the spring GALA",
            "--json",
        ],
    );
    assert_eq!(created["organisation"], "Opera");
    assert_eq!(created["description"], "Everyone for the spring GALA");
    json(
        &data,
        &[
            "segment",
            "create",
            "Jazz fans",
            "--query",
            "number_of_orders >= 0",
            "--organisation",
            "Jazz",
            "--json",
        ],
    );
    json(
        &data,
        &[
            "segment",
            "create",
            "Shared",
            "--query",
            "number_of_orders >= 0",
            "--json",
        ],
    );

    let opera = json(
        &data,
        &["segment", "list", "--organisation", "Opera", "--json"],
    );
    assert_eq!(names(&opera), ["Opera fans"]);
    let found = json(&data, &["segment", "list", "--search", "gala", "--json"]);
    assert_eq!(names(&found), ["Opera fans"]);
    let shown = stdout(&flokk(&data, &["segment", "show", "Opera fans"]));
    assert!(
        shown.contains("Everyone for the spring GALA") && shown.contains("Opera"),
        "{shown}"
    );
    let listed = stdout(&flokk(&data, &["segment", "list"]));
    assert!(
        listed.contains("ORGANISATION"),
        "a venue group shows the column: {listed}"
    );

    // A typo is refused with the known organisations, and nothing is saved.
    let e = refused(
        &data,
        &[
            "segment",
            "create",
            "Typo",
            "--query",
            "number_of_orders >= 0",
            "--organisation",
            "Operaa",
            "--json",
        ],
    );
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("\"Jazz\", \"Opera\""), "{e}");
    assert!(
        json(&data, &["segment", "list", "--search", "typo", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    refused(
        &data,
        &["segment", "list", "--organisation", "Nope", "--json"],
    );

    // Moved and shared again.
    let moved = json(
        &data,
        &[
            "segment",
            "update",
            "Shared",
            "--organisation",
            "Jazz",
            "--json",
        ],
    );
    assert_eq!(moved["organisation"], "Jazz");
    let back = json(
        &data,
        &["segment", "update", "Shared", "--shared", "--json"],
    );
    assert!(back.get("organisation").is_none(), "{back}");

    // Tokens limited to organisations.
    let token = json(
        &data,
        &[
            "token",
            "create",
            "opera-sync",
            "--scopes",
            "read",
            "--organisation",
            "Opera",
            "--json",
        ],
    );
    assert_eq!(
        token["token"]["organisations"],
        serde_json::json!(["Opera"])
    );
    let e = refused(
        &data,
        &[
            "token",
            "create",
            "x",
            "--scopes",
            "read",
            "--organisation",
            "Ballet",
            "--json",
        ],
    );
    assert!(
        e["error"]["message"].as_str().unwrap().contains("Ballet"),
        "{e}"
    );
    let list = stdout(&flokk(&data, &["token", "list"]));
    assert!(list.contains("organisations Opera"), "{list}");
}

#[test]
fn a_store_of_one_organisation_shows_no_organisation_column() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    json(
        &data,
        &[
            "segment",
            "create",
            "All",
            "--query",
            "number_of_orders >= 0",
            "--json",
        ],
    );
    let listed = stdout(&flokk(&data, &["segment", "list"]));
    assert!(!listed.contains("ORGANISATION"), "{listed}");
}

fn demo(data: &Path, seed: &str) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args([
            "--now",
            NOW,
            "--timezone",
            "Europe/Oslo",
            "demo",
            "--ticketing",
        ])
        .args(["--customers", "1500", "--seed", seed, "--no-serve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn at_now(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--now", NOW];
    all.extend_from_slice(args);
    json(data, &all)
}

fn dump_to(data: &Path, file: &Path) {
    let out = flokk(data, &["dump", "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn count(data: &Path, query: &str) -> u64 {
    at_now(data, &["count", query, "--json"])["count"]
        .as_u64()
        .unwrap()
}

#[test]
fn the_ticketing_demo_builds_a_venue_group_with_plausible_answers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("group");
    demo(&data, "7");

    // The catalogue: 2 organisations, 6 venues, 60 productions, ~2,000 performances.
    let dump = dir.path().join("dump.ndjson");
    dump_to(&data, &dump);
    let text = std::fs::read_to_string(&dump).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| {
        records
            .iter()
            .filter(|r| r["kind"] == kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(of("venue").len(), 6);
    assert_eq!(of("production").len(), 60);
    let performances = of("performance").len();
    assert!(
        (1800..=2200).contains(&performances),
        "{performances} performances"
    );
    let mut organisations: Vec<&str> = of("venue")
        .iter()
        .chain(of("production").iter())
        .map(|r| r["organisation"].as_str().unwrap())
        .collect();
    organisations.sort();
    organisations.dedup();
    assert_eq!(organisations, ["Opera", "Philharmonic"]);
    // Three seasons: performances from August two years back to next summer.
    let mut starts: Vec<&str> = of("performance")
        .iter()
        .map(|p| p["starts_at"].as_str().unwrap())
        .collect();
    starts.sort();
    assert!(starts[0].starts_with("2024-09"), "{}", starts[0]);
    assert!(
        starts.last().unwrap() > &"2027-03",
        "{}",
        starts.last().unwrap()
    );

    // Ticketing queries with plausible answers.
    let customers = 1500;
    let ticket_holders = count(&data, "number_of_tickets > 0");
    assert!(
        (customers / 2..customers).contains(&ticket_holders),
        "{ticket_holders}"
    );
    let box_office = count(&data, "tickets_purchased MATCHES (channel = 'box_office')");
    let online = count(&data, "tickets_purchased MATCHES (channel = 'online')");
    assert!(
        box_office > 100 && online > box_office,
        "{box_office} box office, {online} online"
    );
    let upcoming = count(
        &data,
        "tickets_purchased MATCHES (performance_date > today)",
    );
    assert!(
        upcoming > 20 && upcoming < ticket_holders,
        "{upcoming} hold tickets for what is to come"
    );
    let both = count(
        &data,
        "tickets_purchased MATCHES (venue_id = 'operaen') AND tickets_purchased MATCHES (venue_id = 'oslo-konserthus')",
    );
    assert!(both > 10, "the organisations share customers: {both}");
    let walk_ins = count(
        &data,
        "tickets_purchased MATCHES (channel = 'box_office', lead_time_days <= 1)",
    );
    assert!(walk_ins > 20 && walk_ins <= box_office, "{walk_ins}");
    let season = count(&data, "metafields.ticketing.season_plan = 'Opera 2026/27'");
    assert!(
        season > 5 && season < customers / 5,
        "{season} opera season tickets"
    );
    // Season tickets are subscription records as well: the current
    // season's holders of both organisations are ACTIVE; past seasons'
    // holders who bought none this season have LAPSED.
    let opera_this_season = count(
        &data,
        "subscriptions MATCHES (plan = 'Opera 2026/27', date = 2026-08-01)",
    );
    assert_eq!(opera_this_season, season, "one record per season ticket");
    let active = count(&data, "subscription_status = 'ACTIVE'");
    let this_season = count(
        &data,
        "metafields.ticketing.season_plan = 'Opera 2026/27' OR metafields.ticketing.season_plan = 'Philharmonic 2026/27'",
    );
    assert_eq!(active, this_season);
    let lapsed = count(&data, "subscription_status = 'LAPSED'");
    assert!(lapsed > 5, "{lapsed} held an earlier season's ticket");
    assert_eq!(
        count(&data, "subscription_status = 'NONE'") + active + lapsed,
        customers
    );
    let subscribed = count(&data, "email_subscription_status = 'SUBSCRIBED'");
    assert!(
        subscribed > customers / 4 && subscribed < customers * 3 / 4,
        "{subscribed}"
    );

    // Example segments of each organisation, with descriptions.
    let opera = at_now(
        &data,
        &["segment", "list", "--organisation", "Opera", "--json"],
    );
    let opera = opera.as_array().unwrap();
    assert!(!opera.is_empty() && opera.iter().all(|s| s["organisation"] == "Opera"));
    assert!(
        opera
            .iter()
            .all(|s| s["count"].as_u64().unwrap() > 0 && s["description"].is_string())
    );

    // Deterministic for a seed.
    let again = dir.path().join("again");
    demo(&again, "7");
    let dump2 = dir.path().join("dump2.ndjson");
    dump_to(&again, &dump2);
    assert!(
        text == std::fs::read_to_string(&dump2).unwrap(),
        "the same seed, the same store"
    );
    let other = dir.path().join("other");
    demo(&other, "8");
    assert_ne!(count(&other, "number_of_tickets > 0"), 0);
}
