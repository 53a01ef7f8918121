//! Per-customer summary statistics `(x, t_x, T, m̄)` of predictive.md, and the
//! weighted compression of identical rows that makes fitting on a million
//! customers cheap.

use std::collections::HashMap;

/// The sufficient statistics of one customer for the BTYD models (Fader, Hardie
/// and Lee 2005, §2) plus the mean repeat spend for Gamma-Gamma.
///
/// Time unit: days (fractional allowed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerSummary {
    /// Number of repeat transaction days (days with orders, minus the first).
    pub x: f64,
    /// Days from the first to the last transaction day ("recency").
    pub t_x: f64,
    /// Days from the first transaction day to `now` (the paper's `T`).
    pub t: f64,
    /// Mean value of the repeat transaction days (first day excluded);
    /// `None` when `x = 0`.
    pub monetary: Option<f64>,
}

/// Summarises one customer's orders as of the store-local day `now_day`.
///
/// `orders` holds `(day, value)` pairs in any order, `day` being a whole-day
/// index in the store's time zone (any epoch, e.g. days since 1970-01-01) and
/// `value` the order's net value. All orders of one day form one transaction
/// whose value is their sum (predictive.md, "Per-customer summary").
///
/// Convention (the one that reproduces the published CDNOW estimates, see
/// `tests/cdnow_validation.rs` and the crate docs): time is counted in whole
/// days between dates, as in the papers. Orders dated on or before `now_day`
/// count (the caller has already dropped orders whose timestamp is later than
/// `now`), `t_x` = last order day − first order day and
/// `T` = `now_day` − first order day.
///
/// Returns `None` when no order is on or before `now_day`.
pub fn summarise(orders: &[(i64, f64)], now_day: i64) -> Option<CustomerSummary> {
    let mut days: Vec<(i64, f64)> = orders
        .iter()
        .copied()
        .filter(|&(day, _)| day <= now_day)
        .collect();
    if days.is_empty() {
        return None;
    }
    days.sort_by_key(|&(day, _)| day);
    // Merge orders of the same day into one transaction.
    let mut merged: Vec<(i64, f64)> = Vec::with_capacity(days.len());
    for (day, value) in days {
        match merged.last_mut() {
            Some(last) if last.0 == day => last.1 += value,
            _ => merged.push((day, value)),
        }
    }
    let first = merged[0].0;
    let last = merged[merged.len() - 1].0;
    let x = (merged.len() - 1) as f64;
    let monetary = if merged.len() > 1 {
        Some(merged[1..].iter().map(|&(_, v)| v).sum::<f64>() / x)
    } else {
        None
    };
    Some(CustomerSummary {
        x,
        t_x: (last - first) as f64,
        t: (now_day - first) as f64,
        monetary,
    })
}

/// One distinct `(x, t_x, T)` row with the number of customers sharing it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedSummary {
    /// Repeat transactions.
    pub x: f64,
    /// Recency in days.
    pub t_x: f64,
    /// Age in days.
    pub t: f64,
    /// Number of customers with exactly these values.
    pub weight: f64,
}

/// Groups identical `(x, t_x, T)` rows; the likelihood of the group is the
/// row's likelihood times the weight, so fits on the compressed rows are exact.
pub fn compress(summaries: &[CustomerSummary]) -> Vec<WeightedSummary> {
    let mut index: HashMap<(u64, u64, u64), usize> = HashMap::new();
    let mut rows: Vec<WeightedSummary> = Vec::new();
    for s in summaries {
        let key = (s.x.to_bits(), s.t_x.to_bits(), s.t.to_bits());
        match index.get(&key) {
            Some(&i) => rows[i].weight += 1.0,
            None => {
                index.insert(key, rows.len());
                rows.push(WeightedSummary {
                    x: s.x,
                    t_x: s.t_x,
                    t: s.t,
                    weight: 1.0,
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_day_orders_merge_and_later_orders_are_ignored() {
        let orders = [(10, 5.0), (10, 7.0), (3, 1.0), (20, 4.0), (41, 100.0)];
        let s = summarise(&orders, 40).unwrap();
        assert_eq!(s.x, 2.0);
        assert_eq!(s.t_x, 17.0);
        assert_eq!(s.t, 37.0);
        assert_eq!(s.monetary, Some((12.0 + 4.0) / 2.0));
    }

    #[test]
    fn one_time_buyer_has_no_monetary_value() {
        let s = summarise(&[(5, 9.0)], 6).unwrap();
        assert_eq!((s.x, s.t_x, s.t, s.monetary), (0.0, 0.0, 1.0, None));
        // An order on `now_day` itself counts; one after it does not.
        assert_eq!(summarise(&[(6, 1.0)], 6).unwrap().t, 0.0);
        assert!(summarise(&[(7, 1.0)], 6).is_none());
    }

    #[test]
    fn compress_counts_identical_rows() {
        let a = CustomerSummary {
            x: 1.0,
            t_x: 2.0,
            t: 3.0,
            monetary: None,
        };
        let b = CustomerSummary {
            x: 0.0,
            t_x: 0.0,
            t: 3.0,
            monetary: None,
        };
        let rows = compress(&[a, b, a]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].weight, 2.0);
        assert_eq!(rows[1].weight, 1.0);
    }
}
