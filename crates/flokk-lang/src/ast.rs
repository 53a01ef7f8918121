//! The syntax tree: what the query says, with the span of every node.
//!
//! The tree is purely syntactic (names are not resolved; see
//! [`crate::check()`] for the typed form). Legacy spellings are already
//! rewritten to the current form, so each query has one tree.
//! `Display` prints the canonical form (see [`crate::printer`]).

use crate::span::Span;
use crate::value::Literal;
use serde::{Deserialize, Serialize};

/// A whole query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// The boolean expression.
    pub expr: Expr,
}

/// A boolean expression. `Or` and `And` hold at least two operands and
/// never an operand of their own kind (the parser flattens `(a OR b) OR c`).
///
/// Generic over what a clause is: [`Clause`] in the syntax tree,
/// [`crate::TypedClause`] in a checked query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Expr<C = Clause> {
    /// True when any operand is.
    Or {
        /// Two or more operands.
        operands: Vec<Expr<C>>,
        /// Where it is.
        span: Span,
    },
    /// True when every operand is.
    And {
        /// Two or more operands.
        operands: Vec<Expr<C>>,
        /// Where it is.
        span: Span,
    },
    /// The complement over all customers.
    Not {
        /// The negated expression.
        operand: Box<Expr<C>>,
        /// Where it is.
        span: Span,
    },
    /// One filter condition.
    Clause(C),
}

impl<C> Expr<C> {
    /// The same tree with each clause replaced by `f(clause)`; `None` when
    /// `f` gives `None` for any clause (every clause is still visited).
    pub fn try_map<D>(self, f: &mut impl FnMut(C) -> Option<D>) -> Option<Expr<D>> {
        fn all<C, D>(
            operands: Vec<Expr<C>>,
            f: &mut impl FnMut(C) -> Option<D>,
        ) -> Option<Vec<Expr<D>>> {
            let mapped: Vec<Option<Expr<D>>> = operands.into_iter().map(|e| e.try_map(f)).collect();
            mapped.into_iter().collect()
        }
        Some(match self {
            Expr::Or { operands, span } => Expr::Or {
                operands: all(operands, f)?,
                span,
            },
            Expr::And { operands, span } => Expr::And {
                operands: all(operands, f)?,
                span,
            },
            Expr::Not { operand, span } => Expr::Not {
                operand: Box::new(operand.try_map(f)?),
                span,
            },
            Expr::Clause(c) => Expr::Clause(f(c)?),
        })
    }

    /// Every clause, left to right.
    pub fn clauses(&self) -> Vec<&C> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Or { operands, .. } | Expr::And { operands, .. } => {
                    stack.extend(operands.iter().rev())
                }
                Expr::Not { operand, .. } => stack.push(operand),
                Expr::Clause(c) => out.push(c),
            }
        }
        out
    }

    /// The same tree with each clause replaced by `f(&clause)`.
    pub fn map_ref<D>(&self, f: &mut impl FnMut(&C) -> D) -> Expr<D> {
        match self {
            Expr::Or { operands, span } => Expr::Or {
                operands: operands.iter().map(|e| e.map_ref(f)).collect(),
                span: *span,
            },
            Expr::And { operands, span } => Expr::And {
                operands: operands.iter().map(|e| e.map_ref(f)).collect(),
                span: *span,
            },
            Expr::Not { operand, span } => Expr::Not {
                operand: Box::new(operand.map_ref(f)),
                span: *span,
            },
            Expr::Clause(c) => Expr::Clause(f(c)),
        }
    }
}

/// `filter op value`, `filter BETWEEN a AND b`, `filter IS NULL`,
/// `filter CONTAINS v`, `function MATCHES (params)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clause {
    /// The filter or function name as written.
    pub filter: Name,
    /// What is asked of it.
    pub predicate: Predicate,
    /// The operator keyword(s) or symbol.
    pub operator_span: Span,
    /// The whole clause.
    pub span: Span,
}

/// A name as written, with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The text.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// What a clause asks of its filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Predicate {
    /// `= != > >= < <=`.
    Compare {
        /// The operator.
        op: CompareOp,
        /// The value.
        value: Literal,
    },
    /// `BETWEEN low AND high`, both inclusive.
    Between {
        /// Lower bound.
        low: Literal,
        /// Upper bound.
        high: Literal,
    },
    /// `IS NULL`, or `IS NOT NULL` when negated.
    IsNull {
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `CONTAINS v`, or `NOT CONTAINS v` when negated.
    Contains {
        /// `NOT CONTAINS`.
        negated: bool,
        /// The element.
        value: Literal,
    },
    /// `MATCHES (params)`, or `NOT MATCHES (params)` when negated.
    Matches {
        /// `NOT MATCHES`.
        negated: bool,
        /// The parameters, in the order written.
        params: Vec<Param>,
    },
}

/// One parameter inside `MATCHES (...)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The parameter name as written.
    pub name: Name,
    /// What is asked of it.
    pub predicate: ParamPredicate,
    /// The operator keyword(s) or symbol.
    pub operator_span: Span,
    /// The whole parameter.
    pub span: Span,
}

/// What a parameter asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamPredicate {
    /// `= != > >= < <=`.
    Compare {
        /// The operator.
        op: CompareOp,
        /// The value.
        value: Literal,
    },
    /// `BETWEEN low AND high`.
    Between {
        /// Lower bound.
        low: Literal,
        /// Upper bound.
        high: Literal,
    },
    /// `IN (a, b)`, or `NOT IN (...)` when negated.
    In {
        /// `NOT IN`.
        negated: bool,
        /// One or more values.
        values: Vec<Literal>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompareOp {
    /// `=`
    #[serde(rename = "=")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
}

impl CompareOp {
    /// Every operator.
    pub const ALL: &'static [CompareOp] = &[
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The symbol.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
        }
    }
}

impl Expr {
    /// Where the expression is.
    pub fn span(&self) -> Span {
        match self {
            Expr::Or { span, .. } | Expr::And { span, .. } | Expr::Not { span, .. } => *span,
            Expr::Clause(c) => c.span,
        }
    }

    /// The same tree with every span set to `0..0`, for comparing trees
    /// parsed from different texts.
    pub fn without_spans(&self) -> Expr {
        let zero = Span::default();
        match self {
            Expr::Or { operands, .. } => Expr::Or {
                operands: operands.iter().map(Expr::without_spans).collect(),
                span: zero,
            },
            Expr::And { operands, .. } => Expr::And {
                operands: operands.iter().map(Expr::without_spans).collect(),
                span: zero,
            },
            Expr::Not { operand, .. } => Expr::Not {
                operand: Box::new(operand.without_spans()),
                span: zero,
            },
            Expr::Clause(c) => Expr::Clause(c.without_spans()),
        }
    }
}

fn literal_without_span(l: &Literal) -> Literal {
    Literal {
        value: l.value.clone(),
        span: Span::default(),
    }
}

fn name_without_span(n: &Name) -> Name {
    Name {
        text: n.text.clone(),
        span: Span::default(),
    }
}

impl Clause {
    fn without_spans(&self) -> Clause {
        let predicate = match &self.predicate {
            Predicate::Compare { op, value } => Predicate::Compare {
                op: *op,
                value: literal_without_span(value),
            },
            Predicate::Between { low, high } => Predicate::Between {
                low: literal_without_span(low),
                high: literal_without_span(high),
            },
            Predicate::IsNull { negated } => Predicate::IsNull { negated: *negated },
            Predicate::Contains { negated, value } => Predicate::Contains {
                negated: *negated,
                value: literal_without_span(value),
            },
            Predicate::Matches { negated, params } => Predicate::Matches {
                negated: *negated,
                params: params.iter().map(Param::without_spans).collect(),
            },
        };
        Clause {
            filter: name_without_span(&self.filter),
            predicate,
            operator_span: Span::default(),
            span: Span::default(),
        }
    }
}

impl Param {
    fn without_spans(&self) -> Param {
        let predicate = match &self.predicate {
            ParamPredicate::Compare { op, value } => ParamPredicate::Compare {
                op: *op,
                value: literal_without_span(value),
            },
            ParamPredicate::Between { low, high } => ParamPredicate::Between {
                low: literal_without_span(low),
                high: literal_without_span(high),
            },
            ParamPredicate::In { negated, values } => ParamPredicate::In {
                negated: *negated,
                values: values.iter().map(literal_without_span).collect(),
            },
        };
        Param {
            name: name_without_span(&self.name),
            predicate,
            operator_span: Span::default(),
            span: Span::default(),
        }
    }
}

impl Query {
    /// The same query with every span set to `0..0`.
    pub fn without_spans(&self) -> Query {
        Query {
            expr: self.expr.without_spans(),
        }
    }
}
