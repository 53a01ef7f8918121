//! Property tests: printing then parsing gives the same tree; no input
//! panics; deep nesting is an error, not a stack overflow.

use flokk_lang::ast::{Clause, CompareOp, Expr, Name, Param, ParamPredicate, Predicate, Query};
use flokk_lang::value::{Coordinates, Literal, NamedDate, Relative, RelativeUnit, Value};
use flokk_lang::{CheckOptions, Limits, PropertyTypes, Span, check, parse};
use proptest::prelude::*;

const RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "between",
    "is",
    "null",
    "contains",
    "matches",
    "not_matches",
    "in",
    "true",
    "false",
];

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_]{0,12}(\\.[a-zA-Z_][a-zA-Z0-9_]{0,8}){0,2}".prop_filter(
        "not a keyword or a named date",
        |n| {
            let lower = n.to_ascii_lowercase();
            !RESERVED.contains(&lower.as_str())
                && !lower.starts_with("today")
                && !lower.starts_with("yesterday")
        },
    )
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |f| f.is_finite())
}

fn value() -> impl Strategy<Value = Value> {
    let date = (0i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d));
    prop_oneof![
        ".{0,12}".prop_map(Value::String),
        any::<i64>().prop_map(Value::Integer),
        finite().prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        date.clone().prop_map(Value::Date),
        (date, 0i8..24, 0i8..60, 0i8..60)
            .prop_map(|(d, h, m, s)| Value::DateTime(d.at(h, m, s, 0))),
        // Every amount the language accepts, up to each unit's limit.
        (
            prop_oneof![
                Just(RelativeUnit::Day),
                Just(RelativeUnit::Week),
                Just(RelativeUnit::Month),
                Just(RelativeUnit::Year)
            ],
            -1.0f64..=1.0
        )
            .prop_map(|(unit, share)| {
                let amount = (share * unit.max_amount() as f64).round() as i64;
                Value::Relative(Relative { amount, unit })
            }),
        prop_oneof![Just(NamedDate::Today), Just(NamedDate::Yesterday)].prop_map(Value::Named),
        (finite(), finite()).prop_map(|(latitude, longitude)| Value::Coordinates(Coordinates {
            latitude,
            longitude
        })),
    ]
}

fn literal() -> impl Strategy<Value = Literal> {
    value().prop_map(|value| Literal {
        value,
        span: Span::default(),
    })
}

fn op() -> impl Strategy<Value = CompareOp> {
    prop::sample::select(CompareOp::ALL.to_vec())
}

fn param() -> impl Strategy<Value = Param> {
    let predicate = prop_oneof![
        (op(), literal()).prop_map(|(op, value)| ParamPredicate::Compare { op, value }),
        (literal(), literal()).prop_map(|(low, high)| ParamPredicate::Between { low, high }),
        (any::<bool>(), prop::collection::vec(literal(), 1..4))
            .prop_map(|(negated, values)| ParamPredicate::In { negated, values }),
    ];
    (name(), predicate).prop_map(|(name, predicate)| Param {
        name: Name {
            text: name,
            span: Span::default(),
        },
        predicate,
        operator_span: Span::default(),
        span: Span::default(),
    })
}

fn clause() -> impl Strategy<Value = Expr> {
    let predicate = prop_oneof![
        (op(), literal()).prop_map(|(op, value)| Predicate::Compare { op, value }),
        (literal(), literal()).prop_map(|(low, high)| Predicate::Between { low, high }),
        any::<bool>().prop_map(|negated| Predicate::IsNull { negated }),
        (any::<bool>(), literal())
            .prop_map(|(negated, value)| Predicate::Contains { negated, value }),
        (any::<bool>(), prop::collection::vec(param(), 0..4))
            .prop_map(|(negated, params)| Predicate::Matches { negated, params }),
    ];
    (name(), predicate).prop_map(|(name, predicate)| {
        Expr::Clause(Clause {
            filter: Name {
                text: name,
                span: Span::default(),
            },
            predicate,
            operator_span: Span::default(),
            span: Span::default(),
        })
    })
}

/// Flattens nested ORs in ORs and ANDs in ANDs, as the parser does.
fn normalise(e: Expr) -> Expr {
    match e {
        Expr::Or { operands, span } => Expr::Or {
            operands: flatten(operands, true),
            span,
        },
        Expr::And { operands, span } => Expr::And {
            operands: flatten(operands, false),
            span,
        },
        Expr::Not { operand, span } => Expr::Not {
            operand: Box::new(normalise(*operand)),
            span,
        },
        clause => clause,
    }
}

fn flatten(operands: Vec<Expr>, or: bool) -> Vec<Expr> {
    let mut out = Vec::new();
    for e in operands.into_iter().map(normalise) {
        match e {
            Expr::Or { operands, .. } if or => out.extend(operands),
            Expr::And { operands, .. } if !or => out.extend(operands),
            e => out.push(e),
        }
    }
    out
}

fn expr() -> impl Strategy<Value = Expr> {
    clause().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|operands| Expr::Or {
                operands,
                span: Span::default()
            }),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|operands| Expr::And {
                operands,
                span: Span::default()
            }),
            inner.prop_map(|e| Expr::Not {
                operand: Box::new(e),
                span: Span::default()
            }),
        ]
    })
}

const TOKENS: &[&str] = &[
    "(",
    ")",
    "AND",
    "or",
    "NOT",
    "age",
    ">",
    ">=",
    "=",
    "!=",
    "'x'",
    "'",
    "\"",
    "\\",
    "-7d",
    "1pm",
    ",",
    ":",
    "MATCHES",
    "not_matches",
    "products_purchased",
    "id",
    "IN",
    "BETWEEN",
    "2024-05-30",
    "2024-05-30T10:00:00",
    "true",
    "IS",
    "NULL",
    "CONTAINS",
    "anniversary",
    "(1, 2)",
    "3.5",
    "\n",
    "ø",
    "customer_tags",
    "coordinates",
    "-",
    "+",
    "7_days_ago",
    "today",
    "metafields.a.b",
    "property.x",
    "custom_event",
    "email_subscription_status",
    "'SUBSCRIBED'",
];

fn options() -> (PropertyTypes, bool) {
    (
        PropertyTypes::from([("a.b".to_owned(), flokk_lang::ValueType::Integer)]),
        false,
    )
}

/// Whatever parses prints to text that parses to the same tree.
fn assert_stable(text: &str) {
    if let Ok(query) = parse(text, &Limits::default()) {
        let printed = query.to_string();
        let again = parse(&printed, &Limits::default())
            .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(
            again.without_spans(),
            query.without_spans(),
            "{text:?} -> {printed:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn print_then_parse_is_identity(e in expr()) {
        let query = Query { expr: normalise(e) };
        let text = query.to_string();
        let limits = Limits { max_clauses: usize::MAX, ..Limits::default() };
        let parsed = parse(&text, &limits).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(parsed.without_spans(), query.without_spans(), "{}", text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let (properties, strict) = options();
        let _ = check(&text, &CheckOptions { strict, properties: &properties });
        assert_stable(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let (properties, strict) = options();
        let _ = check(&text, &CheckOptions { strict, properties: &properties });
    }

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..40), spaced in any::<bool>()) {
        let text = tokens.join(if spaced { " " } else { "" });
        let (properties, strict) = options();
        let result = check(&text, &CheckOptions { strict, properties: &properties });
        if let Err(errors) = result {
            for e in &errors {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len());
                prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                prop_assert!(e.line >= 1 && e.column >= 1);
            }
        }
        assert_stable(&text);
    }
}

/// Runs `f` on a thread with the 2 MiB stack that test threads get.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    on_small_stack(|| {
        let properties = PropertyTypes::new();
        let options = CheckOptions {
            strict: false,
            properties: &properties,
        };
        for n in [101, 1_000, 100_000] {
            let parens = format!("{}age > 1{}", "(".repeat(n), ")".repeat(n));
            let nots = format!("{}age > 1", "NOT ".repeat(n));
            let mixed = format!("{}age > 1{}", "NOT (".repeat(n), ")".repeat(n));
            let unclosed = "(".repeat(n);
            for text in [parens, nots, mixed, unclosed] {
                let errors = check(&text, &options).unwrap_err();
                assert_eq!(errors.0[0].code.as_str(), "too_deep");
            }
        }
        // At the limit everything works: parse, check, print, serialise, drop.
        let deepest = format!("{}age > 1{}", "NOT (".repeat(50), ")".repeat(50));
        let typed = check(&deepest, &options).unwrap();
        let printed = typed.to_string();
        assert!(printed.starts_with("NOT NOT NOT"));
        let query = typed.query();
        let json = serde_json::to_string(&query).unwrap();
        let back: Query = serde_json::from_str(&json).unwrap();
        assert_eq!(back, query);
    });
}

#[test]
fn a_megabyte_of_parameters_is_checked_quickly() {
    let params = vec!["count = 1"; 90_000].join(", ");
    let text = format!("orders_placed MATCHES ({params})");
    assert!(text.len() < 1 << 20);
    let started = std::time::Instant::now();
    let properties = PropertyTypes::new();
    let errors = check(
        &text,
        &CheckOptions {
            strict: false,
            properties: &properties,
        },
    )
    .unwrap_err();
    assert_eq!(errors.0[0].code.as_str(), "duplicate_parameter");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

const VALID_CLAUSES: &[&str] = &[
    "number_of_orders >= 3",
    "last_order_date > -120d",
    "amount_spent > 500",
    "customer_tags NOT CONTAINS 'wholesale'",
    "products_purchased MATCHES (tag = 'shorts', date > -1y)",
    "products_purchased(id: (1, 2), date: 30_days_ago) = true",
    "shopify_email.bounced MATCHES (bounce_type = 'SOFT', count > 7)",
    "email.opened NOT_MATCHES (date > -30d, machine_open = false)",
    "orders_placed MATCHES (date BETWEEN 2025-11-28 AND 2025-12-01)",
    "expected_next_order_date BETWEEN today AND +14d",
    "customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48)",
    "age IS NULL",
    "email_subscription_status != 'SUBSCRIBED'",
    "custom_event MATCHES (name = 'Viewed Product', property.size IN ('S', 'M'))",
    "anniversary('birth_date') BETWEEN today AND +30d",
    "anniversary(date: 'birth_date') BETWEEN today AND +30d",
    "metafields.a.b <= 7",
];

/// Random expressions over valid clauses, with keywords in random case.
fn valid_query() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(VALID_CLAUSES.to_vec()).prop_map(str::to_owned);
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 2..4), any::<bool>()).prop_map(
                |(v, lower)| format!("({})", v.join(if lower { " or " } else { " OR " }))
            ),
            (prop::collection::vec(inner.clone(), 2..4), any::<bool>())
                .prop_map(|(v, lower)| v.join(if lower { " and " } else { " AND " })),
            inner.prop_map(|e| format!("Not ({e})")),
        ]
    })
}

proptest! {
    #[test]
    fn valid_queries_check_and_their_canonical_form_checks_the_same(text in valid_query()) {
        let (properties, strict) = options();
        let options = CheckOptions { strict, properties: &properties };
        let typed = check(&text, &options).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let canonical = typed.to_string();
        let again = check(&canonical, &options).map_err(|e| TestCaseError::fail(format!("{canonical}: {e}")))?;
        prop_assert_eq!(again.to_string(), canonical.clone());
        prop_assert_eq!(again.query().without_spans(), typed.query().without_spans(), "{}", canonical);
    }
}
