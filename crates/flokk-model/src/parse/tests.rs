use super::*;
use crate::{MAX_LIST_ITEMS, PropertyValue, Record};

fn parse(line: &str) -> Result<Record, RecordError> {
    parse_record(line, ParseOptions::default())
}

#[test]
fn reads_every_example_of_the_spec() {
    let lines = [
        r#"{"kind":"customer","id":"1001","email":"ann@example.no","phone":"+4791234567","first_name":"Ann","last_name":"Berg","title":"Ms","gender":"FEMALE","birth_date":"1988-04-12","language":"nb","created_at":"2023-01-05T10:00:00Z","account_status":"ENABLED","email_subscription":"SUBSCRIBED","sms_subscription":"NOT_SUBSCRIBED","product_subscription":"NEVER_SUBSCRIBED","permissions":["newsletter"],"tags":["vip","newsletter"],"companies":[],"note":"","tax_exempt":false,"created_by_app_id":null,"addresses":[{"address1":"Karl Johans gate 1","city":"Oslo","region":"NO-03","country":"NO","zip":"0154","lat":59.9127,"lon":10.7461,"default":true}],"properties":{"favorite_color":"blue","points_balance":120,"facts.birth_date":"1988-04-12"}}"#,
        r#"{"kind":"order","id":"5001","customer_id":"1001","placed_at":"2025-03-01T12:30:00Z","total":149.90,"refunded":0,"cancelled":false,"channel":"online","location_id":"1","app_id":"web","lines":[{"product_id":"p1","title":"Summer shorts","tags":["shorts","summer"],"category":"Apparel > Shorts","vendor":"Acme","quantity":2,"price":49.95},{"performance_id":"carmen-2026-01-10","quantity":2,"price":450.00}]}"#,
        r#"{"kind":"checkout","id":"c9","customer_id":"1001","abandoned_at":"2025-03-04T09:00:00Z","total":80}"#,
        r#"{"kind":"email_event","customer_id":"1001","type":"opened","activity_id":"5240029206","at":"2025-03-02T08:00:00Z","machine_open":false}"#,
        r#"{"kind":"email_event","customer_id":"1001","type":"bounced","activity_id":"5240029206","at":"2025-03-02T08:00:00Z","bounce_type":"SOFT"}"#,
        r#"{"kind":"storefront_event","customer_id":"1001","type":"product_viewed","id":"p1","at":"2025-03-02T08:05:00Z"}"#,
        r#"{"kind":"event","customer_id":"1001","name":"Viewed Product","at":"2025-03-02T08:05:00Z","properties":{"ProductName":"Patriots Jersey","value":79.0}}"#,
        r#"{"kind":"venue","id":"operaen","name":"Operaen","lat":59.9075,"lon":10.7531}"#,
        r#"{"kind":"production","id":"carmen","name":"Carmen"}"#,
        r#"{"kind":"performance","id":"carmen-2026-01-10","production_id":"carmen","venue_id":"operaen","starts_at":"2026-01-10T19:00:00+01:00"}"#,
        r#"{"kind":"delete","entity":"customer","id":"1001"}"#,
    ];
    for line in lines {
        let rec = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        // Writing the record back and reading it again gives the same record.
        let json = serde_json::to_string(&rec).unwrap();
        assert_eq!(parse(&json).unwrap(), rec, "{json}");
    }
}

#[test]
fn properties_get_a_namespace_and_dates_are_typed() {
    let Record::Customer(c) = parse(
        r#"{"kind":"customer","id":7,"properties":{"color":"blue","n":3,"facts.birth_date":"1988-04-12","l":["a"],"b":true}}"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(c.id, "7");
    assert_eq!(
        c.properties["custom.color"],
        PropertyValue::String("blue".into())
    );
    assert_eq!(c.properties["custom.n"], PropertyValue::Number(3.0));
    assert_eq!(c.properties["custom.b"], PropertyValue::Boolean(true));
    assert_eq!(
        c.properties["custom.l"],
        PropertyValue::List(vec!["a".into()])
    );
    assert_eq!(
        c.properties["facts.birth_date"],
        PropertyValue::Date(jiff::civil::date(1988, 4, 12))
    );
}

#[test]
fn errors_name_the_field() {
    let err = |l: &str| parse(l).unwrap_err().to_string();
    assert_eq!(err(r#"{"id":"1"}"#), "the record has no \"kind\"");
    assert!(err(r#"{"kind":"client","id":"1"}"#).starts_with("unknown kind \"client\""));
    assert_eq!(
        err(r#"{"kind":"customer","id":"1","emial":"x"}"#),
        "unknown field `emial` (use --lenient to ignore unknown fields)"
    );
    assert_eq!(
        err(r#"{"kind":"customer","id":"1","addresses":[{"city":"Oslo","zipp":"1"}]}"#),
        "unknown field `addresses[0].zipp` (use --lenient to ignore unknown fields)"
    );
    let e = err(r#"{"kind":"order","id":"1","customer_id":"2","placed_at":"yesterday"}"#);
    assert!(e.starts_with("`placed_at`: "), "{e}");
    let e = err(
        r#"{"kind":"order","id":"1","customer_id":"2","placed_at":"2025-01-01T00:00:00Z","channel":"web"}"#,
    );
    assert!(e.starts_with("`channel`: unknown variant `web`"), "{e}");
    assert_eq!(
        err(
            r#"{"kind":"order","id":"1","customer_id":"2","placed_at":"2025-01-01T00:00:00Z","lines":[{"quantity":1}]}"#
        ),
        "lines[0]: a line needs product_id (product line) or performance_id (ticket line)"
    );
    assert_eq!(
        err(
            r#"{"kind":"email_event","customer_id":"1","type":"opened","at":"2025-01-01T00:00:00Z","bounce_type":"SOFT"}"#
        ),
        "bounce_type: only allowed on type bounced"
    );
    assert!(err("{not json").starts_with("not valid JSON"));
    assert!(err(r#"{"kind":"customer","id":""}"#).contains("may not be empty"));
}

#[test]
fn lenient_drops_unknown_fields_at_any_depth() {
    let line =
        r#"{"kind":"customer","id":"1","emial":"x","addresses":[{"city":"Oslo","zipp":"1"}]}"#;
    let Record::Customer(c) = parse_record(line, ParseOptions { lenient: true }).unwrap() else {
        panic!()
    };
    assert_eq!(c.addresses[0].city.as_deref(), Some("Oslo"));
}

#[test]
fn absurd_amounts_are_refused_with_their_field() {
    // Regression: a total of 1.7e308 was accepted and turned store-wide
    // sums into infinity.
    let cases = [
        (
            r#"{"kind":"order","id":"1","customer_id":"1","placed_at":"2025-03-01T12:30:00Z","total":1.7e308}"#,
            "total",
        ),
        (
            r#"{"kind":"order","id":"1","customer_id":"1","placed_at":"2025-03-01T12:30:00Z","total":10,"refunded":1000000000001}"#,
            "refunded",
        ),
        (
            r#"{"kind":"order","id":"1","customer_id":"1","placed_at":"2025-03-01T12:30:00Z","lines":[{"product_id":"p","price":-2e12}]}"#,
            "lines[0].price",
        ),
        (
            r#"{"kind":"checkout","id":"c","customer_id":"1","abandoned_at":"2025-03-01T12:30:00Z","total":1e300}"#,
            "total",
        ),
        (
            r#"{"kind":"event","customer_id":"1","name":"Donated","at":"2025-03-01T12:30:00Z","properties":{"value":1e13}}"#,
            "properties.value",
        ),
    ];
    for (line, field) in cases {
        let err = parse(line).unwrap_err();
        assert_eq!(err.field().as_deref(), Some(field), "{line}: {err}");
        assert!(err.to_string().contains("largest amount"), "{err}");
    }
    // The limit itself is an amount.
    assert!(
        parse(r#"{"kind":"order","id":"1","customer_id":"1","placed_at":"2025-03-01T12:30:00Z","total":1000000000000}"#)
            .is_ok()
    );
}

#[test]
fn offsets_beyond_rfc_3339_are_refused_with_their_field() {
    let err = parse(
        r#"{"kind":"order","id":"1","customer_id":"1","placed_at":"2025-03-01T12:30:00+25:00"}"#,
    )
    .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("placed_at"), "{err}");
    assert!(err.to_string().contains("outside RFC 3339"), "{err}");
    let err = parse(r#"{"kind":"customer","id":"1","created_at":"2025-03-01T12:30:00-24:00"}"#)
        .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("created_at"), "{err}");
}

#[test]
fn overlong_lists_are_refused_with_their_field() {
    let tags = vec!["\"t\""; MAX_LIST_ITEMS + 1].join(",");
    let err = parse(&format!(
        r#"{{"kind":"customer","id":"1","tags":[{tags}]}}"#
    ))
    .unwrap_err();
    assert_eq!(err.field().as_deref(), Some("tags"), "{err}");
    assert!(
        err.to_string().contains("1001 items is more than the 1000"),
        "{err}"
    );
    let ok = vec!["\"t\""; MAX_LIST_ITEMS].join(",");
    assert!(parse(&format!(r#"{{"kind":"customer","id":"1","tags":[{ok}]}}"#)).is_ok());
}

#[test]
fn integer_ids_beyond_64_bits_are_read_as_their_digits() {
    for digits in ["18446744073709551616", "123456789012345678901234567890"] {
        let line = format!(r#"{{"kind":"customer","id":{digits},"companies":[{digits}]}}"#);
        let Record::Customer(c) = parse(&line).unwrap() else {
            panic!("not a customer")
        };
        assert_eq!(c.id, digits);
        assert_eq!(c.companies, [digits]);
        // Written back (as a string) it reads the same.
        let json = serde_json::to_string(&Record::Customer(c.clone())).unwrap();
        assert_eq!(parse(&json).unwrap(), Record::Customer(c));

        let order = format!(
            r#"{{"kind":"order","id":{digits},"customer_id":-{digits},"placed_at":"2025-03-01T12:30:00Z","total":1,"lines":[{{"product_id":{digits},"quantity":1,"price":1}}]}}"#
        );
        let Record::Order(o) = parse(&order).unwrap() else {
            panic!("not an order")
        };
        assert_eq!(o.id, digits);
        assert_eq!(o.customer_id, format!("-{digits}"));
        assert_eq!(o.lines[0].product_id.as_deref(), Some(digits));
    }
    // Also when another field needs the lenient second pass.
    let lenient = ParseOptions { lenient: true };
    let line = r#"{"kind":"customer","id":123456789012345678901234567890,"shoe_size":44}"#;
    let Record::Customer(c) = parse_record(line, lenient).unwrap() else {
        panic!("not a customer")
    };
    assert_eq!(c.id, "123456789012345678901234567890");
}

#[test]
fn a_fraction_as_an_id_is_refused_by_name() {
    for (line, shown) in [
        (r#"{"kind":"customer","id":1.5}"#, "1.5"),
        (r#"{"kind":"customer","id":1e3}"#, "1000"),
        (
            r#"{"kind":"order","id":"o","customer_id":184467440737095516160.5,"placed_at":"2025-03-01T12:30:00Z","total":1}"#,
            "184467440737095500000",
        ),
    ] {
        let err = parse(line).unwrap_err().to_string();
        assert!(
            err.contains("an id must be a string or an integer written in digits, not")
                && err.contains(shown),
            "{line}: {err}"
        );
    }
    // A long integer that is not an id is still a number (an absurd amount).
    let err = parse(r#"{"kind":"order","id":"o","customer_id":"c","placed_at":"2025-03-01T12:30:00Z","total":100000000000000000000}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("beyond the largest amount"), "{err}");
}
