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
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
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
            record("venue_id", Type::OriginId),
            record("place", Type::Place),
            record("postcode", Type::Place),
            record("country", Type::Place),
            record("distance_km", Type::Distance),
            record("distance_mi", Type::Distance),
        ],
        open_prefix: None,
        // Without an origin the store's `venue` setting (the home venue)
        // is the origin (language.md §7.1).
        exactly_one_of: &[&["distance_km", "distance_mi"]],
        at_most_one_of: &[&["coordinates", "venue_id", "place", "postcode"]],
        // A postcode alone is ambiguous across countries (5-digit codes
        // repeat in DE, FI, FR, US...); `country` narrows a place name too.
        requires: &[
            ("postcode", &["country"]),
            ("country", &["postcode", "place"]),
        ],
        extension: false,
    },
    FunctionSpec {
        name: "anniversary",
        aliases: &[],
        params: &[record("attribute", Type::DateAttribute), DATE],
        open_prefix: None,
        exactly_one_of: &[&["attribute"], &["date"]],
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
        extension: true,
    },
    FunctionSpec {
        name: "subscriptions",
        aliases: &[],
        params: &[
            record("plan", Type::String),
            // `date` is the first day, as in data.md's `starts`.
            DATE,
            record("ends", Type::Date),
            COUNT,
        ],
        open_prefix: None,
        exactly_one_of: &[],
        at_most_one_of: &[],
        requires: &[],
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
        at_most_one_of: &[],
        requires: &[],
        extension: true,
    },
];
