//! Where `customer_within_distance` measures from (language.md §7.1): the
//! home venue (setting `venue`) when no origin is given, a place name or a
//! postcode from the bundled gazetteer, and errors, not a silent 0, for a
//! venue, place or postcode that names nothing. Answers are checked
//! against the reference evaluator and against distances worked by hand.

mod reference;

use flokk_engine::{EvalError, Evaluator};
use flokk_lang::{CheckOptions, check};
use flokk_model::{Address, Customer, Venue};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use reference::{AsOf, Store, StoreCustomer, members};
use std::collections::BTreeSet;

fn as_of() -> AsOf {
    AsOf {
        now: "2026-03-15T12:00:00Z".parse::<Timestamp>().expect("valid"),
        tz: TimeZone::get("Europe/Oslo").expect("known zone"),
    }
}

fn venue(json: &str) -> Venue {
    serde_json::from_str(json).expect("a venue")
}

fn living_at(id: &str, lat: f64, lon: f64) -> StoreCustomer {
    let mut record = Customer::stub(id);
    record.addresses.push(Address {
        lat: Some(lat),
        lon: Some(lon),
        ..Default::default()
    });
    StoreCustomer::new(record)
}

/// Oslo's opera house, a venue without a position, customers in central
/// Oslo (1 km from the opera), Drammen (~36 km), Bergen (~305 km) and
/// Boston's Beacon Hill (~0.6 km from the 02108 centroid).
fn store(home: Option<&str>) -> Store {
    Store {
        venues: vec![
            venue(r#"{"id":"operaen","name":"Operaen","lat":59.9075,"lon":10.7531}"#),
            venue(r#"{"id":"tent","name":"Touring tent"}"#),
        ],
        customers: vec![
            living_at("oslo", 59.9139, 10.7522),
            living_at("drammen", 59.7439, 10.2045),
            living_at("bergen", 60.3913, 5.3221),
            living_at("beacon-hill", 42.3588, -71.0707),
        ],
        home_venue: home.map(str::to_owned),
        ..Default::default()
    }
}

/// The engine's answer (ids, or the error's code and message) and the
/// reference's when the engine has one.
fn engine_answer(store: &Store, query: &str) -> Result<BTreeSet<String>, (String, String)> {
    let as_of = as_of();
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &store.property_types,
        },
    )
    .unwrap_or_else(|e| panic!("{query} does not check: {e:?}"));
    let engine = store.build_engine();
    let evaluator = Evaluator::new(&engine, as_of.now, as_of.tz.clone());
    let answer = evaluator
        .eval(&typed.expr)
        .map(|set| {
            set.iter()
                .map(|o| engine.customers.ids[o as usize].to_string())
                .collect::<BTreeSet<String>>()
        })
        .map_err(|e: EvalError| (e.code().to_owned(), e.to_string()))?;
    let reference = members(store, &typed.expr, &as_of).expect("evaluable");
    assert_eq!(
        answer, reference,
        "engine and reference disagree on {query}"
    );
    Ok(answer)
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn without_an_origin_the_home_venue_is_the_origin() {
    let with_home = store(Some("operaen"));
    let home = engine_answer(
        &with_home,
        "customer_within_distance MATCHES (distance_km = 50)",
    );
    assert_eq!(home, Ok(ids(&["drammen", "oslo"])));
    assert_eq!(
        home,
        engine_answer(
            &with_home,
            "customer_within_distance MATCHES (venue_id = 'operaen', distance_km = 50)"
        )
    );
    assert_eq!(
        engine_answer(
            &with_home,
            "customer_within_distance MATCHES (distance_km = 5)"
        ),
        Ok(ids(&["oslo"]))
    );
    assert_eq!(
        engine_answer(
            &with_home,
            "customer_within_distance NOT MATCHES (distance_mi = 100)"
        ),
        Ok(ids(&["beacon-hill", "bergen"]))
    );
}

#[test]
fn without_an_origin_or_a_home_venue_it_is_an_error() {
    let (code, message) = engine_answer(
        &store(None),
        "customer_within_distance MATCHES (distance_km = 50)",
    )
    .unwrap_err();
    assert_eq!(code, "no_home_venue");
    assert!(message.contains("flokk config set venue"), "{message}");
}

#[test]
fn a_venue_that_names_nothing_is_an_error_not_nobody() {
    let s = store(Some("operaen"));
    let (code, message) = engine_answer(
        &s,
        "customer_within_distance MATCHES (venue_id = 'atlantis', distance_km = 50)",
    )
    .unwrap_err();
    assert_eq!(code, "unknown_venue");
    assert!(message.contains("'atlantis'"), "{message}");
    let (code, _) = engine_answer(
        &s,
        "customer_within_distance MATCHES (venue_id = 'tent', distance_km = 50)",
    )
    .unwrap_err();
    assert_eq!(code, "venue_without_coordinates");
    // A home venue that was deleted (or mistyped in an old store) too.
    let (code, message) = engine_answer(
        &store(Some("gone")),
        "customer_within_distance MATCHES (distance_km = 50)",
    )
    .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("unknown_venue", "there is no venue 'gone'")
    );
}

#[test]
fn places_and_postcodes_from_the_gazetteer() {
    let s = store(None);
    assert_eq!(
        engine_answer(
            &s,
            "customer_within_distance MATCHES (place = 'Boston, US', distance_km = 48)"
        ),
        Ok(ids(&["beacon-hill"]))
    );
    assert_eq!(
        engine_answer(
            &s,
            "customer_within_distance MATCHES (place = 'Oslo', country = 'NO', distance_km = 40)"
        ),
        Ok(ids(&["drammen", "oslo"]))
    );
    assert_eq!(
        engine_answer(
            &s,
            "customer_within_distance MATCHES (postcode = '02108', country = 'US', distance_km = 1)"
        ),
        Ok(ids(&["beacon-hill"]))
    );
    assert_eq!(
        engine_answer(
            &s,
            "customer_within_distance MATCHES (postcode = '5003', country = 'NO', distance_km = 10)"
        ),
        Ok(ids(&["bergen"]))
    );
}

#[test]
fn an_unknown_or_ambiguous_place_is_an_error_listing_candidates() {
    let s = store(None);
    let (code, message) = engine_answer(
        &s,
        "customer_within_distance MATCHES (place = 'Portland, US', distance_km = 48)",
    )
    .unwrap_err();
    assert_eq!(code, "ambiguous_place");
    assert!(message.contains("'Portland, US-OR, US'"), "{message}");
    assert!(message.contains("'Portland, US-ME, US'"), "{message}");
    let (code, message) = engine_answer(
        &s,
        "customer_within_distance MATCHES (place = 'Bostn, US', distance_km = 48)",
    )
    .unwrap_err();
    assert_eq!(code, "unknown_place");
    assert!(message.contains("'Boston, US'"), "{message}");
    let (code, _) = engine_answer(
        &s,
        "customer_within_distance MATCHES (postcode = '00000', country = 'US', distance_km = 1)",
    )
    .unwrap_err();
    assert_eq!(code, "unknown_place");
}

#[test]
fn the_checker_wants_one_origin_and_a_country_with_a_postcode() {
    let options = CheckOptions {
        strict: false,
        properties: &Default::default(),
    };
    for (query, code) in [
        (
            "customer_within_distance MATCHES (place = 'Oslo', venue_id = 'x', distance_km = 1)",
            "conflicting_parameters",
        ),
        (
            "customer_within_distance MATCHES (postcode = '0154', distance_km = 1)",
            "missing_parameter",
        ),
        (
            "customer_within_distance MATCHES (country = 'NO', distance_km = 1)",
            "missing_parameter",
        ),
        (
            "customer_within_distance MATCHES (place != 'Oslo', distance_km = 1)",
            "operator_not_allowed",
        ),
    ] {
        let errors = check(query, &options).expect_err(query);
        assert_eq!(errors.0[0].code.as_str(), code, "{query}");
    }
}
