//! The values stores are built from, shared with the query grammar so that
//! queries hit real values about as often as they miss.

/// The time zones stores are evaluated in.
pub const ZONES: &[&str] = &["UTC", "Europe/Oslo", "America/New_York"];

/// Evaluation instants: an ordinary day (also with a fraction of a
/// second), Oslo's and New York's spring DST days, a leap day late in the
/// evening (already 1 March in Oslo), and New York's autumn DST day.
pub const NOWS: &[&str] = &[
    "2026-03-15T12:00:00Z",
    "2026-03-15T12:00:00.750Z",
    "2026-03-29T10:00:00Z",
    "2026-03-08T06:30:00Z",
    "2024-02-29T23:30:00Z",
    "2026-11-01T05:30:00Z",
];

/// DST changes of the zones above, near the evaluation instants.
pub const DST_CHANGES: &[&str] = &[
    "2026-03-29T01:00:00Z",
    "2025-10-26T01:00:00Z",
    "2024-03-31T01:00:00Z",
    "2026-03-08T07:00:00Z",
    "2025-11-02T06:00:00Z",
    "2026-11-01T06:00:00Z",
];

/// Day offsets from today that queries and records like to sit on.
pub const DAY_OFFSETS: &[i64] = &[
    -400, -366, -365, -120, -60, -31, -30, -8, -7, -1, 0, 1, 7, 14,
];

pub const CUSTOMER_TAGS: &[&str] = &["vip", "VIP", "wholesale", "newsletter", "Tromsø"];
pub const QUERY_TAGS: &[&str] = &["vip", "Vip", "wholesale", "tromsø", "TROMSØ", "absent"];
pub const PERMISSIONS: &[&str] = &["newsletter", "partner_offers"];
pub const QUERY_PERMISSIONS: &[&str] = &["newsletter", "Newsletter", "partner_offers", "sms"];
pub const COMPANIES: &[&str] = &["101", "acme"];
pub const EMAILS: &[&str] = &[
    "ann@example.no",
    "Bob@Example.NO",
    "c@gmail.com",
    "nodomain@",
    "plain",
];
pub const QUERY_DOMAINS: &[&str] = &["example.no", "Example.NO", "gmail.com", ""];
pub const LANGUAGES: &[&str] = &["nb", "en", "EN", " nb"];
pub const QUERY_LANGUAGES: &[&str] = &["nb", "en", "EN"];
pub const APPS: &[&str] = &["shopify", "42"];

/// An address template: city, region as written, country, position.
pub type Place = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<(f64, f64)>,
);

/// Address templates.
pub const PLACES: &[Place] = &[
    (
        Some("Oslo"),
        Some("NO-03"),
        Some("NO"),
        Some((59.9127, 10.7461)),
    ),
    (Some("Oslo"), None, Some("NO"), Some((59.91, 10.75))),
    (
        Some("Bergen"),
        Some("NO-46"),
        Some("no"),
        Some((60.3913, 5.3221)),
    ),
    (
        Some("Boston"),
        Some("MA"),
        Some("US"),
        Some((42.3601, -71.0589)),
    ),
    (
        Some("Cambridge"),
        Some("US-MA"),
        Some("US"),
        Some((42.3736, -71.1097)),
    ),
    (
        Some("Portland"),
        Some("US-ME"),
        Some("US"),
        Some((43.6591, -70.2568)),
    ),
    (
        Some("Burlington"),
        Some("VT"),
        Some("US"),
        Some((44.4759, -73.2121)),
    ),
    (Some("New York City"), Some("US-NY"), Some("US"), None),
    (
        Some("Toronto"),
        Some("CA-ON"),
        Some("CA"),
        Some((43.6532, -79.3832)),
    ),
    (None, None, Some("SE"), None),
];
pub const QUERY_CITIES: &[&str] = &[
    "NO-03-Oslo",
    "no-03-oslo",
    "NO--Oslo",
    "US-MA-Boston",
    "US-NY-NewYorkCity",
    "CA-ON-Toronto",
];
pub const QUERY_REGIONS: &[&str] = &["NO-03", "US-ME", "US-VT", "US-MA", "us-ma", "CA-ON"];
pub const QUERY_COUNTRIES: &[&str] = &["NO", "US", "CA", "ca", "SE", "DK"];
/// Points for distance queries: Boston, Oslo, the middle of the Atlantic.
pub const POINTS: &[&str] = &["(42.3601, -71.0589)", "(59.91, 10.75)", "(40.0, -40.0)"];
/// The same points as numbers.
pub const POINT_COORDINATES: &[(f64, f64)] = &[(42.3601, -71.0589), (59.91, 10.75), (40.0, -40.0)];

pub const PRODUCTS: &[&str] = &["p1", "p2", "p3", "123"];
pub const QUERY_PRODUCTS: &[&str] = &["'p1'", "'p2'", "123", "'P1'", "'zzz'"];
pub const LINE_TAGS: &[&str] = &["shorts", "summer", "tops", "Tops", "TROMSØ"];
pub const QUERY_LINE_TAGS: &[&str] = &["shorts", "tops", "TOPS", "tromsø", "summer", "x"];
pub const CATEGORIES: &[&str] = &["Apparel > Shorts", "apparel > tops"];
pub const QUERY_CATEGORIES: &[&str] = &["apparel > shorts", "Apparel > Tops", "Shoes"];
pub const VENDORS: &[&str] = &["Acme", "ACME", "Nordic"];
pub const QUERY_VENDORS: &[&str] = &["acme", "Nordic", "Other"];
pub const LOCATIONS: &[&str] = &["1", "2"];
pub const QUERY_LOCATIONS: &[&str] = &["1", "'2'", "'3'"];
/// Discount codes orders used (spelt in two cases: codes compare ignoring it).
pub const DISCOUNT_CODES: &[&str] = &["SUMMER10", "vip5", "Vip5"];
pub const QUERY_DISCOUNT_CODES: &[&str] = &["summer10", "VIP5", "NOPE"];
pub const ORDER_APPS: &[&str] = &["web", "42"];
pub const QUERY_ORDER_APPS: &[&str] = &["'web'", "42", "'pos'"];
pub const CHANNELS: &[&str] = &["online", "box_office", "pos", "app"];
pub const ACTIVITIES: &[&str] = &["5240029206", "77"];
pub const QUERY_ACTIVITIES: &[&str] = &["5240029206", "'77'", "'1'"];
pub const VIEWED: &[&str] = &["p1", "p2", "summer-sale"];
pub const QUERY_VIEWED: &[&str] = &["'p1'", "'summer-sale'", "'x'"];
pub const EVENT_NAMES: &[&str] = &["Viewed Product", "viewed product", "Signed Up"];
pub const QUERY_EVENT_NAMES: &[&str] = &["Viewed Product", "Signed Up", "x"];
pub const PRODUCT_NAMES: &[&str] = &["Patriots Jersey", "patriots jersey"];

pub const VENUES: &[(&str, Option<(f64, f64)>)] = &[
    ("operaen", Some((59.9075, 10.7531))),
    ("fenway", Some((42.3467, -71.0972))),
    ("nowhere", None),
];
pub const PRODUCTIONS: &[&str] = &["carmen", "tosca"];
pub const PERFORMANCES: &[&str] = &["carmen-1", "carmen-2", "tosca-1", "tosca-2"];
/// A performance no catalogue knows.
pub const UNKNOWN_PERFORMANCE: &str = "ghost-1";
pub const QUERY_PERFORMANCES: &[&str] = &["'carmen-1'", "'tosca-2'", "'ghost-1'"];
pub const QUERY_PRODUCTIONS: &[&str] = &["'carmen'", "'tosca'", "'opera'"];
pub const QUERY_VENUES: &[&str] = &["'operaen'", "'fenway'", "'nowhere'", "'atlantis'"];
/// Venues a distance is measured from: a venue that is unknown or has no
/// position is an error there (tests/origins.rs), not an answer to compare.
pub const ORIGIN_VENUES: &[&str] = &["'operaen'", "'fenway'"];
/// Subscription plans, in the spellings records and queries use.
pub const PLANS: &[&str] = &["season", "Season", "membership"];
pub const QUERY_PLANS: &[&str] = &["season", "SEASON", "membership", "youth"];

/// The home venue (setting `venue`) of a generated store.
pub const HOME_VENUES: &[&str] = &["operaen", "fenway"];
/// Place names the gazetteer resolves to one place each.
pub const QUERY_PLACES: &[&str] = &[
    "'Boston, US'",
    "'Oslo, NO'",
    "'tromsø'",
    "'Bergen, NO-46, NO'",
];
/// Postcodes with their countries.
pub const QUERY_POSTCODES: &[(&str, &str)] =
    &[("'02108'", "'US'"), ("'0154'", "'no'"), ("'0661'", "'NO'")];

/// Money amounts are multiples of 0.25 so every sum is exact in binary
/// floating point and summation order cannot move a boundary.
/// Order totals and line prices. The decimals that are no binary fraction
/// (0.1, 0.2, 59.82, 19.99) make f64 sums drift (`0.1 + 0.2`,
/// `59.82 + 59.82 = 119.64000000000001`); the engine must sum them exactly.
pub const AMOUNTS: &[&str] = &[
    "0", "10", "25.5", "49.75", "100", "250.25", "600", "0.1", "0.2", "59.82", "19.99",
];
pub const QUERY_AMOUNTS: &[&str] = &[
    "0", "10", "25.5", "100", "250.25", "500", "1000", "0.3", "119.64", "59.82", "39.98",
];

/// The ages customers are born at (years before today).
pub const BIRTH_AGES: &[i64] = &[18, 25, 26, 40, 41, 60, 75];

/// Radii (km) that put a customer address exactly on the edge of a
/// distance query: each point-to-place distance, a hair inside and a hair
/// outside, so the inclusive radius is tested where it matters.
pub fn edge_radii() -> Vec<String> {
    let mut radii = Vec::new();
    for point in POINT_COORDINATES {
        for (_, _, _, position) in PLACES {
            if let Some(p) = position {
                let d = crate::reference::places_and_days::haversine_km(*point, *p);
                for factor in [1.0 - 1e-9, 1.0 + 1e-9] {
                    radii.push(format!("{:.9}", d * factor));
                }
            }
        }
    }
    radii
}
