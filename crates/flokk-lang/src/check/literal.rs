//! Whether a literal fits a type (§5): the value half of type checking.

use crate::catalog::Type;
use crate::check::PropertyTypes;
use crate::error::{Error, ErrorCode};
use crate::suggest::closest;
use crate::value::{Literal, Value};
use std::fmt;

/// Checks `literal` as a value of `ty` for `subject` (a filter or parameter name).
pub(super) fn check_literal(
    ty: Type,
    literal: &Literal,
    subject: &dyn fmt::Display,
    properties: &PropertyTypes,
) -> Result<(), Error> {
    let value = &literal.value;
    let fits = match (ty, value) {
        (Type::Integer, Value::Integer(_)) => true,
        (Type::Integer, Value::Float(_)) => {
            return Err(Error::new(
                ErrorCode::TypeMismatch,
                literal.span,
                format!("`{subject}` is a whole number; {value} has a decimal part"),
            )
            .expecting(["a whole number"]));
        }
        (Type::Float | Type::Distance, Value::Integer(_) | Value::Float(_)) => true,
        (Type::Date, v) => v.is_date_like(),
        (Type::String | Type::DateAttribute | Type::Place, Value::String(_)) => true,
        (Type::Enum(allowed), Value::String(s)) => {
            if allowed.contains(&s.as_str()) {
                return Ok(());
            }
            return Err(Error::new(
                ErrorCode::UnknownEnumValue,
                literal.span,
                format!("{value} is not a value of `{subject}`"),
            )
            .expecting(allowed.iter().map(|v| format!("'{v}'")))
            .suggesting(closest(s, allowed.iter().copied()).map(|v| format!("'{v}'"))));
        }
        (Type::Boolean, Value::Boolean(_)) => true,
        (Type::List | Type::Id | Type::OriginId, Value::String(_) | Value::Integer(_)) => true,
        (Type::Coordinates, Value::Coordinates(c)) => {
            if !(-90.0..=90.0).contains(&c.latitude) || !(-180.0..=180.0).contains(&c.longitude) {
                return Err(Error::new(
                    ErrorCode::InvalidCoordinates,
                    literal.span,
                    "latitude is between -90 and 90 and longitude between -180 and 180",
                ));
            }
            true
        }
        _ => false,
    };
    if !fits {
        return Err(mismatch(ty, literal, subject));
    }
    match (ty, value) {
        (Type::Distance, Value::Integer(i)) if *i < 0 => Err(negative_distance(literal)),
        (Type::Distance, Value::Float(f)) if *f < 0.0 => Err(negative_distance(literal)),
        (Type::DateAttribute, Value::String(s)) => check_date_attribute(s, literal, properties),
        _ => Ok(()),
    }
}

fn negative_distance(literal: &Literal) -> Error {
    Error::new(
        ErrorCode::TypeMismatch,
        literal.span,
        "a distance cannot be negative",
    )
    .expecting(["a number of 0 or more"])
}

fn expected_forms(ty: Type) -> &'static [&'static str] {
    match ty {
        Type::Integer => &["a whole number like 3"],
        Type::Float | Type::Distance => &["a number like 99.5"],
        Type::Date => &["a date like 2024-05-30", "-7d", "today"],
        Type::String | Type::Enum(_) | Type::DateAttribute => &["a text in single quotes"],
        Type::Place => &["a place like 'Boston, US'", "a postcode like '02108'"],
        Type::Boolean => &["true", "false"],
        Type::List => &["a text in single quotes"],
        Type::Id | Type::OriginId => &["an id like 123 or 'abc-1'"],
        Type::Coordinates => &["(latitude, longitude)"],
    }
}

fn mismatch(ty: Type, literal: &Literal, subject: &dyn fmt::Display) -> Error {
    let wants = match ty {
        Type::List => "a text",
        t => t.describe(),
    };
    Error::new(
        ErrorCode::TypeMismatch,
        literal.span,
        format!(
            "`{subject}` takes {wants}, not {}",
            literal.value.kind_name()
        ),
    )
    .expecting(expected_forms(ty).iter().copied())
}

/// `'birth_date'` or a date property `'metafields.ns.key'`.
fn check_date_attribute(
    name: &str,
    literal: &Literal,
    properties: &PropertyTypes,
) -> Result<(), Error> {
    if name == "birth_date" {
        return Ok(());
    }
    let key = name
        .strip_prefix("customer.")
        .unwrap_or(name)
        .strip_prefix("metafields.");
    let known = key.and_then(|k| properties.get(k));
    match known {
        Some(crate::catalog::ValueType::Date) => Ok(()),
        Some(other) => Err(Error::new(
            ErrorCode::TypeMismatch,
            literal.span,
            format!("the property `{name}` holds {:?} values, not dates", other).to_lowercase(),
        )),
        None => {
            let candidates: Vec<String> = std::iter::once("birth_date".to_owned())
                .chain(
                    properties
                        .iter()
                        .filter(|(_, t)| **t == crate::catalog::ValueType::Date)
                        .map(|(k, _)| format!("metafields.{k}")),
                )
                .collect();
            Err(Error::new(
                ErrorCode::UnknownProperty,
                literal.span,
                format!("`{name}` is not a date field: use 'birth_date' or a date property 'metafields.namespace.key'"),
            )
            .suggesting(closest(name, candidates.iter().map(String::as_str)).map(|s| format!("'{s}'"))))
        }
    }
}
