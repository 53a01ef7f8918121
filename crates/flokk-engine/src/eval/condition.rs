//! Literal values turned into the conditions the evaluator tests: numeric,
//! time (whole-day rules of language.md §3, via `flokk_lang::time`), text.

use super::EvalError;
use flokk_lang::ast::{CompareOp, ParamPredicate, Predicate};
use flokk_lang::time::{self, TimeCondition};
use flokk_lang::value::{Literal, Value};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The number a literal holds.
pub fn number(l: &Literal) -> Result<f64, EvalError> {
    match &l.value {
        Value::Integer(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        other => Err(EvalError::Internal(format!(
            "expected a number, got {other}"
        ))),
    }
}

/// The text a literal holds (ids: an unquoted digit run is the same id).
pub fn text(l: &Literal) -> Result<String, EvalError> {
    match &l.value {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(i) => Ok(i.to_string()),
        Value::Boolean(b) => Ok(b.to_string()),
        other => Err(EvalError::Internal(format!("expected a text, got {other}"))),
    }
}

/// A test on a number: `= != > >= < <=`, BETWEEN, or IN.
#[derive(Debug, Clone, PartialEq)]
pub enum NumCondition {
    /// A comparison.
    Compare(CompareOp, f64),
    /// Inclusive range.
    Between(f64, f64),
    /// One of the values (or none of them when negated).
    In { negated: bool, values: Vec<f64> },
}

impl NumCondition {
    /// From a clause predicate (comparison or BETWEEN).
    pub fn from_predicate(p: &Predicate) -> Result<Self, EvalError> {
        match p {
            Predicate::Compare { op, value } => Ok(NumCondition::Compare(*op, number(value)?)),
            Predicate::Between { low, high } => {
                Ok(NumCondition::Between(number(low)?, number(high)?))
            }
            other => Err(EvalError::Internal(format!(
                "not a numeric predicate: {other:?}"
            ))),
        }
    }

    /// From a MATCHES parameter.
    pub fn from_param(p: &ParamPredicate) -> Result<Self, EvalError> {
        match p {
            ParamPredicate::Compare { op, value } => Ok(NumCondition::Compare(*op, number(value)?)),
            ParamPredicate::Between { low, high } => {
                Ok(NumCondition::Between(number(low)?, number(high)?))
            }
            ParamPredicate::In { negated, values } => Ok(NumCondition::In {
                negated: *negated,
                values: values.iter().map(number).collect::<Result<_, _>>()?,
            }),
        }
    }

    /// Whether `x` passes.
    pub fn holds(&self, x: f64) -> bool {
        match self {
            NumCondition::Compare(op, v) => match op {
                CompareOp::Eq => x == *v,
                CompareOp::Ne => x != *v,
                CompareOp::Gt => x > *v,
                CompareOp::Ge => x >= *v,
                CompareOp::Lt => x < *v,
                CompareOp::Le => x <= *v,
            },
            NumCondition::Between(lo, hi) => *lo <= x && x <= *hi,
            NumCondition::In { negated, values } => values.contains(&x) != *negated,
        }
    }

    /// The condition as an inclusive interval `[lo, hi]` when it is one
    /// (every comparison but `!=`, and BETWEEN): `> v` starts at the next
    /// float above `v`. A column filter then runs one branch-free test per
    /// customer.
    pub fn interval(&self) -> Option<(f64, f64)> {
        match *self {
            NumCondition::Compare(op, v) => match op {
                CompareOp::Eq => Some((v, v)),
                CompareOp::Gt => Some((v.next_up(), f64::INFINITY)),
                CompareOp::Ge => Some((v, f64::INFINITY)),
                CompareOp::Lt => Some((f64::NEG_INFINITY, v.next_down())),
                CompareOp::Le => Some((f64::NEG_INFINITY, v)),
                CompareOp::Ne => None,
            },
            NumCondition::Between(lo, hi) => Some((lo, hi)),
            NumCondition::In { .. } => None,
        }
    }

    /// Whether a possibly missing number passes: a missing one passes only
    /// the negative forms (`!=`, NOT IN), as §4 has it.
    pub fn holds_maybe(&self, x: Option<f64>) -> bool {
        match x {
            Some(x) => self.holds(x),
            None => matches!(
                self,
                NumCondition::Compare(CompareOp::Ne, _) | NumCondition::In { negated: true, .. }
            ),
        }
    }
}

/// A half-open range of seconds `[start, end)`, unbounded where `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondRange {
    /// First second inside.
    pub start: Option<i64>,
    /// First second past the end.
    pub end: Option<i64>,
}

impl SecondRange {
    /// Whether second `t` is inside.
    #[inline]
    pub fn contains(&self, t: i64) -> bool {
        // Branch-free: column scans test every customer, and a range that
        // holds for about half of them would mispredict half the time.
        let after_start = self.start.is_none_or(|s| s <= t);
        let before_end = self.end.is_none_or(|e| t < e);
        after_start & before_end
    }
}

/// A test on an instant, in whole seconds (stored instants are compared at
/// second precision; every bound the language produces is a whole second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeTest {
    /// The range.
    pub range: SecondRange,
    /// True for `!=`: the instant must lie outside the range.
    pub outside: bool,
}

impl TimeTest {
    /// The first instant that can pass (`i64::MIN`: any, as outside a
    /// range).
    pub fn earliest(&self) -> i64 {
        if self.outside {
            i64::MIN
        } else {
            self.range.start.unwrap_or(i64::MIN)
        }
    }

    /// Whether instant `t` (seconds) passes.
    pub fn holds(&self, t: i64) -> bool {
        self.range.contains(t) != self.outside
    }

    /// Whether a possibly missing instant passes: a missing one passes only
    /// `!=` (§4).
    pub fn holds_maybe(&self, t: Option<i64>) -> bool {
        t.map_or(self.outside, |t| self.holds(t))
    }
}

fn seconds(t: Option<Timestamp>) -> Option<i64> {
    t.map(|t| t.as_second())
}

fn from_condition(c: TimeCondition) -> TimeTest {
    match c {
        TimeCondition::Within(r) => TimeTest {
            range: SecondRange {
                start: seconds(r.start),
                end: seconds(r.end),
            },
            outside: false,
        },
        TimeCondition::Outside(r) => TimeTest {
            range: SecondRange {
                start: seconds(r.start),
                end: seconds(r.end),
            },
            outside: true,
        },
    }
}

/// Time tests from a clause or parameter, given now and the time zone.
pub struct Clock<'a> {
    /// The evaluation instant.
    pub now: Timestamp,
    /// The store time zone.
    pub tz: &'a TimeZone,
}

impl Clock<'_> {
    /// `f op value`.
    pub fn compare(&self, op: CompareOp, value: &Literal) -> Result<TimeTest, EvalError> {
        Ok(from_condition(time::compare(
            op,
            &value.value,
            self.now,
            self.tz,
        )?))
    }

    /// `f BETWEEN low AND high`.
    pub fn between(&self, low: &Literal, high: &Literal) -> Result<TimeTest, EvalError> {
        let r = time::between(&low.value, &high.value, self.now, self.tz)?;
        Ok(TimeTest {
            range: SecondRange {
                start: seconds(r.start),
                end: seconds(r.end),
            },
            outside: false,
        })
    }

    /// From a clause predicate.
    pub fn from_predicate(&self, p: &Predicate) -> Result<TimeTest, EvalError> {
        match p {
            Predicate::Compare { op, value } => self.compare(*op, value),
            Predicate::Between { low, high } => self.between(low, high),
            other => Err(EvalError::Internal(format!(
                "not a date predicate: {other:?}"
            ))),
        }
    }

    /// From a MATCHES parameter (IN is not allowed on dates).
    pub fn from_param(&self, p: &ParamPredicate) -> Result<TimeTest, EvalError> {
        match p {
            ParamPredicate::Compare { op, value } => self.compare(*op, value),
            ParamPredicate::Between { low, high } => self.between(low, high),
            ParamPredicate::In { .. } => {
                Err(EvalError::Internal("IN is not a date comparison".into()))
            }
        }
    }
}

/// A test on a text: `=`, `!=`, IN, NOT IN; optionally case-folded.
#[derive(Debug, Clone, PartialEq)]
pub struct TextTest {
    /// The values compared with.
    pub values: Vec<String>,
    /// True for `!=` and NOT IN.
    pub negated: bool,
}

impl TextTest {
    /// From a MATCHES parameter; `fold` lower-cases both sides.
    pub fn from_param(p: &ParamPredicate, fold: bool) -> Result<Self, EvalError> {
        let f = |s: String| {
            if fold {
                crate::columns::interner::fold(&s)
            } else {
                s
            }
        };
        match p {
            ParamPredicate::Compare {
                op: CompareOp::Eq,
                value,
            } => Ok(TextTest {
                values: vec![f(text(value)?)],
                negated: false,
            }),
            ParamPredicate::Compare {
                op: CompareOp::Ne,
                value,
            } => Ok(TextTest {
                values: vec![f(text(value)?)],
                negated: true,
            }),
            ParamPredicate::In { negated, values } => Ok(TextTest {
                values: values
                    .iter()
                    .map(|v| text(v).map(f))
                    .collect::<Result<_, _>>()?,
                negated: *negated,
            }),
            other => Err(EvalError::Internal(format!(
                "not a text comparison: {other:?}"
            ))),
        }
    }

    /// Whether a record's value (already folded if the test is) passes;
    /// a missing value passes only the negated forms (§4).
    pub fn holds(&self, value: Option<&str>) -> bool {
        let hit = value.is_some_and(|v| self.values.iter().any(|x| x == v));
        hit != self.negated
    }
}

#[cfg(test)]
mod interval_tests {
    use super::*;

    #[test]
    fn intervals_hold_exactly_where_the_comparisons_do() {
        let values = [
            -1.5,
            0.0,
            0.1,
            0.30000000000000004,
            0.3,
            1.0,
            500.0,
            500.00000000000006,
            f64::NAN,
        ];
        for op in [
            CompareOp::Eq,
            CompareOp::Gt,
            CompareOp::Ge,
            CompareOp::Lt,
            CompareOp::Le,
        ] {
            for v in [0.3, 500.0, -1.5, 0.0] {
                let cond = NumCondition::Compare(op, v);
                let (lo, hi) = cond.interval().unwrap();
                for x in values {
                    assert_eq!(lo <= x && x <= hi, cond.holds(x), "{op:?} {v} at {x}");
                }
            }
        }
        let between = NumCondition::Between(0.1, 500.0);
        let (lo, hi) = between.interval().unwrap();
        for x in values {
            assert_eq!(lo <= x && x <= hi, between.holds(x), "BETWEEN at {x}");
        }
        assert_eq!(NumCondition::Compare(CompareOp::Ne, 1.0).interval(), None);
    }
}
