//! The flokk segment query language (FSQL): lexer, parser, typed AST,
//! filter catalog, canonical printer and positioned errors.
//!
//! The language is specified in `shared/spec/language.md`; this crate
//! implements it with no dependency on storage or the engine, because the
//! same typed tree is meant to compile to other back ends too.
//!
//! # Use
//!
//! ```
//! use flokk_lang::{CheckOptions, PropertyTypes, check};
//!
//! let properties = PropertyTypes::new();
//! let typed = check("amount_spent > 500 and customer_tags contains 'vip'",
//!                   &CheckOptions { strict: false, properties: &properties }).unwrap();
//! assert_eq!(typed.to_string(), "amount_spent > 500 AND customer_tags CONTAINS 'vip'");
//!
//! let errors = check("emial_subscription_status = 'SUBSCRIBED'",
//!                    &CheckOptions { strict: false, properties: &properties }).unwrap_err();
//! assert_eq!(errors.0[0].code.as_str(), "unknown_filter");
//! assert_eq!(errors.0[0].suggestion.as_deref(), Some("email_subscription_status"));
//! ```
//!
//! [`parse`] gives the syntax tree ([`Query`]); [`check()`] parses and types it
//! against the [`catalog`], giving a [`TypedQuery`] whose clauses point at
//! their catalog entries. [`time`] turns date values into instant ranges.
//! `Display` on a [`Query`] or a [`TypedQuery`] is the canonical form; serde
//! gives the JSON form of a [`Query`].
//!
//! An evaluator walks the typed tree; each clause says what it tests:
//!
//! ```
//! use flokk_lang::time::{TimeCondition, compare};
//! use flokk_lang::{CheckOptions, Expr, Predicate, PropertyTypes, Subject, TypedExpr, check};
//!
//! fn describe(e: &TypedExpr, now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
//!     match e {
//!         Expr::And { operands, .. } => operands.iter().map(|o| describe(o, now, tz)).collect::<Vec<_>>().join(" & "),
//!         Expr::Or { operands, .. } => operands.iter().map(|o| describe(o, now, tz)).collect::<Vec<_>>().join(" | "),
//!         Expr::Not { operand, .. } => format!("!{}", describe(operand, now, tz)),
//!         Expr::Clause(c) => match (&c.subject, &c.clause.predicate) {
//!             (Subject::Filter(spec), Predicate::Compare { op, value }) if value.value.is_date_like() => {
//!                 let TimeCondition::Within(range) = compare(*op, &value.value, now, tz).unwrap() else { unreachable!() };
//!                 format!("{} from {:?}", spec.name, range.start)
//!             }
//!             (Subject::Filter(spec), _) => spec.name.to_owned(),
//!             (Subject::Function { spec, .. }, _) => {
//!                 let params: Vec<&str> = c.params().map(|(p, _target)| p.name.text.as_str()).collect();
//!                 format!("{}({})", spec.name, params.join(","))
//!             }
//!             (Subject::Property { key, .. }, _) => key.clone(),
//!         },
//!     }
//! }
//!
//! let properties = PropertyTypes::new();
//! let typed = check("last_order_date >= 2025-03-30 AND email.opened MATCHES (date > -7d, count >= 2)",
//!                   &CheckOptions { strict: false, properties: &properties }).unwrap();
//! let now: jiff::Timestamp = "2025-04-01T12:00:00Z".parse().unwrap();
//! let oslo = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
//! assert_eq!(describe(&typed.expr, now, &oslo),
//!            "last_order_date from Some(2025-03-29T23:00:00Z) & shopify_email.opened(date,count)");
//! ```
//!
//! # Grammar
//!
//! ```text
//! query      := or_expr
//! or_expr    := and_expr ( OR and_expr )*
//! and_expr   := not_expr ( AND not_expr )*
//! not_expr   := NOT not_expr | primary
//! primary    := '(' or_expr ')' | clause
//! clause     := name op value
//!             | name BETWEEN value AND value
//!             | name IS NULL | name IS NOT NULL
//!             | name CONTAINS value | name NOT CONTAINS value
//!             | name MATCHES '(' params? ')'
//!             | name ( NOT MATCHES | NOT_MATCHES ) '(' params? ')'
//!             | name '(' legacy_args? ')' ( '=' | '!=' ) boolean      -- legacy form
//!             | 'anniversary' '(' string ')' ( op value | BETWEEN value AND value )
//!             | 'anniversary' '(' 'date' ':' string ')' ( op value | BETWEEN ... ) -- Shopify's docs
//! params     := param ( ',' param )*
//! param      := name op value | name BETWEEN value AND value
//!             | name IN '(' value ( ',' value )* ')' | name NOT IN '(' ... ')'
//!             | name ':' value | name ':' '(' value ( ',' value )* ')'   -- legacy; the list is IN
//! legacy_args:= param ( ',' param )*
//! op         := '=' | '!=' | '>' | '>=' | '<' | '<='
//! name       := [A-Za-z_] [A-Za-z0-9_.]*           -- not a keyword
//! value      := string | integer | float | boolean | date | datetime
//!             | relative | named | coordinates
//! string     := "'" ( [^'\\] | "\\'" | "\\\\" )* "'"
//! integer    := [+-]? [0-9]+                        -- i64
//! float      := [+-]? [0-9]+ '.' [0-9]+
//! boolean    := 'true' | 'false'
//! date       := YYYY '-' MM '-' DD
//! datetime   := date 'T' hh ':' mm ':' ss
//! relative   := [+-] [0-9]+ ( 'd' | 'w' | 'm' | 'y' )
//! named      := 'today' | 'yesterday'
//!             | N '_days_ago' | N '_weeks_ago' | N '_months_ago' | N '_years_ago'   -- legacy; read as -Nd ...
//! coordinates:= '(' number ',' number ')'
//! ```
//!
//! Keywords (`AND OR NOT BETWEEN IS NULL CONTAINS MATCHES NOT_MATCHES IN`)
//! and `true false today yesterday` are case-insensitive. NOT binds tighter
//! than AND, which binds tighter than OR. In the legacy form `name: (a, b)`
//! means `name IN (a, b)`, except for `coordinates`, whose value is a pair.
//!
//! Rejected on purpose, each with its own error code: double-quoted text
//! (`double_quoted_string`), a time of day alone (`time_only_value`), a time
//! after a relative or named date (`time_on_relative_date`), days that do not
//! exist (`invalid_date`). See [`ErrorCode`] for every code.
//!
//! # Limits
//!
//! [`Limits::default()`] allows 1,000 clauses, 10,000 values per IN list,
//! nesting 100 deep and 1 MiB of text; [`Limits::strict()`] has Shopify's
//! 10 clauses and 500 values. Past a limit the parser stops with an error,
//! so no input can overflow the stack or take long.

#![warn(missing_docs)]

pub mod ast;
pub mod catalog;
pub mod check;
pub mod error;
pub mod lexer;
pub mod limits;
mod outline;
pub mod parser;
pub mod printer;
pub mod shown_for;
pub mod span;
pub mod suggest;
pub mod time;
pub mod token;
pub mod value;

pub use ast::{Clause, CompareOp, Expr, Name, Param, ParamPredicate, Predicate, Query};
pub use catalog::{FilterSpec, FunctionSpec, ParamRole, ParamSpec, Type, ValueType};
pub use check::{
    CheckOptions, ParamTarget, PropertyTypes, Subject, TypedClause, TypedExpr, TypedQuery, check,
};
pub use error::{Error, ErrorCode, Errors};
pub use limits::Limits;
pub use parser::parse;
pub use shown_for::{InvalidShownFor, ShownFor};
pub use span::Span;
pub use value::{Coordinates, Literal, NamedDate, Relative, RelativeUnit, Value};
