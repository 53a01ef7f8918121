//! An indented outline of the syntax tree with spans and value kinds, for
//! tests and debugging (the canonical form hides both).

use crate::ast::{Clause, Expr, Param, ParamPredicate, Predicate, Query};
use crate::value::{Literal, Value};
use std::fmt::Write as _;

impl Query {
    /// One line per node: operators, clauses and parameters with their
    /// byte spans, values with their kind.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        expr(&mut out, &self.expr, 0);
        out.pop();
        out
    }
}

fn expr(out: &mut String, e: &Expr, depth: usize) {
    let indent = "  ".repeat(depth);
    let span = e.span();
    match e {
        Expr::Or { operands, .. } | Expr::And { operands, .. } => {
            let keyword = if matches!(e, Expr::Or { .. }) {
                "OR"
            } else {
                "AND"
            };
            let _ = writeln!(out, "{indent}{keyword} {}..{}", span.start, span.end);
            for operand in operands {
                expr(out, operand, depth + 1);
            }
        }
        Expr::Not { operand, .. } => {
            let _ = writeln!(out, "{indent}NOT {}..{}", span.start, span.end);
            expr(out, operand, depth + 1);
        }
        Expr::Clause(c) => clause(out, c, &indent),
    }
}

fn literal(l: &Literal) -> String {
    let kind = match &l.value {
        Value::String(_) => "string",
        Value::Integer(_) => "integer",
        Value::Float(_) => "float",
        Value::Boolean(_) => "boolean",
        Value::Date(_) => "date",
        Value::DateTime(_) => "datetime",
        Value::Relative(_) => "relative",
        Value::Named(_) => "named",
        Value::Coordinates(_) => "coordinates",
    };
    format!("{kind} {}", l.value)
}

fn clause(out: &mut String, c: &Clause, indent: &str) {
    let head = format!(
        "{indent}CLAUSE {}..{} {}",
        c.span.start, c.span.end, c.filter.text
    );
    let _ = match &c.predicate {
        Predicate::Compare { op, value } => writeln!(out, "{head} {op} {}", literal(value)),
        Predicate::Between { low, high } => {
            writeln!(out, "{head} BETWEEN {} AND {}", literal(low), literal(high))
        }
        Predicate::IsNull { negated } => {
            writeln!(out, "{head} IS {}NULL", if *negated { "NOT " } else { "" })
        }
        Predicate::Contains { negated, value } => writeln!(
            out,
            "{head} {}CONTAINS {}",
            if *negated { "NOT " } else { "" },
            literal(value)
        ),
        Predicate::Matches { negated, params } => {
            let _ = writeln!(out, "{head} {}MATCHES", if *negated { "NOT " } else { "" });
            for p in params {
                param(out, p, indent);
            }
            Ok(())
        }
    };
}

fn param(out: &mut String, p: &Param, indent: &str) {
    let head = format!(
        "{indent}  PARAM {}..{} {}",
        p.span.start, p.span.end, p.name.text
    );
    let _ = match &p.predicate {
        ParamPredicate::Compare { op, value } => writeln!(out, "{head} {op} {}", literal(value)),
        ParamPredicate::Between { low, high } => {
            writeln!(out, "{head} BETWEEN {} AND {}", literal(low), literal(high))
        }
        ParamPredicate::In { negated, values } => {
            let list: Vec<String> = values.iter().map(literal).collect();
            writeln!(
                out,
                "{head} {}IN ({})",
                if *negated { "NOT " } else { "" },
                list.join(", ")
            )
        }
    };
}
