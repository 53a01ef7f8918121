//! Turning date values into instants (§3), for the engine and any other
//! back end.
//!
//! A whole-day value `D` covers `[start(D), start(D+1))`, where `start` is
//! midnight in the store time zone (or the first instant of the day when
//! midnight does not exist), so days around DST changes are 23 or 25 hours
//! long. A datetime value covers its whole second `[t, t+1s)`; written in a
//! DST fold it means the earlier instant, in a gap the later one (jiff's
//! "compatible" rule). The comparison rules of §3 then follow from the
//! covered range alone, the same way for days and seconds.

use crate::ast::CompareOp;
use crate::value::{NamedDate, Relative, RelativeUnit, Value};
use jiff::tz::TimeZone;
use jiff::{Timestamp, civil};

/// Why a value could not be turned into instants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The value is not a date (the checker rules this out for date filters).
    #[error("{0} is not a date")]
    NotADate(String),
    /// The date falls outside the supported calendar range.
    #[error("the date is out of range: {0}")]
    OutOfRange(String),
}

fn out_of_range(e: jiff::Error) -> TimeError {
    TimeError::OutOfRange(e.to_string())
}

/// A date value resolved against `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A whole day in the store time zone.
    Day(civil::Date),
    /// One second, starting at this instant.
    Instant(Timestamp),
}

/// A half-open range of instants `[start, end)`; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstantRange {
    /// First instant inside, or unbounded below.
    pub start: Option<Timestamp>,
    /// First instant past the end, or unbounded above.
    pub end: Option<Timestamp>,
}

impl InstantRange {
    /// Whether `t` is inside.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t < e)
    }
}

/// What a comparison with a date value asks of a record's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeCondition {
    /// The time is inside the range.
    Within(InstantRange),
    /// The time is outside the range (for `!=`; a missing time also counts,
    /// see §4).
    Outside(InstantRange),
}

/// The current day in the store time zone.
pub fn today(now: Timestamp, tz: &TimeZone) -> civil::Date {
    now.to_zoned_datetime(tz.clone()).date()
}

/// The first instant of `date` in `tz` (midnight, DST-correct).
pub fn start_of_day(date: civil::Date, tz: &TimeZone) -> Result<Timestamp, TimeError> {
    let zoned = date.to_zoned_datetime(tz.clone()).map_err(out_of_range)?;
    Ok(zoned.start_of_day().map_err(out_of_range)?.timestamp())
}

/// `today` moved by a relative amount; months and years clamp to the
/// month's last day (2024-03-31 `-1m` is 2024-02-29).
pub fn shift(today: civil::Date, relative: Relative) -> Result<civil::Date, TimeError> {
    let span = jiff::Span::new();
    let span = match relative.unit {
        RelativeUnit::Day => span.try_days(relative.amount),
        RelativeUnit::Week => span.try_weeks(relative.amount),
        RelativeUnit::Month => span.try_months(relative.amount),
        RelativeUnit::Year => span.try_years(relative.amount),
    }
    .map_err(out_of_range)?;
    today.checked_add(span).map_err(out_of_range)
}

/// What a date value means at `now` in `tz`.
pub fn resolve(value: &Value, now: Timestamp, tz: &TimeZone) -> Result<Moment, TimeError> {
    let today = today(now, tz);
    match value {
        Value::Date(d) => Ok(Moment::Day(*d)),
        Value::DateTime(dt) => Ok(Moment::Instant(
            dt.to_zoned_datetime(tz.clone())
                .map_err(out_of_range)?
                .timestamp(),
        )),
        Value::Relative(r) => shift(today, *r).map(Moment::Day),
        Value::Named(NamedDate::Today) => Ok(Moment::Day(today)),
        Value::Named(NamedDate::Yesterday) => {
            today.yesterday().map(Moment::Day).map_err(out_of_range)
        }
        other => Err(TimeError::NotADate(other.to_string())),
    }
}

/// The instants a date value covers: a whole day, or one second.
pub fn covered(value: &Value, now: Timestamp, tz: &TimeZone) -> Result<InstantRange, TimeError> {
    match resolve(value, now, tz)? {
        Moment::Day(d) => {
            let next = d.tomorrow().map_err(out_of_range)?;
            Ok(InstantRange {
                start: Some(start_of_day(d, tz)?),
                end: Some(start_of_day(next, tz)?),
            })
        }
        Moment::Instant(t) => Ok(InstantRange {
            start: Some(t),
            end: Some(
                t.checked_add(jiff::SignedDuration::from_secs(1))
                    .map_err(out_of_range)?,
            ),
        }),
    }
}

/// `f op value` as a condition on the instant `f` (§3).
pub fn compare(
    op: CompareOp,
    value: &Value,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<TimeCondition, TimeError> {
    let InstantRange { start, end } = covered(value, now, tz)?;
    let range = |start, end| InstantRange { start, end };
    Ok(match op {
        CompareOp::Eq => TimeCondition::Within(range(start, end)),
        CompareOp::Ne => TimeCondition::Outside(range(start, end)),
        CompareOp::Gt => TimeCondition::Within(range(end, None)),
        CompareOp::Ge => TimeCondition::Within(range(start, None)),
        CompareOp::Lt => TimeCondition::Within(range(None, start)),
        CompareOp::Le => TimeCondition::Within(range(None, end)),
    })
}

/// `f BETWEEN low AND high`: `[start(low), end(high))` (§3).
pub fn between(
    low: &Value,
    high: &Value,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<InstantRange, TimeError> {
    Ok(InstantRange {
        start: covered(low, now, tz)?.start,
        end: covered(high, now, tz)?.end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn utc() -> TimeZone {
        TimeZone::UTC
    }

    #[test]
    fn month_and_year_steps_clamp() {
        let rel = |amount, unit| Relative { amount, unit };
        assert_eq!(
            shift(date(2024, 3, 31), rel(-1, RelativeUnit::Month)).unwrap(),
            date(2024, 2, 29)
        );
        assert_eq!(
            shift(date(2024, 2, 29), rel(1, RelativeUnit::Year)).unwrap(),
            date(2025, 2, 28)
        );
        assert_eq!(
            shift(date(2024, 1, 31), rel(1, RelativeUnit::Month)).unwrap(),
            date(2024, 2, 29)
        );
        assert_eq!(
            shift(date(2024, 5, 30), rel(-2, RelativeUnit::Week)).unwrap(),
            date(2024, 5, 16)
        );
        assert!(shift(date(9999, 1, 1), rel(1_000_000, RelativeUnit::Year)).is_err());
    }

    #[test]
    fn non_dates_are_rejected() {
        let now: Timestamp = "2024-05-30T12:00:00Z".parse().unwrap();
        assert!(matches!(
            resolve(&Value::Integer(3), now, &utc()),
            Err(TimeError::NotADate(_))
        ));
    }
}
