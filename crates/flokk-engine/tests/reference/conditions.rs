//! How one value compares with a literal: §3 (whole days), §4 (missing
//! values, negative forms as complements) and §5 (case rules).
//!
//! Every negative form is computed as `!positive`, never by a separate
//! rule, so the reference cannot disagree with §4 by construction.

use super::AsOf;
use flokk_lang::ast::{CompareOp, ParamPredicate, Predicate};
use flokk_lang::time::{self, TimeCondition};
use flokk_lang::value::{Literal, Value};
use jiff::Timestamp;

/// A customer's or a record's value of one filter or parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A number; `None` when missing.
    Number(Option<f64>),
    /// An instant, already truncated to its whole second; `None` when
    /// missing.
    Instant(Option<Timestamp>),
    /// A text compared exactly (case- and whitespace-sensitive).
    Text(Option<String>),
    /// Texts compared case-insensitively, matching when any element does
    /// (lists, and the `tag`/`category`/`vendor` parameters); empty when
    /// missing.
    Folded(Vec<String>),
}

impl FieldValue {
    /// An instant at whole-second precision.
    pub fn instant(t: Option<Timestamp>) -> Self {
        FieldValue::Instant(t.map(|t| Timestamp::from_second(t.as_second()).expect("in range")))
    }

    /// Whether the value is missing (IS NULL; an empty list).
    fn is_missing(&self) -> bool {
        match self {
            FieldValue::Number(x) => x.is_none(),
            FieldValue::Instant(t) => t.is_none(),
            FieldValue::Text(s) => s.is_none(),
            FieldValue::Folded(items) => items.is_empty(),
        }
    }
}

/// The number a literal holds.
pub fn literal_number(v: &Value) -> f64 {
    match v {
        Value::Integer(i) => *i as f64,
        Value::Float(f) => *f,
        other => panic!("not a number: {other:?}"),
    }
}

/// The text a literal holds; an unquoted digit run is the same id as the
/// quoted one, and booleans compare as `true`/`false`.
pub fn literal_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => panic!("not a text: {other:?}"),
    }
}

/// Unicode case folding for CONTAINS and the case-insensitive parameters.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
}

fn ordered(op: CompareOp, x: f64, v: f64) -> bool {
    match op {
        CompareOp::Eq => x == v,
        CompareOp::Ne => x != v,
        CompareOp::Gt => x > v,
        CompareOp::Ge => x >= v,
        CompareOp::Lt => x < v,
        CompareOp::Le => x <= v,
    }
}

/// `field op literal`, with `!=` as the complement of `=`.
pub fn compare_holds(field: &FieldValue, op: CompareOp, literal: &Value, as_of: &AsOf) -> bool {
    if op == CompareOp::Ne {
        return !compare_holds(field, CompareOp::Eq, literal, as_of);
    }
    match field {
        FieldValue::Number(x) => x.is_some_and(|x| ordered(op, x, literal_number(literal))),
        FieldValue::Instant(t) => t.is_some_and(|t| {
            match time::compare(op, literal, as_of.now, &as_of.tz).expect("a date in range") {
                TimeCondition::Within(range) => range.contains(t),
                TimeCondition::Outside(_) => unreachable!("only != gives Outside"),
            }
        }),
        FieldValue::Text(s) => {
            assert_eq!(op, CompareOp::Eq, "texts only compare with = and !=");
            s.as_deref() == Some(literal_text(literal).as_str())
        }
        FieldValue::Folded(items) => {
            assert_eq!(op, CompareOp::Eq, "texts only compare with = and !=");
            let wanted = fold(&literal_text(literal));
            items.iter().any(|i| fold(i) == wanted)
        }
    }
}

/// `field BETWEEN low AND high`, both ends inclusive (whole days for dates).
pub fn between_holds(field: &FieldValue, low: &Value, high: &Value, as_of: &AsOf) -> bool {
    match field {
        FieldValue::Number(x) => {
            x.is_some_and(|x| literal_number(low) <= x && x <= literal_number(high))
        }
        FieldValue::Instant(t) => t.is_some_and(|t| {
            time::between(low, high, as_of.now, &as_of.tz)
                .expect("a date in range")
                .contains(t)
        }),
        other => panic!("BETWEEN on {other:?}"),
    }
}

/// A clause predicate on a customer's value.
pub fn clause_holds(field: &FieldValue, predicate: &Predicate, as_of: &AsOf) -> bool {
    match predicate {
        Predicate::Compare { op, value } => compare_holds(field, *op, &value.value, as_of),
        Predicate::Between { low, high } => between_holds(field, &low.value, &high.value, as_of),
        Predicate::IsNull { negated } => field.is_missing() != *negated,
        Predicate::Contains { negated, value } => {
            let FieldValue::Folded(_) = field else {
                panic!("CONTAINS on {field:?}")
            };
            compare_holds(field, CompareOp::Eq, &value.value, as_of) != *negated
        }
        Predicate::Matches { .. } => panic!("MATCHES on a value"),
    }
}

/// A MATCHES parameter on a record's value (or on an aggregate).
pub fn param_holds(field: &FieldValue, predicate: &ParamPredicate, as_of: &AsOf) -> bool {
    match predicate {
        ParamPredicate::Compare { op, value } => compare_holds(field, *op, &value.value, as_of),
        ParamPredicate::Between { low, high } => {
            between_holds(field, &low.value, &high.value, as_of)
        }
        ParamPredicate::In { negated, values } => {
            let any = values
                .iter()
                .any(|v: &Literal| compare_holds(field, CompareOp::Eq, &v.value, as_of));
            any != *negated
        }
    }
}
