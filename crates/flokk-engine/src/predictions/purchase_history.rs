//! Every customer's purchase history as of a day: the input of the
//! predictive models, read from the order tables (one definition of a
//! purchase for fitting, scoring and `flokk predict`).

use crate::indexes::aggregates::local_day;
use crate::tables::record_tables::RecordTables;
use flokk_predict::{CustomerSummary, StoreHistory, summarise};
use jiff::tz::TimeZone;

/// Order `i` as a purchase: its store-local day and its total net of the
/// refund (`refunded`, read by the caller's way of reading the refunds).
fn purchase(
    orders: &crate::tables::orders::Orders,
    i: usize,
    refunded: Option<i64>,
    tz: &TimeZone,
) -> (i64, f64) {
    let day = i64::from(local_day(orders.time.get(i), tz));
    // Exact to here; the models work in f64 (their outputs are estimates,
    // rounded for display).
    let net = orders.total.get(i).units() - refunded.unwrap_or(0);
    (day, flokk_model::Money::from_units(net).to_f64())
}

/// Every customer's purchase days as of now: all live orders of one
/// store-local day are one transaction worth their total net of refunds.
#[derive(Debug, Clone)]
pub struct PurchaseHistory {
    /// `(day, value)` per customer ordinal (days since 1970-01-01).
    pub days: Vec<Vec<(i64, f64)>>,
    /// Live orders per customer ordinal.
    pub orders: Vec<u64>,
    /// Today, store-local.
    pub now_day: i64,
}

impl PurchaseHistory {
    /// Collects the histories as of `now` (seconds) in `tz`.
    pub fn collect(records: RecordTables<'_>, now: i64, tz: &TimeZone) -> Self {
        let n = records.customers.len() as usize;
        let mut days = vec![Vec::new(); n];
        let mut orders = vec![0u64; n];
        let tables = &records.orders;
        let mut refunds = tables.orders.refunded.cursor_from(0);
        tables.orders.customers.for_each_from(0, |i, c| {
            let o = i as u32;
            if !tables.live(o, now) {
                return;
            }
            let c = c as usize;
            days[c].push(purchase(&tables.orders, i, refunds.at(o), tz));
            orders[c] += 1;
        });
        PurchaseHistory {
            days,
            orders,
            now_day: i64::from(local_day(now, tz)),
        }
    }

    /// Customer `c`'s purchase days as of `now` in `tz`, as
    /// [`PurchaseHistory::collect`] gives them (the orders in table order).
    pub fn of_customer(
        records: RecordTables<'_>,
        c: u32,
        now: i64,
        tz: &TimeZone,
    ) -> Vec<(i64, f64)> {
        let tables = &records.orders;
        let orders = &tables.orders;
        tables
            .by_customer(records.customers.len())
            .of(c)
            .filter(|&o| tables.live(o, now))
            .map(|o| purchase(orders, o as usize, orders.refunded.get(o), tz))
            .collect()
    }

    /// The BTYD summary of every customer (`None` without purchases).
    pub fn summaries(&self) -> Vec<Option<CustomerSummary>> {
        self.days
            .iter()
            .map(|d| summarise(d, self.now_day))
            .collect()
    }

    /// What the data-sufficiency rules look at.
    pub fn store_history(&self) -> StoreHistory {
        let all_days = self.days.iter().flatten().map(|(d, _)| *d);
        StoreHistory {
            customers_with_orders: self.days.iter().filter(|d| !d.is_empty()).count(),
            first_order_day: all_days.clone().min(),
            last_order_day: all_days.max(),
            now_day: self.now_day,
            max_orders_per_customer: self.orders.iter().copied().max().unwrap_or(0),
        }
    }
}
