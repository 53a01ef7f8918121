//! "Shown for" a production or a performance (`--shown-for
//! production:ID|performance:ID`, API parameter `shown_for`): an audience
//! a production's campaign link goes to leaves out the customers who
//! already hold tickets to it.
//!
//! One implementation for every caller (count, members, exports, campaigns):
//! the audience query gets one more top-level clause,
//! `tickets_purchased NOT MATCHES (production_id = 'ID')`, so every backend
//! answers it as it answers any query, and `count` shows that clause's own
//! count beside the others. Whether the production or performance exists is
//! the caller's to ask its store (this crate knows no storage); an unknown
//! id is an error there, never a silent "nobody left out".

use crate::Expr;
use crate::check::{CheckOptions, PropertyTypes, TypedQuery, check};
use crate::value::Value;
use std::fmt;

/// What an audience is shown for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShownFor {
    /// Every performance of a production.
    Production(String),
    /// One performance (an event date).
    Performance(String),
}

/// `--shown-for` text that is not `production:ID` or `performance:ID`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shown-for {0:?} is not production:ID or performance:ID")]
pub struct InvalidShownFor(pub String);

impl ShownFor {
    /// Reads `production:ID` or `performance:ID` (the kind in any case; the
    /// id as given, trimmed, not empty).
    pub fn parse(text: &str) -> Result<ShownFor, InvalidShownFor> {
        let bad = || InvalidShownFor(text.to_owned());
        let (kind, id) = text.split_once(':').ok_or_else(bad)?;
        let id = id.trim();
        if id.is_empty() {
            return Err(bad());
        }
        match kind.trim().to_ascii_lowercase().as_str() {
            "production" => Ok(ShownFor::Production(id.to_owned())),
            "performance" => Ok(ShownFor::Performance(id.to_owned())),
            _ => Err(bad()),
        }
    }

    /// `production` or `performance`.
    pub fn kind(&self) -> &'static str {
        match self {
            ShownFor::Production(_) => "production",
            ShownFor::Performance(_) => "performance",
        }
    }

    /// The production's or performance's id.
    pub fn id(&self) -> &str {
        match self {
            ShownFor::Production(id) | ShownFor::Performance(id) => id,
        }
    }

    fn param(&self) -> &'static str {
        match self {
            ShownFor::Production(_) => "production_id",
            ShownFor::Performance(_) => "performance_id",
        }
    }

    /// The customers holding tickets to it:
    /// `tickets_purchased MATCHES (production_id = 'ID')`.
    pub fn holders_query(&self) -> String {
        format!(
            "tickets_purchased MATCHES ({} = {})",
            self.param(),
            Value::String(self.id().to_owned())
        )
    }

    /// The customers holding no ticket to it:
    /// `tickets_purchased NOT MATCHES (production_id = 'ID')`.
    pub fn others_query(&self) -> String {
        format!(
            "tickets_purchased NOT MATCHES ({} = {})",
            self.param(),
            Value::String(self.id().to_owned())
        )
    }

    /// `query` without the customers holding tickets to it: the
    /// [`ShownFor::others_query`] clause added to the query's top-level
    /// AND (so `a AND b` becomes `a AND b AND tickets_purchased NOT
    /// MATCHES (...)`, and `a OR b` becomes `(a OR b) AND ...`). The added
    /// clause's spans are those of its own text ([`ShownFor::others_query`]),
    /// so hints and errors about what the user wrote are computed before it
    /// is added.
    pub fn exclude_from(&self, query: TypedQuery) -> TypedQuery {
        let others = check(
            &self.others_query(),
            &CheckOptions {
                strict: false,
                properties: &PropertyTypes::new(),
            },
        )
        .expect("the shown-for clause always checks");
        let span = match &query.expr {
            Expr::Or { span, .. } | Expr::And { span, .. } | Expr::Not { span, .. } => *span,
            Expr::Clause(c) => c.clause.span,
        };
        let expr = match query.expr {
            Expr::And { mut operands, span } => {
                operands.push(others.expr);
                Expr::And { operands, span }
            }
            other => Expr::And {
                operands: vec![other, others.expr],
                span,
            },
        };
        TypedQuery { expr }
    }
}

impl fmt::Display for ShownFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(q: &str) -> TypedQuery {
        check(
            q,
            &CheckOptions {
                strict: false,
                properties: &PropertyTypes::new(),
            },
        )
        .unwrap()
    }

    #[test]
    fn reads_production_and_performance_and_refuses_anything_else() {
        assert_eq!(
            ShownFor::parse("production:carmen"),
            Ok(ShownFor::Production("carmen".into()))
        );
        assert_eq!(
            ShownFor::parse("Performance: carmen-2026-01-10 "),
            Ok(ShownFor::Performance("carmen-2026-01-10".into()))
        );
        for bad in ["carmen", "production:", "production: ", "venue:operaen", ""] {
            assert!(ShownFor::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ShownFor::parse("show:x").unwrap_err().to_string(),
            "shown-for \"show:x\" is not production:ID or performance:ID"
        );
    }

    #[test]
    fn adds_one_top_level_clause_with_the_id_quoted() {
        let s = ShownFor::parse("production:o'neil").unwrap();
        assert_eq!(
            s.exclude_from(typed("amount_spent > 5 AND number_of_orders >= 1"))
                .to_string(),
            "amount_spent > 5 AND number_of_orders >= 1 AND tickets_purchased NOT MATCHES (production_id = 'o\\'neil')"
        );
        let p = ShownFor::parse("performance:p1").unwrap();
        assert_eq!(
            p.exclude_from(typed("amount_spent > 5 OR number_of_orders >= 1"))
                .to_string(),
            "(amount_spent > 5 OR number_of_orders >= 1) AND tickets_purchased NOT MATCHES (performance_id = 'p1')"
        );
        assert_eq!(
            p.holders_query(),
            "tickets_purchased MATCHES (performance_id = 'p1')"
        );
    }
}
