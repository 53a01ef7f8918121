//! MATCHES over orders when only existence matters: `products_purchased`
//! and `orders_placed` without aggregate conditions (no `count`, no sums)
//! ask "has this customer a live order (line) that passes?".
//!
//! With no filter but `date` (or, for `products_purchased`, one `=`/IN
//! filter on `id`, `tag`, `category` or `vendor` besides it), the
//! customers-by-time-bucket indexes answer: the buckets inside the window
//! are a union of bitmaps, and only the customers of the buckets at its
//! edges (and those whose bucketed orders were voided since) are checked
//! order by order. Otherwise one pass over the order table answers,
//! marking customers in a bit vector, without per-customer tallies.

use super::Evaluator;
use super::condition::TimeTest;
use super::functions::{Params, finish};
use super::lines::PER_CUSTOMER_FACTOR;
use crate::CustomerSet;
use crate::customer_buckets::{CustomerBuckets, WindowCustomers};

impl Evaluator<'_> {
    /// The customers of `universe` with an order that `passes`, by one scan
    /// of the orders; `None` when few enough customers are in play that
    /// reading their own orders is cheaper (the caller's tallies do that).
    pub(super) fn customers_with_order(
        &self,
        universe: &CustomerSet,
        passes: impl Fn(u32) -> bool,
    ) -> Option<CustomerSet> {
        let orders = &self.engine.orders.orders;
        if (universe.len() as usize).saturating_mul(PER_CUSTOMER_FACTOR) < orders.customer.len() {
            return None;
        }
        let n = self.engine.customers.len() as usize;
        let mut bits = vec![0u8; n.div_ceil(8)];
        for (o, &c) in orders.customer.iter().enumerate() {
            let byte = &mut bits[c as usize >> 3];
            let bit = 1u8 << (c & 7);
            if *byte & bit == 0 && passes(o as u32) {
                *byte |= bit;
            }
        }
        // One intersection at the end costs less than a lookup per order.
        Some(CustomerSet::from_lsb0_bytes(0, &bits) & universe)
    }

    /// `products_purchased` or `orders_placed` answered by
    /// [`Evaluator::customers_with_order`] when its parameters allow.
    pub(super) fn order_existence(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Option<CustomerSet>, super::EvalError> {
        if !p.aggregates.is_empty() {
            return Ok(None);
        }
        let tables = &self.engine.orders;
        let times = &tables.orders.time;
        let only_date = p.records.iter().all(|(name, _)| *name == "date");
        let date = match p.record("date") {
            Some(pred) => Some(self.clock_for_params().from_param(pred)?),
            None => None,
        };
        let in_window = |o: u32| {
            tables.live(o, self.now_second) && date.is_none_or(|t| t.holds(times.get(o as usize)))
        };
        let one_pass = |universe: &CustomerSet| match function {
            "products_purchased" if only_date => self.customers_with_order(universe, |o| {
                !tables.product_lines(o).is_empty() && in_window(o)
            }),
            "orders_placed" if only_date => self.customers_with_order(universe, in_window),
            _ => None,
        };
        let Some((sure, check)) = self.bucketed_existence(function, p, date, universe)? else {
            return Ok(one_pass(universe));
        };
        if check.is_empty() {
            return Ok(Some(sure));
        }
        let checked = match one_pass(&check) {
            Some(found) => found,
            None => {
                let tallies = match function {
                    "orders_placed" => self.orders_placed(p, &check)?,
                    _ => self.products_purchased(p, &check)?,
                };
                finish(&tallies, &[], &check)
            }
        };
        Ok(Some(sure | checked))
    }

    /// The existence question answered from customers-by-time-bucket (see
    /// the module doc): the customers of `universe` who surely pass, and
    /// those to check order by order; `None` when the parameters are not of
    /// that form.
    fn bucketed_existence(
        &self,
        function: &str,
        p: &Params,
        date: Option<TimeTest>,
        universe: &CustomerSet,
    ) -> Result<Option<(CustomerSet, CustomerSet)>, super::EvalError> {
        if date.is_some_and(|d| d.outside) {
            return Ok(None);
        }
        let others: Vec<&str> = p
            .records
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| *name != "date")
            .collect();
        let Some((window, served_by)) = self.bucket_window(function, p, date)? else {
            return Ok(None);
        };
        // Exact only when the buckets are of exactly the records asked
        // for: no filter but the date, or one keyed filter whose posting
        // they are (not `vendor NOT IN (...)`, which has none).
        match (others.as_slice(), served_by) {
            ([], _) => {}
            ([name], Some(served)) if *name == served => {}
            _ => return Ok(None),
        }
        let revoked = &self.engine.orders.revoked;
        let sure = (&window.sure & universe) - revoked;
        let check = ((window.maybe | (window.sure & revoked)) & universe) - &sure;
        Ok(Some((sure, check)))
    }

    /// The customers of `universe` who may have a record that the MATCHES
    /// counts (`products_purchased` and `orders_placed`, whatever their
    /// filters): every live order is bucketed when it is added, so a
    /// customer in no bucket of the window has none. A MATCHES whose
    /// conditions a customer without records fails (`count >= 2`) needs
    /// tallies for these customers only. `None` for other functions.
    pub(super) fn bucket_candidates(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Option<CustomerSet>, super::EvalError> {
        let date = match p.record("date") {
            // Outside a range: the window is every instant.
            Some(pred) => Some(self.clock_for_params().from_param(pred)?).filter(|d| !d.outside),
            None => None,
        };
        Ok(self
            .bucket_window(function, p, date)?
            .map(|(w, _)| (w.sure | w.maybe) & universe))
    }

    /// The buckets' customers within `date`'s window (up to now) for the
    /// records `function` reads: every live order, every live order with
    /// product lines, or the lines under the narrowest `=`/IN filter on `id`,
    /// `tag`, `category` or `vendor` (named beside the answer).
    fn bucket_window(
        &self,
        function: &str,
        p: &Params,
        date: Option<TimeTest>,
    ) -> Result<Option<(WindowCustomers, Option<&'static str>)>, super::EvalError> {
        let tables = &self.engine.orders;
        let keyed = match function {
            "products_purchased" => self.narrowest_posting(p)?,
            _ => None,
        };
        let served_by = keyed.as_ref().map(|(_, name)| *name);
        let buckets: &CustomerBuckets = match (function, &keyed) {
            ("products_purchased", Some((posting, _))) => &posting.buckets,
            ("products_purchased", None) => &tables.placed_with_lines,
            ("orders_placed", _) => &tables.placed,
            _ => return Ok(None),
        };
        // As of now: records after now are invisible.
        let end = date
            .and_then(|d| d.range.end)
            .unwrap_or(i64::MAX)
            .min(self.now_second.saturating_add(1));
        Ok(Some((
            buckets.within(date.and_then(|d| d.range.start), end),
            served_by,
        )))
    }
}
