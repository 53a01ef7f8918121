//! `shopify_email.*`, `storefront.*` and `custom_event`: one record is one
//! event; `count` counts events.

use super::condition::{NumCondition, TextTest, TimeTest};
use super::functions::{Params, Tallies};
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use crate::columns::interner::Interner;
use crate::columns::interner::NO_SYM;
use crate::tables::activity::{CustomEvents, EventValue};
use crate::tables::activity_by_customer::RowsIndex;
use flokk_lang::ast::ParamPredicate;
use flokk_lang::value::Value;
use flokk_model::EmailEventType;

/// The rows of an activity table worth looking at for `universe`: when it
/// holds few customers (a write's re-evaluation), theirs, through the
/// table's by-customer index, among `of_kind` (ascending); else `None`:
/// every row of `of_kind`.
pub(super) fn rows_of_few(
    universe: &CustomerSet,
    customers_in_store: u32,
    customers: &[u32],
    index: &RowsIndex,
    of_kind: Option<&[u32]>,
) -> Option<Vec<u32>> {
    if universe.len() * 64 >= u64::from(customers_in_store) {
        return None;
    }
    let rows = index.get(customers);
    Some(
        universe
            .iter()
            .flat_map(|c| rows.of(c))
            .filter(|e| of_kind.is_none_or(|kind| kind.binary_search(e).is_ok()))
            .collect(),
    )
}

impl Evaluator<'_> {
    fn param_time(&self, p: &Params, name: &str) -> Result<Option<TimeTest>, EvalError> {
        p.record(name)
            .map(|pred| self.clock_for_params().from_param(pred))
            .transpose()
    }

    pub(super) fn email(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let kind = function.trim_start_matches("shopify_email.");
        let kind = EmailEventType::parse(kind)
            .ok_or_else(|| EvalError::Internal(format!("email event type {kind}")))?;
        let ev = &self.engine.activity.email;
        let activity = p
            .record("activity_id")
            .map(|x| TextTest::from_param(x, false))
            .transpose()?;
        let bounce = p
            .record("bounce_type")
            .map(|x| TextTest::from_param(x, false))
            .transpose()?;
        let machine = p
            .record("machine_open")
            .map(|x| TextTest::from_param(x, false))
            .transpose()?;
        let date = self.param_time(p, "date")?;
        let strings = &self.engine.strings;
        let activities = activity.as_ref().map(|x| {
            ev.activity
                .codes_where(|sym| x.holds((sym != NO_SYM).then(|| strings.resolve(sym))))
        });
        let in_play = self.in_play(universe);
        let n = self.engine.customers.len();
        let mut tallies = Tallies::for_universe(universe, n);
        let few = rows_of_few(
            universe,
            n,
            &ev.customer,
            &ev.by_customer,
            Some(ev.of_type(kind)),
        );
        for &e in few.as_deref().unwrap_or(ev.of_type(kind)) {
            let i = e as usize;
            let c = ev.customer[i];
            let t = ev.time.get(i);
            if t > self.now_second
                || (!ev.void.is_empty() && ev.void.contains(e))
                || !in_play.has(c)
            {
                continue;
            }
            if date.is_some_and(|d| !d.holds(t))
                || activities
                    .as_ref()
                    .is_some_and(|pass| !pass[ev.activity.code(i) as usize])
                || bounce
                    .as_ref()
                    .is_some_and(|x| !x.holds(ev.bounce[i].map(|b| b.as_str())))
                || machine.as_ref().is_some_and(|x| {
                    !x.holds(ev.machine_open[i].map(|m| if m { "true" } else { "false" }))
                })
            {
                continue;
            }
            tallies.entry(c).count += 1;
        }
        Ok(tallies)
    }

    pub(super) fn storefront(
        &self,
        function: &str,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let ev = &self.engine.activity.storefront;
        let records = if function == "storefront.product_viewed" {
            &ev.product_views
        } else {
            &ev.collection_views
        };
        let id = p
            .record("id")
            .map(|x| TextTest::from_param(x, false))
            .transpose()?;
        let date = self.param_time(p, "date")?;
        let strings = &self.engine.strings;
        let ids = id.as_ref().map(|x| {
            ev.item
                .codes_where(|sym| x.holds(Some(strings.resolve(sym))))
        });
        let in_play = self.in_play(universe);
        let n = self.engine.customers.len();
        let mut tallies = Tallies::for_universe(universe, n);
        let few = rows_of_few(universe, n, &ev.customer, &ev.by_customer, Some(records));
        for &e in few.as_deref().unwrap_or(records) {
            let i = e as usize;
            let c = ev.customer[i];
            let t = ev.time.get(i);
            if t > self.now_second
                || (!ev.void.is_empty() && ev.void.contains(e))
                || !in_play.has(c)
            {
                continue;
            }
            if date.is_some_and(|d| !d.holds(t))
                || ids
                    .as_ref()
                    .is_some_and(|pass| !pass[ev.item.code(i) as usize])
            {
                continue;
            }
            tallies.entry(c).count += 1;
        }
        Ok(tallies)
    }

    pub(super) fn custom_events(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<Tallies, EvalError> {
        let ev = &self.engine.activity.custom;
        let strings = &self.engine.strings;
        let name = p
            .record("name")
            .map(|x| TextTest::from_param(x, false))
            .transpose()?;
        let date = self.param_time(p, "date")?;
        let props: Vec<(Option<u32>, PropertyTest)> = p
            .properties
            .iter()
            .map(|(key, pred)| Ok((strings.get(key), PropertyTest::new(pred, self)?)))
            .collect::<Result<_, EvalError>>()?;
        // The name test is decided once per distinct name.
        let names = name.as_ref().map(|x| {
            ev.name
                .codes_where(|sym| x.holds(Some(strings.resolve(sym))))
        });
        let starts = super::places::DayStarts::new(&self.tz);
        // `sum(value)` adds up the numeric `value` property.
        let value_key = strings.get("value");
        let in_play = self.in_play(universe);
        let n = self.engine.customers.len();
        let mut tallies = Tallies::for_universe(universe, n);
        let few = rows_of_few(universe, n, &ev.customer, &ev.by_customer, None);
        let every = || 0..ev.customer.len() as u32;
        let rows: Box<dyn Iterator<Item = u32>> = match few {
            Some(rows) => Box::new(rows.into_iter()),
            None => Box::new(every()),
        };
        for e in rows {
            let i = e as usize;
            let c = ev.customer[i];
            let t = ev.time.get(i);
            if t > self.now_second
                || (!ev.void.is_empty() && ev.void.contains(e))
                || !in_play.has(c)
            {
                continue;
            }
            if date.is_some_and(|d| !d.holds(t))
                || names
                    .as_ref()
                    .is_some_and(|pass| !pass[ev.name.code(i) as usize])
            {
                continue;
            }
            if !props.iter().all(|(key, test)| {
                let value = key.and_then(|k| ev.property(e, k));
                test.holds(value, ev, strings, &starts)
            }) {
                continue;
            }
            let tally = tallies.entry(c);
            tally.count += 1;
            if let Some(EventValue::Number(value)) = value_key.and_then(|k| ev.property(e, k)) {
                tally.sum_value += value;
            }
        }
        Ok(tallies)
    }
}

/// A `property.<key>` test on a custom event, typed by the value written.
enum PropertyTest {
    Number(NumCondition),
    Time(TimeTest),
    Text(TextTest),
}

impl PropertyTest {
    fn new(pred: &ParamPredicate, ev: &Evaluator<'_>) -> Result<Self, EvalError> {
        let first = match pred {
            ParamPredicate::Compare { value, .. } => &value.value,
            ParamPredicate::Between { low, .. } => &low.value,
            ParamPredicate::In { values, .. } => match values.first() {
                Some(v) => &v.value,
                None => return Err(EvalError::Internal("empty IN list".into())),
            },
        };
        Ok(match first {
            Value::Integer(_) | Value::Float(_) => {
                PropertyTest::Number(NumCondition::from_param(pred)?)
            }
            Value::Date(_) | Value::DateTime(_) | Value::Relative(_) | Value::Named(_) => {
                PropertyTest::Time(ev.clock_for_params().from_param(pred)?)
            }
            _ => PropertyTest::Text(TextTest::from_param(pred, false)?),
        })
    }

    /// Whether the event's value passes; a missing value (or one of another
    /// type) passes only negative forms.
    fn holds(
        &self,
        v: Option<EventValue>,
        events: &CustomEvents,
        strings: &Interner,
        starts: &super::places::DayStarts<'_>,
    ) -> bool {
        match self {
            PropertyTest::Number(c) => c.holds_maybe(match v {
                Some(EventValue::Number(n)) => Some(n),
                _ => None,
            }),
            PropertyTest::Time(t) => t.holds_maybe(match v {
                // A date compares as the start of that day in the store zone.
                Some(EventValue::Date(d)) => starts.start(d),
                _ => None,
            }),
            PropertyTest::Text(t) => match v {
                Some(EventValue::Text(s)) => t.holds(Some(strings.resolve(s))),
                Some(EventValue::Boolean(b)) => t.holds(Some(if b { "true" } else { "false" })),
                Some(EventValue::List { start, len }) => {
                    // A list value matches `=` when it holds the text.
                    let hit = events
                        .list(start, len)
                        .iter()
                        .any(|i| t.values.iter().any(|v| v == strings.resolve(*i)));
                    hit != t.negated
                }
                _ => t.holds(None),
            },
        }
    }
}
