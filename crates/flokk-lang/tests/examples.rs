//! Every example of language.md §8: parsed tree (outline with spans and
//! value kinds), type check, and canonical form.

use flokk_lang::{CheckOptions, PropertyTypes, ValueType, check};

fn outline(src: &str) -> String {
    let properties = PropertyTypes::from([
        ("facts.shoe_size".to_owned(), ValueType::Integer),
        ("facts.birth_date".to_owned(), ValueType::Date),
    ]);
    let typed = check(src, &CheckOptions { strict: false, properties: &properties })
        .unwrap_or_else(|e| panic!("{src}: {e}"));
    format!("{}\n=> {}", typed.query.outline(), typed.query)
}

#[test]
fn orders_and_recency() {
    insta::assert_snapshot!(outline("number_of_orders >= 3 AND last_order_date > -120d"), @"");
}

#[test]
fn spend_without_tag() {
    insta::assert_snapshot!(outline("amount_spent > 500 AND customer_tags NOT CONTAINS 'wholesale'"), @"");
}

#[test]
fn products_purchased_and_not() {
    insta::assert_snapshot!(outline("products_purchased MATCHES (tag = 'shorts', date > -1y) AND products_purchased NOT MATCHES (tag = 'tops')"), @"");
}

#[test]
fn countries_and_regions() {
    insta::assert_snapshot!(outline("customer_countries CONTAINS 'CA' OR customer_regions CONTAINS 'US-ME' OR customer_regions CONTAINS 'US-VT'"), @"");
}

#[test]
fn negated_group() {
    insta::assert_snapshot!(outline("NOT (customer_countries CONTAINS 'US' OR customer_countries CONTAINS 'CA')"), @"");
}

#[test]
fn soft_bounces() {
    insta::assert_snapshot!(outline("shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)"), @"");
}

#[test]
fn human_opens_without_orders() {
    insta::assert_snapshot!(outline("shopify_email.opened MATCHES (date > -30d, machine_open = false) AND orders_placed NOT MATCHES (date > -30d)"), @"");
}

#[test]
fn black_friday_orders() {
    insta::assert_snapshot!(outline("orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01)"), @"");
}

#[test]
fn expected_next_order_soon() {
    insta::assert_snapshot!(outline("expected_next_order_date BETWEEN today AND +14d"), @"");
}

#[test]
fn within_distance_of_boston() {
    insta::assert_snapshot!(outline("customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48)"), @"");
}

#[test]
fn carmen_buyers_not_at_one_performance() {
    insta::assert_snapshot!(outline("tickets_purchased MATCHES (production_id = 'carmen', performance_date >= -120d) AND tickets_purchased NOT MATCHES (performance_id = 'carmen-2026-01-10')"), @"");
}

#[test]
fn age_band_and_last_minute_buyers() {
    insta::assert_snapshot!(outline("(age BETWEEN 25 AND 40 OR age IS NULL) AND tickets_purchased MATCHES (lead_time_days <= 2)"), @"");
}

#[test]
fn custom_event_with_property() {
    insta::assert_snapshot!(outline("custom_event MATCHES (name = 'Viewed Product', property.ProductName = 'Patriots Jersey', date > -30d, count >= 2)"), @"");
}

#[test]
fn sample_of_a_nested_segment() {
    insta::assert_snapshot!(outline("random_bucket < 1000 AND customer_segments CONTAINS 'VIP'"), @"");
}

#[test]
fn legacy_forms_and_spellings() {
    insta::assert_snapshot!(outline("products_purchased(id: 2012162031638, date: 30_days_ago) = true and email.opened(activity_id: ('a1', 2)) != TRUE or orders_placed not_matches ()"), @"");
    insta::assert_snapshot!(outline("customer.metafields.facts.shoe_size = 44 OR metafields.facts.shoe_size IS NULL"), @"");
    insta::assert_snapshot!(outline("anniversary('metafields.facts.birth_date') BETWEEN today AND +30d"), @"");
}
