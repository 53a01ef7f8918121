//! What a segment's query depends on, read off its typed syntax tree: the
//! segments it names, whether its answer can move when a store-local
//! midnight passes, and whether it reads the predictive models.

use flokk_engine::hints::PREDICTIVE_FILTERS;
use flokk_lang::ast::{ParamPredicate, Predicate};
use flokk_lang::check::{Subject, TypedClause, TypedExpr};
use flokk_lang::{Literal, Span, TypedQuery, Value};

/// Functions whose answer moves with the calendar by themselves.
const DAY_DEPENDENT_FUNCTIONS: &[&str] = &["anniversary"];

/// One `customer_segments` clause of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum SegmentReference {
    /// `CONTAINS 'X'` or `NOT CONTAINS 'X'`: depends on segment X.
    Named {
        /// The name as written.
        name: String,
        /// Where the name is written.
        span: Span,
    },
    /// `IS NULL` / `IS NOT NULL`: depends on every segment.
    Any {
        /// The clause.
        span: Span,
    },
}

/// What one query depends on by itself (not through the segments it names).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryDependencies {
    /// The `customer_segments` clauses, in the order written.
    pub segments: Vec<SegmentReference>,
    /// The lists named by `customer_lists CONTAINS 'X'`, with the span of
    /// the name, in the order written.
    pub lists: Vec<(String, Span)>,
    /// A relative date, `today`/`yesterday`, a day-dependent filter or
    /// function: the answer can change at a store-local midnight.
    pub day: bool,
    /// A predictive filter: the answer can change when the models are refitted.
    pub predictions: bool,
    /// `customer_tags`: the answer can change when a bulk tag changes tags
    /// (the one thing such a change touches).
    pub tags: bool,
}

impl QueryDependencies {
    /// Reads the dependencies of a checked query.
    pub fn of(query: &TypedQuery) -> Self {
        let mut out = QueryDependencies::default();
        visit(&query.expr, &mut |c| out.add_clause(c));
        out
    }

    fn add_clause(&mut self, c: &TypedClause) {
        match &c.subject {
            Subject::Filter(spec) => {
                if spec.name == "customer_segments" {
                    match &c.clause.predicate {
                        Predicate::Contains { value, .. } => {
                            self.segments.push(SegmentReference::Named {
                                name: value.value.as_id().unwrap_or_default(),
                                span: value.span,
                            });
                        }
                        _ => self.segments.push(SegmentReference::Any {
                            span: c.clause.span,
                        }),
                    }
                }
                if spec.name == "customer_lists"
                    && let Predicate::Contains { value, .. } = &c.clause.predicate
                {
                    self.lists
                        .push((value.value.as_id().unwrap_or_default(), value.span));
                }
                // Age moves on birthdays; the predictive quantities with the
                // days since the last order (they count whole store-local days).
                self.tags |= spec.name == "customer_tags";
                let predictive = PREDICTIVE_FILTERS.contains(&spec.name);
                // `subscription_status` turns LAPSED the day after a
                // subscription's last day.
                self.day |= predictive || spec.name == "age" || spec.name == "subscription_status";
                self.predictions |= predictive;
            }
            Subject::Function { spec, .. } => {
                self.day |= DAY_DEPENDENT_FUNCTIONS.contains(&spec.name);
            }
            Subject::Property { .. } => {}
        }
        self.day |= literals(c).any(|l| matches!(l.value, Value::Relative(_) | Value::Named(_)));
    }
}

/// Calls `f` with every clause of `expr`.
fn visit(expr: &TypedExpr, f: &mut impl FnMut(&TypedClause)) {
    match expr {
        TypedExpr::Clause(c) => f(c),
        TypedExpr::Not { operand, .. } => visit(operand, f),
        TypedExpr::And { operands, .. } | TypedExpr::Or { operands, .. } => {
            for e in operands {
                visit(e, f);
            }
        }
    }
}

/// Every literal of a clause, its MATCHES parameters included.
fn literals(c: &TypedClause) -> impl Iterator<Item = &Literal> {
    let own: Vec<&Literal> = match &c.clause.predicate {
        Predicate::Compare { value, .. } | Predicate::Contains { value, .. } => vec![value],
        Predicate::Between { low, high } => vec![low, high],
        Predicate::IsNull { .. } => vec![],
        Predicate::Matches { params, .. } => params
            .iter()
            .flat_map(|p| match &p.predicate {
                ParamPredicate::Compare { value, .. } => vec![value],
                ParamPredicate::Between { low, high } => vec![low, high],
                ParamPredicate::In { values, .. } => values.iter().collect(),
            })
            .collect(),
    };
    own.into_iter()
}

/// `query` with every `customer_segments` reference to `old` (any case)
/// renamed to `new`, written as a quoted text; the rest of the text is
/// kept as the merchant wrote it. `None` when it does not name `old`.
pub fn rename_references(source: &str, query: &TypedQuery, old: &str, new: &str) -> Option<String> {
    let old = old.to_lowercase();
    let mut spans: Vec<Span> = QueryDependencies::of(query)
        .segments
        .into_iter()
        .filter_map(|r| match r {
            SegmentReference::Named { name, span } if name.to_lowercase() == old => Some(span),
            _ => None,
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    let quoted = format!("'{}'", new.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut text = source.to_owned();
    for span in spans {
        text.replace_range(span.start..span.end, &quoted);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_lang::{CheckOptions, PropertyTypes, check};

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
    fn reads_day_and_prediction_dependencies() {
        let d = QueryDependencies::of(&typed("number_of_orders > 2"));
        assert!(!d.day && !d.predictions && d.segments.is_empty());
        assert!(QueryDependencies::of(&typed("last_order_date > -30d")).day);
        assert!(QueryDependencies::of(&typed("last_order_date > today")).day);
        assert!(!QueryDependencies::of(&typed("last_order_date > 2024-01-01")).day);
        assert!(
            QueryDependencies::of(&typed("products_purchased MATCHES (id = '1', date > -7d)")).day
        );
        let p = QueryDependencies::of(&typed("churn_risk = 'HIGH'"));
        assert!(p.day && p.predictions);
        assert!(QueryDependencies::of(&typed("age > 30")).day);
        assert!(QueryDependencies::of(&typed("customer_tags CONTAINS 'vip' AND age > 3")).tags);
        assert!(!QueryDependencies::of(&typed("number_of_orders > 2")).tags);
    }

    #[test]
    fn finds_segment_references() {
        let d = QueryDependencies::of(&typed(
            "customer_segments CONTAINS 'VIP' OR customer_segments NOT CONTAINS 'Lapsed' OR customer_segments IS NULL",
        ));
        let names: Vec<_> = d
            .segments
            .iter()
            .map(|r| match r {
                SegmentReference::Named { name, .. } => name.as_str(),
                SegmentReference::Any { .. } => "*",
            })
            .collect();
        assert_eq!(names, ["VIP", "Lapsed", "*"]);
    }

    #[test]
    fn renames_references_keeping_the_rest_of_the_text() {
        let src = "customer_segments CONTAINS 'vip'  AND customer_segments NOT CONTAINS 'VIP' AND customer_segments CONTAINS 'VIPs'";
        let out = rename_references(src, &typed(src), "VIP", "Big 'spenders'").unwrap();
        assert_eq!(
            out,
            "customer_segments CONTAINS 'Big \\'spenders\\''  AND customer_segments NOT CONTAINS 'Big \\'spenders\\'' AND customer_segments CONTAINS 'VIPs'"
        );
        // The result is a valid query naming the new name.
        let again = QueryDependencies::of(&typed(&out));
        assert!(
            matches!(&again.segments[0], SegmentReference::Named { name, .. } if name == "Big 'spenders'")
        );
        assert_eq!(rename_references(src, &typed(src), "Other", "X"), None);
    }
}
