//! Conditions on one value (§3 whole days, §4 missing values, §5 case
//! rules) as SQL expressions that are never NULL, so `NOT` over them is
//! the exact complement the language asks for.

use super::Compiler;
use crate::error::DialectError;
use crate::statement::{ParamValue, day_number};
use flokk_lang::ast::CompareOp;
use flokk_lang::time::{self, InstantRange, TimeCondition};
use flokk_lang::value::{Literal, Value};
use jiff::Timestamp;

/// How a column holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// A number, never missing (counts, sums, totals).
    Number,
    /// A number that may be NULL.
    NullableNumber,
    /// Unix seconds, never missing.
    Instant,
    /// Unix seconds that may be NULL.
    NullableInstant,
    /// A calendar day as a day number that may be NULL; compared by the instant
    /// its day starts in the store time zone.
    NullableDay,
    /// Text compared exactly, may be NULL.
    NullableText,
    /// Text compared exactly, never missing.
    Text,
    /// Case-folded text (folded when written), may be NULL.
    NullableFolded,
    /// A list of case-folded texts; empty when missing.
    FoldedList,
    /// A truth value that may be NULL.
    NullableBool,
}

/// SQL `a OP b` for an ordered comparison.
fn op_sql(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "!=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
    }
}

/// The number a literal holds, bound as its own kind.
fn number(v: &Value) -> ParamValue {
    match v {
        Value::Integer(i) => ParamValue::Int(*i),
        Value::Float(f) => ParamValue::Float(*f),
        other => unreachable!("the checker gives numbers here, not {other:?}"),
    }
}

/// The text a literal holds: an unquoted digit run is the same id as the
/// quoted one (§2).
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => unreachable!("the checker gives texts here, not {other:?}"),
    }
}

/// Unicode case folding as the language defines it (§5): the same
/// function folds the values when rows are written, so both sides agree
/// on every character.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// `NOT (e)`.
pub(crate) fn not(e: &str) -> String {
    format!("NOT ({e})")
}

impl Compiler<'_> {
    /// `col op literal`, `!=` the complement of `=` (§4).
    pub(crate) fn compare(
        &mut self,
        col: &str,
        holds: Holds,
        op: CompareOp,
        literal: &Literal,
    ) -> Result<String, DialectError> {
        if op == CompareOp::Ne {
            let eq = self.compare(col, holds, CompareOp::Eq, literal)?;
            return Ok(not(&eq));
        }
        let v = &literal.value;
        Ok(match holds {
            Holds::Number => format!("{col} {} {}", op_sql(op), self.binder.bind(number(v))),
            Holds::NullableNumber => format!(
                "ifNull({col} {} {}, 0)",
                op_sql(op),
                self.binder.bind(number(v))
            ),
            Holds::Instant | Holds::NullableInstant | Holds::NullableDay => {
                match time::compare(op, v, self.now, &self.tz)? {
                    TimeCondition::Within(range) => self.within(col, holds, range),
                    TimeCondition::Outside(_) => unreachable!("only != gives Outside"),
                }
            }
            Holds::Text => format!("{col} = {}", self.binder.text(text(v))),
            Holds::NullableText => format!("ifNull({col} = {}, 0)", self.binder.text(text(v))),
            Holds::NullableFolded => {
                format!("ifNull({col} = {}, 0)", self.binder.text(fold(&text(v))))
            }
            Holds::FoldedList => format!("has({col}, {})", self.binder.text(fold(&text(v)))),
            Holds::NullableBool => {
                let Value::Boolean(b) = v else {
                    unreachable!("the checker gives booleans here")
                };
                format!(
                    "ifNull({col} = {}, 0)",
                    self.binder.bind(ParamValue::Bool(*b))
                )
            }
        })
    }

    /// `col BETWEEN low AND high`, both ends inclusive (whole days).
    pub(crate) fn between(
        &mut self,
        col: &str,
        holds: Holds,
        low: &Literal,
        high: &Literal,
    ) -> Result<String, DialectError> {
        Ok(match holds {
            Holds::Number | Holds::NullableNumber => {
                let lo = self.binder.bind(number(&low.value));
                let hi = self.binder.bind(number(&high.value));
                let e = format!("{col} >= {lo} AND {col} <= {hi}");
                if holds == Holds::Number {
                    e
                } else {
                    format!("ifNull({e}, 0)")
                }
            }
            Holds::Instant | Holds::NullableInstant | Holds::NullableDay => {
                let range = time::between(&low.value, &high.value, self.now, &self.tz)?;
                self.within(col, holds, range)
            }
            other => unreachable!("BETWEEN on {other:?}"),
        })
    }

    /// `IN (...)` of a record parameter: any value equal; `NOT IN` the
    /// complement.
    pub(crate) fn any_equal(
        &mut self,
        col: &str,
        holds: Holds,
        values: &[Literal],
        negated: bool,
    ) -> Result<String, DialectError> {
        let mut parts = Vec::with_capacity(values.len());
        for v in values {
            parts.push(self.compare(col, holds, CompareOp::Eq, v)?);
        }
        let any = format!("({})", parts.join(" OR "));
        Ok(if negated { not(&any) } else { any })
    }

    /// The time in `col` is inside `range` (and present).
    pub(crate) fn within(&mut self, col: &str, holds: Holds, range: InstantRange) -> String {
        let mut parts = Vec::new();
        if holds == Holds::NullableDay {
            // A day field holds the instant its day starts; day starts grow
            // with the day, so start(day) in [a, b) is day in
            // [first day starting at or after a, first day starting at or
            // after b): compared as day numbers, exactly.
            let day = col;
            if let Some(a) = range.start {
                let d = self.first_day_from(a);
                parts.push(format!("{day} >= {}", self.binder.int(d)));
            }
            if let Some(b) = range.end {
                let d = self.first_day_from(b);
                parts.push(format!("{day} < {}", self.binder.int(d)));
            }
        } else {
            // Bounds are whole seconds (every bound the language makes is),
            // and rows hold whole seconds, so the comparison is exact.
            if let Some(a) = range.start {
                parts.push(format!("{col} >= {}", self.binder.int(a.as_second())));
            }
            if let Some(b) = range.end {
                parts.push(format!("{col} < {}", self.binder.int(b.as_second())));
            }
        }
        let e = if parts.is_empty() {
            "1".to_owned()
        } else {
            parts.join(" AND ")
        };
        match holds {
            Holds::Instant => e,
            _ => format!("ifNull({e}, 0)"),
        }
    }

    /// The day number of the first day (store time zone) that starts at
    /// or after `t`; beyond the calendar, a number past every day.
    pub(crate) fn first_day_from(&self, t: Timestamp) -> i64 {
        let after_everything = i64::from(i32::MAX);
        let zoned = t.to_zoned_datetime(self.tz.clone()).date();
        match time::start_of_day(zoned, &self.tz) {
            Ok(start) if start >= t => day_number(zoned),
            _ => match zoned.tomorrow() {
                Ok(next) => day_number(next),
                Err(_) => after_everything,
            },
        }
    }
}
