//! Per-customer facts that depend on "now": spend, order counts, first and
//! last order, last abandoned checkout, tickets, average days between
//! orders. Records after `now` are invisible (design.md), so these columns
//! are computed for a given `now` and time zone and cached; for any `now`
//! after the newest record they are the same, so one computation serves
//! every evaluation at the clock.

use crate::{Engine, NO_TIME};
use jiff::tz::TimeZone;

/// The now-dependent columns, one value per customer ordinal.
#[derive(Debug, Clone)]
pub struct Aggregates {
    /// `amount_spent`.
    pub amount_spent: Vec<f64>,
    /// `number_of_orders`.
    pub number_of_orders: Vec<u32>,
    /// `first_order_date` ([`NO_TIME`] without orders).
    pub first_order: Vec<i64>,
    /// `last_order_date` ([`NO_TIME`] without orders).
    pub last_order: Vec<i64>,
    /// `abandoned_checkout_date` ([`NO_TIME`] without one).
    pub abandoned_checkout: Vec<i64>,
    /// `number_of_tickets`.
    pub number_of_tickets: Vec<i64>,
    /// `number_of_events`.
    pub number_of_events: Vec<u32>,
    /// Distinct store-local purchase days (for `average_days_between_orders`).
    pub purchase_days: Vec<u32>,
    /// First and last store-local purchase day (days since 1970-01-01).
    pub day_span: Vec<(i32, i32)>,
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
    pub(crate) fn ends(engine: &Engine) -> Self {
        TableMarks {
            orders: engine.orders.orders.customer.len(),
            tickets: engine.orders.tickets.order.len(),
            checkouts: engine.activity.checkouts.customer.len(),
        }
    }
}

impl Aggregates {
    fn empty(n: usize) -> Self {
        Aggregates {
            amount_spent: vec![0.0; n],
            number_of_orders: vec![0; n],
            first_order: vec![NO_TIME; n],
            last_order: vec![NO_TIME; n],
            abandoned_checkout: vec![NO_TIME; n],
            number_of_tickets: vec![0; n],
            number_of_events: vec![0; n],
            purchase_days: vec![0; n],
            day_span: vec![(i32::MAX, i32::MIN); n],
            without_lines: crate::CustomerSet::new(),
        }
    }

    /// Computes the columns as of `now` (seconds) in `tz`.
    pub fn compute(engine: &Engine, now: i64, tz: &TimeZone) -> Aggregates {
        let mut a = Aggregates::empty(engine.customers.len() as usize);
        a.accumulate(engine, now, tz, TableMarks::default());
        a
    }

    /// Recomputes the rows of `customers` after a catch-up voided their old
    /// records and appended all their current ones from `from` on (so
    /// those records are exactly what the rows are made of).
    pub(crate) fn patch(
        &mut self,
        engine: &Engine,
        now: i64,
        tz: &TimeZone,
        customers: &crate::CustomerSet,
        from: TableMarks,
    ) {
        let n = engine.customers.len() as usize;
        let fresh = Aggregates::empty(1);
        self.amount_spent.resize(n, 0.0);
        self.number_of_orders.resize(n, 0);
        self.first_order.resize(n, NO_TIME);
        self.last_order.resize(n, NO_TIME);
        self.abandoned_checkout.resize(n, NO_TIME);
        self.number_of_tickets.resize(n, 0);
        self.number_of_events.resize(n, 0);
        self.purchase_days.resize(n, 0);
        self.day_span.resize(n, fresh.day_span[0]);
        self.without_lines -= customers;
        for c in customers {
            let c = c as usize;
            self.amount_spent[c] = 0.0;
            self.number_of_orders[c] = 0;
            self.first_order[c] = NO_TIME;
            self.last_order[c] = NO_TIME;
            self.abandoned_checkout[c] = NO_TIME;
            self.number_of_tickets[c] = 0;
            self.number_of_events[c] = 0;
            self.purchase_days[c] = 0;
            self.day_span[c] = fresh.day_span[0];
        }
        self.accumulate(engine, now, tz, from);
    }

    /// Adds what the records from `from` to the tables' ends contribute.
    fn accumulate(&mut self, engine: &Engine, now: i64, tz: &TimeZone, from: TableMarks) {
        let a = self;
        let tables = &engine.orders;
        let orders = &tables.orders;
        let mut days: Vec<(u32, i32)> = Vec::new();
        let mut refunds = orders.refunded.cursor_from(from.orders as u32);
        for o in from.orders as u32..orders.customer.len() as u32 {
            if !tables.live(o, now) {
                continue;
            }
            let i = o as usize;
            let c = orders.customer[i] as usize;
            let t = orders.time.get(i);
            a.amount_spent[c] += orders.total.get(i) - refunds.at(o).unwrap_or(0.0);
            a.number_of_orders[c] += 1;
            if a.first_order[c] == NO_TIME || t < a.first_order[c] {
                a.first_order[c] = t;
            }
            a.last_order[c] = a.last_order[c].max(t);
            days.push((c as u32, local_day(t, tz)));
            if tables.product_lines(o).is_empty() {
                a.without_lines.insert(c as u32);
            }
        }
        days.sort_unstable();
        days.dedup();
        for (c, day) in days {
            let c = c as usize;
            a.purchase_days[c] += 1;
            let span = &mut a.day_span[c];
            span.0 = span.0.min(day);
            span.1 = span.1.max(day);
        }
        let tickets = &tables.tickets;
        let mut events: Vec<(u32, u32)> = Vec::new();
        for l in from.tickets..tickets.order.len() {
            let o = tickets.order[l];
            if !tables.live(o, now) {
                continue;
            }
            let c = orders.customer[o as usize];
            a.number_of_tickets[c as usize] += tickets.quantity.get(l);
            events.push((c, tickets.performance.get(l)));
        }
        events.sort_unstable();
        events.dedup();
        for (c, _) in events {
            a.number_of_events[c as usize] += 1;
        }
        let checkouts = &engine.activity.checkouts;
        for i in from.checkouts..checkouts.customer.len() {
            let t = checkouts.time.get(i);
            if t > now || checkouts.void.contains(i as u32) {
                continue;
            }
            let c = checkouts.customer[i] as usize;
            a.abandoned_checkout[c] = a.abandoned_checkout[c].max(t);
        }
    }

    /// `average_days_between_orders` of customer `c`: `t_x / x` over
    /// store-local purchase days; `None` with fewer than two.
    pub fn average_days_between_orders(&self, c: u32) -> Option<f64> {
        let days = self.purchase_days[c as usize];
        (days >= 2).then(|| {
            let (first, last) = self.day_span[c as usize];
            f64::from(last - first) / f64::from(days - 1)
        })
    }
}

impl crate::space_usage::HeapSize for Aggregates {
    fn heap_bytes(&self) -> usize {
        self.amount_spent.heap_bytes()
            + self.number_of_orders.heap_bytes()
            + self.first_order.heap_bytes()
            + self.last_order.heap_bytes()
            + self.abandoned_checkout.heap_bytes()
            + self.number_of_tickets.heap_bytes()
            + self.number_of_events.heap_bytes()
            + self.purchase_days.heap_bytes()
            + self.day_span.heap_bytes()
            + self.without_lines.heap_bytes()
    }
}
