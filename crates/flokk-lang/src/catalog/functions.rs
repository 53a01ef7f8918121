//! Functions used with MATCHES and their parameters (language.md §7).

use super::{FunctionSpec, ParamRole, ParamSpec, Type};

/// Sales channels, as the record model spells them.
const CHANNELS: &[&str] = &["online", "box_office", "pos", "app"];

const fn record(name: &'static str, ty: Type) -> ParamSpec {
    ParamSpec {
        name,
        ty,
        role: ParamRole::Record,
    }
}

const fn aggregate(name: &'static str, ty: Type) -> ParamSpec {
    ParamSpec {
        name,
        ty,
        role: ParamRole::Aggregate,
    }
}

const COUNT: ParamSpec = aggregate("count", Type::Integer);
const DATE: ParamSpec = record("date", Type::Date);

const EMAIL_PARAMS: &[ParamSpec] = &[record("activity_id", Type::Id), DATE, COUNT];

const fn email(name: &'static str, alias: &'static [&'static str]) -> FunctionSpec {
    FunctionSpec {
        name,
        aliases: alias,
        params: EMAIL_PARAMS,
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    }
}

const STOREFRONT_PARAMS: &[ParamSpec] = &[record("id", Type::Id), DATE, COUNT];

const fn storefront(name: &'static str) -> FunctionSpec {
    FunctionSpec {
        name,
        aliases: &[],
        params: STOREFRONT_PARAMS,
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    }
}

/// Every function.
pub static FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec {
        name: "products_purchased",
        aliases: &[],
        params: &[
            record("id", Type::Id),
            record("tag", Type::String),
            record("category", Type::String),
            record("vendor", Type::String),
            DATE,
            COUNT,
            aggregate("sum_quantity", Type::Integer),
        ],
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    },
    FunctionSpec {
        name: "orders_placed",
        aliases: &[],
        params: &[
            DATE,
            record("amount", Type::Float),
            record("location_id", Type::Id),
            record("app_id", Type::Id),
            record("channel", Type::Enum(CHANNELS)),
            record("discount_code", Type::String),
            COUNT,
            aggregate("sum_amount", Type::Float),
        ],
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    },
    FunctionSpec {
        name: "shopify_email.bounced",
        aliases: &["email.bounced"],
        params: &[
            record("activity_id", Type::Id),
            DATE,
            record("bounce_type", Type::Enum(&["SOFT", "HARD"])),
            COUNT,
        ],
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    },
    email("shopify_email.clicked", &["email.clicked"]),
    email("shopify_email.delivered", &["email.delivered"]),
    email("shopify_email.marked_as_spam", &["email.marked_as_spam"]),
    FunctionSpec {
        name: "shopify_email.opened",
        aliases: &["email.opened"],
        params: &[
            record("activity_id", Type::Id),
            DATE,
            record("machine_open", Type::Boolean),
            COUNT,
        ],
        open_prefix: None,
        exactly_one_of: &[],
        extension: false,
    },
    email("shopify_email.unsubscribed", &["email.unsubscribed"]),
    storefront("storefront.product_viewed"),
    storefront("storefront.collection_viewed"),
    FunctionSpec {
        name: "customer_within_distance",
        aliases: &[],
        params: &[
            record("coordinates", Type::Coordinates),
            record("venue_id", Type::Id),
            record("distance_km", Type::Distance),
            record("distance_mi", Type::Distance),
        ],
        open_prefix: None,
        exactly_one_of: &[
            &["coordinates", "venue_id"],
            &["distance_km", "distance_mi"],
        ],
        extension: false,
    },
    FunctionSpec {
        name: "anniversary",
        aliases: &[],
        params: &[record("attribute", Type::DateAttribute), DATE],
        open_prefix: None,
        exactly_one_of: &[&["attribute"], &["date"]],
        extension: false,
    },
    FunctionSpec {
        name: "tickets_purchased",
        aliases: &[],
        params: &[
            record("performance_id", Type::Id),
            record("production_id", Type::Id),
            record("venue_id", Type::Id),
            record("performance_date", Type::Date),
            DATE,
            record("channel", Type::Enum(CHANNELS)),
            record("lead_time_days", Type::Integer),
            COUNT,
            aggregate("sum_quantity", Type::Integer),
            aggregate("sum_amount", Type::Float),
        ],
        open_prefix: None,
        exactly_one_of: &[],
        extension: true,
    },
    FunctionSpec {
        name: "custom_event",
        aliases: &[],
        params: &[
            record("name", Type::String),
            DATE,
            COUNT,
            aggregate("sum_value", Type::Float),
        ],
        open_prefix: Some("property."),
        exactly_one_of: &[],
        extension: true,
    },
];
