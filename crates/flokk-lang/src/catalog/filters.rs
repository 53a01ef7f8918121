//! Filters with one value per customer (language.md §7).

use super::{FilterSpec, Type};

/// `SUBSCRIBED NOT_SUBSCRIBED ...` for email and SMS marketing consent.
pub const MARKETING_STATES: &[&str] = &[
    "SUBSCRIBED",
    "NOT_SUBSCRIBED",
    "PENDING",
    "UNSUBSCRIBED",
    "INVALID",
    "REDACTED",
];

const fn shopify(name: &'static str, ty: Type) -> FilterSpec {
    FilterSpec {
        name,
        ty,
        extension: false,
    }
}

const fn ext(name: &'static str, ty: Type) -> FilterSpec {
    FilterSpec {
        name,
        ty,
        extension: true,
    }
}

/// Every filter, Shopify's first, then flokk's extensions.
pub static FILTERS: &[FilterSpec] = &[
    shopify("amount_spent", Type::Float),
    shopify("number_of_orders", Type::Integer),
    shopify("first_order_date", Type::Date),
    shopify("last_order_date", Type::Date),
    shopify("customer_added_date", Type::Date),
    shopify("abandoned_checkout_date", Type::Date),
    shopify("customer_tags", Type::List),
    shopify("customer_cities", Type::List),
    shopify("customer_regions", Type::List),
    shopify("customer_countries", Type::List),
    shopify("customer_email_domain", Type::String),
    shopify("customer_language", Type::String),
    shopify(
        "customer_account_status",
        Type::Enum(&["ENABLED", "DISABLED", "INVITED", "DECLINED"]),
    ),
    shopify("email_subscription_status", Type::Enum(MARKETING_STATES)),
    shopify("sms_subscription_status", Type::Enum(MARKETING_STATES)),
    shopify(
        "product_subscription_status",
        Type::Enum(&["SUBSCRIBED", "NEVER_SUBSCRIBED", "CANCELLED", "EXPIRED"]),
    ),
    shopify("companies", Type::List),
    shopify("created_by_app_id", Type::String),
    shopify(
        "predicted_spend_tier",
        Type::Enum(&["HIGH", "MEDIUM", "LOW"]),
    ),
    shopify(
        "rfm_group",
        Type::Enum(&[
            "CHAMPIONS",
            "LOYAL",
            "ACTIVE",
            "NEW",
            "PROMISING",
            "NEEDS_ATTENTION",
            "AT_RISK",
            "PREVIOUSLY_LOYAL",
            "ALMOST_LOST",
            "DORMANT",
            "PROSPECTS",
        ]),
    ),
    ext("age", Type::Integer),
    ext("birth_date", Type::Date),
    ext("gender", Type::Enum(&["FEMALE", "MALE", "OTHER"])),
    ext(
        "predicted_gender",
        Type::Enum(&["LIKELY_FEMALE", "LIKELY_MALE", "UNCERTAIN"]),
    ),
    ext("permissions", Type::List),
    ext("customer_segments", Type::List),
    ext("customer_lists", Type::List),
    ext("random_bucket", Type::Integer),
    ext("historic_clv", Type::Float),
    ext("predicted_clv", Type::Float),
    ext("total_clv", Type::Float),
    ext("average_order_value", Type::Float),
    ext("predicted_number_of_orders", Type::Float),
    ext("churn_probability", Type::Float),
    ext("churn_risk", Type::Enum(&["LOW", "MEDIUM", "HIGH"])),
    ext("average_days_between_orders", Type::Float),
    ext("expected_next_order_date", Type::Date),
    ext("number_of_tickets", Type::Integer),
    ext("number_of_events", Type::Integer),
    // Season tickets and memberships (language.md §7.1).
    ext(
        "subscription_status",
        Type::Enum(&["ACTIVE", "LAPSED", "NONE"]),
    ),
];
