//! `products_purchased`, `orders_placed` and `tickets_purchased`: records
//! are order lines or orders; cancelled and future orders count nowhere.

use super::condition::{NumCondition, TextTest, TimeTest};
use super::functions::{Params, Tallies, candidates, listed};
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use crate::interner::Sym;
use crate::orders::NO_SYM;
use crate::postings::Posting;
use std::borrow::Cow;

/// Read customer by customer when the customers in play are fewer than the
/// records by this factor (each customer costs a few lookups more than a
/// record in a straight scan).
pub(super) const PER_CUSTOMER_FACTOR: usize = 4;

impl Evaluator<'_> {
    fn time_test(&self, p: &Params, name: &str) -> Result<Option<TimeTest>, EvalError> {
        p.record(name)
            .map(|pred| self.clock_for_params().from_param(pred))
            .transpose()
    }

    pub(super) fn clock_for_params(&self) -> super::condition::Clock<'_> {
        super::condition::Clock {
            now: self.now,
            tz: &self.tz,
        }
    }

    fn text_test(p: &Params, name: &str, fold: bool) -> Result<Option<TextTest>, EvalError> {
        p.record(name)
            .map(|pred| TextTest::from_param(pred, fold))
            .transpose()
    }

    fn sym_text(&self, sym: Sym) -> Option<&str> {
        (sym != NO_SYM).then(|| self.engine.strings.resolve(sym))
    }

    /// The narrowest posting among the `=`/IN filters on `id`, `tag`,
    /// `category` and `vendor` of a `products_purchased`, with the filter's
    /// name; `None` without such a filter.
    pub(super) fn narrowest_posting(
        &self,
        p: &Params,
    ) -> Result<Option<(Cow<'_, Posting>, &'static str)>, EvalError> {
        let lines = &self.engine.orders.products;
        let lookup = |s: &str| self.engine.strings.get(s);
        let mut best: Option<(Cow<'_, Posting>, &'static str)> = None;
        for (name, postings, folded) in [
            ("id", &lines.by_product, false),
            ("tag", &lines.by_tag, true),
            ("category", &lines.by_category, true),
            ("vendor", &lines.by_vendor, true),
        ] {
            if let Some(pred) = p.record(name)
                && let Some(list) = candidates(postings, pred, lookup, folded)?
                && best
                    .as_ref()
                    .is_none_or(|(b, _)| list.records.len() < b.records.len())
            {
                best = Some((list, name));
            }
        }
        Ok(best)
    }

    pub(super) fn products_purchased(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let tables = &self.engine.orders;
        let lines = &tables.products;
        let lookup = |s: &str| self.engine.strings.get(s);
        let id = Self::text_test(p, "id", false)?;
        let tag = Self::text_test(p, "tag", true)?;
        let category = Self::text_test(p, "category", true)?;
        let vendor = Self::text_test(p, "vendor", true)?;
        let date = self.time_test(p, "date")?;
        // Its lines pass that filter by construction: not tested again.
        let (best, best_name) = match self.narrowest_posting(p)? {
            Some((posting, name)) => (Some(posting), name),
            None => (None, ""),
        };
        let check = |name: &str| best_name != name;
        let passes = |l: u32| {
            let i = l as usize;
            let o = lines.order[i];
            tables.live(o, self.now_second)
                && !(date.is_some_and(|t| !t.holds(tables.orders.time.get(o as usize)))
                    || id
                        .as_ref()
                        .is_some_and(|t| check("id") && !t.holds(self.sym_text(lines.product[i])))
                    || tag
                        .as_ref()
                        .is_some_and(|t| check("tag") && !listed(&lines.by_tag, t, lookup, l))
                    || category.as_ref().is_some_and(|t| {
                        check("category") && !listed(&lines.by_category, t, lookup, l)
                    })
                    || vendor.as_ref().is_some_and(|t| {
                        check("vendor") && !listed(&lines.by_vendor, t, lookup, l)
                    }))
        };
        // How the lines are read: customer by customer (few customers in
        // play), or in one pass over the key's or all lines.
        let owners = best.as_ref().map(|posting| &posting.customers & universe);
        let per_customer = match (&best, &owners) {
            (Some(posting), Some(owners)) => {
                let lines_per_customer =
                    lines.order.len() / (self.engine.customers.len() as usize).max(1) + 1;
                (owners.len() as usize).saturating_mul(lines_per_customer * PER_CUSTOMER_FACTOR)
                    < posting.records.len() as usize
            }
            _ => (universe.len() as usize).saturating_mul(PER_CUSTOMER_FACTOR) < lines.order.len(),
        };
        let mut tallies = if per_customer {
            Tallies::in_customer_order()
        } else {
            Tallies::for_universe(universe, self.engine.customers.len())
        };
        let mut count = |c: u32, l: u32| {
            let tally = tallies.entry(c);
            tally.count_group(lines.order[l as usize]);
            tally.sum_quantity += lines.quantity.get(l as usize) as f64;
        };
        match (&best, owners) {
            // An indexed filter narrows the lines to the key's, and the
            // customers to those in play who have such a line. Few of
            // those: read just their orders' lines.
            (Some(posting), Some(owners)) => {
                if per_customer {
                    let by_customer = tables.by_customer(self.engine.customers.len());
                    for c in &owners {
                        for o in by_customer.of(c) {
                            for l in tables.product_lines(o) {
                                if posting.records.contains(l) && passes(l) {
                                    count(c, l);
                                }
                            }
                        }
                    }
                } else {
                    let in_play = self.in_play(&owners);
                    for l in &posting.records {
                        let c = tables.orders.customer[lines.order[l as usize] as usize];
                        if in_play.has(c) && passes(l) {
                            count(c, l);
                        }
                    }
                }
            }
            // Few customers left in play: read just their orders' lines.
            _ if per_customer => {
                let by_customer = tables.by_customer(self.engine.customers.len());
                for c in universe {
                    for o in by_customer.of(c) {
                        for l in tables.product_lines(o) {
                            if passes(l) {
                                count(c, l);
                            }
                        }
                    }
                }
            }
            _ => {
                let in_play = self.in_play(universe);
                for l in 0..lines.order.len() as u32 {
                    let c = tables.orders.customer[lines.order[l as usize] as usize];
                    if passes(l) && in_play.has(c) {
                        count(c, l);
                    }
                }
            }
        }
        Ok(tallies)
    }

    pub(super) fn orders_placed(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let tables = &self.engine.orders;
        let orders = &tables.orders;
        let date = self.time_test(p, "date")?;
        let amount = p
            .record("amount")
            .map(NumCondition::from_param)
            .transpose()?;
        let location = Self::text_test(p, "location_id", false)?;
        let app = Self::text_test(p, "app_id", false)?;
        let channel = Self::text_test(p, "channel", false)?;
        // Cheap column tests first: the void bitmap is the dearest.
        let passes = |o: u32| {
            let i = o as usize;
            !(date.is_some_and(|t| !t.holds(orders.time.get(i)))
                || amount.as_ref().is_some_and(|a| !a.holds(orders.total[i]))
                || location
                    .as_ref()
                    .is_some_and(|t| !t.holds(self.sym_text(orders.location[i])))
                || app
                    .as_ref()
                    .is_some_and(|t| !t.holds(self.sym_text(orders.app[i])))
                || channel
                    .as_ref()
                    .is_some_and(|t| !t.holds(orders.channel[i].map(|c| c.as_str()))))
                && tables.live(o, self.now_second)
        };
        let per_customer =
            (universe.len() as usize).saturating_mul(PER_CUSTOMER_FACTOR) < orders.customer.len();
        let mut tallies = if per_customer {
            Tallies::in_customer_order()
        } else {
            Tallies::for_universe(universe, self.engine.customers.len())
        };
        let mut count = |c: u32, o: u32| {
            let tally = tallies.entry(c);
            tally.count += 1;
            tally.sum_amount += orders.total[o as usize];
        };
        if per_customer {
            // Few customers left in play: read just their orders.
            let by_customer = tables.by_customer(self.engine.customers.len());
            for c in universe {
                for o in by_customer.of(c) {
                    if passes(o) {
                        count(c, o);
                    }
                }
            }
        } else {
            let in_play = self.in_play(universe);
            for o in 0..orders.customer.len() as u32 {
                let c = orders.customer[o as usize];
                if passes(o) && in_play.has(c) {
                    count(c, o);
                }
            }
        }
        Ok(tallies)
    }

    pub(super) fn tickets_purchased(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let tables = &self.engine.orders;
        let orders = &tables.orders;
        let tickets = &tables.tickets;
        let catalogue = &self.engine.catalogue;
        let performance = Self::text_test(p, "performance_id", false)?;
        let production = Self::text_test(p, "production_id", false)?;
        let venue = Self::text_test(p, "venue_id", false)?;
        let performance_date = self.time_test(p, "performance_date")?;
        let date = self.time_test(p, "date")?;
        let channel = Self::text_test(p, "channel", false)?;
        let lead = p
            .record("lead_time_days")
            .map(NumCondition::from_param)
            .transpose()?;
        let in_play = self.in_play(universe);
        let mut tallies = Tallies::for_universe(universe, self.engine.customers.len());
        for l in 0..tickets.order.len() {
            let o = tickets.order[l];
            let c = orders.customer[o as usize];
            if !tables.live(o, self.now_second) || !in_play.has(c) {
                continue;
            }
            let placed = orders.time.get(o as usize);
            let info = catalogue.performances.get(&tickets.performance[l]);
            // A performance not known (yet) has no production, venue or date:
            // positive tests on them fail, negative ones pass (§4).
            if performance
                .as_ref()
                .is_some_and(|t| !t.holds(self.sym_text(tickets.performance[l])))
                || production
                    .as_ref()
                    .is_some_and(|t| !t.holds(info.and_then(|i| self.sym_text(i.production))))
                || venue
                    .as_ref()
                    .is_some_and(|t| !t.holds(info.and_then(|i| self.sym_text(i.venue))))
                || performance_date.is_some_and(|t| !t.holds_maybe(info.map(|i| i.starts_at)))
                || date.is_some_and(|t| !t.holds(placed))
                || channel
                    .as_ref()
                    .is_some_and(|t| !t.holds(orders.channel[o as usize].map(|c| c.as_str())))
                || lead.as_ref().is_some_and(|cond| {
                    let days = info.map(|i| (i.starts_at - placed).div_euclid(86_400) as f64);
                    !cond.holds_maybe(days)
                })
            {
                continue;
            }
            let tally = tallies.entry(c);
            tally.count_group(o);
            tally.sum_quantity += tickets.quantity.get(l) as f64;
            tally.sum_amount += tickets.amount[l];
        }
        Ok(tallies)
    }
}
