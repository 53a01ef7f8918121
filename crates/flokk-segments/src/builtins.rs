//! Built-in segments (installed once per store, authored `flokk`, like the
//! default segments every Shopify store starts with) and templates: classic
//! recipes a merchant copies and adjusts.

/// A ready-made segment definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SegmentRecipe {
    /// Short stable key (`cross_sell`).
    pub key: &'static str,
    /// Name it is saved under.
    pub name: &'static str,
    /// What it finds and what it is for.
    pub description: &'static str,
    /// The query.
    pub query: &'static str,
}

const fn recipe(
    key: &'static str,
    name: &'static str,
    description: &'static str,
    query: &'static str,
) -> SegmentRecipe {
    SegmentRecipe {
        key,
        name,
        description,
        query,
    }
}

/// The segments every store starts with.
pub static BUILT_IN_SEGMENTS: &[SegmentRecipe] = &[
    recipe(
        "purchased_at_least_once",
        "Customers who have purchased at least once",
        "Everyone with an order.",
        "number_of_orders >= 1",
    ),
    recipe(
        "email_subscribers",
        "Email subscribers",
        "Customers who agreed to receive marketing email.",
        "email_subscription_status = 'SUBSCRIBED'",
    ),
    recipe(
        "abandoned_checkouts_30_days",
        "Abandoned checkouts in the last 30 days",
        "Customers who left a checkout in the last 30 days.",
        "abandoned_checkout_date >= -30d",
    ),
    recipe(
        "purchased_more_than_once",
        "Customers who have purchased more than once",
        "Repeat customers.",
        "number_of_orders > 1",
    ),
    recipe(
        "never_purchased",
        "Customers who haven't purchased",
        "Customers without an order yet.",
        "number_of_orders = 0",
    ),
];

/// Templates to copy: change the ids, names and places to the store's own.
pub static TEMPLATES: &[SegmentRecipe] = &[
    recipe(
        "cross_sell",
        "Cross-sell: bought shorts, never tops",
        "Customers who bought one category in the last year but never the one that goes with it.",
        "products_purchased MATCHES (tag = 'shorts', date > -1y) AND products_purchased NOT MATCHES (tag = 'tops')",
    ),
    recipe(
        "location",
        "Customers in Oslo",
        "Customers with an address in a city, for local events and shipping offers.",
        "customer_cities CONTAINS 'NO-03-Oslo'",
    ),
    recipe(
        "engaged_30_days",
        "Engaged: opened an email in the last 30 days",
        "The most engaged tier: opened an email recently (machine opens left out).",
        "shopify_email.opened MATCHES (date > -30d, machine_open = false)",
    ),
    recipe(
        "engaged_90_days",
        "Engaged: opened an email in the last 90 days",
        "The wider engaged tier.",
        "shopify_email.opened MATCHES (date > -90d, machine_open = false)",
    ),
    recipe(
        "unengaged_180_days",
        "Unengaged subscribers",
        "Subscribers who opened nothing in 180 days: candidates for a win-back or sunset flow.",
        "email_subscription_status = 'SUBSCRIBED' AND shopify_email.opened NOT MATCHES (date > -180d)",
    ),
    recipe(
        "churn_risk",
        "Repeat customers at risk of churning",
        "Customers with two or more orders whose predicted churn risk is high.",
        "number_of_orders >= 2 AND churn_risk = 'HIGH'",
    ),
    recipe(
        "high_aov",
        "High average order value",
        "Customers whose orders average more than 200.",
        "average_order_value > 200",
    ),
    recipe(
        "holiday_shoppers",
        "Black Friday shoppers",
        "Customers who ordered over Black Friday weekend.",
        "orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01)",
    ),
    recipe(
        "soft_bounces",
        "Repeated soft bounces",
        "Addresses that soft-bounced more than 7 times: clean them from the list.",
        "shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)",
    ),
    recipe(
        "new_subscribers_without_order",
        "New subscribers without an order",
        "Joined in the last 30 days, subscribed, not bought yet: a welcome offer.",
        "customer_added_date >= -30d AND email_subscription_status = 'SUBSCRIBED' AND number_of_orders = 0",
    ),
    recipe(
        "former_vips",
        "Former VIPs",
        "Spent over 1,000 but have not ordered in six months.",
        "amount_spent > 1000 AND last_order_date < -6m",
    ),
    recipe(
        "near_venue",
        "Within 50 km of the venue",
        "Customers living near a venue, for performances there.",
        "customer_within_distance MATCHES (coordinates = (59.9075, 10.7531), distance_km = 50)",
    ),
    recipe(
        "lapsed_ticket_buyers",
        "Lapsed ticket buyers",
        "Bought tickets before, none for a performance in the last 12 months.",
        "number_of_tickets > 0 AND tickets_purchased NOT MATCHES (performance_date >= -12m)",
    ),
    recipe(
        "birthday_this_week",
        "Birthday within a week",
        "Customers whose birthday is in the next seven days.",
        "anniversary MATCHES (attribute = 'birth_date', date BETWEEN today AND +7d)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_lang::{CheckOptions, PropertyTypes, check};

    #[test]
    fn every_recipe_checks_and_prints_as_written() {
        let properties = PropertyTypes::new();
        let options = CheckOptions {
            strict: false,
            properties: &properties,
        };
        for r in BUILT_IN_SEGMENTS.iter().chain(TEMPLATES) {
            let typed = check(r.query, &options)
                .unwrap_or_else(|e| panic!("{}: {}: {e:?}", r.key, r.query));
            assert_eq!(
                typed.to_string(),
                r.query,
                "{} is not in canonical form",
                r.key
            );
        }
    }

    #[test]
    fn keys_and_names_are_unique() {
        let all: Vec<_> = BUILT_IN_SEGMENTS.iter().chain(TEMPLATES).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.name.to_lowercase(), b.name.to_lowercase());
            }
        }
    }
}
