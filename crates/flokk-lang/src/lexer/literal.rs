//! What a number-like run of characters is: integer, decimal, date,
//! datetime, relative or legacy named date, or which malformed value.

use crate::error::ErrorCode;
use crate::value::{Relative, RelativeUnit, Value};
use jiff::civil;

pub(super) type Classified = Result<Value, (ErrorCode, String, Option<String>)>;

fn fail(code: ErrorCode, message: impl Into<String>) -> Classified {
    Err((code, message.into(), None))
}

/// What a number-like run of characters is.
pub(super) fn classify(text: &str) -> Classified {
    // The common cases first, without allocating: integers and decimals.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && !unsigned.contains('.') {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Integer(i));
        }
    } else if digits(whole)
        && digits(fraction)
        && let Ok(f) = text.parse::<f64>()
        && f.is_finite()
    {
        return Ok(Value::Float(f));
    }
    // Relative dates are next most common: `-7d`, `+2w`.
    if let (Some(sign @ ('+' | '-')), Some(letter)) = (text.chars().next(), text.chars().last())
        && let Some(unit) = RelativeUnit::from_letter(letter)
        && let Some(digits) = text.get(1..text.len() - 1)
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Some(amount) = digits
            .parse::<i64>()
            .ok()
            .filter(|n| *n <= unit.max_amount())
    {
        let amount = if sign == '-' { -amount } else { amount };
        return Ok(Value::Relative(Relative { amount, unit }));
    }
    let lower = text.to_ascii_lowercase();
    if let Some(value) = legacy_named_date(&lower) {
        return Ok(value);
    }
    if is_time_of_day(&lower) {
        return fail(
            ErrorCode::TimeOnlyValue,
            "a time of day needs a date: write a date and time like 2024-05-30T13:00:00",
        );
    }
    let (sign, digits_and_rest) = match text.as_bytes()[0] {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (0, text),
    };
    let digits_end = digits_and_rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits_and_rest.len());
    let (digits, rest) = digits_and_rest.split_at(digits_end);
    if rest.is_empty() {
        return text.parse::<i64>().map(Value::Integer).or_else(|_| {
            fail(
                ErrorCode::NumberOutOfRange,
                format!("{text} is too large for a whole number"),
            )
        });
    }
    if let Some(fraction) = rest.strip_prefix('.')
        && !fraction.is_empty()
        && fraction.chars().all(|c| c.is_ascii_digit())
    {
        return match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => fail(
                ErrorCode::NumberOutOfRange,
                format!("{text} is too large a number"),
            ),
        };
    }
    if sign == 0 && digits.len() == 4 && rest.starts_with('-') {
        return absolute_date(text);
    }
    let mut rest_chars = rest.chars();
    if let Some(unit) = rest_chars.next().and_then(RelativeUnit::from_letter) {
        let after = rest_chars.as_str();
        if after.is_empty() {
            if sign == 0 {
                return Err((
                    ErrorCode::InvalidNumber,
                    format!(
                        "a relative date needs a sign: -{text} (in the past) or +{text} (in the future)"
                    ),
                    Some(format!("-{text}")),
                ));
            }
            let amount = digits
                .parse::<i64>()
                .ok()
                .filter(|n| *n <= unit.max_amount());
            return match amount {
                Some(n) => Ok(Value::Relative(Relative {
                    amount: sign * n,
                    unit,
                })),
                None => fail(
                    ErrorCode::DateOutOfRange,
                    format!(
                        "{text} reaches past the calendar (dates end on 9999-12-31): a relative date moves at most {} {}",
                        unit.max_amount(),
                        unit.plural()
                    ),
                ),
            };
        }
        if after.starts_with(['t', 'T']) {
            return fail(
                ErrorCode::TimeOnRelativeDate,
                "a time cannot be added to a relative date; use a date and time like 2024-05-30T10:00:00",
            );
        }
    }
    if rest.starts_with(',') || digits.is_empty() {
        return fail(
            ErrorCode::InvalidNumber,
            format!("`{text}` is not a number"),
        );
    }
    fail(
        ErrorCode::InvalidNumber,
        format!("`{text}` is not a value: numbers use a `.` decimal point and no units"),
    )
}

/// `7_days_ago`, `12_months_ago` (also the singular and weeks/years).
fn legacy_named_date(lower: &str) -> Option<Value> {
    let rest = lower.strip_suffix("_ago")?;
    let (digits, unit) = rest.split_once('_')?;
    let unit = match unit {
        "day" | "days" => RelativeUnit::Day,
        "week" | "weeks" => RelativeUnit::Week,
        "month" | "months" => RelativeUnit::Month,
        "year" | "years" => RelativeUnit::Year,
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok().filter(|n| *n <= unit.max_amount())?;
    Some(Value::Relative(Relative { amount: -n, unit }))
}

/// `1pm`, `10:00`, `10:00:00`, `10:30am`.
fn is_time_of_day(lower: &str) -> bool {
    let clock = lower.trim_end_matches(['a', 'p', 'm', ' ']);
    let has_meridiem =
        clock.len() != lower.len() && (lower.ends_with("am") || lower.ends_with("pm"));
    let parts: Vec<&str> = clock.split(':').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    numeric && parts.len() <= 3 && (has_meridiem || parts.len() >= 2)
}

fn two_digits(s: &str) -> Option<i8> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`.
fn absolute_date(text: &str) -> Classified {
    let bad_form = || {
        fail(
            ErrorCode::InvalidDate,
            format!(
                "`{text}` is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, like 2024-05-30 or 2024-05-30T16:00:00"
            ),
        )
    };
    let (date_part, time_part) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let fields: Vec<&str> = date_part.split('-').collect();
    let [y, m, d] = fields.as_slice() else {
        return bad_form();
    };
    let (Ok(year), Some(month), Some(day)) = (y.parse::<i16>(), two_digits(m), two_digits(d))
    else {
        return bad_form();
    };
    let Ok(date) = civil::Date::new(year, month, day) else {
        return fail(
            ErrorCode::InvalidDate,
            format!("{date_part} is not a day in the calendar"),
        );
    };
    let Some(time_part) = time_part else {
        return Ok(Value::Date(date));
    };
    let fields: Vec<&str> = time_part.split(':').collect();
    let [h, mi, s] = fields.as_slice() else {
        return bad_form();
    };
    let (Some(hour), Some(minute), Some(second)) = (two_digits(h), two_digits(mi), two_digits(s))
    else {
        return bad_form();
    };
    match civil::Time::new(hour, minute, second, 0) {
        Ok(time) => Ok(Value::DateTime(date.to_datetime(time))),
        Err(_) => fail(
            ErrorCode::InvalidDate,
            format!("{time_part} is not a time of day (24 h clock)"),
        ),
    }
}
