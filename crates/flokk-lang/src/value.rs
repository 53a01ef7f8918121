//! The values a query can compare with (§2 of the language spec).

use crate::span::Span;
use jiff::civil;
use serde::{Deserialize, Serialize};

/// A value as written in a query, before any typing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// `'text'` (also enum values and quoted ids).
    String(String),
    /// `42`, `-3` (also unquoted ids).
    Integer(i64),
    /// `999.99`.
    Float(f64),
    /// `true`, `false`.
    Boolean(bool),
    /// `2024-05-30`: a whole day in the store time zone.
    Date(civil::Date),
    /// `2024-05-30T16:00:00`: an instant in the store time zone.
    DateTime(civil::DateTime),
    /// `-7d`, `+2w`, `-3m`, `-1y`: today moved by whole units. The legacy
    /// names `7_days_ago`, `30_days_ago`, `90_days_ago` and `12_months_ago`
    /// are read as `-7d`, `-30d`, `-90d` and `-12m`.
    Relative(Relative),
    /// `today`, `yesterday`.
    Named(NamedDate),
    /// `(59.91, 10.75)`: latitude and longitude in degrees.
    Coordinates(Coordinates),
}

/// A date relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relative {
    /// Signed number of units (`-7` in `-7d`).
    pub amount: i64,
    /// The unit.
    pub unit: RelativeUnit,
}

/// The unit of a relative date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelativeUnit {
    /// `d`
    Day,
    /// `w`
    Week,
    /// `m`: calendar months, clamped to the month's last day.
    Month,
    /// `y`: calendar years, clamped to the month's last day.
    Year,
}

impl RelativeUnit {
    /// The largest amount of this unit a relative date may move: 7,000
    /// years. Stored instants end in 2262 (nanoseconds in an `i64`), so from
    /// any instant a store holds, a relative date stays inside the calendar,
    /// which ends on 9999-12-31; a saved segment can then never reach a
    /// bound that no longer exists as time passes. (`+7973y`, accepted
    /// before, stopped a store once today passed 2026.)
    pub fn max_amount(self) -> i64 {
        match self {
            RelativeUnit::Day => 2_556_750,
            RelativeUnit::Week => 365_250,
            RelativeUnit::Month => 84_000,
            RelativeUnit::Year => 7_000,
        }
    }

    /// The unit's name in messages, plural.
    pub fn plural(self) -> &'static str {
        match self {
            RelativeUnit::Day => "days",
            RelativeUnit::Week => "weeks",
            RelativeUnit::Month => "months",
            RelativeUnit::Year => "years",
        }
    }

    /// The letter after the number.
    pub fn letter(self) -> char {
        match self {
            RelativeUnit::Day => 'd',
            RelativeUnit::Week => 'w',
            RelativeUnit::Month => 'm',
            RelativeUnit::Year => 'y',
        }
    }

    /// The unit for a letter (`d w m y`, either case).
    pub fn from_letter(c: char) -> Option<Self> {
        match c.to_ascii_lowercase() {
            'd' => Some(RelativeUnit::Day),
            'w' => Some(RelativeUnit::Week),
            'm' => Some(RelativeUnit::Month),
            'y' => Some(RelativeUnit::Year),
            _ => None,
        }
    }
}

/// A named whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedDate {
    /// The current day in the store time zone.
    Today,
    /// The day before.
    Yesterday,
}

/// A point on Earth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
}

/// A value with the span of its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Literal {
    /// The value.
    pub value: Value,
    /// Where it is written.
    pub span: Span,
}

impl Value {
    /// How a merchant would name this kind of value in an error message.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a text",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true or false",
            Value::Date(_) => "a date",
            Value::DateTime(_) => "a date and time",
            Value::Relative(_) => "a relative date",
            Value::Named(_) => "a named date",
            Value::Coordinates(_) => "coordinates",
        }
    }

    /// The id this value names, for id parameters: a quoted text, or an
    /// unquoted digit run read as the same text (`123` is `'123'`).
    pub fn as_id(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            _ => None,
        }
    }

    /// True for values that name a day or an instant.
    pub fn is_date_like(&self) -> bool {
        matches!(
            self,
            Value::Date(_) | Value::DateTime(_) | Value::Relative(_) | Value::Named(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Value;

    #[test]
    fn unquoted_and_quoted_ids_are_the_same_id() {
        assert_eq!(
            Value::Integer(2012162031638).as_id(),
            Value::String("2012162031638".into()).as_id()
        );
        assert_eq!(Value::Boolean(true).as_id(), None);
    }
}
