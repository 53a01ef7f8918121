//! Per-customer facts that depend on "now": spend, order counts, first and
//! last order, last abandoned checkout, tickets, average days between
//! orders. Records after `now` are invisible (design.md), so these columns
//! are computed for a given `now` and time zone and cached; for any `now`
//! after the newest record they are the same, so one computation serves
//! every evaluation at the clock.

use crate::columns::time_column::TimeColumn;
use crate::columns::uint_column::UintColumn;
use crate::tables::record_tables::RecordTables;
use crate::{I64Column, NO_TIME};
use flokk_model::Money;
use jiff::tz::TimeZone;

/// The now-dependent columns, one value per customer ordinal, each as
/// narrow as its values allow (see [`UintColumn`], [`TimeColumn`]): these
/// are a large share of what a customer costs in memory.
#[derive(Debug, Clone)]
pub struct Aggregates {
    /// `amount_spent`.
    pub amount_spent: Vec<Money>,
    /// `number_of_orders`.
    pub number_of_orders: UintColumn,
    /// `first_order_date` ([`NO_TIME`] without orders).
    pub first_order: TimeColumn,
    /// `last_order_date` ([`NO_TIME`] without orders).
    pub last_order: TimeColumn,
    /// `abandoned_checkout_date` ([`NO_TIME`] without one).
    pub abandoned_checkout: TimeColumn,
    /// `number_of_tickets`.
    pub number_of_tickets: I64Column,
    /// `number_of_events`.
    pub number_of_events: UintColumn,
    /// Distinct store-local purchase days (for `average_days_between_orders`).
    pub purchase_days: UintColumn,
    /// Days from the first store-local purchase day to the last.
    pub purchase_span: UintColumn,
    /// Customers with a live order that has no product line (a ticket
    /// order): for everyone else "has a live order" is "has a live order
    /// with product lines".
    pub without_lines: crate::CustomerSet,
}

/// The store-local day of an instant, as days since 1970-01-01.
pub fn local_day(t: i64, tz: &TimeZone) -> i32 {
    if *tz == TimeZone::UTC {
        return t.div_euclid(86_400) as i32;
    }
    let Ok(ts) = jiff::Timestamp::from_second(t) else {
        return i32::MIN;
    };
    let date = tz.to_datetime(ts).date();
    (date - jiff::civil::date(1970, 1, 1)).get_days()
}

/// Where a pass over the record tables starts: an order, a ticket line, a
/// checkout index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TableMarks {
    pub orders: usize,
    pub tickets: usize,
    pub checkouts: usize,
}

impl TableMarks {
    /// The ends of the tables now.
    pub(crate) fn ends(records: RecordTables<'_>) -> Self {
        TableMarks {
            orders: records.orders.orders.len(),
            tickets: records.orders.tickets.order.len(),
            checkouts: records.activity.checkouts.customer.len(),
        }
    }
}

impl Aggregates {
    fn empty(n: usize) -> Self {
        let zeros = |n: usize| -> UintColumn { std::iter::repeat_n(0, n).collect() };
        Aggregates {
            amount_spent: vec![Money::ZERO; n],
            number_of_orders: zeros(n),
            first_order: TimeColumn::none(n),
            last_order: TimeColumn::none(n),
            abandoned_checkout: TimeColumn::none(n),
            number_of_tickets: std::iter::repeat_n(0, n).collect(),
            number_of_events: zeros(n),
            purchase_days: zeros(n),
            purchase_span: zeros(n),
            without_lines: crate::CustomerSet::new(),
        }
    }

    /// Computes the columns as of `now` (seconds) in `tz`.
    pub fn compute(records: RecordTables<'_>, now: i64, tz: &TimeZone) -> Aggregates {
        let mut a = Aggregates::empty(records.customers.len() as usize);
        a.accumulate(records, now, tz, TableMarks::default());
        a
    }

    /// Recomputes the rows of `customers` after a catch-up voided their old
    /// records and appended all their current ones from `from` on (so
    /// those records are exactly what the rows are made of).
    pub(crate) fn patch(
        &mut self,
        records: RecordTables<'_>,
        now: i64,
        tz: &TimeZone,
        customers: &crate::CustomerSet,
        from: TableMarks,
    ) {
        let n = records.customers.len() as usize;
        self.amount_spent.resize(n, Money::ZERO);
        for column in [
            &mut self.number_of_orders,
            &mut self.number_of_events,
            &mut self.purchase_days,
            &mut self.purchase_span,
        ] {
            while column.len() < n {
                column.push(0);
            }
        }
        while self.number_of_tickets.len() < n {
            self.number_of_tickets.push(0);
        }
        self.first_order.resize(n);
        self.last_order.resize(n);
        self.abandoned_checkout.resize(n);
        self.without_lines -= customers;
        for c in customers {
            let c = c as usize;
            self.amount_spent[c] = Money::ZERO;
            self.number_of_orders.set(c, 0);
            self.first_order.set(c, NO_TIME);
            self.last_order.set(c, NO_TIME);
            self.abandoned_checkout.set(c, NO_TIME);
            self.number_of_tickets.set(c, 0);
            self.number_of_events.set(c, 0);
            self.purchase_days.set(c, 0);
            self.purchase_span.set(c, 0);
        }
        self.accumulate(records, now, tz, from);
    }

    /// Adds what the records from `from` to the tables' ends contribute
    /// (every record of the customers they belong to: see [`Aggregates::patch`]).
    fn accumulate(&mut self, records: RecordTables<'_>, now: i64, tz: &TimeZone, from: TableMarks) {
        let a = self;
        let tables = &records.orders;
        let orders = &tables.orders;
        let mut days: Vec<(u32, i32)> = Vec::new();
        let mut refunds = orders.refunded.cursor_from(from.orders as u32);
        orders.customers.for_each_from(from.orders, |i, c| {
            let o = i as u32;
            if !tables.live(o, now) {
                return;
            }
            let c = c as usize;
            let t = orders.time.get(i);
            let net = orders.total.get(i).units() - refunds.at(o).unwrap_or(0);
            a.amount_spent[c] = a.amount_spent[c].saturating_add(Money::from_units(net));
            a.number_of_orders.set(c, a.number_of_orders.get(c) + 1);
            let first = a.first_order.get(c);
            if first == NO_TIME || t < first {
                a.first_order.set(c, t);
            }
            if t > a.last_order.get(c) {
                a.last_order.set(c, t);
            }
            days.push((c as u32, local_day(t, tz)));
            if tables.product_lines(o).is_empty() {
                a.without_lines.insert(c as u32);
            }
        });
        days.sort_unstable();
        days.dedup();
        // Each customer's days are together, ascending.
        for run in days.chunk_by(|x, y| x.0 == y.0) {
            let c = run[0].0 as usize;
            let (first, last) = (run[0].1, run[run.len() - 1].1);
            a.purchase_days.set(c, run.len() as u32);
            a.purchase_span
                .set(c, (i64::from(last) - i64::from(first)) as u32);
        }
        let tickets = &tables.tickets;
        let mut events: Vec<(u32, u32)> = Vec::new();
        for l in from.tickets..tickets.order.len() {
            let o = tickets.order[l];
            if !tables.live(o, now) {
                continue;
            }
            let c = orders.customers.get(o as usize);
            let sum = a.number_of_tickets.get(c as usize) + tickets.quantity.get(l);
            a.number_of_tickets.set(c as usize, sum);
            events.push((c, tickets.performance.get(l)));
        }
        events.sort_unstable();
        events.dedup();
        for (c, _) in events {
            let c = c as usize;
            a.number_of_events.set(c, a.number_of_events.get(c) + 1);
        }
        let checkouts = &records.activity.checkouts;
        for i in from.checkouts..checkouts.customer.len() {
            let t = checkouts.time.get(i);
            if t > now || checkouts.void.contains(i as u32) {
                continue;
            }
            let c = checkouts.customer[i] as usize;
            if t > a.abandoned_checkout.get(c) {
                a.abandoned_checkout.set(c, t);
            }
        }
    }

    /// `average_days_between_orders` of customer `c`: `t_x / x` over
    /// store-local purchase days; `None` with fewer than two.
    pub fn average_days_between_orders(&self, c: u32) -> Option<f64> {
        let days = self.purchase_days.get(c as usize);
        (days >= 2).then(|| f64::from(self.purchase_span.get(c as usize)) / f64::from(days - 1))
    }
}

impl crate::columns::heap_size::HeapSize for Aggregates {
    fn heap_bytes(&self) -> usize {
        self.amount_spent.heap_bytes()
            + self.number_of_orders.heap_bytes()
            + self.first_order.heap_bytes()
            + self.last_order.heap_bytes()
            + self.abandoned_checkout.heap_bytes()
            + self.number_of_tickets.heap_bytes()
            + self.number_of_events.heap_bytes()
            + self.purchase_days.heap_bytes()
            + self.purchase_span.heap_bytes()
            + self.without_lines.heap_bytes()
    }
}
