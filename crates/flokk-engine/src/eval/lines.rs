//! `products_purchased`, `orders_placed` and `tickets_purchased`: records
//! are order lines or orders; cancelled and future orders count nowhere.

use super::condition::{NumCondition, TextTest, TimeTest};
use super::customer_runs::{OrderColumns, each_customer};
use super::functions::{Params, Tallies};
use super::product_filter::{Keyed, ProductFilter};
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use crate::columns::interner::NO_SYM;
use crate::columns::interner::Sym;
use crate::indexes::key_buckets::LineKey;

/// Read customer by customer when the customers in play are fewer than the
/// orders by this factor (each customer costs a few lookups more than an
/// order in a straight scan).
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

    /// Whether `function` reads many customers' records cheaper customer
    /// by customer than in one pass over every order.
    pub(super) fn per_customer(&self, universe: &CustomerSet) -> bool {
        let few = (universe.len() as usize).saturating_mul(PER_CUSTOMER_FACTOR)
            < self.engine.orders.orders.len();
        super::scan_trace::note(|t| match few {
            true => t.per_customer += 1,
            false => t.all_orders += 1,
        });
        few
    }

    /// For each line shape, whether it passes the `id`, `tag`, `category`
    /// and `vendor` filters of a `products_purchased` (a value the store
    /// has never seen passes only the negative forms); `None` without
    /// such filters.
    fn shape_filter(&self, p: &Params) -> Result<Option<Vec<bool>>, EvalError> {
        let id = Self::text_test(p, "id", false)?;
        let folded = |name| -> Result<Option<(Vec<Sym>, bool)>, EvalError> {
            Ok(Self::text_test(p, name, true)?.map(|t| {
                let syms = t
                    .values
                    .iter()
                    .filter_map(|v| self.engine.strings.get(v))
                    .collect();
                (syms, t.negated)
            }))
        };
        let (tag, category, vendor) = (folded("tag")?, folded("category")?, folded("vendor")?);
        if id.is_none() && tag.is_none() && category.is_none() && vendor.is_none() {
            return Ok(None);
        }
        let shapes = &self.engine.orders.products.shapes;
        let one = |test: &Option<(Vec<Sym>, bool)>, value: Sym| {
            test.as_ref()
                .is_none_or(|(syms, negated)| syms.contains(&value) != *negated)
        };
        Ok(Some(shapes.passing(|s| {
            id.as_ref()
                .is_none_or(|t| t.holds(self.sym_text(shapes.product(s))))
                && tag.as_ref().is_none_or(|(syms, negated)| {
                    shapes.tags(s).iter().any(|t| syms.contains(t)) != *negated
                })
                && one(&category, shapes.category(s))
                && one(&vendor, shapes.vendor(s))
        })))
    }

    /// The record filters of a `products_purchased`.
    pub(super) fn product_filter(&self, p: &Params) -> Result<ProductFilter<'_>, EvalError> {
        Ok(ProductFilter {
            tables: &self.engine.orders,
            now: self.now_second,
            date: self.time_test(p, "date")?,
            shapes: self.shape_filter(p)?,
            keyed: self.keyed_filter(p)?,
        })
    }

    /// The narrowest `=`/IN filter on `id`, `tag`, `category` or `vendor`
    /// as keys of the customers-by-latest-purchase index (fewest customers
    /// listed); `None` without such a filter or before the index is built.
    fn keyed_filter(&self, p: &Params) -> Result<Option<Keyed>, EvalError> {
        let Some(index) = &self.engine.key_buckets else {
            return Ok(None);
        };
        let mut best: Option<(u64, Vec<LineKey>)> = None;
        let mut line_filters = 0;
        type KeyOf = fn(Sym) -> LineKey;
        let kinds: [(&str, bool, KeyOf); 4] = [
            ("id", false, LineKey::Product),
            ("tag", true, LineKey::Tag),
            ("category", true, LineKey::Category),
            ("vendor", true, LineKey::Vendor),
        ];
        for (name, fold, key) in kinds {
            let Some(test) = Self::text_test(p, name, fold)? else {
                continue;
            };
            line_filters += 1;
            if test.negated {
                continue;
            }
            // A value the store has never seen is no key: nobody has it.
            let keys: Vec<LineKey> = test
                .values
                .iter()
                .filter_map(|v| self.engine.strings.get(v))
                .map(key)
                .collect();
            let listed = keys.iter().map(|k| index.listed(*k)).sum::<u64>();
            if best.as_ref().is_none_or(|(fewest, _)| listed < *fewest) {
                best = Some((listed, keys));
            }
        }
        Ok(best.map(|(_, keys)| Keyed {
            keys,
            alone: line_filters == 1,
        }))
    }

    pub(super) fn products_purchased(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let tables = &self.engine.orders;
        let lines = &tables.products;
        let filter = self.product_filter(p)?;
        Ok(
            self.tally_orders(universe, filter.since(), |tallies, c, o| {
                if !filter.order(o) {
                    return;
                }
                for l in tables.product_lines(o) {
                    if filter.line(l) {
                        let tally = tallies.entry(c);
                        tally.count_group(o);
                        tally.sum_quantity += lines.quantity.get(l as usize) as f64;
                    }
                }
            }),
        )
    }

    /// Calls `visit` with the tallies, a customer and an order, for every
    /// order of the customers of `universe` that may be placed at or after
    /// `since`: customer by customer when few are in play (their orders
    /// only, memory asked for ahead), else in one pass over every order.
    fn tally_orders(
        &self,
        universe: &CustomerSet,
        since: i64,
        mut visit: impl FnMut(&mut Tallies, u32, u32),
    ) -> Tallies {
        let tables = &self.engine.orders;
        if self.per_customer(universe) {
            return self.tally_customer_orders(universe, since, visit);
        }
        let mut tallies = Tallies::for_universe(universe, self.engine.customers.len());
        let in_play = self.in_play(universe);
        tables.orders.customers.for_each_from(0, |o, c| {
            if in_play.has(c) {
                visit(&mut tallies, c, o as u32);
            }
        });
        tallies
    }

    /// [`Self::tally_orders`] customer by customer, whatever the number of
    /// customers in play.
    fn tally_customer_orders(
        &self,
        universe: &CustomerSet,
        since: i64,
        mut visit: impl FnMut(&mut Tallies, u32, u32),
    ) -> Tallies {
        let tables = &self.engine.orders;
        let mut tallies = Tallies::in_customer_order();
        let by_customer = tables.by_customer(self.engine.customers.len());
        each_customer(universe, by_customer, &OrderColumns(tables), |c, _| {
            for o in by_customer.since(c, since, &tables.orders.time) {
                visit(&mut tallies, c, o);
            }
        });
        tallies
    }

    /// Whether order `o` passes the record filters of an `orders_placed`.
    pub(super) fn placed_order_test(
        &self,
        p: &Params,
    ) -> Result<impl Fn(u32) -> bool + '_, EvalError> {
        let tables = &self.engine.orders;
        let orders = &tables.orders;
        let date = self.time_test(p, "date")?;
        let amount = p
            .record("amount")
            .map(NumCondition::from_param)
            .transpose()?;
        let codes = |name: &str, column: &crate::columns::sym_column::SymColumn| {
            Ok::<_, EvalError>(
                Self::text_test(p, name, false)?
                    .map(|t| column.codes_where(|sym| t.holds(self.sym_text(sym)))),
            )
        };
        let location = codes("location_id", &orders.location)?;
        let app = codes("app_id", &orders.app)?;
        let channel = Self::text_test(p, "channel", false)?;
        // Codes compare ignoring case (language.md §7.1): both sides folded.
        let discount = Self::text_test(p, "discount_code", true)?;
        let discount_holds = move |t: &super::condition::TextTest, o: u32| {
            match orders.discount_codes.get(o) {
                None => t.holds(None),
                Some(sym) => {
                    let mut codes = self
                        .engine
                        .strings
                        .resolve(sym)
                        .split(crate::tables::orders::DISCOUNT_CODE_SEPARATOR);
                    // One of the codes for `=`/IN; every code for `!=`/NOT IN.
                    if t.negated {
                        codes.all(|c| t.holds(Some(c)))
                    } else {
                        codes.any(|c| t.holds(Some(c)))
                    }
                }
            }
        };
        // Cheap column tests first.
        Ok(move |o: u32| {
            let i = o as usize;
            !(date.is_some_and(|t| !t.holds(orders.time.get(i)))
                || amount
                    .as_ref()
                    .is_some_and(|a| !a.holds(orders.total.get(i).to_f64()))
                || location
                    .as_ref()
                    .is_some_and(|pass| !pass[orders.location.code(i) as usize])
                || app
                    .as_ref()
                    .is_some_and(|pass| !pass[orders.app.code(i) as usize])
                || channel
                    .as_ref()
                    .is_some_and(|t| !t.holds(orders.channel(i).map(|c| c.as_str())))
                || discount.as_ref().is_some_and(|t| !discount_holds(t, o)))
                && tables.live(o, self.now_second)
        })
    }

    pub(super) fn orders_placed(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let orders = &self.engine.orders.orders;
        let passes = self.placed_order_test(p)?;
        let since = self
            .time_test(p, "date")?
            .map_or(i64::MIN, |d| d.earliest());
        Ok(self.tally_orders(universe, since, |tallies, c, o| {
            if passes(o) {
                let tally = tallies.entry(c);
                tally.count += 1;
                tally.sum_amount = tally
                    .sum_amount
                    .saturating_add(orders.total.get(o as usize));
            }
        }))
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
        // Whether ticket line `l` of order `o` passes the record filters.
        let passes = |l: usize, o: u32| {
            let placed = orders.time.get(o as usize);
            let performance_sym = tickets.performance.get(l);
            let info = catalogue.performances.get(&performance_sym);
            // A performance not known (yet) has no production, venue or date:
            // positive tests on them fail, negative ones pass (§4).
            !(performance
                .as_ref()
                .is_some_and(|t| !t.holds(self.sym_text(performance_sym)))
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
                    .is_some_and(|t| !t.holds(orders.channel(o as usize).map(|c| c.as_str())))
                || lead.as_ref().is_some_and(|cond| {
                    let days = info.map(|i| (i.starts_at - placed).div_euclid(86_400) as f64);
                    !cond.holds_maybe(days)
                }))
        };
        let count = |tallies: &mut Tallies, c: u32, o: u32, l: usize| {
            let tally = tallies.entry(c);
            tally.count_group(o);
            tally.sum_quantity += tickets.quantity.get(l) as f64;
            tally.sum_amount = tally.sum_amount.saturating_add(tickets.amount.get(l));
        };
        // A few customers (the ones a write touched, those left after the
        // cheap clauses of an AND): their orders' lines alone, instead of a
        // pass over every ticket line of the store.
        if self.per_customer(universe) {
            let since = date.map_or(i64::MIN, |d| d.earliest());
            return Ok(
                self.tally_customer_orders(universe, since, |tallies, c, o| {
                    if !tables.live(o, self.now_second) {
                        return;
                    }
                    for l in tables.ticket_lines(o) {
                        if passes(l, o) {
                            count(tallies, c, o, l);
                        }
                    }
                }),
            );
        }
        let in_play = self.in_play(universe);
        let mut tallies = Tallies::for_universe(universe, self.engine.customers.len());
        for l in 0..tickets.order.len() {
            let o = tickets.order[l];
            let c = orders.customers.get(o as usize);
            if tables.live(o, self.now_second) && in_play.has(c) && passes(l, o) {
                count(&mut tallies, c, o, l);
            }
        }
        Ok(tallies)
    }
}
