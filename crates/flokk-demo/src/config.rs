//! What a demo store is generated from.

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The parameters of a demo store. The same config always yields the same
/// records, byte for byte.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Number of customers (1k to 10M are the intended range).
    pub customers: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// The day that is "today": every record's time lies before the start of
    /// this day (in `time_zone`); the history reaches about three years back.
    pub as_of: Date,
    /// The store's time zone, which decides where days start; UTC when `None`.
    pub time_zone: Option<TimeZone>,
}

impl DemoConfig {
    /// A config in UTC.
    pub fn new(customers: u64, seed: u64, as_of: Date) -> Self {
        DemoConfig {
            customers,
            seed,
            as_of,
            time_zone: None,
        }
    }

    /// The store's time zone (UTC when unset).
    pub fn time_zone(&self) -> TimeZone {
        self.time_zone.clone().unwrap_or(TimeZone::UTC)
    }

    /// The first instant of `as_of` in the store's time zone, in Unix
    /// seconds: no generated record is at or after it.
    pub fn end_second(&self) -> i64 {
        self.time_zone()
            .to_timestamp(self.as_of.at(0, 0, 0, 0))
            .map(|t| t.as_second())
            .expect("as_of is a representable day")
    }
}
