//! CDNOW loading shared by the integration tests.
#![allow(dead_code)]

use flokk_predict::{CustomerSummary, summarise};

/// Path of the CDNOW 1/10 sample (see tests/data/README.md).
pub const CDNOW_SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/CDNOW_sample.txt");

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One CDNOW record: sample customer id (1-based), day index, dollars.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    pub customer: usize,
    pub day: i64,
    pub dollars: f64,
}

/// Reads the sample file; `None` when the shared data is not present.
pub fn load_cdnow() -> Option<Vec<Record>> {
    let text = std::fs::read_to_string(CDNOW_SAMPLE).ok()?;
    let records = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let date: i64 = f[2].parse().unwrap();
            Record {
                customer: f[1].parse().unwrap(),
                day: days_from_civil(date / 10_000, date / 100 % 100, date % 100),
                dollars: f[4].parse().unwrap(),
            }
        })
        .collect();
    Some(records)
}

/// Per-customer orders, index = sample id − 1.
pub fn orders_by_customer(records: &[Record]) -> Vec<Vec<(i64, f64)>> {
    let n = records.iter().map(|r| r.customer).max().unwrap_or(0);
    let mut orders = vec![Vec::new(); n];
    for r in records {
        orders[r.customer - 1].push((r.day, r.dollars));
    }
    orders
}

/// Summaries of all customers as of the day `now_day`.
pub fn summaries(records: &[Record], now_day: i64) -> Vec<CustomerSummary> {
    orders_by_customer(records)
        .iter()
        .filter_map(|o| summarise(o, now_day))
        .collect()
}

/// 1997-09-30 as a day index: the end of the papers' calibration period.
pub fn calibration_end() -> i64 {
    days_from_civil(1997, 9, 30)
}
