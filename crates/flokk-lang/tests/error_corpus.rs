//! A corpus of wrong queries, each with the code and position of its first
//! error (and, where it matters, the suggestion).

use flokk_lang::{CheckOptions, PropertyTypes, ValueType, check};

/// (query, strict, code of the first error, "line:column", suggestion)
#[rustfmt::skip]
const CORPUS: &[(&str, bool, &str, &str, Option<&str>)] = &[
    // Typos in names.
    ("emial_subscription_status = 'SUBSCRIBED'", false, "unknown_filter", "1:1", Some("email_subscription_status")),
    ("amount_spnt > 10", false, "unknown_filter", "1:1", Some("amount_spent")),
    ("number_of_orders > 1 AND custmer_tags CONTAINS 'vip'", false, "unknown_filter", "1:26", Some("customer_tags")),
    ("Amount_Spent > 10", false, "unknown_filter", "1:1", Some("amount_spent")),
    ("products_purchasd MATCHES (tag = 'x')", false, "unknown_filter", "1:1", Some("products_purchased")),
    ("shopify_email.openned MATCHES ()", false, "unknown_filter", "1:1", Some("shopify_email.opened")),
    ("products_purchased MATCHES (tga = 'x')", false, "unknown_parameter", "1:29", Some("tag")),
    ("orders_placed MATCHES (ammount > 10)", false, "unknown_parameter", "1:24", Some("amount")),
    ("custom_event MATCHES (ProductName = 'x')", false, "unknown_parameter", "1:23", None),
    ("custom_event MATCHES (property. = 'x')", false, "unknown_parameter", "1:23", None),
    ("shopify_email.clicked MATCHES (machine_open = true)", false, "unknown_parameter", "1:32", None),
    // Keyword typos.
    ("amount_spent > 10 ADN number_of_orders > 1", false, "unexpected_token", "1:19", Some("AND")),
    ("age BETWEN 1 AND 2", false, "unexpected_token", "1:5", Some("BETWEEN")),
    ("customer_tags CONTAIN 'vip'", false, "unexpected_token", "1:15", Some("CONTAINS")),
    ("products_purchased MATCH (tag = 'x')", false, "unexpected_token", "1:20", Some("MATCHES")),
    ("age IS NUL", false, "unexpected_token", "1:8", Some("NULL")),
    ("age BETWEEN 1 OR 2", false, "unexpected_token", "1:15", None),
    ("amount_spent > 10 && age > 3", false, "unexpected_character", "1:19", Some("AND")),
    ("amount_spent > 10 || age > 3", false, "unexpected_character", "1:19", Some("OR")),
    ("age <> 3", false, "unexpected_character", "1:5", Some("!=")),
    // Wrong types.
    ("number_of_orders > 2.5", false, "type_mismatch", "1:20", None),
    ("amount_spent > 'lots'", false, "type_mismatch", "1:16", None),
    ("last_order_date > 5", false, "type_mismatch", "1:19", None),
    ("customer_tags CONTAINS true", false, "type_mismatch", "1:24", None),
    ("customer_language = 3", false, "type_mismatch", "1:21", None),
    ("shopify_email.opened MATCHES (machine_open = 'no')", false, "type_mismatch", "1:46", None),
    ("products_purchased MATCHES (count > 1.5)", false, "type_mismatch", "1:37", None),
    ("customer_within_distance MATCHES (coordinates = 42, distance_km = 5)", false, "type_mismatch", "1:49", None),
    ("customer_within_distance MATCHES (coordinates = (42, 'x'), distance_km = 5)", false, "type_mismatch", "1:54", None),
    ("customer_within_distance MATCHES (coordinates = (95, 10), distance_km = 5)", false, "invalid_coordinates", "1:49", None),
    // A list where one value goes: about lists, not coordinates.
    ("customer_countries CONTAINS ('US', 'CA')", false, "list_not_allowed", "1:29", Some("customer_countries CONTAINS 'US' OR customer_countries CONTAINS 'CA'")),
    ("customer_email_domain = ('a.no', 'b.no')", false, "list_not_allowed", "1:25", Some("customer_email_domain = 'a.no' OR customer_email_domain = 'b.no'")),
    ("customer_within_distance MATCHES (coordinates = (9, 10), distance_km = -5)", false, "type_mismatch", "1:72", None),
    ("custom_event MATCHES (property.size IN (1, 'a'))", false, "type_mismatch", "1:44", None),
    ("metafields.facts.shoe_size = 'big'", false, "type_mismatch", "1:30", None),
    ("anniversary MATCHES (attribute = 'metafields.facts.shoe_size', date = today)", false, "type_mismatch", "1:34", None),
    // Operators that do not fit the type.
    ("customer_tags = 'vip'", false, "operator_not_allowed", "1:15", None),
    ("amount_spent CONTAINS 5", false, "operator_not_allowed", "1:14", None),
    ("customer_email_domain > 'a'", false, "operator_not_allowed", "1:23", None),
    ("email_subscription_status BETWEEN 'A' AND 'B'", false, "operator_not_allowed", "1:27", None),
    ("age MATCHES (count > 1)", false, "operator_not_allowed", "1:5", None),
    ("products_purchased = 3", false, "operator_not_allowed", "1:20", None),
    ("products_purchased IS NULL", false, "operator_not_allowed", "1:20", None),
    ("orders_placed MATCHES (amount IN (1, 2))", false, "operator_not_allowed", "1:31", None),
    ("customer_within_distance MATCHES (coordinates = (1, 2), distance_km < 5)", false, "operator_not_allowed", "1:69", None),
    // The venue picks the origin: `!=` and IN were measured as `=` or failed inside.
    ("customer_within_distance MATCHES (venue_id != 'operaen', distance_km = 30)", false, "operator_not_allowed", "1:44", None),
    ("customer_within_distance MATCHES (venue_id IN ('a', 'b'), distance_km = 30)", false, "operator_not_allowed", "1:44", None),
    ("shopify_email.opened MATCHES (machine_open > false)", false, "operator_not_allowed", "1:44", None),
    // Bad enum values.
    ("email_subscription_status = 'SUBSCRIBD'", false, "unknown_enum_value", "1:29", Some("'SUBSCRIBED'")),
    ("email_subscription_status = 'subscribed'", false, "unknown_enum_value", "1:29", Some("'SUBSCRIBED'")),
    ("rfm_group = 'CHAMPION'", false, "unknown_enum_value", "1:13", Some("'CHAMPIONS'")),
    ("shopify_email.bounced MATCHES (bounce_type = 'MEDIUM')", false, "unknown_enum_value", "1:46", None),
    ("email_subscription_status = SUBSCRIBED", false, "expected_value", "1:29", Some("'SUBSCRIBED'")),
    // Strings and quotes.
    ("customer_tags CONTAINS \"vip\"", false, "double_quoted_string", "1:24", Some("'vip'")),
    ("customer_tags CONTAINS 'vip", false, "unterminated_string", "1:24", None),
    ("customer_tags CONTAINS 'a\\nb'", false, "invalid_escape", "1:26", None),
    ("customer_tags CONTAINS \u{2018}vip\u{2019}", false, "unexpected_character", "1:24", Some("'")),
    ("'amount_spent' > 10", false, "unexpected_token", "1:1", Some("amount_spent")),
    // Dates, times and numbers.
    ("last_order_date > 1pm", false, "time_only_value", "1:19", None),
    ("last_order_date > 10:30", false, "time_only_value", "1:19", None),
    ("last_order_date > -7dT10:00:00", false, "time_on_relative_date", "1:19", None),
    ("last_order_date > todayT10:00:00", false, "time_on_relative_date", "1:19", None),
    ("last_order_date > 2024-02-30", false, "invalid_date", "1:19", None),
    ("last_order_date > 2024-5-30", false, "invalid_date", "1:19", None),
    ("last_order_date > 2024-05-30T16:00", false, "invalid_date", "1:19", None),
    ("last_order_date > 2024-05-30 16:00:00", false, "time_only_value", "1:30", None),
    ("last_order_date > 7d", false, "invalid_number", "1:19", Some("-7d")),
    ("amount_spent > 1.000.000", false, "invalid_number", "1:16", None),
    ("amount_spent > 1,000", false, "unexpected_token", "1:17", None),
    ("amount_spent > $500", false, "unexpected_character", "1:16", None),
    ("number_of_orders > 99999999999999999999", false, "number_out_of_range", "1:20", None),
    // Missing and extra pieces.
    ("", false, "empty_query", "1:1", None),
    ("amount_spent >", false, "expected_value", "1:15", None),
    ("amount_spent > AND age > 3", false, "expected_value", "1:16", None),
    ("amount_spent", false, "unexpected_end", "1:13", None),
    ("amount_spent > 10 AND", false, "unexpected_end", "1:22", None),
    ("(amount_spent > 10", false, "unclosed_parenthesis", "1:1", None),
    ("(amount_spent > 10 OR (age > 3)", false, "unclosed_parenthesis", "1:1", None),
    ("amount_spent > 10)", false, "unmatched_parenthesis", "1:18", None),
    ("products_purchased MATCHES (tag = 'x'", false, "unclosed_parenthesis", "1:28", None),
    ("products_purchased MATCHES tag = 'x'", false, "unexpected_token", "1:28", None),
    ("products_purchased(tag: 'x')", false, "unexpected_end", "1:29", None),
    ("products_purchased(tag: 'x') = 'yes'", false, "expected_value", "1:32", None),
    ("products_purchased(tag = 'x' tag = 'y') = true", false, "unexpected_token", "1:30", None),
    ("orders_placed('x') = true", false, "unexpected_token", "1:15", None),
    ("age IN (1, 2)", false, "unexpected_token", "1:5", None),
    ("amount_spent > 10 age > 3", false, "unexpected_token", "1:19", None),
    ("customer_within_distance MATCHES (coordinates = (1, 2))", false, "missing_parameter", "1:1", None),
    ("customer_within_distance MATCHES (postcode = '0154', distance_km = 5)", false, "missing_parameter", "1:35", None),
    ("customer_within_distance MATCHES (place = 'Oslo', postcode = '0154', country = 'NO', distance_km = 5)", false, "conflicting_parameters", "1:51", None),
    ("customer_within_distance MATCHES (coordinates = (1, 2), venue_id = 'v', distance_km = 5)", false, "conflicting_parameters", "1:57", None),
    ("anniversary MATCHES (date = today)", false, "missing_parameter", "1:1", None),
    // Duplicates.
    ("products_purchased MATCHES (tag = 'a', tag = 'b')", false, "duplicate_parameter", "1:40", None),
    ("orders_placed MATCHES (date > -30d, count > 1, date < -1d)", false, "duplicate_parameter", "1:48", None),
    ("products_purchased(tag: 'a', tag: 'b') = true", false, "duplicate_parameter", "1:30", None),
    // Properties.
    ("metafields.facts.shoe_sise = 44", false, "unknown_property", "1:1", Some("metafields.facts.shoe_size")),
    ("metafields.shoe_size = 44", false, "unknown_property", "1:1", None),
    ("anniversary MATCHES (attribute = 'birthday', date = today)", false, "unknown_property", "1:34", Some("'birth_date'")),
    // Limits.
    ("age > 1 OR age > 2 OR age > 3 OR age > 4 OR age > 5 OR age > 6 OR age > 7 OR age > 8 OR age > 9 OR age > 10 OR age > 11", true, "too_many_clauses", "1:112", None),
    // Multi-line positions.
    ("amount_spent > 10\nAND\n  emial_subscription_status = 'SUBSCRIBED'", false, "unknown_filter", "3:3", Some("email_subscription_status")),
    ("customer_tags CONTAINS 'ø'\n AND  customer_tags CONTAINS \"å\"", false, "double_quoted_string", "2:30", Some("'å'")),
];

fn properties() -> PropertyTypes {
    PropertyTypes::from([
        ("facts.shoe_size".to_owned(), ValueType::Integer),
        ("facts.birth_date".to_owned(), ValueType::Date),
    ])
}

#[test]
fn every_wrong_query_fails_with_its_code_and_position() {
    assert!(
        CORPUS.len() >= 60,
        "the corpus has {} queries",
        CORPUS.len()
    );
    let properties = properties();
    let mut mismatches = Vec::new();
    for (query, strict, code, position, suggestion) in CORPUS {
        let options = CheckOptions {
            strict: *strict,
            properties: &properties,
        };
        let result = check(query, &options);
        let Err(errors) = result else {
            mismatches.push(format!("{query:?}: accepted"));
            continue;
        };
        let first = &errors.0[0];
        let got = (
            first.code.as_str(),
            format!("{}:{}", first.line, first.column),
            first.suggestion.as_deref(),
        );
        if got != (*code, position.to_string(), *suggestion) {
            mismatches.push(format!(
                "{query:?}: expected {code} at {position} {suggestion:?}, got {got:?} ({})",
                first.message
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn limits_are_enforced() {
    let properties = properties();
    let default = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let strict = CheckOptions {
        strict: true,
        properties: &properties,
    };
    let clauses = |n: usize| vec!["age > 1"; n].join(" OR ");
    assert!(check(&clauses(10), &strict).is_ok());
    assert_eq!(
        check(&clauses(11), &strict).unwrap_err().0[0].code.as_str(),
        "too_many_clauses"
    );
    assert!(check(&clauses(1000), &default).is_ok());
    assert_eq!(
        check(&clauses(1001), &default).unwrap_err().0[0]
            .code
            .as_str(),
        "too_many_clauses"
    );

    let ids = |n: usize| {
        let list: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!("products_purchased MATCHES (id IN ({}))", list.join(", "))
    };
    assert!(check(&ids(500), &strict).is_ok());
    assert_eq!(
        check(&ids(501), &strict).unwrap_err().0[0].code.as_str(),
        "too_many_ids"
    );
    assert!(check(&ids(10_000), &default).is_ok());
    assert_eq!(
        check(&ids(10_001), &default).unwrap_err().0[0]
            .code
            .as_str(),
        "too_many_ids"
    );

    let nested = |n: usize| format!("{}age > 1{}", "(".repeat(n), ")".repeat(n));
    assert!(check(&nested(100), &default).is_ok());
    assert_eq!(
        check(&nested(101), &default).unwrap_err().0[0]
            .code
            .as_str(),
        "too_deep"
    );
    let nots = |n: usize| format!("{}age > 1", "NOT ".repeat(n));
    assert!(check(&nots(100), &default).is_ok());
    assert_eq!(
        check(&nots(101), &default).unwrap_err().0[0].code.as_str(),
        "too_deep"
    );

    let long = format!("customer_tags CONTAINS '{}'", "x".repeat(1 << 20));
    assert_eq!(
        check(&long, &default).unwrap_err().0[0].code.as_str(),
        "query_too_long"
    );
}

#[test]
fn several_errors_are_reported_at_once() {
    let properties = properties();
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let errors = check(
        "emial_subscription_status = 'SUBSCRIBED' AND number_of_orders > 2.5 AND rfm_group = 'CHAMPION'",
        &options,
    )
    .unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        ["unknown_filter", "type_mismatch", "unknown_enum_value"]
    );

    let errors = check(
        "customer_tags CONTAINS \"a\" OR customer_tags CONTAINS \"b\" OR age > 1pm",
        &options,
    )
    .unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "double_quoted_string",
            "double_quoted_string",
            "time_only_value"
        ]
    );

    // A malformed value does not hide type errors in other clauses...
    let errors = check(
        "emial_subscription_status = 'SUBSCRIBED' AND customer_tags CONTAINS \"vip\"",
        &options,
    )
    .unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["unknown_filter", "double_quoted_string"]);
    // ...but the same text gets one error, not two.
    let errors = check("email_subscription_status = \"SUBSCRIBD\"", &options).unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["double_quoted_string"]);
}

#[test]
fn messages_read_well() {
    let properties = properties();
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let render = |q: &str| check(q, &options).unwrap_err().to_string();
    insta::assert_snapshot!(render("emial_subscription_status = 'SUBSCRIBED'"), @"1:1: there is no filter called `emial_subscription_status` [unknown_filter] (did you mean `email_subscription_status`?)");
    insta::assert_snapshot!(render("email_subscription_status = 'SUBSCRIBD'"), @"1:29: 'SUBSCRIBD' is not a value of `email_subscription_status` [unknown_enum_value] (did you mean `'SUBSCRIBED'`?)");
    insta::assert_snapshot!(render("customer_tags CONTAINS \"vip\""), @"1:24: use single quotes around text, not double quotes [double_quoted_string] (did you mean `'vip'`?)");
    insta::assert_snapshot!(render("number_of_orders > 2.5"), @"1:20: `number_of_orders` is a whole number; 2.5 has a decimal part [type_mismatch]");
    insta::assert_snapshot!(render("products_purchased MATCHES (tag = 'a', tag = 'b')"), @"1:40: `tag` is given twice; each parameter may appear once [duplicate_parameter]");
    insta::assert_snapshot!(render("(amount_spent > 10"), @"1:1: this `(` is never closed [unclosed_parenthesis]");
    insta::assert_snapshot!(render("last_order_date > 1pm"), @"1:19: a time of day needs a date: write a date and time like 2024-05-30T13:00:00 [time_only_value]");
    insta::assert_snapshot!(render("last_order_date > -7dT10:00:00"), @"1:19: a time cannot be added to a relative date; use a date and time like 2024-05-30T10:00:00 [time_on_relative_date]");
    insta::assert_snapshot!(render("customer_tags = 'vip'"), @"1:15: = does not apply to `customer_tags`, which is a list [operator_not_allowed]");
    insta::assert_snapshot!(render("amount_spent > 10 ADN age > 3"), @"1:19: found `ADN` where one of AND, OR, the end of the query was expected [unexpected_token] (did you mean `AND`?)");
    insta::assert_snapshot!(render("amount_spent >"), @"1:15: the query ends where a value was expected [expected_value]");
    insta::assert_snapshot!(render("orders_placed MATCHES (channel = 'POS')"), @"1:34: 'POS' is not a value of `channel` of `orders_placed` [unknown_enum_value] (did you mean `'pos'`?)");
    // Without an origin the home venue is the origin (language.md §7.1); a
    // postcode needs its country.
    insta::assert_snapshot!(render("customer_within_distance MATCHES (postcode = '02108', distance_km = 5)"), @"1:35: `postcode` needs country beside it [missing_parameter]");
    insta::assert_snapshot!(render("customer_within_distance MATCHES (place = 'Oslo', coordinates = (1, 2), distance_km = 5)"), @"1:51: give at most one of coordinates, venue_id, place, postcode [conflicting_parameters]");
    let strict = CheckOptions {
        strict: true,
        properties: &properties,
    };
    insta::assert_snapshot!(check(&["age > 1"; 11].join(" AND "), &strict).unwrap_err().to_string(), @"1:121: a query may have at most 10 clauses [too_many_clauses]");
}

#[test]
fn errors_serialise_to_the_cli_json_shape() {
    let properties = properties();
    let options = CheckOptions {
        strict: false,
        properties: &properties,
    };
    let errors = check("email_subscription_status = 'SUBSCRIBD'", &options).unwrap_err();
    insta::assert_snapshot!(serde_json::to_string_pretty(&errors).unwrap(), @r#"
    [
      {
        "code": "unknown_enum_value",
        "message": "'SUBSCRIBD' is not a value of `email_subscription_status`",
        "line": 1,
        "column": 29,
        "span": [
          28,
          39
        ],
        "expected": [
          "'SUBSCRIBED'",
          "'NOT_SUBSCRIBED'",
          "'PENDING'",
          "'UNSUBSCRIBED'",
          "'INVALID'",
          "'REDACTED'"
        ],
        "suggestion": "'SUBSCRIBED'"
      }
    ]
    "#);
}
