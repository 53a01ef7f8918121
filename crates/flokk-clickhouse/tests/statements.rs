//! The SQL of representative queries (insta snapshots), values kept out
//! of the SQL text, and `unsupported_on_clickhouse` for what the dialect
//! does not express. That the SQL means what the language means is proven
//! on ClickHouse itself by flokk-engine's `clickhouse_vs_engine` test.

use flokk_clickhouse::{AsOf, DialectError, ParamValue, members_statement};
use flokk_lang::{CheckOptions, PropertyTypes, ValueType, check};

fn as_of() -> AsOf {
    AsOf {
        now: "2026-03-15T12:00:00Z".parse().unwrap(),
        tz: jiff::tz::TimeZone::get("Europe/Oslo").unwrap(),
    }
}

fn compile(query: &str) -> Result<flokk_clickhouse::Statement, DialectError> {
    let properties: PropertyTypes = [("custom.points".to_owned(), ValueType::Float)]
        .into_iter()
        .collect();
    let typed = check(
        query,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .expect("a valid query");
    members_statement(&typed, &as_of())
}

fn script(query: &str) -> String {
    compile(query).expect("compiles").client_script()
}

#[test]
fn five_clause_segment() {
    insta::assert_snapshot!(script(
        "number_of_orders >= 3 AND last_order_date > -120d AND customer_tags NOT CONTAINS 'wholesale' \
         AND products_purchased MATCHES (tag = 'shorts', date > -1y) AND shopify_email.opened MATCHES (date > -30d, machine_open = false)"
    ));
}

#[test]
fn negation_null_and_or() {
    insta::assert_snapshot!(script(
        "NOT (customer_countries CONTAINS 'US' OR customer_email_domain IS NULL) OR (age BETWEEN 25 AND 40 OR age IS NULL)"
    ));
}

#[test]
fn tickets_distance_and_anniversary() {
    insta::assert_snapshot!(script(
        "tickets_purchased MATCHES (production_id = 'carmen', lead_time_days <= 2, sum_amount > 100) \
         AND customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48) \
         AND anniversary MATCHES (attribute = 'birth_date', date BETWEEN today AND +30d)"
    ));
}

#[test]
fn custom_events_and_properties() {
    insta::assert_snapshot!(script(
        "custom_event MATCHES (name = 'Viewed Product', property.ProductName = 'Patriots Jersey', date > -30d, count >= 2) \
         AND metafields.custom.points > 10 AND orders_placed NOT MATCHES (sum_amount < 100)"
    ));
}

/// Values with quotes, backslashes and SQL in them are parameters: the
/// SQL text never contains them, and each is bound exactly as written.
#[test]
fn hostile_values_stay_out_of_the_sql() {
    let hostile = ["it\\'s", "back\\\\slash", "\\'; DROP TABLE customers; --"];
    let written = ["it's", "back\\slash", "'; DROP TABLE customers; --"];
    for (text, value) in hostile.iter().zip(written) {
        let s = compile(&format!("customer_email_domain = '{text}'")).unwrap();
        assert!(!s.sql.contains(value), "{}", s.sql);
        assert!(!s.sql.contains("DROP"), "{}", s.sql);
        assert!(
            s.params
                .iter()
                .any(|p| p.value == ParamValue::String(value.to_owned())),
            "{value} is bound: {:?}",
            s.params
        );
    }
}

#[test]
fn what_the_dialect_cannot_express_is_refused_by_name() {
    for (query, named) in [
        ("churn_risk = 'HIGH'", "churn_risk"),
        ("predicted_gender = 'LIKELY_FEMALE'", "predicted_gender"),
        // Subscriptions are not loaded into ClickHouse; the home venue is a
        // setting only the engine reads (issue 22).
        ("subscription_status = 'ACTIVE'", "subscription_status"),
        ("subscriptions MATCHES (plan = 'season')", "subscriptions"),
        (
            "customer_within_distance MATCHES (distance_km = 50)",
            "customer_within_distance",
        ),
    ] {
        let Err(e) = compile(query) else {
            panic!("{query} compiled")
        };
        assert_eq!(e.code(), "unsupported_on_clickhouse");
        assert!(
            matches!(&e, DialectError::Unsupported { what, .. } if what == named),
            "{e:?}"
        );
    }
}

/// A named segment is compiled in place; an unknown one is
/// `unknown_segment`, as in the engine.
#[test]
fn nested_segments_compile_in_place() {
    use flokk_clickhouse::{SavedSegments, members_statement_with_segments};
    let properties = PropertyTypes::new();
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let mut segments = SavedSegments::default();
    segments.insert("VIP", check("amount_spent > 1000", &options).unwrap());
    let query = check(
        "customer_segments CONTAINS 'vip' AND number_of_orders > 2",
        &options,
    )
    .unwrap();
    let s = members_statement_with_segments(&query, &as_of(), &segments).unwrap();
    assert!(
        s.sql.contains(
            "(sum(toInt64(round(total * 10000)) - toInt64(round(refunded * 10000))) / 10000) AS a"
        ),
        "{}",
        s.sql
    );
    assert_eq!(
        s.sql.matches("FROM orders").count(),
        1,
        "orders read once: {}",
        s.sql
    );
    let unknown = check("customer_segments CONTAINS 'Nope'", &options).unwrap();
    let e = members_statement_with_segments(&unknown, &as_of(), &segments).unwrap_err();
    assert_eq!(e.code(), "unknown_segment");
}

#[test]
fn count_statement_counts_clauses_in_one_reading() {
    use flokk_clickhouse::{SavedSegments, count_statement};
    let properties = PropertyTypes::new();
    let query = check(
        "number_of_orders >= 3 AND customer_tags CONTAINS 'vip' AND orders_placed MATCHES (date > -30d)",
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap();
    let s = count_statement(&query, &as_of(), &SavedSegments::default()).unwrap();
    assert_eq!(s.sql.matches("FROM orders").count(), 1, "{}", s.sql);
    insta::assert_snapshot!(s.client_script());
}

#[test]
fn cluster_ddl() {
    let cluster = flokk_clickhouse::schema::Cluster {
        name: "main".into(),
        shards: Some(2),
    };
    insta::assert_snapshot!(flokk_clickhouse::schema::ddl(Some(&cluster)));
}

/// `place` and `postcode` are resolved from the bundled gazetteer, as the
/// engine resolves them, and bound as coordinates; an ambiguous place is
/// `ambiguous_place`, as in the engine.
#[test]
fn places_and_postcodes_are_bound_as_their_coordinates() {
    let s = compile("customer_within_distance MATCHES (place = 'Boston, US', distance_km = 48)")
        .expect("compiles");
    let boston = flokk_geo::Gazetteer::global()
        .resolve_place("Boston, US", None)
        .unwrap();
    for coordinate in [boston.lat, boston.lon] {
        assert!(
            s.params
                .iter()
                .any(|p| p.value == ParamValue::Float(coordinate)),
            "{coordinate} is bound: {:?}",
            s.params
        );
    }
    let s = compile(
        "customer_within_distance MATCHES (postcode = '02108', country = 'US', distance_km = 1)",
    )
    .expect("compiles");
    let zip = flokk_geo::Gazetteer::global()
        .resolve_postcode("02108", "US")
        .unwrap();
    assert!(
        s.params
            .iter()
            .any(|p| p.value == ParamValue::Float(zip.lat)),
        "{:?}",
        s.params
    );
    let Err(e) =
        compile("customer_within_distance MATCHES (place = 'Portland, US', distance_km = 5)")
    else {
        panic!("an ambiguous place compiled")
    };
    assert_eq!(e.code(), "ambiguous_place");
}
