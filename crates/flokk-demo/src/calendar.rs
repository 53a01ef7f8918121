//! The store's calendar: which days sell more (Black Friday weekend, the
//! Christmas weeks) and the conversion from Unix seconds to records' times.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Seconds in an hour.
pub const HOUR: i64 = 3_600;

/// A record time from Unix seconds.
pub fn timestamp(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("generated times are in range")
}

/// Day-by-day purchase intensity relative to an ordinary day, from `start`
/// (Unix seconds, midnight UTC) for a number of days.
#[derive(Debug, Clone)]
pub struct Seasonality {
    start: i64,
    weights: Vec<f64>,
}

impl Seasonality {
    /// The highest weight of any day: the thinning envelope.
    pub const PEAK: f64 = 3.5;

    /// Weights for every day from `start_day` up to (not including) `end_day`.
    pub fn new(start_day: Date, end_day: Date) -> Self {
        let start = timestamp_of(start_day);
        let mut weights = Vec::new();
        let mut day = start_day;
        while day < end_day {
            weights.push(day_weight(day));
            day = day.tomorrow().expect("in range");
        }
        Seasonality { start, weights }
    }

    /// The weight of the day containing `second` (1.0 outside the table).
    pub fn weight(&self, second: i64) -> f64 {
        let i = (second - self.start).div_euclid(DAY);
        usize::try_from(i)
            .ok()
            .and_then(|i| self.weights.get(i))
            .copied()
            .unwrap_or(1.0)
    }
}

/// Midnight UTC of a day, in Unix seconds.
pub fn timestamp_of(day: Date) -> i64 {
    jiff::tz::TimeZone::UTC
        .to_timestamp(day.at(0, 0, 0, 0))
        .expect("in range")
        .as_second()
}

/// Black Friday (the day after the fourth Thursday of November) of a year.
pub fn black_friday(year: i16) -> Date {
    Date::constant(year, 11, 1)
        .nth_weekday_of_month(4, Weekday::Thursday)
        .and_then(|d| d.tomorrow())
        .expect("November has four Thursdays")
}

fn day_weight(day: Date) -> f64 {
    let bf = black_friday(day.year());
    let cyber_monday = bf.checked_add(jiff::Span::new().days(3)).expect("in range");
    if day == bf {
        return Seasonality::PEAK;
    }
    if day > bf && day <= cyber_monday {
        return 2.5;
    }
    let (m, d) = (day.month(), day.day());
    let base = match (m, d) {
        // Christmas shopping weeks, then the quiet days between the holidays.
        (12, 1..=10) => 1.5,
        (12, 11..=22) => 1.9,
        (12, 23..=26) => 0.6,
        (12, _) => 1.1,
        (1, 1..=15) => 0.8,
        (7, _) => 0.85,
        (11, _) => 1.15,
        _ => 1.0,
    };
    // Weekends sell a little more.
    match day.weekday() {
        Weekday::Saturday | Weekday::Sunday => base * 1.1,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn black_fridays() {
        assert_eq!(black_friday(2024), Date::constant(2024, 11, 29));
        assert_eq!(black_friday(2025), Date::constant(2025, 11, 28));
        assert_eq!(black_friday(2026), Date::constant(2026, 11, 27));
    }

    #[test]
    fn peaks_and_ordinary_days() {
        let s = Seasonality::new(Date::constant(2025, 1, 1), Date::constant(2026, 1, 1));
        let at = |d: Date| s.weight(timestamp_of(d) + 12 * HOUR);
        assert_eq!(at(Date::constant(2025, 11, 28)), Seasonality::PEAK);
        assert!(at(Date::constant(2025, 12, 15)) > 1.5);
        assert_eq!(at(Date::constant(2025, 3, 12)), 1.0);
        assert!((0..365).all(
            |d| s.weight(timestamp_of(Date::constant(2025, 1, 1)) + d * DAY) <= Seasonality::PEAK
        ));
    }
}
