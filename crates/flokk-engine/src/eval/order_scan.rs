//! MATCHES over orders when only existence matters: `products_purchased`
//! and `orders_placed` without aggregate conditions (no `count`, no sums)
//! ask "has this customer a live order (line) that passes?".
//!
//! The `date` window narrows the customers first, from the now-dependent
//! columns: a customer has a live order in `[start, end)` only if their
//! last order is at or after `start` and their first before `end`, and
//! surely has one when the first or the last order itself lies inside.
//! With no filter but `date` the sure customers are the answer outright
//! (for `products_purchased`, those without a ticket order, which might
//! be the first or last) and only the others are checked order by order. Any other
//! filter checks every remaining customer: order by order for few, in one
//! pass over the orders into a bit vector for many, never with
//! per-customer tallies.

use super::Evaluator;
use super::condition::TimeTest;
use super::functions::Params;
use crate::{CustomerSet, NO_TIME};

/// Which orders an existence question asks for.
pub(super) enum OrderTest<'e> {
    /// Orders with a product line that counts.
    Product(super::product_filter::ProductFilter<'e>),
    /// Orders that pass an `orders_placed`'s filters.
    Placed(Box<dyn Fn(u32) -> bool + 'e>),
}

/// What the first and last order say about a time window.
pub(super) struct WindowCustomers {
    /// Customers whose first or last live order lies inside it.
    pub sure: CustomerSet,
    /// Customers that may have a live order inside it (not in `sure`).
    pub maybe: CustomerSet,
    /// Where the window starts (`i64::MIN`: unbounded).
    pub since: i64,
}

impl Evaluator<'_> {
    /// The customers of `universe` with an order that `passes`, where no
    /// order before `since` can pass: order by order for few customers
    /// (newest first where the runs are time-sorted, stopping before
    /// `since`), by one scan of the orders for many.
    pub(super) fn customers_with_order(
        &self,
        universe: &CustomerSet,
        since: i64,
        passes: &OrderTest<'_>,
    ) -> CustomerSet {
        let tables = &self.engine.orders;
        let orders = &tables.orders;
        if self.per_customer(universe) {
            let by_customer = tables.by_customer(self.engine.customers.len());
            return match passes {
                OrderTest::Product(filter) => filter.customers_among(universe, by_customer, since),
                OrderTest::Placed(test) => {
                    let mut found = Vec::new();
                    let columns = super::customer_runs::OrderColumns(tables);
                    super::customer_runs::each_customer(universe, by_customer, &columns, |c, _| {
                        if by_customer.any_since(c, since, &orders.time, test) {
                            found.push(c);
                        }
                    });
                    CustomerSet::from_sorted_iter(found).expect("ascending")
                }
            };
        }
        let n = self.engine.customers.len() as usize;
        let mut bits = vec![0u8; n.div_ceil(8)];
        match passes {
            OrderTest::Product(filter) => filter.mark_customers(&mut bits),
            OrderTest::Placed(test) => {
                // No branch on whether the customer was found already: in
                // a pass over every order it goes either way at random.
                orders.customers.for_each_from(0, |o, c| {
                    bits[c as usize >> 3] |= u8::from(test(o as u32)) << (c & 7);
                });
            }
        }
        // One intersection at the end costs less than a lookup per order.
        CustomerSet::from_lsb0_bytes(0, &bits) & universe
    }

    /// `products_purchased` or `orders_placed` without aggregate
    /// conditions, answered as the module doc says; `None` for other
    /// functions or with aggregate conditions.
    pub(super) fn order_existence(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Option<CustomerSet>, super::EvalError> {
        if !p.aggregates.is_empty() {
            return Ok(None);
        }
        if matches!(function, "products_purchased" | "orders_placed") {
            super::scan_trace::note(|t| t.existence += 1);
        }
        let only_date = p.records.iter().all(|(name, _)| *name == "date");
        Ok(Some(match function {
            "products_purchased" => {
                let filter = self.product_filter(p)?;
                if let Some(w) = self.key_window(&filter, universe) {
                    let since = w.since;
                    let test = OrderTest::Product(filter);
                    return Ok(Some(
                        w.sure | self.customers_with_order(&w.maybe, since, &test),
                    ));
                }
                let window = self.order_window(p, universe)?;
                // Customers with a ticket order may have had it as their
                // first or last: not sure of a product line.
                let window = window.map(|mut w| {
                    let unsure = &w.sure & &self.aggregates.without_lines;
                    w.sure -= &unsure;
                    w.maybe |= unsure;
                    w
                });
                self.existence(universe, window, only_date, &OrderTest::Product(filter))
            }
            "orders_placed" => {
                let window = self.order_window(p, universe)?;
                let test = self.placed_order_test(p)?;
                self.existence(
                    universe,
                    window,
                    only_date,
                    &OrderTest::Placed(Box::new(test)),
                )
            }
            _ => return Ok(None),
        }))
    }

    /// The customers of `universe` with an order that `passes`, narrowed
    /// by `window`; `exact`: the window's sure customers pass without a
    /// look at their orders.
    fn existence(
        &self,
        universe: &CustomerSet,
        window: Option<WindowCustomers>,
        exact: bool,
        passes: &OrderTest<'_>,
    ) -> CustomerSet {
        match window {
            None => self.customers_with_order(universe, i64::MIN, passes),
            Some(w) if exact => {
                let checked = self.customers_with_order(&w.maybe, w.since, passes);
                w.sure | checked
            }
            Some(w) => {
                let since = w.since;
                self.customers_with_order(&(w.sure | w.maybe), since, passes)
            }
        }
    }

    /// The customers of `universe` who may have a record that the MATCHES
    /// counts (`products_purchased` and `orders_placed`, whatever their
    /// filters): a customer without a live order in the window has none.
    /// A MATCHES whose conditions a customer without records fails
    /// (`count >= 2`) needs tallies for these customers only. `None` for
    /// other functions.
    pub(super) fn order_candidates(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Option<CustomerSet>, super::EvalError> {
        if !matches!(function, "products_purchased" | "orders_placed") {
            return Ok(None);
        }
        if function == "products_purchased"
            && let Some(w) = self.key_window(&self.product_filter(p)?, universe)
        {
            return Ok(Some(w.sure | w.maybe));
        }
        Ok(self
            .order_window(p, universe)?
            .map(|w| w.sure | w.maybe)
            .or_else(|| {
                // Without a window: the customers with a live order.
                let first = &self.aggregates.first_order;
                Some(super::select(universe, |c| {
                    first.get(c as usize) != NO_TIME
                }))
            }))
    }

    /// What the customers-by-latest-purchase index says about a
    /// `products_purchased` with a keyed filter, within `universe`: the
    /// index's sure customers are sure only when that filter is the only
    /// line filter (else every customer it names is to be read); `None`
    /// without such a filter or before the index is built.
    fn key_window(
        &self,
        filter: &super::product_filter::ProductFilter<'_>,
        universe: &CustomerSet,
    ) -> Option<WindowCustomers> {
        let keyed = filter.keyed.as_ref()?;
        let index = self.engine.key_buckets.as_ref()?;
        let now_end = self.visible_end(None);
        let (start, end, outside) = match filter.date {
            Some(d) => (d.earliest(), self.visible_end(d.range.end), d.outside),
            None => (i64::MIN, now_end, false),
        };
        // Few customers in play: each bucket is cut down to them first.
        let among = (universe.len() * 4 < self.all().len()).then_some(universe);
        if outside {
            // Outside a range any line may count: the index only says who
            // has a line with the key at all.
            let all = index.within(&keyed.keys, i64::MIN, now_end, among);
            return Some(WindowCustomers {
                sure: CustomerSet::new(),
                maybe: (all.sure | all.maybe) & universe,
                since: i64::MIN,
            });
        }
        let w = index.within(&keyed.keys, start, end, among);
        let (sure, maybe) = if keyed.alone {
            (w.sure & universe, w.maybe & universe)
        } else {
            (CustomerSet::new(), (w.sure | w.maybe) & universe)
        };
        Some(WindowCustomers {
            sure,
            maybe,
            since: start,
        })
    }

    /// Where a window ending at `end` (`None`: open) stops as of now: just
    /// after now at the latest, since later records are invisible.
    fn visible_end(&self, end: Option<i64>) -> i64 {
        end.unwrap_or(i64::MAX)
            .min(self.now_second.saturating_add(1))
    }

    /// What the first and last live order (as of now) of the customers of
    /// `universe` say about the `date` window of `p`; `None` without a
    /// `date` filter or with one outside a range (`!=`), which any order
    /// may pass.
    fn order_window(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Option<WindowCustomers>, super::EvalError> {
        let date: Option<TimeTest> = match p.record("date") {
            Some(pred) => Some(self.clock_for_params().from_param(pred)?),
            None => None,
        };
        let Some(date) = date.filter(|d| !d.outside) else {
            return Ok(None);
        };
        let a = &self.aggregates;
        let (first, last) = (&a.first_order, &a.last_order);
        let start = date.earliest();
        // Later orders are absent from the columns too.
        let end = self.visible_end(date.range.end);
        if end > self.now_second {
            // A window reaching now holds the last order of everyone with
            // one after its start: nothing else to check.
            let sure = super::select(universe, |c| {
                let l = last.get(c as usize);
                (l >= start) & (l != NO_TIME)
            });
            return Ok(Some(WindowCustomers {
                sure,
                maybe: CustomerSet::new(),
                since: start,
            }));
        }
        let inside = |t: i64| (t != NO_TIME) & (start <= t) & (t < end);
        let sure = super::select(universe, |c| {
            inside(first.get(c as usize)) | inside(last.get(c as usize))
        });
        let maybe = {
            let candidates = super::select(universe, |c| {
                let (f, l) = (first.get(c as usize), last.get(c as usize));
                f != NO_TIME && f < end && l >= start
            });
            candidates - &sure
        };
        Ok(Some(WindowCustomers {
            sure,
            maybe,
            since: start,
        }))
    }
}
