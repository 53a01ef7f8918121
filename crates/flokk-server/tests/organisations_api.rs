//! Organisations of a venue group through the API: segments carry one, the
//! index and the editor's suggestions can be limited to one, and a token
//! limited to organisation A is refused (403 `organisation_forbidden`) on
//! B's segments wherever it names them, while customers stay shared.

mod common;

use axum::http::StatusCode;
use flokk_model::{Customer, Order, OrderLine, Performance, Production, Record, Venue};
use flokk_store::Scopes;
use serde_json::{Value, json};
use std::sync::Arc;

fn records() -> Vec<Record> {
    let mut out = Vec::new();
    for (venue, org) in [("opera-house", "Opera"), ("jazz-club", "Jazz")] {
        out.push(Record::Venue(Venue {
            id: venue.into(),
            name: venue.into(),
            lat: None,
            lon: None,
            organisation: Some(org.into()),
        }));
    }
    for (production, org, venue) in [
        ("carmen", "Opera", "opera-house"),
        ("jazz-night", "Jazz", "jazz-club"),
    ] {
        out.push(Record::Production(Production {
            id: production.into(),
            name: production.into(),
            organisation: Some(org.into()),
        }));
        out.push(Record::Performance(Performance {
            id: format!("{production}-1"),
            production_id: production.into(),
            venue_id: venue.into(),
            starts_at: "2025-05-20T19:00:00Z".parse().unwrap(),
        }));
    }
    // a: opera, b: jazz, c: both.
    for (id, shows) in [
        ("a", &["carmen-1"][..]),
        ("b", &["jazz-night-1"][..]),
        ("c", &["carmen-1", "jazz-night-1"][..]),
    ] {
        out.push(Record::Customer(Customer::stub(id)));
        for (k, show) in shows.iter().enumerate() {
            out.push(Record::Order(Order {
                id: format!("{id}{k}"),
                customer_id: id.into(),
                placed_at: "2025-05-01T10:00:00Z".parse().unwrap(),
                total: flokk_model::Money::parse("100").unwrap(),
                lines: vec![OrderLine {
                    performance_id: Some((*show).into()),
                    quantity: 1,
                    price: flokk_model::Money::parse("100").unwrap(),
                    ..OrderLine::default()
                }],
                ..Default::default()
            }));
        }
    }
    out
}

fn limited_token(state: &flokk_server::ServerState, scopes: &str, orgs: &[&str]) -> String {
    let orgs: Vec<String> = orgs.iter().map(|o| o.to_string()).collect();
    state
        .credentials
        .store(|s| {
            s.create_limited_token(
                &format!("limited-{scopes}-{}", orgs.join("-")),
                Scopes::parse(scopes).unwrap(),
                &orgs,
                jiff::Timestamp::now(),
            )
        })
        .unwrap()
        .secret
}

async fn as_token(
    state: &Arc<flokk_server::ServerState>,
    secret: &str,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let bearer = format!("Bearer {secret}");
    let answer = common::send(
        state,
        common::request(method, uri, body, &[("authorization", &bearer)]),
    )
    .await;
    (answer.status, answer.json())
}

fn names(v: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = v["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort();
    names
}

/// Admin-made segments: one per organisation and one shared.
async fn segments(state: &Arc<flokk_server::ServerState>) {
    for (name, org, description, query) in [
        (
            "Opera fans",
            Some("Opera"),
            "Everyone with a Carmen ticket",
            "tickets_purchased MATCHES (production_id = 'carmen')",
        ),
        (
            "Jazz fans",
            Some("Jazz"),
            "The club's regulars",
            "tickets_purchased MATCHES (production_id = 'jazz-night')",
        ),
        ("Everyone", None, "The whole base", "number_of_tickets >= 0"),
    ] {
        let (status, v) = common::call(
            state,
            "POST",
            "/api/segments",
            Some(json!({ "name": name, "query": query, "description": description, "organisation": org })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["organisation"].as_str(), org, "{v}");
    }
}

#[tokio::test]
async fn a_token_of_one_organisation_is_refused_on_anothers_segments() {
    let (_dir, state) = common::state_with(&records());
    segments(&state).await;
    let opera = limited_token(&state, "read,write,export", &["Opera"]);

    // The index: its own segments and the shared ones, its organisations.
    let (status, v) = as_token(&state, &opera, "GET", "/api/segments", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let mut seen = names(&v);
    seen.retain(|n| ["Opera fans", "Jazz fans", "Everyone"].contains(n));
    assert_eq!(seen, ["Everyone", "Opera fans"], "{v}");
    assert_eq!(v["organisations"], json!(["Opera"]));

    // Jazz's segment: refused to read, list, change, delete, tag and export.
    let refused = [
        ("GET", "/api/segments/Jazz%20fans", None),
        ("GET", "/api/segments/Jazz%20fans/members", None),
        (
            "PATCH",
            "/api/segments/Jazz%20fans",
            Some(json!({ "description": "mine now" })),
        ),
        ("DELETE", "/api/segments/Jazz%20fans", None),
        (
            "POST",
            "/api/segments/Jazz%20fans/tags",
            Some(json!({ "tag": "x", "action": "add" })),
        ),
        ("GET", "/api/export?segment=Jazz%20fans&format=csv", None),
        ("POST", "/api/exports?segment=Jazz%20fans&format=csv", None),
        ("GET", "/api/changes?segment=Jazz%20fans", None),
        ("GET", "/api/segments?organisation=Jazz", None),
        (
            "POST",
            "/api/lists",
            Some(json!({ "name": "frozen jazz", "freeze": "Jazz fans" })),
        ),
        (
            "POST",
            "/api/discounts",
            Some(
                json!({ "name": "jazz10", "segment": "Jazz fans", "code": "JAZZ10", "percent": 10 }),
            ),
        ),
        // A campaign to Jazz's segment, or to a query over it.
        (
            "POST",
            "/api/campaigns",
            Some(
                json!({ "name": "jazz mail", "segment": "Jazz fans", "subject": "S", "body": "Hi" }),
            ),
        ),
        (
            "POST",
            "/api/campaigns",
            Some(
                json!({ "name": "jazz mail", "query": "customer_segments CONTAINS 'Jazz fans'", "subject": "S", "body": "Hi" }),
            ),
        ),
        // A saved query over Jazz's segment, new or an edit of its own.
        (
            "POST",
            "/api/segments",
            Some(json!({ "name": "sneaky", "query": "customer_segments CONTAINS 'jazz fans'" })),
        ),
        (
            "PATCH",
            "/api/segments/Opera%20fans",
            Some(json!({ "query": "customer_segments NOT CONTAINS 'Jazz fans'" })),
        ),
        // A query over Jazz's segment reads its members too.
        (
            "GET",
            "/api/count?query=customer_segments%20CONTAINS%20%27jazz%20FANS%27",
            None,
        ),
        (
            "GET",
            "/api/members?query=number_of_tickets%20%3E%200%20AND%20customer_segments%20NOT%20CONTAINS%20%27Jazz%20fans%27",
            None,
        ),
    ];
    for (method, uri, body) in refused {
        let (status, v) = as_token(&state, &opera, method, uri, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {uri}: {v}");
        assert_eq!(
            v["error"]["code"], "organisation_forbidden",
            "{method} {uri}: {v}"
        );
    }
    // By id as well as by name.
    let (_, jazz) = common::call(&state, "GET", "/api/segments/Jazz%20fans", None).await;
    let by_id = format!("/api/segments/{}", jazz["id"]);
    let (status, _) = as_token(&state, &opera, "GET", &by_id, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing changed.
    assert_eq!(jazz["description"], "The club's regulars");

    // Its own: read and changed.
    let (status, v) = as_token(
        &state,
        &opera,
        "GET",
        "/api/segments/Opera%20fans/members",
        None,
    )
    .await;
    assert_eq!(
        (status, v["count"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{v}"
    );
    let (status, v) = as_token(
        &state,
        &opera,
        "PATCH",
        "/api/segments/Opera%20fans",
        Some(json!({ "description": "Carmen and more" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // ...but not handed to Jazz, nor shared with all.
    for to in [json!("Jazz"), Value::Null] {
        let (status, v) = as_token(
            &state,
            &opera,
            "PATCH",
            "/api/segments/Opera%20fans",
            Some(json!({ "organisation": to })),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{to}: {v}");
    }

    // The shared segment: read, not changed.
    let (status, _) = as_token(&state, &opera, "GET", "/api/segments/Everyone", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, v) = as_token(&state, &opera, "DELETE", "/api/segments/Everyone", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");

    // A new segment lands in the token's organisation; another's is refused.
    let (status, v) = as_token(
        &state,
        &opera,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Opera new", "query": "number_of_tickets >= 1" })),
    )
    .await;
    assert_eq!(
        (status, v["organisation"].as_str()),
        (StatusCode::CREATED, Some("Opera")),
        "{v}"
    );
    let (status, v) = as_token(
        &state,
        &opera,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Jazz new", "query": "number_of_tickets >= 1", "organisation": "Jazz" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");

    // Customers are shared: counted and shown, but only the segments it may
    // read are named.
    let (status, v) = as_token(
        &state,
        &opera,
        "GET",
        "/api/count?query=number_of_tickets%20%3E%3D%201",
        None,
    )
    .await;
    assert_eq!(
        (status, v["count"].as_u64()),
        (StatusCode::OK, Some(3)),
        "{v}"
    );
    let (_, v) = as_token(&state, &opera, "GET", "/api/customers/c/segments", None).await;
    let segs: Vec<&str> = v["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        segs.contains(&"Opera fans") && !segs.contains(&"Jazz fans"),
        "{v}"
    );
    let (_, v) = common::call(&state, "GET", "/api/customers/c/segments", None).await;
    assert!(
        v["segments"]
            .as_array()
            .unwrap()
            .contains(&json!("Jazz fans")),
        "{v}"
    );

    // A limited admin mints tokens only within its organisations.
    let opera_admin = limited_token(&state, "admin", &["Opera"]);
    let (status, v) = as_token(
        &state,
        &opera_admin,
        "POST",
        "/api/tokens",
        Some(json!({ "name": "jazz-sync", "scopes": ["read"], "organisations": ["Jazz"] })),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("organisation_forbidden")),
        "{v}"
    );
    let (status, v) = as_token(
        &state,
        &opera_admin,
        "POST",
        "/api/tokens",
        Some(json!({ "name": "opera-sync", "scopes": ["read"] })),
    )
    .await;
    assert_eq!(
        (status, &v["token"]["organisations"]),
        (StatusCode::CREATED, &json!(["Opera"])),
        "{v}"
    );
}

#[tokio::test]
async fn the_index_and_suggestions_are_limited_to_one_organisation() {
    let (_dir, state) = common::state_with(&records());
    segments(&state).await;
    let (_, v) = common::call(&state, "GET", "/api/segments?organisation=Jazz", None).await;
    assert_eq!(names(&v), ["Jazz fans"]);
    assert_eq!(v["organisations"], json!(["Jazz", "Opera"]));
    let (status, v) = common::call(&state, "GET", "/api/segments?organisation=Jaz", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("\"Jazz\""),
        "{v}"
    );

    // The description is searched too.
    let (_, v) = common::call(&state, "GET", "/api/segments?search=REGULARS", None).await;
    assert_eq!(names(&v), ["Jazz fans"]);

    let values = |v: &Value| -> Vec<String> {
        v["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["value"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = common::call(
        &state,
        "GET",
        "/api/suggest?filter=tickets_purchased&param=production_id",
        None,
    )
    .await;
    assert_eq!(values(&all).len(), 2, "{all}");
    for (param, want) in [
        ("production_id", "carmen"),
        ("venue_id", "opera-house"),
        ("performance_id", "carmen-1"),
    ] {
        let uri = format!("/api/suggest?filter=tickets_purchased&param={param}&organisation=Opera");
        let (status, v) = common::call(&state, "GET", &uri, None).await;
        assert_eq!(
            (status, values(&v)),
            (StatusCode::OK, vec![want.to_owned()]),
            "{v}"
        );
    }
    // A token of Jazz sees Jazz's productions without asking, and may not ask for Opera's.
    let jazz = limited_token(&state, "read", &["Jazz"]);
    let (_, v) = as_token(
        &state,
        &jazz,
        "GET",
        "/api/suggest?filter=tickets_purchased&param=production_id",
        None,
    )
    .await;
    assert_eq!(values(&v), ["jazz-night"]);
    let (status, _) = as_token(
        &state,
        &jazz,
        "GET",
        "/api/suggest?filter=tickets_purchased&param=production_id&organisation=Opera",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_store_of_one_organisation_shows_none_of_it() {
    let (_dir, state) = common::state_with(&[Record::Customer(Customer::stub("a"))]);
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "All", "query": "number_of_orders >= 0", "description": "every customer" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(v.get("organisation").is_none(), "{v}");
    let (_, v) = common::call(&state, "GET", "/api/segments", None).await;
    assert!(v.get("organisations").is_none(), "{v}");
    assert!(v["segments"][0].get("organisation").is_none(), "{v}");
    // And an organisation nobody's venues name is refused.
    let (status, v) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "X", "query": "number_of_orders >= 0", "organisation": "Opera" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (_, v) = common::call(&state, "GET", "/api/segments?search=x", None).await;
    assert_eq!(names(&v), Vec::<&str>::new(), "nothing half-made: {v}");
}
