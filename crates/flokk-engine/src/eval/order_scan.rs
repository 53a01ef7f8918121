//! MATCHES over orders when only existence matters: `products_purchased`
//! and `orders_placed` without aggregate conditions (no `count`, no sums)
//! and without per-line filters ask "has this customer a live order that
//! passes?", which one pass over the order table answers, marking
//! customers in a bit vector, without per-customer tallies.

use super::Evaluator;
use super::functions::Params;
use super::lines::PER_CUSTOMER_FACTOR;
use crate::CustomerSet;

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
            tables.live(o, self.now_second) && date.is_none_or(|t| t.holds(times[o as usize]))
        };
        Ok(match function {
            "products_purchased" if only_date => self.customers_with_order(universe, |o| {
                !tables.product_lines(o).is_empty() && in_window(o)
            }),
            "orders_placed" if only_date => self.customers_with_order(universe, in_window),
            _ => None,
        })
    }
}
