//! Minimal reproductions of engine bugs the reference comparison found,
//! kept as regression tests. Each states the spec's answer, derived by hand.

mod reference;

use flokk_engine::Evaluator;
use flokk_lang::{CheckOptions, ValueType, check};
use flokk_model::{Customer, PropertyValue};
use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use reference::{AsOf, Store, StoreCustomer, members};
use std::collections::BTreeSet;

fn as_of() -> AsOf {
    AsOf {
        now: "2026-03-15T12:00:00Z".parse::<Timestamp>().expect("valid"),
        tz: TimeZone::get("Europe/Oslo").expect("known zone"),
    }
}

fn customer_with(id: &str, key: &str, value: PropertyValue) -> StoreCustomer {
    let mut record = Customer::stub(id);
    record.properties.insert(key.to_owned(), value);
    StoreCustomer::new(record)
}

/// Engine and reference answers for `query`, as id sets.
fn both_answers(
    store: &Store,
    query: &str,
) -> (Result<BTreeSet<String>, String>, BTreeSet<String>) {
    let as_of = as_of();
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &store.property_types,
        },
    )
    .expect("the query checks");
    let engine = store.build_engine();
    let evaluator = Evaluator::new(&engine, as_of.now, as_of.tz.clone());
    let from_engine = evaluator
        .eval(&typed.expr)
        .map(|set| {
            set.iter()
                .map(|o| engine.customers.ids[o as usize].to_string())
                .collect()
        })
        .map_err(|e| e.to_string());
    let from_reference = members(store, &typed.expr, &as_of).expect("evaluable");
    (from_engine, from_reference)
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// language.md §7: custom properties are "also written
/// `customer.metafields.<ns>.<key>`", and the checker accepts that spelling
/// as an anniversary attribute; the engine looks the property up under
/// the full text and finds nothing.
#[test]
fn anniversary_reads_the_customer_metafields_spelling() {
    let store = Store {
        customers: vec![
            customer_with(
                "today",
                "facts.since",
                PropertyValue::Date(date(2001, 3, 15)),
            ),
            customer_with(
                "other",
                "facts.since",
                PropertyValue::Date(date(2001, 3, 16)),
            ),
        ],
        property_types: [("facts.since".to_owned(), ValueType::Date)].into(),
        ..Default::default()
    };
    let expected = ids(&["today"]);
    for attribute in ["metafields.facts.since", "customer.metafields.facts.since"] {
        let query = format!("anniversary MATCHES (attribute = '{attribute}', date = today)");
        let (engine, reference) = both_answers(&store, &query);
        assert_eq!(reference, expected, "reference, {query}");
        assert_eq!(engine, Ok(expected.clone()), "engine, {query}");
    }
}

/// A list property whose lists are all empty is still a list: CONTAINS
/// matches nobody, NOT CONTAINS and IS NULL everybody (§4, §5). The engine
/// types the column by counting non-empty lists only, so with none it
/// falls back to Number and answers CONTAINS with an internal error (and
/// `Engine::property_types` reports the key as Float, so `flokk check`
/// rejects a valid CONTAINS).
#[test]
fn list_property_with_only_empty_lists_is_still_a_list() {
    let store = Store {
        customers: vec![
            customer_with("empty", "custom.interests", PropertyValue::List(Vec::new())),
            StoreCustomer::new(Customer::stub("none")),
        ],
        property_types: [("custom.interests".to_owned(), ValueType::List)].into(),
        ..Default::default()
    };
    for (query, expected) in [
        ("metafields.custom.interests CONTAINS 'opera'", ids(&[])),
        (
            "metafields.custom.interests NOT CONTAINS 'opera'",
            ids(&["empty", "none"]),
        ),
        (
            "metafields.custom.interests IS NULL",
            ids(&["empty", "none"]),
        ),
    ] {
        let (engine, reference) = both_answers(&store, query);
        assert_eq!(reference, expected, "reference, {query}");
        assert_eq!(engine, Ok(expected), "engine, {query}");
    }
    let engine = store.build_engine();
    assert_eq!(
        engine.property_types().get("custom.interests"),
        Some(&ValueType::List)
    );
}

/// Instants far apart (a customer added in 1850 beside ones added this
/// century) turn the column of added dates from offsets into plain `i64`s;
/// filters on it answer the same either way, NULL included.
#[test]
fn instants_centuries_apart_filter_like_near_ones() {
    let added = |id: &str, at: Option<&str>| {
        let mut record = Customer::stub(id);
        record.created_at = at.map(|t| t.parse().expect("valid"));
        StoreCustomer::new(record)
    };
    for far in [None, Some("1850-06-01T00:00:00Z")] {
        let store = Store {
            customers: vec![
                added("old", far),
                added("recent", Some("2026-03-01T10:00:00Z")),
                added("earlier", Some("2019-01-01T00:00:00Z")),
                added("unknown", None),
            ],
            ..Store::default()
        };
        for query in [
            "customer_added_date > -30d",
            "customer_added_date < 2020-01-01",
            "customer_added_date BETWEEN 1800-01-01 AND 2019-06-01",
            "customer_added_date != 2019-01-01",
            "customer_added_date IS NULL",
        ] {
            let (engine, reference) = both_answers(&store, query);
            assert_eq!(
                engine,
                Ok(reference),
                "{query} (old customer added {far:?})"
            );
        }
    }
    let store = Store {
        customers: vec![added("recent", Some("2026-03-01T10:00:00Z"))],
        ..Store::default()
    };
    assert_eq!(
        both_answers(&store, "customer_added_date > -30d").1,
        ids(&["recent"])
    );
}
