//! The issue-22 additions of language.md §7.1 (place and postcode origins,
//! a distance from the home venue, subscriptions): parsed tree (outline
//! with spans and value kinds), type check and canonical form, as
//! `examples.rs` does for §8.

use flokk_lang::{CheckOptions, PropertyTypes, check};

fn outline(src: &str) -> String {
    let typed = check(
        src,
        &CheckOptions {
            strict: false,
            properties: &PropertyTypes::new(),
        },
    )
    .unwrap_or_else(|e| panic!("{src}: {e}"));
    format!("{}\n=> {typed}", typed.query().outline())
}

#[test]
fn within_distance_of_a_place_a_postcode_or_the_home_venue() {
    insta::assert_snapshot!(
        "place",
        outline("customer_within_distance MATCHES (place = 'Boston, US', distance_km = 48)")
    );
    insta::assert_snapshot!(
        "postcode",
        outline(
            "customer_within_distance MATCHES (postcode = '02108', country = 'US', distance_mi = 30)"
        )
    );
    insta::assert_snapshot!(
        "home_venue",
        outline("customer_within_distance NOT MATCHES (distance_km = 50)")
    );
}

#[test]
fn subscriptions() {
    insta::assert_snapshot!(
        "subscription_status",
        outline("subscription_status = 'LAPSED' OR subscription_status IS NULL")
    );
    insta::assert_snapshot!(
        "subscriptions",
        outline(
            "subscriptions MATCHES (plan IN ('season', 'youth'), date >= -1y, ends BETWEEN today AND +30d, count >= 1)"
        )
    );
}
