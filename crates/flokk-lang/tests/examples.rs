//! Every example of language.md §8: parsed tree (outline with spans and
//! value kinds), type check, and canonical form.

use flokk_lang::{CheckOptions, PropertyTypes, ValueType, check};

fn outline(src: &str) -> String {
    let properties = PropertyTypes::from([
        ("facts.shoe_size".to_owned(), ValueType::Integer),
        ("facts.birth_date".to_owned(), ValueType::Date),
    ]);
    let typed = check(
        src,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap_or_else(|e| panic!("{src}: {e}"));
    // Every clause resolves to the catalog entry (or property) it names;
    // `email.*` is the alias of `shopify_email.*`.
    for clause in typed.expr.clauses() {
        let written = clause.clause.filter.text.as_str();
        let resolved = match &clause.subject {
            flokk_lang::Subject::Filter(spec) => spec.name.to_owned(),
            flokk_lang::Subject::Function { spec, .. } => spec.name.to_owned(),
            flokk_lang::Subject::Property { namespace, key, .. } => {
                format!("metafields.{namespace}.{key}")
            }
        };
        let unaliased = written.strip_prefix("customer.").unwrap_or(written);
        assert!(
            resolved == unaliased || resolved == format!("shopify_{written}"),
            "{written} resolved to {resolved}"
        );
    }
    format!("{}\n=> {typed}", typed.query().outline())
}

#[test]
fn orders_and_recency() {
    insta::assert_snapshot!(outline("number_of_orders >= 3 AND last_order_date > -120d"), @"
    AND 0..49
      CLAUSE 0..21 number_of_orders >= integer 3
      CLAUSE 26..49 last_order_date > relative -120d
    => number_of_orders >= 3 AND last_order_date > -120d
    ");
}

#[test]
fn spend_without_tag() {
    insta::assert_snapshot!(outline("amount_spent > 500 AND customer_tags NOT CONTAINS 'wholesale'"), @"
    AND 0..61
      CLAUSE 0..18 amount_spent > integer 500
      CLAUSE 23..61 customer_tags NOT CONTAINS string 'wholesale'
    => amount_spent > 500 AND customer_tags NOT CONTAINS 'wholesale'
    ");
}

#[test]
fn products_purchased_and_not() {
    insta::assert_snapshot!(outline("products_purchased MATCHES (tag = 'shorts', date > -1y) AND products_purchased NOT MATCHES (tag = 'tops')"), @"
    AND 0..105
      CLAUSE 0..55 products_purchased MATCHES
        PARAM 28..42 tag = string 'shorts'
        PARAM 44..54 date > relative -1y
      CLAUSE 60..105 products_purchased NOT MATCHES
        PARAM 92..104 tag = string 'tops'
    => products_purchased MATCHES (tag = 'shorts', date > -1y) AND products_purchased NOT MATCHES (tag = 'tops')
    ");
}

#[test]
fn countries_and_regions() {
    insta::assert_snapshot!(outline("customer_countries CONTAINS 'CA' OR customer_regions CONTAINS 'US-ME' OR customer_regions CONTAINS 'US-VT'"), @"
    OR 0..106
      CLAUSE 0..32 customer_countries CONTAINS string 'CA'
      CLAUSE 36..69 customer_regions CONTAINS string 'US-ME'
      CLAUSE 73..106 customer_regions CONTAINS string 'US-VT'
    => customer_countries CONTAINS 'CA' OR customer_regions CONTAINS 'US-ME' OR customer_regions CONTAINS 'US-VT'
    ");
}

#[test]
fn negated_group() {
    insta::assert_snapshot!(outline("NOT (customer_countries CONTAINS 'US' OR customer_countries CONTAINS 'CA')"), @"
    NOT 0..74
      OR 5..73
        CLAUSE 5..37 customer_countries CONTAINS string 'US'
        CLAUSE 41..73 customer_countries CONTAINS string 'CA'
    => NOT (customer_countries CONTAINS 'US' OR customer_countries CONTAINS 'CA')
    ");
}

#[test]
fn soft_bounces() {
    insta::assert_snapshot!(outline("shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)"), @"
    CLAUSE 0..63 shopify_email.bounced MATCHES
      PARAM 31..51 bounce_type = string 'SOFT'
      PARAM 53..62 count > integer 7
    => shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)
    ");
}

#[test]
fn human_opens_without_orders() {
    insta::assert_snapshot!(outline("shopify_email.opened MATCHES (date > -30d, machine_open = false) AND orders_placed NOT MATCHES (date > -30d)"), @"
    AND 0..108
      CLAUSE 0..64 shopify_email.opened MATCHES
        PARAM 30..41 date > relative -30d
        PARAM 43..63 machine_open = boolean false
      CLAUSE 69..108 orders_placed NOT MATCHES
        PARAM 96..107 date > relative -30d
    => shopify_email.opened MATCHES (date > -30d, machine_open = false) AND orders_placed NOT MATCHES (date > -30d)
    ");
}

#[test]
fn black_friday_orders() {
    insta::assert_snapshot!(outline("orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01)"), @"
    CLAUSE 0..62 orders_placed MATCHES
      PARAM 23..61 date BETWEEN date 2025-11-28 AND date 2025-12-01
    => orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01)
    ");
}

#[test]
fn expected_next_order_soon() {
    insta::assert_snapshot!(outline("expected_next_order_date BETWEEN today AND +14d"), @"
    CLAUSE 0..47 expected_next_order_date BETWEEN named today AND relative +14d
    => expected_next_order_date BETWEEN today AND +14d
    ");
}

#[test]
fn within_distance_of_boston() {
    insta::assert_snapshot!(outline("customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48)"), @"
    CLAUSE 0..86 customer_within_distance MATCHES
      PARAM 34..67 coordinates = coordinates (42.3601, -71.0589)
      PARAM 69..85 distance_km = integer 48
    => customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48)
    ");
}

#[test]
fn carmen_buyers_not_at_one_performance() {
    insta::assert_snapshot!(outline("tickets_purchased MATCHES (production_id = 'carmen', performance_date >= -120d) AND tickets_purchased NOT MATCHES (performance_id = 'carmen-2026-01-10')"), @"
    AND 0..152
      CLAUSE 0..79 tickets_purchased MATCHES
        PARAM 27..51 production_id = string 'carmen'
        PARAM 53..78 performance_date >= relative -120d
      CLAUSE 84..152 tickets_purchased NOT MATCHES
        PARAM 115..151 performance_id = string 'carmen-2026-01-10'
    => tickets_purchased MATCHES (production_id = 'carmen', performance_date >= -120d) AND tickets_purchased NOT MATCHES (performance_id = 'carmen-2026-01-10')
    ");
}

#[test]
fn age_band_and_last_minute_buyers() {
    insta::assert_snapshot!(outline("(age BETWEEN 25 AND 40 OR age IS NULL) AND tickets_purchased MATCHES (lead_time_days <= 2)"), @"
    AND 0..90
      OR 1..37
        CLAUSE 1..22 age BETWEEN integer 25 AND integer 40
        CLAUSE 26..37 age IS NULL
      CLAUSE 43..90 tickets_purchased MATCHES
        PARAM 70..89 lead_time_days <= integer 2
    => (age BETWEEN 25 AND 40 OR age IS NULL) AND tickets_purchased MATCHES (lead_time_days <= 2)
    ");
}

#[test]
fn custom_event_with_property() {
    insta::assert_snapshot!(outline("custom_event MATCHES (name = 'Viewed Product', property.ProductName = 'Patriots Jersey', date > -30d, count >= 2)"), @"
    CLAUSE 0..113 custom_event MATCHES
      PARAM 22..45 name = string 'Viewed Product'
      PARAM 47..87 property.ProductName = string 'Patriots Jersey'
      PARAM 89..100 date > relative -30d
      PARAM 102..112 count >= integer 2
    => custom_event MATCHES (name = 'Viewed Product', property.ProductName = 'Patriots Jersey', date > -30d, count >= 2)
    ");
}

#[test]
fn sample_of_a_nested_segment() {
    insta::assert_snapshot!(outline("random_bucket < 1000 AND customer_segments CONTAINS 'VIP'"), @"
    AND 0..57
      CLAUSE 0..20 random_bucket < integer 1000
      CLAUSE 25..57 customer_segments CONTAINS string 'VIP'
    => random_bucket < 1000 AND customer_segments CONTAINS 'VIP'
    ");
}

#[test]
fn legacy_forms_and_spellings() {
    insta::assert_snapshot!(outline("products_purchased(id: 2012162031638, date: 30_days_ago) = true and email.opened(activity_id: ('a1', 2)) != TRUE or orders_placed not_matches ()"), @"
    OR 0..144
      AND 0..112
        CLAUSE 0..63 products_purchased MATCHES
          PARAM 19..36 id = integer 2012162031638
          PARAM 38..55 date = relative -30d
        CLAUSE 68..112 email.opened NOT MATCHES
          PARAM 81..103 activity_id IN (string 'a1', integer 2)
      CLAUSE 116..144 orders_placed NOT MATCHES
    => products_purchased MATCHES (id = 2012162031638, date = -30d) AND email.opened NOT MATCHES (activity_id IN ('a1', 2)) OR orders_placed NOT MATCHES ()
    ");
    insta::assert_snapshot!(outline("customer.metafields.facts.shoe_size = 44 OR metafields.facts.shoe_size IS NULL"), @"
    OR 0..78
      CLAUSE 0..40 customer.metafields.facts.shoe_size = integer 44
      CLAUSE 44..78 metafields.facts.shoe_size IS NULL
    => customer.metafields.facts.shoe_size = 44 OR metafields.facts.shoe_size IS NULL
    ");
    insta::assert_snapshot!(outline("anniversary('metafields.facts.birth_date') BETWEEN today AND +30d"), @"
    CLAUSE 0..65 anniversary MATCHES
      PARAM 12..41 attribute = string 'metafields.facts.birth_date'
      PARAM 43..65 date BETWEEN named today AND relative +30d
    => anniversary MATCHES (attribute = 'metafields.facts.birth_date', date BETWEEN today AND +30d)
    ");
    // Shopify's documentation names the attribute `date:`; same meaning.
    insta::assert_snapshot!(outline("anniversary(date: 'metafields.facts.birth_date') BETWEEN today AND +30d"), @"
    CLAUSE 0..71 anniversary MATCHES
      PARAM 18..47 attribute = string 'metafields.facts.birth_date'
      PARAM 49..71 date BETWEEN named today AND relative +30d
    => anniversary MATCHES (attribute = 'metafields.facts.birth_date', date BETWEEN today AND +30d)
    ");
}
