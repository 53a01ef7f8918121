//! Every filter and every parameter of the catalog, with every operator:
//! which are accepted, and which error the others get.

use flokk_lang::catalog::{FILTERS, FUNCTIONS, Type};
use flokk_lang::{CheckOptions, PropertyTypes, check};

/// A value of the right kind for `ty`.
fn sample(ty: Type) -> &'static str {
    match ty {
        Type::Integer => "3",
        Type::Float => "9.5",
        Type::Date => "-7d",
        Type::String | Type::List => "'x'",
        Type::Enum(values) => match values[0] {
            "ENABLED" => "'ENABLED'",
            "SUBSCRIBED" => "'SUBSCRIBED'",
            "HIGH" => "'HIGH'",
            "CHAMPIONS" => "'CHAMPIONS'",
            "FEMALE" => "'FEMALE'",
            "LIKELY_FEMALE" => "'LIKELY_FEMALE'",
            "LOW" => "'LOW'",
            "SOFT" => "'SOFT'",
            "online" => "'online'",
            "ACTIVE" => "'ACTIVE'",
            other => panic!("no sample for {other}"),
        },
        Type::Boolean => "true",
        Type::Id | Type::OriginId => "123",
        Type::Coordinates => "(59.91, 10.75)",
        Type::Distance => "5",
        Type::DateAttribute => "'birth_date'",
        Type::Place => "'Oslo'",
    }
}

fn outcome(query: &str) -> String {
    let properties = PropertyTypes::new();
    match check(
        query,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    ) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.0[0].code.as_str().to_owned(),
    }
}

#[test]
fn every_filter_with_every_operator() {
    let mut lines = Vec::new();
    for filter in FILTERS {
        let v = sample(filter.ty);
        let forms = [
            format!("= {v}"),
            format!("!= {v}"),
            format!("> {v}"),
            format!(">= {v}"),
            format!("< {v}"),
            format!("<= {v}"),
            format!("BETWEEN {v} AND {v}"),
            "IS NULL".to_owned(),
            "IS NOT NULL".to_owned(),
            format!("CONTAINS {v}"),
            format!("NOT CONTAINS {v}"),
            "MATCHES ()".to_owned(),
        ];
        let accepted: Vec<String> = forms
            .iter()
            .filter_map(|form| {
                let result = outcome(&format!("{} {form}", filter.name));
                match result.as_str() {
                    "ok" => Some(form.replace(v, "v")),
                    "operator_not_allowed" => None,
                    other => panic!("{} {form}: {other}", filter.name),
                }
            })
            .collect();
        lines.push(format!("{}: {}", filter.name, accepted.join(" | ")));
    }
    insta::assert_snapshot!(lines.join("
"), @"
    amount_spent: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    number_of_orders: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    first_order_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    last_order_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    customer_added_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    abandoned_checkout_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    customer_tags: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_cities: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_regions: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_countries: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_email_domain: = v | != v | IS NULL | IS NOT NULL
    customer_language: = v | != v | IS NULL | IS NOT NULL
    customer_account_status: = v | != v | IS NULL | IS NOT NULL
    email_subscription_status: = v | != v | IS NULL | IS NOT NULL
    sms_subscription_status: = v | != v | IS NULL | IS NOT NULL
    product_subscription_status: = v | != v | IS NULL | IS NOT NULL
    companies: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    created_by_app_id: = v | != v | IS NULL | IS NOT NULL
    predicted_spend_tier: = v | != v | IS NULL | IS NOT NULL
    rfm_group: = v | != v | IS NULL | IS NOT NULL
    age: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    birth_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    gender: = v | != v | IS NULL | IS NOT NULL
    predicted_gender: = v | != v | IS NULL | IS NOT NULL
    permissions: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_segments: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    customer_lists: IS NULL | IS NOT NULL | CONTAINS v | NOT CONTAINS v
    random_bucket: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    historic_clv: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    predicted_clv: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    total_clv: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    average_order_value: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    predicted_number_of_orders: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    churn_probability: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    churn_risk: = v | != v | IS NULL | IS NOT NULL
    average_days_between_orders: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    expected_next_order_date: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    number_of_tickets: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    number_of_events: = v | != v | > v | >= v | < v | <= v | BETWEEN v AND v | IS NULL | IS NOT NULL
    subscription_status: = v | != v | IS NULL | IS NOT NULL
    ");
}

#[test]
fn every_function_parameter_with_every_operator() {
    let mut lines = Vec::new();
    for function in FUNCTIONS {
        for param in function.params {
            let v = sample(param.ty);
            let forms = [
                format!("= {v}"),
                format!("!= {v}"),
                format!("> {v}"),
                format!("<= {v}"),
                format!("BETWEEN {v} AND {v}"),
                format!("IN ({v}, {v})"),
                format!("NOT IN ({v})"),
            ];
            // Fill the other required parameters so that only this one is under test.
            let mut others = Vec::new();
            for group in function.exactly_one_of {
                if !group.contains(&param.name) {
                    let name = group[0];
                    let ty = function.param(name).unwrap().ty;
                    others.push(format!(", {name} = {}", sample(ty)));
                }
            }
            // And what this one needs beside it (`postcode` needs `country`).
            for (name, needs) in function.requires {
                if *name == param.name {
                    let ty = function.param(needs[0]).unwrap().ty;
                    others.push(format!(", {} = {}", needs[0], sample(ty)));
                }
            }
            let accepted: Vec<String> = forms
                .iter()
                .filter_map(|form| {
                    let q = format!(
                        "{} MATCHES ({} {form}{})",
                        function.name,
                        param.name,
                        others.concat()
                    );
                    match outcome(&q).as_str() {
                        "ok" => Some(form.replace(v, "v")),
                        "operator_not_allowed" => None,
                        other => panic!("{q}: {other}"),
                    }
                })
                .collect();
            lines.push(format!(
                "{} {}: {}",
                function.name,
                param.name,
                accepted.join(" | ")
            ));
        }
    }
    insta::assert_snapshot!(lines.join("
"), @"
    products_purchased id: = v | != v | IN (v, v) | NOT IN (v)
    products_purchased tag: = v | != v | IN (v, v) | NOT IN (v)
    products_purchased category: = v | != v | IN (v, v) | NOT IN (v)
    products_purchased vendor: = v | != v | IN (v, v) | NOT IN (v)
    products_purchased date: = v | != v | > v | <= v | BETWEEN v AND v
    products_purchased count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    products_purchased sum_quantity: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    orders_placed date: = v | != v | > v | <= v | BETWEEN v AND v
    orders_placed amount: = v | != v | > v | <= v | BETWEEN v AND v
    orders_placed location_id: = v | != v | IN (v, v) | NOT IN (v)
    orders_placed app_id: = v | != v | IN (v, v) | NOT IN (v)
    orders_placed channel: = v | != v | IN (v, v) | NOT IN (v)
    orders_placed discount_code: = v | != v | IN (v, v) | NOT IN (v)
    orders_placed count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    orders_placed sum_amount: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.bounced activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.bounced date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.bounced bounce_type: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.bounced count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    shopify_email.clicked activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.clicked date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.clicked count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    shopify_email.delivered activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.delivered date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.delivered count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    shopify_email.marked_as_spam activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.marked_as_spam date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.marked_as_spam count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    shopify_email.opened activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.opened date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.opened machine_open: = v | != v
    shopify_email.opened count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    shopify_email.unsubscribed activity_id: = v | != v | IN (v, v) | NOT IN (v)
    shopify_email.unsubscribed date: = v | != v | > v | <= v | BETWEEN v AND v
    shopify_email.unsubscribed count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    storefront.product_viewed id: = v | != v | IN (v, v) | NOT IN (v)
    storefront.product_viewed date: = v | != v | > v | <= v | BETWEEN v AND v
    storefront.product_viewed count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    storefront.collection_viewed id: = v | != v | IN (v, v) | NOT IN (v)
    storefront.collection_viewed date: = v | != v | > v | <= v | BETWEEN v AND v
    storefront.collection_viewed count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    customer_within_distance coordinates: = v
    customer_within_distance venue_id: = v
    customer_within_distance place: = v
    customer_within_distance postcode: = v
    customer_within_distance country: = v
    customer_within_distance distance_km: = v
    customer_within_distance distance_mi: = v
    anniversary attribute: = v
    anniversary date: = v | != v | > v | <= v | BETWEEN v AND v
    tickets_purchased performance_id: = v | != v | IN (v, v) | NOT IN (v)
    tickets_purchased production_id: = v | != v | IN (v, v) | NOT IN (v)
    tickets_purchased venue_id: = v | != v | IN (v, v) | NOT IN (v)
    tickets_purchased performance_date: = v | != v | > v | <= v | BETWEEN v AND v
    tickets_purchased date: = v | != v | > v | <= v | BETWEEN v AND v
    tickets_purchased channel: = v | != v | IN (v, v) | NOT IN (v)
    tickets_purchased lead_time_days: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    tickets_purchased count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    tickets_purchased sum_quantity: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    tickets_purchased sum_amount: = v | != v | > v | <= v | BETWEEN v AND v
    subscriptions plan: = v | != v | IN (v, v) | NOT IN (v)
    subscriptions date: = v | != v | > v | <= v | BETWEEN v AND v
    subscriptions ends: = v | != v | > v | <= v | BETWEEN v AND v
    subscriptions count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    custom_event name: = v | != v | IN (v, v) | NOT IN (v)
    custom_event date: = v | != v | > v | <= v | BETWEEN v AND v
    custom_event count: = v | != v | > v | <= v | BETWEEN v AND v | IN (v, v) | NOT IN (v)
    custom_event sum_value: = v | != v | > v | <= v | BETWEEN v AND v
    ");
}

#[test]
fn aliases_and_custom_event_properties() {
    assert_eq!(
        outcome("email.bounced MATCHES (bounce_type = 'HARD')"),
        "ok"
    );
    assert_eq!(outcome("email.opened MATCHES (machine_open = true)"), "ok");
    assert_eq!(
        outcome("custom_event MATCHES (property.size BETWEEN 1 AND 2.5)"),
        "ok"
    );
    assert_eq!(
        outcome("custom_event MATCHES (property.size IN ('S', 'M'))"),
        "ok"
    );
    assert_eq!(outcome("custom_event MATCHES (property.vip = true)"), "ok");
    assert_eq!(
        outcome("custom_event MATCHES (property.vip > true)"),
        "operator_not_allowed"
    );
    assert_eq!(outcome("custom_event MATCHES (property.seen < -7d)"), "ok");
    assert_eq!(
        outcome("custom_event MATCHES (property.name > 'a')"),
        "operator_not_allowed"
    );
}

#[test]
fn every_value_form() {
    let q = "last_order_date = 2024-05-30 OR last_order_date < 2024-05-30T16:00:00 \
             OR last_order_date >= -7d OR last_order_date > +2w OR last_order_date <= -3m \
             OR last_order_date != -1y OR last_order_date = today OR last_order_date = yesterday \
             OR last_order_date > 7_days_ago OR last_order_date > 30_days_ago \
             OR last_order_date > 90_days_ago OR last_order_date > 12_months_ago \
             OR amount_spent > 999.99 OR amount_spent > 99 OR number_of_orders = -3 \
             OR customer_tags CONTAINS 'it\\'s a \\\\ tag' OR customer_language = 'nb' \
             OR products_purchased MATCHES (id = 2012162031638) OR products_purchased MATCHES (id = 'abc-1') \
             OR shopify_email.opened MATCHES (machine_open = false) \
             OR customer_within_distance MATCHES (coordinates = (59.91, 10.75), distance_mi = 3)";
    let properties = PropertyTypes::new();
    let typed = check(
        q,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap();
    insta::assert_snapshot!(typed.query().outline(), @r"
    OR 0..740
      CLAUSE 0..28 last_order_date = date 2024-05-30
      CLAUSE 32..69 last_order_date < datetime 2024-05-30T16:00:00
      CLAUSE 73..95 last_order_date >= relative -7d
      CLAUSE 99..120 last_order_date > relative +2w
      CLAUSE 124..146 last_order_date <= relative -3m
      CLAUSE 150..172 last_order_date != relative -1y
      CLAUSE 176..199 last_order_date = named today
      CLAUSE 203..230 last_order_date = named yesterday
      CLAUSE 234..262 last_order_date > relative -7d
      CLAUSE 266..295 last_order_date > relative -30d
      CLAUSE 299..328 last_order_date > relative -90d
      CLAUSE 332..363 last_order_date > relative -12m
      CLAUSE 367..388 amount_spent > float 999.99
      CLAUSE 392..409 amount_spent > integer 99
      CLAUSE 413..434 number_of_orders = integer -3
      CLAUSE 438..477 customer_tags CONTAINS string 'it\'s a \\ tag'
      CLAUSE 481..505 customer_language = string 'nb'
      CLAUSE 509..556 products_purchased MATCHES
        PARAM 537..555 id = integer 2012162031638
      CLAUSE 560..601 products_purchased MATCHES
        PARAM 588..600 id = string 'abc-1'
      CLAUSE 605..656 shopify_email.opened MATCHES
        PARAM 635..655 machine_open = boolean false
      CLAUSE 660..740 customer_within_distance MATCHES
        PARAM 694..722 coordinates = coordinates (59.91, 10.75)
        PARAM 724..739 distance_mi = integer 3
    ");
}
