//! Random well-typed query text: every filter and function of §7 (except
//! predictive fields, which need fitted models the reference does not
//! have), every operator and value form, NOT, nested AND/OR, MATCHES with
//! record filters and aggregate conditions; and random saved segments with
//! `customer_segments` clauses naming them ([`saved_segments`],
//! [`expression_with_segments`]).
//!
//! Queries are generated as a small tree and rendered against the
//! scenario's `now` and zone, so absolute dates land near today whatever
//! the evaluation instant is.

use super::vocabulary::*;
use crate::reference::AsOf;
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

/// A value as it will be written.
#[derive(Debug, Clone)]
pub enum GenValue {
    /// Written as is (numbers, quoted texts, relative and named dates,
    /// coordinates, booleans).
    Written(String),
    /// An absolute date: today moved by this many days.
    Day(i64),
    /// An absolute date some years back: today moved by `years` years,
    /// then `days` days (near the birthdays stores are built with).
    YearsAgo {
        /// Whole years back.
        years: i64,
        /// Days moved after that.
        days: i64,
    },
    /// An absolute datetime: today moved by `day` days, at `time`.
    DateTime {
        /// Days from today.
        day: i64,
        /// `HH:MM:SS`.
        time: &'static str,
    },
}

impl GenValue {
    fn render(&self, as_of: &AsOf) -> String {
        let day = |k: i64| {
            flokk_lang::time::today(as_of.now, &as_of.tz)
                .checked_add(jiff::Span::new().days(k))
                .expect("in range")
        };
        match self {
            GenValue::Written(s) => s.clone(),
            GenValue::Day(k) => day(*k).to_string(),
            GenValue::YearsAgo { years, days } => flokk_lang::time::today(as_of.now, &as_of.tz)
                .checked_add(jiff::Span::new().years(-*years))
                .and_then(|d| d.checked_add(jiff::Span::new().days(*days)))
                .expect("in range")
                .to_string(),
            GenValue::DateTime { day: k, time } => format!("{}T{time}", day(*k)),
        }
    }
}

/// What a clause asks of its filter.
#[derive(Debug, Clone)]
pub enum Form {
    /// `op value`.
    Compare(&'static str, GenValue),
    /// `BETWEEN a AND b`.
    Between(GenValue, GenValue),
    /// `IS NULL` / `IS NOT NULL` (negated).
    IsNull(bool),
    /// `CONTAINS v` / `NOT CONTAINS v` (negated).
    Contains(bool, GenValue),
    /// `MATCHES (...)` / `NOT MATCHES (...)` (negated).
    Matches(bool, Vec<GenParam>),
}

/// One clause.
#[derive(Debug, Clone)]
pub struct GenClause {
    /// Filter or function name.
    pub subject: String,
    /// What is asked.
    pub form: Form,
}

impl GenClause {
    /// The other form of a positive/negative pair whose answers must be
    /// complements (§4): `=`/`!=`, IS NULL/IS NOT NULL, CONTAINS/NOT
    /// CONTAINS, MATCHES/NOT MATCHES. Ordered comparisons and BETWEEN have
    /// none (§4 gives them no negative form: `NOT (f < v)` holds for a
    /// missing value, `f >= v` does not).
    pub fn negative_form(&self) -> Option<GenClause> {
        let form = match &self.form {
            Form::Compare("=", v) => Form::Compare("!=", v.clone()),
            Form::Compare("!=", v) => Form::Compare("=", v.clone()),
            Form::IsNull(n) => Form::IsNull(!n),
            Form::Contains(n, v) => Form::Contains(!n, v.clone()),
            Form::Matches(n, p) => Form::Matches(!n, p.clone()),
            _ => return None,
        };
        Some(GenClause {
            subject: self.subject.clone(),
            form,
        })
    }

    /// Whether this is the positive form (`=`, IS NULL, CONTAINS, MATCHES).
    pub fn is_positive(&self) -> bool {
        matches!(
            self.form,
            Form::Compare("=", _)
                | Form::IsNull(false)
                | Form::Contains(false, _)
                | Form::Matches(false, _)
        )
    }

    /// The clause text.
    pub fn render(&self, as_of: &AsOf) -> String {
        let s = &self.subject;
        match &self.form {
            Form::Compare(op, v) => format!("{s} {op} {}", v.render(as_of)),
            Form::Between(a, b) => {
                format!("{s} BETWEEN {} AND {}", a.render(as_of), b.render(as_of))
            }
            Form::IsNull(false) => format!("{s} IS NULL"),
            Form::IsNull(true) => format!("{s} IS NOT NULL"),
            Form::Contains(false, v) => format!("{s} CONTAINS {}", v.render(as_of)),
            Form::Contains(true, v) => format!("{s} NOT CONTAINS {}", v.render(as_of)),
            Form::Matches(negated, params) => {
                let params: Vec<String> = params.iter().map(|p| p.render(as_of)).collect();
                let keyword = if *negated { "NOT MATCHES" } else { "MATCHES" };
                format!("{s} {keyword} ({})", params.join(", "))
            }
        }
    }
}

/// One MATCHES parameter.
#[derive(Debug, Clone)]
pub struct GenParam {
    /// Its name.
    pub name: String,
    /// What it asks.
    pub form: ParamForm,
}

/// What a parameter asks.
#[derive(Debug, Clone)]
pub enum ParamForm {
    /// `op value`.
    Compare(&'static str, GenValue),
    /// `BETWEEN a AND b`.
    Between(GenValue, GenValue),
    /// `IN (...)` / `NOT IN (...)` (negated).
    In(bool, Vec<GenValue>),
}

impl GenParam {
    fn render(&self, as_of: &AsOf) -> String {
        let n = &self.name;
        match &self.form {
            ParamForm::Compare(op, v) => format!("{n} {op} {}", v.render(as_of)),
            ParamForm::Between(a, b) => {
                format!("{n} BETWEEN {} AND {}", a.render(as_of), b.render(as_of))
            }
            ParamForm::In(negated, values) => {
                let values: Vec<String> = values.iter().map(|v| v.render(as_of)).collect();
                let keyword = if *negated { "NOT IN" } else { "IN" };
                format!("{n} {keyword} ({})", values.join(", "))
            }
        }
    }
}

/// A boolean expression over clauses.
#[derive(Debug, Clone)]
pub enum GenExpr {
    /// One clause.
    Clause(GenClause),
    /// `NOT x`.
    Not(Box<GenExpr>),
    /// `a AND b ...`.
    And(Vec<GenExpr>),
    /// `a OR b ...`.
    Or(Vec<GenExpr>),
}

impl GenExpr {
    /// The query text (composite operands always parenthesised).
    pub fn render(&self, as_of: &AsOf) -> String {
        let operand = |e: &GenExpr| match e {
            GenExpr::Clause(_) | GenExpr::Not(_) => e.render(as_of),
            _ => format!("({})", e.render(as_of)),
        };
        match self {
            GenExpr::Clause(c) => c.render(as_of),
            GenExpr::Not(e) => format!("NOT {}", operand(e)),
            GenExpr::And(es) => es.iter().map(operand).collect::<Vec<_>>().join(" AND "),
            GenExpr::Or(es) => es.iter().map(operand).collect::<Vec<_>>().join(" OR "),
        }
    }
}

const OPS: &[&str] = &["=", "!=", ">", ">=", "<", "<="];
const RELATIVE: &[&str] = &[
    "-7d", "-30d", "-1m", "-3m", "-1y", "+2w", "+14d", "+0d", "-12m", "-1w", "+1d",
];
const NAMED: &[&str] = &[
    "today",
    "yesterday",
    "7_days_ago",
    "30_days_ago",
    "90_days_ago",
    "12_months_ago",
    "TODAY",
];
const TIMES: &[&str] = &[
    "00:00:00", "00:00:01", "23:59:59", "12:00:00", "02:30:00", "23:30:00", "01:00:00",
];

fn written(items: &'static [&'static str]) -> BoxedStrategy<GenValue> {
    select(items)
        .prop_map(|s| GenValue::Written(s.to_owned()))
        .boxed()
}

fn quoted(items: &'static [&'static str]) -> BoxedStrategy<GenValue> {
    select(items)
        .prop_map(|s| {
            GenValue::Written(format!(
                "'{}'",
                s.replace('\\', "\\\\").replace('\'', "\\'")
            ))
        })
        .boxed()
}

fn day_offsets() -> BoxedStrategy<i64> {
    prop_oneof![3 => select(DAY_OFFSETS), 1 => -800i64..60].boxed()
}

/// A whole-day value in any of its spellings.
fn day_value() -> BoxedStrategy<GenValue> {
    prop_oneof![
        written(RELATIVE),
        written(NAMED),
        day_offsets().prop_map(GenValue::Day),
    ]
    .boxed()
}

/// A whole day on a date-only field (birth dates, date properties): also
/// days decades back, where the stores' birthdays are.
fn calendar_day_value() -> BoxedStrategy<GenValue> {
    prop_oneof![
        2 => day_value(),
        2 => (select(BIRTH_AGES), select(&[-1i64, 0, 0, 1, 7, -7, 30][..]))
            .prop_map(|(years, days)| GenValue::YearsAgo { years, days }),
    ]
    .boxed()
}

/// A whole day or an instant.
fn date_value() -> BoxedStrategy<GenValue> {
    prop_oneof![
        3 => day_value(),
        1 => (day_offsets(), select(TIMES)).prop_map(|(day, time)| GenValue::DateTime { day, time }),
    ]
    .boxed()
}

fn ordered_form(values: BoxedStrategy<GenValue>) -> BoxedStrategy<Form> {
    prop_oneof![
        3 => (select(OPS), values.clone()).prop_map(|(op, v)| Form::Compare(op, v)),
        1 => (values.clone(), values).prop_map(|(a, b)| Form::Between(a, b)),
        1 => any::<bool>().prop_map(Form::IsNull),
    ]
    .boxed()
}

fn equality_form(values: BoxedStrategy<GenValue>) -> BoxedStrategy<Form> {
    prop_oneof![
        3 => (select(&["=", "!="][..]), values).prop_map(|(op, v)| Form::Compare(op, v)),
        1 => any::<bool>().prop_map(Form::IsNull),
    ]
    .boxed()
}

fn list_form(values: BoxedStrategy<GenValue>) -> BoxedStrategy<Form> {
    prop_oneof![
        3 => (any::<bool>(), values).prop_map(|(n, v)| Form::Contains(n, v)),
        1 => any::<bool>().prop_map(Form::IsNull),
    ]
    .boxed()
}

fn clause_of(subject: &'static str, form: BoxedStrategy<Form>) -> BoxedStrategy<GenClause> {
    form.prop_map(move |form| GenClause {
        subject: subject.to_owned(),
        form,
    })
    .boxed()
}

fn numeric_clause() -> BoxedStrategy<GenClause> {
    let filters: Vec<(&'static str, &'static [&'static str])> = vec![
        ("amount_spent", QUERY_AMOUNTS),
        ("historic_clv", QUERY_AMOUNTS),
        ("number_of_orders", &["0", "1", "2", "3"]),
        ("age", &["0", "25", "26", "40", "-1"]),
        ("random_bucket", &["1000", "5000"]),
        ("number_of_tickets", &["0", "2", "4"]),
        ("number_of_events", &["0", "1", "2"]),
        ("average_order_value", &["50", "100.5", "25.5"]),
        (
            "average_days_between_orders",
            &["0", "0.5", "1", "2", "3.5", "7.5", "30", "100"],
        ),
        ("metafields.custom.points", &["0", "5", "120.5"]),
    ];
    select(filters)
        .prop_flat_map(|(name, values)| clause_of(name, ordered_form(written(values))))
        .boxed()
}

fn date_clause() -> BoxedStrategy<GenClause> {
    prop_oneof![
        select(
            &[
                "first_order_date",
                "last_order_date",
                "customer_added_date",
                "abandoned_checkout_date",
            ][..]
        )
        .prop_flat_map(|name| clause_of(name, ordered_form(date_value()))),
        // Date-only fields get whole-day values: how a datetime compares
        // with a day is not specified (see the report).
        select(
            &[
                "birth_date",
                "birth_date",
                "metafields.custom.since",
                "customer.metafields.custom.since",
            ][..]
        )
        .prop_flat_map(|name| clause_of(name, ordered_form(calendar_day_value()))),
    ]
    .boxed()
}

const MARKETING: &[&str] = &[
    "SUBSCRIBED",
    "NOT_SUBSCRIBED",
    "PENDING",
    "UNSUBSCRIBED",
    "INVALID",
    "REDACTED",
];

fn text_clause() -> BoxedStrategy<GenClause> {
    let filters: Vec<(&'static str, &'static [&'static str])> = vec![
        ("customer_email_domain", QUERY_DOMAINS),
        ("customer_language", QUERY_LANGUAGES),
        ("created_by_app_id", &["shopify", "42", "x"]),
        ("metafields.custom.color", &["blue", "Blue"]),
        (
            "customer_account_status",
            &["ENABLED", "DISABLED", "INVITED", "DECLINED"],
        ),
        ("email_subscription_status", MARKETING),
        ("sms_subscription_status", MARKETING),
        (
            "product_subscription_status",
            &["SUBSCRIBED", "NEVER_SUBSCRIBED", "CANCELLED", "EXPIRED"],
        ),
        ("gender", &["FEMALE", "MALE", "OTHER"]),
        ("subscription_status", &["ACTIVE", "LAPSED", "NONE"]),
    ];
    prop_oneof![
        4 => select(filters).prop_flat_map(|(name, values)| clause_of(name, equality_form(quoted(values)))),
        1 => (select(&["=", "!="][..]), written(&["true", "false"])).prop_map(|(op, v)| GenClause {
            subject: "metafields.custom.member".into(),
            form: Form::Compare(op, v),
        }),
    ]
    .boxed()
}

fn list_clause() -> BoxedStrategy<GenClause> {
    let filters: Vec<(&'static str, BoxedStrategy<GenValue>)> = vec![
        ("customer_tags", quoted(QUERY_TAGS)),
        ("customer_cities", quoted(QUERY_CITIES)),
        ("customer_regions", quoted(QUERY_REGIONS)),
        ("customer_countries", quoted(QUERY_COUNTRIES)),
        ("companies", written(&["101", "'acme'", "'ACME'", "7"])),
        ("permissions", quoted(QUERY_PERMISSIONS)),
        (
            "metafields.custom.interests",
            quoted(&["opera", "jazz", "x"]),
        ),
    ];
    let strategies: Vec<BoxedStrategy<GenClause>> = filters
        .into_iter()
        .map(|(name, values)| clause_of(name, list_form(values)))
        .collect();
    proptest::strategy::Union::new(strategies).boxed()
}

fn param(name: &'static str, form: BoxedStrategy<ParamForm>) -> BoxedStrategy<Option<GenParam>> {
    weighted(
        0.35,
        form.prop_map(move |form| GenParam {
            name: name.to_owned(),
            form,
        }),
    )
    .boxed()
}

fn required(name: &'static str, form: BoxedStrategy<ParamForm>) -> BoxedStrategy<Option<GenParam>> {
    form.prop_map(move |form| {
        Some(GenParam {
            name: name.to_owned(),
            form,
        })
    })
    .boxed()
}

/// `=`, `!=`, IN, NOT IN: ids, texts and enums.
fn equality_param(values: BoxedStrategy<GenValue>) -> BoxedStrategy<ParamForm> {
    prop_oneof![
        2 => (select(&["=", "!="][..]), values.clone()).prop_map(|(op, v)| ParamForm::Compare(op, v)),
        1 => (any::<bool>(), vec(values, 1..=3)).prop_map(|(n, vs)| ParamForm::In(n, vs)),
    ]
    .boxed()
}

fn boolean_param() -> BoxedStrategy<ParamForm> {
    (select(&["=", "!="][..]), written(&["true", "false"]))
        .prop_map(|(op, v)| ParamForm::Compare(op, v))
        .boxed()
}

fn date_param(values: BoxedStrategy<GenValue>) -> BoxedStrategy<ParamForm> {
    prop_oneof![
        3 => (select(OPS), values.clone()).prop_map(|(op, v)| ParamForm::Compare(op, v)),
        1 => (values.clone(), values).prop_map(|(a, b)| ParamForm::Between(a, b)),
    ]
    .boxed()
}

fn float_param(values: &'static [&'static str]) -> BoxedStrategy<ParamForm> {
    date_param(written(values))
}

fn integer_param(values: &'static [&'static str]) -> BoxedStrategy<ParamForm> {
    prop_oneof![
        3 => (select(OPS), written(values)).prop_map(|(op, v)| ParamForm::Compare(op, v)),
        1 => (written(values), written(values)).prop_map(|(a, b)| ParamForm::Between(a, b)),
        1 => (any::<bool>(), vec(written(values), 1..=3)).prop_map(|(n, vs)| ParamForm::In(n, vs)),
    ]
    .boxed()
}

const COUNTS: &[&str] = &["0", "1", "2", "3", "7"];

fn matches_clause(
    names: &'static [&'static str],
    params: Vec<BoxedStrategy<Option<GenParam>>>,
) -> BoxedStrategy<GenClause> {
    (select(names), any::<bool>(), params)
        .prop_map(|(name, negated, params)| GenClause {
            subject: name.to_owned(),
            form: Form::Matches(negated, params.into_iter().flatten().collect()),
        })
        .boxed()
}

fn function_clause() -> BoxedStrategy<GenClause> {
    let count = || param("count", integer_param(COUNTS));
    let date = || param("date", date_param(date_value()));
    let products = matches_clause(
        &["products_purchased"],
        vec![
            param("id", equality_param(written(QUERY_PRODUCTS))),
            param("tag", equality_param(quoted(QUERY_LINE_TAGS))),
            param("category", equality_param(quoted(QUERY_CATEGORIES))),
            param("vendor", equality_param(quoted(QUERY_VENDORS))),
            date(),
            count(),
            param("sum_quantity", integer_param(&["0", "2", "5"])),
        ],
    );
    let orders = matches_clause(
        &["orders_placed"],
        vec![
            date(),
            param("amount", float_param(QUERY_AMOUNTS)),
            param("location_id", equality_param(written(QUERY_LOCATIONS))),
            param("app_id", equality_param(written(QUERY_ORDER_APPS))),
            param("channel", equality_param(quoted(CHANNELS))),
            param(
                "discount_code",
                equality_param(quoted(QUERY_DISCOUNT_CODES)),
            ),
            count(),
            param("sum_amount", float_param(QUERY_AMOUNTS)),
        ],
    );
    let activity = || param("activity_id", equality_param(written(QUERY_ACTIVITIES)));
    let bounced = matches_clause(
        &["shopify_email.bounced", "email.bounced"],
        vec![
            activity(),
            date(),
            param("bounce_type", equality_param(quoted(&["SOFT", "HARD"]))),
            count(),
        ],
    );
    let opened = matches_clause(
        &["shopify_email.opened", "email.opened"],
        vec![
            activity(),
            date(),
            param("machine_open", boolean_param()),
            count(),
        ],
    );
    let other_email = matches_clause(
        &[
            "shopify_email.clicked",
            "shopify_email.delivered",
            "email.marked_as_spam",
            "shopify_email.unsubscribed",
        ],
        vec![activity(), date(), count()],
    );
    let storefront = matches_clause(
        &["storefront.product_viewed", "storefront.collection_viewed"],
        vec![
            param("id", equality_param(written(QUERY_VIEWED))),
            date(),
            count(),
        ],
    );
    let tickets = matches_clause(
        &["tickets_purchased"],
        vec![
            param(
                "performance_id",
                equality_param(written(QUERY_PERFORMANCES)),
            ),
            param("production_id", equality_param(written(QUERY_PRODUCTIONS))),
            param("venue_id", equality_param(written(QUERY_VENUES))),
            param("performance_date", date_param(date_value())),
            date(),
            param("channel", equality_param(quoted(CHANNELS))),
            param(
                "lead_time_days",
                integer_param(&["-1", "0", "1", "2", "7", "30"]),
            ),
            count(),
            param("sum_quantity", integer_param(&["0", "2", "5"])),
            param("sum_amount", float_param(&["0", "99.5", "450", "1000"])),
        ],
    );
    let subscriptions = matches_clause(
        &["subscriptions"],
        vec![
            param("plan", equality_param(quoted(QUERY_PLANS))),
            param("date", date_param(date_value())),
            param("ends", date_param(date_value())),
            count(),
        ],
    );
    let custom = matches_clause(
        &["custom_event"],
        vec![
            param("name", equality_param(quoted(QUERY_EVENT_NAMES))),
            param(
                "property.ProductName",
                equality_param(quoted(&["Patriots Jersey", "patriots jersey"])),
            ),
            param("property.size", integer_param(&["1", "2", "3"])),
            param("property.value", float_param(&["0", "12.5", "79"])),
            param("property.launched", date_param(calendar_day_value())),
            param("property.gift", boolean_param()),
            param("property.missing", equality_param(quoted(&["x"]))),
            date(),
            count(),
            param("sum_value", float_param(&["0", "12.5", "79", "100"])),
        ],
    );
    let distances = prop_oneof![
        written(&["0", "1", "30.5", "48", "100", "5000"]),
        select(edge_radii()).prop_map(GenValue::Written),
    ];
    let equal =
        |values: BoxedStrategy<GenValue>| values.prop_map(|v| ParamForm::Compare("=", v)).boxed();
    // The origin: coordinates, a venue, a place name or a postcode with its
    // country, or none (the home venue).
    let origin = prop_oneof![
        written(POINTS).prop_map(|p| vec![GenParam {
            name: "coordinates".into(),
            form: ParamForm::Compare("=", p),
        }]),
        written(ORIGIN_VENUES).prop_map(|v| vec![GenParam {
            name: "venue_id".into(),
            form: ParamForm::Compare("=", v),
        }]),
        written(QUERY_PLACES).prop_map(|p| vec![GenParam {
            name: "place".into(),
            form: ParamForm::Compare("=", p),
        }]),
        select(QUERY_POSTCODES).prop_map(|(code, country)| vec![
            GenParam {
                name: "postcode".into(),
                form: ParamForm::Compare("=", GenValue::Written(code.to_string())),
            },
            GenParam {
                name: "country".into(),
                form: ParamForm::Compare("=", GenValue::Written(country.to_string())),
            },
        ]),
        Just(Vec::new()),
    ];
    let distance = (any::<bool>(), origin, distances, any::<bool>())
        .prop_map(|(negated, origin, radius, miles)| {
            let radius = GenParam {
                name: if miles { "distance_mi" } else { "distance_km" }.into(),
                form: ParamForm::Compare("=", radius),
            };
            let mut params = origin;
            params.push(radius);
            GenClause {
                subject: "customer_within_distance".into(),
                form: Form::Matches(negated, params),
            }
        })
        .boxed();
    let anniversary = matches_clause(
        &["anniversary"],
        vec![
            required(
                "attribute",
                equal(quoted(&[
                    "birth_date",
                    "metafields.custom.since",
                    "customer.metafields.custom.since",
                ])),
            ),
            // Whole days only: how a datetime bound meets a yearly
            // occurrence is not specified (see the report).
            required("date", date_param(day_value())),
        ],
    );
    prop_oneof![
        products,
        orders,
        bounced,
        opened,
        other_email,
        storefront,
        tickets,
        custom,
        distance,
        anniversary,
        subscriptions,
    ]
    .boxed()
}

/// Any clause.
pub fn clause() -> BoxedStrategy<GenClause> {
    prop_oneof![
        2 => numeric_clause(),
        2 => date_clause(),
        2 => text_clause(),
        2 => list_clause(),
        5 => function_clause(),
    ]
    .boxed()
}

/// Any expression: clauses under NOT, AND and OR, a few levels deep.
pub fn expression() -> BoxedStrategy<GenExpr> {
    clause()
        .prop_map(GenExpr::Clause)
        .prop_recursive(3, 10, 3, |inner| {
            prop_oneof![
                1 => inner.clone().prop_map(|e| GenExpr::Not(Box::new(e))),
                2 => vec(inner.clone(), 2..=3).prop_map(GenExpr::And),
                2 => vec(inner, 2..=3).prop_map(GenExpr::Or),
            ]
        })
        .boxed()
}

/// The names of the saved segments [`saved_segments`] defines, in order.
pub const SEGMENT_NAMES: &[&str] = &["Loyal", "Lapsed", "Locals"];

/// A `customer_segments` clause naming one of the first `names` saved
/// segments, in any letter case (names match case-insensitively);
/// `IS NULL` / `IS NOT NULL` too when `null_forms` (a saved segment may not
/// use them: they depend on every segment).
pub fn segments_clause(names: usize, null_forms: bool) -> BoxedStrategy<GenClause> {
    let named = (select(&SEGMENT_NAMES[..names]), any::<bool>(), 0..3u8).prop_map(
        |(name, negated, case)| {
            let name = match case {
                0 => name.to_owned(),
                1 => name.to_lowercase(),
                _ => name.to_uppercase(),
            };
            GenClause {
                subject: "customer_segments".into(),
                form: Form::Contains(negated, GenValue::Written(format!("'{name}'"))),
            }
        },
    );
    if !null_forms {
        return named.boxed();
    }
    prop_oneof![
        3 => named,
        1 => any::<bool>().prop_map(|negated| GenClause {
            subject: "customer_segments".into(),
            form: Form::IsNull(negated),
        }),
    ]
    .boxed()
}

/// Definitions of the segments [`SEGMENT_NAMES`]: each a random expression,
/// alone or with `customer_segments` clauses naming earlier segments (never
/// later ones, so there is no cycle; saving refuses cycles).
pub fn saved_segments() -> BoxedStrategy<Vec<GenExpr>> {
    let definition = |earlier: usize| -> BoxedStrategy<GenExpr> {
        if earlier == 0 {
            return expression();
        }
        let nested = move || segments_clause(earlier, false).prop_map(GenExpr::Clause);
        prop_oneof![
            1 => expression(),
            1 => (expression(), nested()).prop_map(|(e, c)| GenExpr::And(vec![e, c])),
            1 => (expression(), nested()).prop_map(|(e, c)| GenExpr::Or(vec![e, c])),
            1 => (nested(), nested()).prop_map(|(a, b)| GenExpr::Or(vec![a, b])),
        ]
        .boxed()
    };
    (definition(0), definition(1), definition(2))
        .prop_map(|(a, b, c)| vec![a, b, c])
        .boxed()
}

/// Like [`expression`], with `customer_segments` clauses among the clauses.
pub fn expression_with_segments() -> BoxedStrategy<GenExpr> {
    prop_oneof![
        3 => clause(),
        2 => segments_clause(SEGMENT_NAMES.len(), true),
    ]
    .prop_map(GenExpr::Clause)
    .prop_recursive(3, 10, 3, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|e| GenExpr::Not(Box::new(e))),
            2 => vec(inner.clone(), 2..=3).prop_map(GenExpr::And),
            2 => vec(inner, 2..=3).prop_map(GenExpr::Or),
        ]
    })
    .boxed()
}

/// The static lists of the list tests.
pub const LIST_NAMES: &[&str] = &["Picked", "Control"];

/// A `customer_lists` clause naming one of [`LIST_NAMES`] in any letter
/// case, or `IS NULL` / `IS NOT NULL`.
pub fn lists_clause() -> BoxedStrategy<GenClause> {
    prop_oneof![
        3 => (select(LIST_NAMES), any::<bool>(), any::<bool>()).prop_map(|(name, negated, upper)| {
            let name = if upper { name.to_uppercase() } else { name.to_owned() };
            GenClause {
                subject: "customer_lists".into(),
                form: Form::Contains(negated, GenValue::Written(format!("'{name}'"))),
            }
        }),
        1 => any::<bool>().prop_map(|negated| GenClause {
            subject: "customer_lists".into(),
            form: Form::IsNull(negated),
        }),
    ]
    .boxed()
}

/// Like [`expression`], with `customer_lists` clauses among the clauses.
pub fn expression_with_lists() -> BoxedStrategy<GenExpr> {
    prop_oneof![3 => clause(), 2 => lists_clause()]
        .prop_map(GenExpr::Clause)
        .prop_recursive(3, 10, 3, |inner| {
            prop_oneof![
                1 => inner.clone().prop_map(|e| GenExpr::Not(Box::new(e))),
                2 => vec(inner.clone(), 2..=3).prop_map(GenExpr::And),
                2 => vec(inner, 2..=3).prop_map(GenExpr::Or),
            ]
        })
        .boxed()
}
