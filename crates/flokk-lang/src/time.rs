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
///
/// A value past an end of the calendar covers nothing at that end, so every
/// instant is before it (or after it). The comparisons below do not use
/// this: they treat such a value as no date at all ([`compare`]).
pub fn covered(value: &Value, now: Timestamp, tz: &TimeZone) -> Result<InstantRange, TimeError> {
    let moment = match resolve(value, now, tz) {
        Ok(moment) => moment,
        Err(TimeError::OutOfRange(_)) => return Ok(past_the_calendar(value, now)),
        Err(e) => return Err(e),
    };
    let end_of_time = InstantRange {
        start: Some(Timestamp::MAX),
        end: Some(Timestamp::MAX),
    };
    match moment {
        Moment::Day(d) => {
            let Ok(start) = start_of_day(d, tz) else {
                return Ok(past_the_calendar(value, now));
            };
            // The calendar's last day runs to the end of time.
            let end = d
                .tomorrow()
                .ok()
                .and_then(|next| start_of_day(next, tz).ok())
                .unwrap_or(Timestamp::MAX);
            Ok(InstantRange {
                start: Some(start),
                end: Some(end),
            })
        }
        Moment::Instant(t) => Ok(InstantRange {
            start: Some(t),
            end: Some(
                t.checked_add(jiff::SignedDuration::from_secs(1))
                    .unwrap_or(end_of_time.end.expect("set")),
            ),
        }),
    }
}

/// The empty range at the end of time a value beyond the calendar stands
/// for: after every instant when it lies in the future of `now`, before
/// every instant otherwise.
fn past_the_calendar(value: &Value, now: Timestamp) -> InstantRange {
    let future = match value {
        Value::Relative(r) => r.amount > 0,
        Value::Date(d) => d.year() > 0,
        Value::DateTime(dt) => dt.year() > 0,
        _ => now.as_second() > 0,
    };
    let edge = if future {
        Timestamp::MAX
    } else {
        Timestamp::MIN
    };
    InstantRange {
        start: Some(edge),
        end: Some(edge),
    }
}

/// The range a value covers, or `None` when it lies beyond the calendar
/// (before year -9999 or after 9999-12-31 from `now`).
fn covered_in_calendar(
    value: &Value,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Option<InstantRange>, TimeError> {
    // A day the language accepts whose start the clock cannot hold (jiff's
    // instants end on 9999-12-30 in some zones) is still a date: covered
    // places it at the end of time.
    match resolve(value, now, tz) {
        Ok(_) => covered(value, now, tz).map(Some),
        Err(TimeError::OutOfRange(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The condition no instant meets: `[MAX, MAX)`.
fn nothing() -> InstantRange {
    InstantRange {
        start: Some(Timestamp::MAX),
        end: Some(Timestamp::MAX),
    }
}

/// `f op value` as a condition on the instant `f` (§3).
///
/// A value beyond the calendar is no date (issue 18): the checker refuses
/// such a value when a query is saved, but time (or `--now`) can carry a
/// relative date past 9999-12-31 later. Then the clause compares with a
/// date no customer has: `=`, `<`, `<=`, `>`, `>=` match no one and `!=`
/// matches everyone (a missing time counts for `!=`, §4), rather than
/// failing the segment or treating the bound as the calendar's end.
pub fn compare(
    op: CompareOp,
    value: &Value,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<TimeCondition, TimeError> {
    let Some(InstantRange { start, end }) = covered_in_calendar(value, now, tz)? else {
        return Ok(match op {
            CompareOp::Ne => TimeCondition::Outside(nothing()),
            _ => TimeCondition::Within(nothing()),
        });
    };
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

/// `f BETWEEN low AND high`: `[start(low), end(high))` (§3); no instant
/// when either end is beyond the calendar (no date, see [`compare`]).
pub fn between(
    low: &Value,
    high: &Value,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<InstantRange, TimeError> {
    match (
        covered_in_calendar(low, now, tz)?,
        covered_in_calendar(high, now, tz)?,
    ) {
        (Some(low), Some(high)) => Ok(InstantRange {
            start: low.start,
            end: high.end,
        }),
        _ => Ok(nothing()),
    }
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

    fn count_matching(op: CompareOp, value: &Value, now: Timestamp, times: &[Timestamp]) -> usize {
        let condition = compare(op, value, now, &utc()).expect("total past the calendar");
        times
            .iter()
            .filter(|t| match condition {
                TimeCondition::Within(r) => r.contains(**t),
                TimeCondition::Outside(r) => !r.contains(**t),
            })
            .count()
    }

    #[test]
    fn dates_past_the_calendar_compare_as_no_date() {
        // Regression: a saved `last_order_date > +7973y` failed evaluation
        // (and stopped the store) once today + 7973 years passed 9999; then
        // it compared as the calendar's end (`<` matched everyone). A bound
        // beyond the calendar is no date: nobody matches but for `!=`.
        let now: Timestamp = "3000-01-01T00:00:00Z".parse().unwrap();
        let far = Value::Relative(Relative {
            amount: 7_000,
            unit: RelativeUnit::Year,
        });
        let times: Vec<Timestamp> = ["1970-01-01T00:00:00Z", "2262-04-11T00:00:00Z"]
            .iter()
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!(count_matching(CompareOp::Gt, &far, now, &times), 0);
        assert_eq!(count_matching(CompareOp::Ge, &far, now, &times), 0);
        assert_eq!(count_matching(CompareOp::Eq, &far, now, &times), 0);
        assert_eq!(count_matching(CompareOp::Ne, &far, now, &times), 2);
        assert_eq!(count_matching(CompareOp::Lt, &far, now, &times), 0);
        assert_eq!(count_matching(CompareOp::Le, &far, now, &times), 0);
        // Seven thousand years before the year -5000 is before the calendar.
        let ancient: Timestamp = "-005000-01-01T00:00:00Z".parse().unwrap();
        let long_ago = Value::Relative(Relative {
            amount: -7_000,
            unit: RelativeUnit::Year,
        });
        assert_eq!(count_matching(CompareOp::Lt, &long_ago, ancient, &times), 0);
        assert_eq!(count_matching(CompareOp::Gt, &long_ago, ancient, &times), 0);
        // BETWEEN with an end beyond the calendar holds no instant.
        let today = Value::Named(NamedDate::Today);
        let range = between(&today, &far, now, &utc()).unwrap();
        assert!(range.start >= range.end);
    }

    #[test]
    fn the_calendars_last_day_runs_to_the_end_of_time() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let last = Value::Date(date(9999, 12, 31));
        let times = [now];
        assert_eq!(count_matching(CompareOp::Gt, &last, now, &times), 0);
        assert_eq!(count_matching(CompareOp::Lt, &last, now, &times), 1);
        assert_eq!(count_matching(CompareOp::Le, &last, now, &times), 1);
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
