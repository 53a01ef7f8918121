//! The canonical printer: `Display` for the syntax tree.
//!
//! Upper-case keywords, the current MATCHES form, single spaces and only the
//! parentheses that precedence needs (NOT > AND > OR). Printing then parsing
//! gives back the same tree (spans aside).

use crate::ast::{Clause, CompareOp, Expr, Param, ParamPredicate, Predicate, Query};
use crate::value::{Coordinates, Literal, NamedDate, Relative, Value};
use std::fmt::{self, Display, Formatter, Write as _};

/// Binding strength, loosest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Not,
}

fn precedence<C>(e: &Expr<C>) -> Option<Precedence> {
    match e {
        Expr::Or { .. } => Some(Precedence::Or),
        Expr::And { .. } => Some(Precedence::And),
        Expr::Not { .. } | Expr::Clause(_) => None,
    }
}

/// Prints `e`, in parentheses when it binds looser than (or, for
/// hand-built trees, as loosely as) its context `context`.
fn operand<C: Display>(f: &mut Formatter<'_>, e: &Expr<C>, context: Precedence) -> fmt::Result {
    match precedence(e) {
        Some(p) if p <= context => write!(f, "({e})"),
        _ => write!(f, "{e}"),
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl<C: Display> Display for Expr<C> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Or { operands, .. } | Expr::And { operands, .. } => {
                let (context, keyword) = match self {
                    Expr::Or { .. } => (Precedence::Or, " OR "),
                    _ => (Precedence::And, " AND "),
                };
                for (i, e) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(keyword)?;
                    }
                    operand(f, e, context)?;
                }
                Ok(())
            }
            Expr::Not { operand: inner, .. } => {
                f.write_str("NOT ")?;
                operand(f, inner, Precedence::Not)
            }
            Expr::Clause(c) => c.fmt(f),
        }
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.filter.text)?;
        match &self.predicate {
            Predicate::Compare { op, value } => write!(f, " {op} {value}"),
            Predicate::Between { low, high } => write!(f, " BETWEEN {low} AND {high}"),
            Predicate::IsNull { negated: false } => f.write_str(" IS NULL"),
            Predicate::IsNull { negated: true } => f.write_str(" IS NOT NULL"),
            Predicate::Contains { negated, value } => {
                write!(f, " {}CONTAINS {value}", if *negated { "NOT " } else { "" })
            }
            Predicate::Matches { negated, params } => {
                write!(f, " {}MATCHES (", if *negated { "NOT " } else { "" })?;
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    p.fmt(f)?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name.text)?;
        match &self.predicate {
            ParamPredicate::Compare { op, value } => write!(f, " {op} {value}"),
            ParamPredicate::Between { low, high } => write!(f, " BETWEEN {low} AND {high}"),
            ParamPredicate::In { negated, values } => {
                write!(f, " {}IN (", if *negated { "NOT " } else { "" })?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    v.fmt(f)?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for CompareOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => {
                f.write_char('\'')?;
                for c in s.chars() {
                    if c == '\'' || c == '\\' {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
                f.write_char('\'')
            }
            Value::Integer(i) => write!(f, "{i}"),
            Value::Float(x) => write_float(f, *x),
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Date(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Value::DateTime(dt) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            ),
            Value::Relative(Relative { amount, unit }) => {
                let sign = if *amount < 0 { '-' } else { '+' };
                write!(f, "{sign}{}{}", amount.unsigned_abs(), unit.letter())
            }
            Value::Named(NamedDate::Today) => f.write_str("today"),
            Value::Named(NamedDate::Yesterday) => f.write_str("yesterday"),
            Value::Coordinates(Coordinates {
                latitude,
                longitude,
            }) => {
                f.write_char('(')?;
                write_float(f, *latitude)?;
                f.write_str(", ")?;
                write_float(f, *longitude)?;
                f.write_char(')')
            }
        }
    }
}

/// A float that reads back as the same float, never as an integer:
/// `99.0`, not `99`; Rust's `Display` never uses exponents.
fn write_float(f: &mut Formatter<'_>, x: f64) -> fmt::Result {
    let text = x.to_string();
    f.write_str(&text)?;
    if !text.contains('.') {
        f.write_str(".0")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{Limits, parse};

    fn canonical(src: &str) -> String {
        parse(src, &Limits::default()).unwrap().to_string()
    }

    #[test]
    fn keywords_spacing_and_parentheses_are_normalised() {
        insta::assert_snapshot!(
            canonical("(a = 1 and (b=2)) or not (c = 3 Or d = 4)"),
            @"a = 1 AND b = 2 OR NOT (c = 3 OR d = 4)"
        );
        insta::assert_snapshot!(
            canonical("a = 1 and (b = 2 or c = 3)"),
            @"a = 1 AND (b = 2 OR c = 3)"
        );
        insta::assert_snapshot!(canonical("((a = 1 or b = 2) or c = 3)"), @"a = 1 OR b = 2 OR c = 3");
        insta::assert_snapshot!(canonical("not not a is not null"), @"NOT NOT a IS NOT NULL");
    }

    #[test]
    fn legacy_forms_print_in_the_current_form() {
        insta::assert_snapshot!(
            canonical("products_purchased(id: 123, date: -30d) = true"),
            @"products_purchased MATCHES (id = 123, date = -30d)"
        );
        insta::assert_snapshot!(
            canonical("products_purchased(tag: ('a', 'b')) != true"),
            @"products_purchased NOT MATCHES (tag IN ('a', 'b'))"
        );
        insta::assert_snapshot!(
            canonical("orders_placed(date: 30_days_ago) = false"),
            @"orders_placed NOT MATCHES (date = -30d)"
        );
        insta::assert_snapshot!(
            canonical("anniversary('metafields.facts.birth_date') BETWEEN today AND +30d"),
            @"anniversary MATCHES (attribute = 'metafields.facts.birth_date', date BETWEEN today AND +30d)"
        );
        insta::assert_snapshot!(
            canonical("anniversary(date: 'metafields.facts.birth_date') BETWEEN today AND +30d"),
            @"anniversary MATCHES (attribute = 'metafields.facts.birth_date', date BETWEEN today AND +30d)"
        );
        insta::assert_snapshot!(
            canonical("anniversary(date: 'birth_date') >= -7d"),
            @"anniversary MATCHES (attribute = 'birth_date', date >= -7d)"
        );
        insta::assert_snapshot!(
            canonical("shopify_email.opened NOT_MATCHES ()"),
            @"shopify_email.opened NOT MATCHES ()"
        );
    }

    #[test]
    fn values_print_so_that_they_read_back() {
        insta::assert_snapshot!(
            canonical("a = 99.0 OR b = 'it\\'s' OR c = (1, -2.5) OR d = 2024-02-29T23:59:00 OR e = -0d"),
            @r"a = 99.0 OR b = 'it\'s' OR c = (1.0, -2.5) OR d = 2024-02-29T23:59:00 OR e = +0d"
        );
    }
}
