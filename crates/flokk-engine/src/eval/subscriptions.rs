//! `subscription_status` and `subscriptions MATCHES (...)`: season tickets
//! and memberships (language.md §7.1).
//!
//! Decisions (the spec names the values, not their rules):
//! - `ACTIVE`: some subscription holds today (store-local): its status is
//!   `ACTIVE` and it has not ended (`ends` today or later, or none). One
//!   bought for a season that starts later holds already, so a renewal
//!   campaign does not ask its subscriber again
//!   ([`flokk_model::Subscription::holds_on`] is the one definition).
//! - `LAPSED`: subscriptions, none holding (ended, cancelled, expired,
//!   paused). `NONE`: no subscription ever. Never NULL: `IS NULL` holds
//!   for nobody.
//! - `subscriptions MATCHES`: `plan` compares without regard to case (plans
//!   are free text typed in a ticketing system), `date` is the first day
//!   and `ends` the last, each as that store-local day; an open-ended
//!   subscription has no `ends`, a missing value (§4): only `ends != D`
//!   holds for it. Every subscription counts, whatever its state or days.

use super::condition::{TextTest, text};
use super::events::rows_of_few;
use super::functions::{Params, Tallies};
use super::places::DayStarts;
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use crate::columns::interner::fold;
use crate::tables::subscriptions::{NO_END, day_number};
use flokk_lang::ast::{CompareOp, Predicate};

impl Evaluator<'_> {
    /// Today, store-local, as days since 1970-01-01.
    fn today(&self) -> i32 {
        day_number(flokk_lang::time::today(self.now, &self.tz))
    }

    /// The customers of `universe` with a subscription, and those of them
    /// with one holding today.
    fn subscribers(&self, universe: &CustomerSet) -> (CustomerSet, CustomerSet) {
        let t = &self.engine.activity.subscriptions;
        let today = self.today();
        let (mut any, mut active) = (CustomerSet::new(), CustomerSet::new());
        let n = self.engine.customers.len();
        let rows: Box<dyn Iterator<Item = u32>> =
            match rows_of_few(universe, n, &t.customer, &t.by_customer, None) {
                Some(rows) => Box::new(rows.into_iter()),
                None => Box::new(0..t.customer.len() as u32),
            };
        for r in rows {
            let c = t.customer[r as usize];
            if (!t.void.is_empty() && t.void.contains(r)) || !universe.contains(c) {
                continue;
            }
            any.insert(c);
            if t.holds_on(r as usize, today) {
                active.insert(c);
            }
        }
        (any, active)
    }

    /// `subscription_status = 'ACTIVE'` (or `!=`, `IS NULL`).
    pub(super) fn subscription_status(
        &self,
        universe: &CustomerSet,
        predicate: &Predicate,
    ) -> Result<CustomerSet, EvalError> {
        let of = |value: &flokk_lang::Literal| -> Result<CustomerSet, EvalError> {
            let (any, active) = self.subscribers(universe);
            Ok(match text(value)?.as_str() {
                "ACTIVE" => active,
                "LAPSED" => any - active,
                "NONE" => universe - &any,
                other => {
                    return Err(EvalError::Internal(format!(
                        "subscription_status {other:?}"
                    )));
                }
            })
        };
        Ok(match predicate {
            Predicate::Compare {
                op: CompareOp::Eq,
                value,
            } => of(value)?,
            Predicate::Compare {
                op: CompareOp::Ne,
                value,
            } => universe - &of(value)?,
            Predicate::IsNull { negated: false } => CustomerSet::new(),
            Predicate::IsNull { negated: true } => universe.clone(),
            other => {
                return Err(EvalError::Internal(format!(
                    "subscription_status with {other:?}"
                )));
            }
        })
    }

    /// `subscriptions MATCHES (plan, date, ends, count)`: one tally per
    /// customer of the subscriptions that pass.
    pub(super) fn subscriptions(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let t = &self.engine.activity.subscriptions;
        let strings = &self.engine.strings;
        let plan = p
            .record("plan")
            .map(|x| TextTest::from_param(x, true))
            .transpose()?;
        let plans = plan.as_ref().map(|x| {
            t.plan
                .codes_where(|sym| x.holds(Some(&fold(strings.resolve(sym)))))
        });
        let clock = self.clock_for_params();
        let starts_test = p.record("date").map(|x| clock.from_param(x)).transpose()?;
        let ends_test = p.record("ends").map(|x| clock.from_param(x)).transpose()?;
        let day_starts = DayStarts::new(&self.tz);
        let n = self.engine.customers.len();
        let mut tallies = Tallies::for_universe(universe, n);
        let rows: Box<dyn Iterator<Item = u32>> =
            match rows_of_few(universe, n, &t.customer, &t.by_customer, None) {
                Some(rows) => Box::new(rows.into_iter()),
                None => Box::new(0..t.customer.len() as u32),
            };
        for r in rows {
            let i = r as usize;
            let c = t.customer[i];
            if (!t.void.is_empty() && t.void.contains(r)) || !universe.contains(c) {
                continue;
            }
            if plans
                .as_ref()
                .is_some_and(|pass| !pass[t.plan.code(i) as usize])
            {
                continue;
            }
            if starts_test
                .as_ref()
                .is_some_and(|d| !d.holds_maybe(day_starts.start(t.starts[i])))
            {
                continue;
            }
            if let Some(d) = &ends_test {
                let end = (t.ends[i] != NO_END)
                    .then(|| day_starts.start(t.ends[i]))
                    .flatten();
                if !d.holds_maybe(end) {
                    continue;
                }
            }
            tallies.entry(c).count += 1;
        }
        Ok(tallies)
    }
}
