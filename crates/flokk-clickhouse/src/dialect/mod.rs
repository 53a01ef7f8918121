//! The ClickHouse dialect of the language: a typed query compiled to one
//! statement that returns the ids of the matching customers.
//!
//! Shape (design.md, "Scale-out"): the `customers` table, and each other
//! table the query needs read once, in a `GROUP BY customer_id` subquery
//! that computes every conditional aggregate (`countIf`, `sumIf`, `max`,
//! `uniqExactIf`, ...) the query asks of it; the subqueries are joined to
//! the customers by customer id and the query's boolean expression is the
//! `WHERE` over customer columns and aggregates. Each clause compiles to
//! an expression that is never NULL (missing values are decided inside it,
//! §4), so `NOT` is the exact complement and `!=`, `NOT CONTAINS`,
//! `NOT MATCHES` and `IS NOT NULL` are written as `NOT` of their positive
//! form, as the reference evaluator computes them.
//!
//! Decisions:
//! - **The statement is for one instant and time zone.** Whole days
//!   (§3) are resolved to instants here, with the language's own rules
//!   (`flokk_lang::time`, DST-correct), and bound as unix seconds; so
//!   ClickHouse never converts time zones and cannot disagree with the
//!   engine about where a day starts. A saved segment is recompiled when
//!   it is re-evaluated, as relative dates move at midnight anyway.
//! - **Calendar days** (birth dates, date properties) are compared as day
//!   numbers: "the instant day D starts is in [a, b)" is "D is in [first
//!   day starting at or after a, first day starting at or after b)".
//! - **Case folding happens in Rust**, on the values when rows are written
//!   (`*_folded` columns) and on the query's values here, with the same
//!   function, so `CONTAINS`, `tag`, `category` and `vendor` fold every
//!   character as the engine does (ClickHouse's `lowerUTF8` differs from
//!   Unicode lower-casing on some characters).
//! - **Values are parameters** (`{p1:String}`), never text in the SQL.
//! - Whatever the dialect cannot express yet fails with
//!   `unsupported_on_clickhouse` naming it, never with SQL of another
//!   meaning.

mod customer_fields;
mod functions;
mod money;
mod sources;
mod values;

pub use values::fold;

use crate::error::DialectError;
use crate::statement::{Binder, Statement};
use flokk_lang::ast::Expr;
use flokk_lang::check::{TypedClause, TypedQuery};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sources::Source;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The instant and time zone a statement answers for (§3).
#[derive(Debug, Clone)]
pub struct AsOf {
    /// Evaluation instant; records after it are invisible.
    pub now: Timestamp,
    /// The store time zone.
    pub tz: TimeZone,
}

/// Saved segments a query may name (`customer_segments`), by name; a
/// name matches in any case.
#[derive(Debug, Clone, Default)]
pub struct SavedSegments {
    by_key: BTreeMap<String, (String, TypedQuery)>,
}

impl SavedSegments {
    /// Adds (or replaces) segment `name`.
    pub fn insert(&mut self, name: &str, query: TypedQuery) {
        self.by_key
            .insert(name.to_lowercase(), (name.to_owned(), query));
    }

    fn get(&self, name: &str) -> Option<&TypedQuery> {
        self.by_key.get(&name.to_lowercase()).map(|(_, q)| q)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.by_key.values().map(|(n, _)| n.as_str())
    }
}

/// Compiles `query` to one statement returning the matching customers'
/// ids (column `customer_id`, ascending) and store keys (`customer_key`). A query naming saved segments
/// needs [`members_statement_with_segments`].
pub fn members_statement(query: &TypedQuery, as_of: &AsOf) -> Result<Statement, DialectError> {
    members_statement_with_segments(query, as_of, &SavedSegments::default())
}

/// [`members_statement`] where `customer_segments` names `segments`: a
/// named segment's expression is compiled into the statement in place
/// (still one statement, each table read once).
pub fn members_statement_with_segments(
    query: &TypedQuery,
    as_of: &AsOf,
    segments: &SavedSegments,
) -> Result<Statement, DialectError> {
    let mut compiler = Compiler::new(as_of, segments);
    let condition = compiler.expr(&query.expr)?;
    let select = "SELECT c.customer_id AS customer_id, c.customer_key AS customer_key";
    Ok(compiler.finish(select, &format!("NOT c.deleted AND ({condition})"), true))
}

/// One statement for `flokk count`: one row of `total` (customers),
/// `count` (members), `spent` and `orders` (the members' `amount_spent`
/// and `number_of_orders` summed) and `clause_1`, ... (each top-level
/// clause of an AND, or the whole query, counted on its own), all from the
/// same single reading of each table.
pub fn count_statement(
    query: &TypedQuery,
    as_of: &AsOf,
    segments: &SavedSegments,
) -> Result<Statement, DialectError> {
    let mut compiler = Compiler::new(as_of, segments);
    let condition = compiler.expr(&query.expr)?;
    let parts: Vec<&Expr<TypedClause>> = match &query.expr {
        Expr::And { operands, .. } => operands.iter().collect(),
        e => vec![e],
    };
    let mut columns = vec![
        "count() AS total".to_owned(),
        format!("countIf({condition}) AS count"),
    ];
    let spent = compiler.aggregate(Source::Orders, money::SPENT.into());
    let orders = compiler.aggregate(Source::Orders, "count()".into());
    columns.push(format!("sumIf({spent}, {condition}) AS spent"));
    columns.push(format!("sumIf({orders}, {condition}) AS orders"));
    for (i, part) in parts.iter().enumerate() {
        let c = compiler.expr(part)?;
        columns.push(format!("countIf({c}) AS clause_{}", i + 1));
    }
    let select = format!("SELECT\n    {}", columns.join(",\n    "));
    Ok(compiler.finish(&select, "NOT c.deleted", false))
}

/// Builds one statement.
pub(crate) struct Compiler<'s> {
    segments: &'s SavedSegments,
    /// The segments being compiled, innermost last (the cycle guard).
    visiting: Vec<String>,
    pub(crate) binder: Binder,
    pub(crate) now: Timestamp,
    pub(crate) tz: TimeZone,
    /// The placeholder of `now` in unix seconds.
    now_param: String,
    /// Whether a ticket clause reads the performance catalogue.
    pub(crate) needs_performances: bool,
    /// Per table, its aggregates (`expression`, in order), named `a1`, ...
    aggregates: BTreeMap<Source, Vec<String>>,
}

impl<'s> Compiler<'s> {
    fn new(as_of: &AsOf, segments: &'s SavedSegments) -> Self {
        let mut binder = Binder::default();
        // Visibility is compared at whole seconds, as the engine does.
        let now_param = binder.int(as_of.now.as_second());
        Compiler {
            segments,
            visiting: Vec::new(),
            binder,
            now: as_of.now,
            tz: as_of.tz.clone(),
            now_param,
            needs_performances: false,
            aggregates: BTreeMap::new(),
        }
    }

    /// The column naming aggregate `expression` of `source` (one column
    /// per distinct expression).
    pub(crate) fn aggregate(&mut self, source: Source, expression: String) -> String {
        let list = self.aggregates.entry(source).or_default();
        let index = match list.iter().position(|e| *e == expression) {
            Some(i) => i,
            None => {
                list.push(expression);
                list.len() - 1
            }
        };
        format!("{}.a{}", source.alias(), index + 1)
    }

    fn expr(&mut self, e: &Expr<TypedClause>) -> Result<String, DialectError> {
        Ok(match e {
            Expr::Or { operands, .. } => self.join(operands, " OR ")?,
            Expr::And { operands, .. } => self.join(operands, " AND ")?,
            Expr::Not { operand, .. } => values::not(&self.expr(operand)?),
            Expr::Clause(c) => self.clause(c)?,
        })
    }

    fn join(&mut self, operands: &[Expr<TypedClause>], by: &str) -> Result<String, DialectError> {
        let mut parts = Vec::with_capacity(operands.len());
        for o in operands {
            parts.push(format!("({})", self.expr(o)?));
        }
        Ok(parts.join(by))
    }

    /// Membership in saved segment `name`: its expression, in place.
    pub(crate) fn segment(&mut self, name: &str) -> Result<String, DialectError> {
        let segments = self.segments;
        let query = segments
            .get(name)
            .ok_or_else(|| DialectError::UnknownSegment {
                name: name.to_owned(),
            })?;
        let key = name.to_lowercase();
        if self.visiting.contains(&key) {
            return Err(DialectError::SegmentCycle {
                name: name.to_owned(),
            });
        }
        self.visiting.push(key);
        let e = self.expr(&query.expr);
        self.visiting.pop();
        e
    }

    /// In any saved segment.
    pub(crate) fn any_segment(&mut self) -> Result<String, DialectError> {
        let segments = self.segments;
        let mut parts = Vec::new();
        for name in segments.names() {
            parts.push(format!("({})", self.segment(name)?));
        }
        Ok(if parts.is_empty() {
            "0".to_owned()
        } else {
            parts.join(" OR ")
        })
    }

    /// The statement: `select`, the customers joined to every table's
    /// aggregates, `WHERE condition`, ordered by id when `ordered`.
    fn finish(self, select: &str, condition: &str, ordered: bool) -> Statement {
        let mut sql = format!("{select}\nFROM customers AS c FINAL\n");
        for source in Source::ALL {
            let Some(list) = self.aggregates.get(&source) else {
                continue;
            };
            let alias = source.alias();
            let customer = source.customer_column();
            let _ = writeln!(
                sql,
                "LEFT JOIN\n(\n    SELECT\n        {customer} AS customer_id,"
            );
            let columns: Vec<String> = list
                .iter()
                .enumerate()
                .map(|(i, e)| format!("        {e} AS a{}", i + 1))
                .collect();
            let _ = writeln!(sql, "{}", columns.join(",\n"));
            let _ = writeln!(
                sql,
                "    {}",
                source.rows_clause(&self.now_param, self.needs_performances)
            );
            let _ = writeln!(sql, "    GROUP BY {customer}");
            let _ = writeln!(sql, ") AS {alias} ON {alias}.customer_id = c.customer_id");
        }
        // `join_use_nulls = 0` (ClickHouse's default, stated so a server
        // configured otherwise answers the same): a customer without rows
        // in a joined table reads 0 there, the language's empty count and
        // sum.
        let _ = writeln!(sql, "WHERE {condition}");
        if ordered {
            sql.push_str("ORDER BY customer_id\n");
        }
        sql.push_str("SETTINGS join_use_nulls = 0");
        Statement {
            sql,
            params: self.binder.params,
        }
    }
}
