//! Boolean laws the engine must keep whatever a clause means: double
//! negation, excluded middle, De Morgan, idempotence, and every negative
//! form being the exact complement of its positive form (§4). These hold
//! for any correct evaluator, so they need no reference answers; they
//! catch the universe bookkeeping of the bitmap evaluator (AND narrows the
//! universe for later operands, OR skips customers already in).

mod generated;
mod reference;

use flokk_engine::{CustomerSet, Engine, Evaluator};
use flokk_lang::{CheckOptions, check};
use generated::query_grammar::{clause, expression};
use generated::random_store::{Scenario, random_scenario};
use proptest::prelude::*;

/// Cases per run: `PROPTEST_CASES` when set, else a quick run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

/// Evaluates query texts against one engine.
struct Segments<'s> {
    scenario: &'s Scenario,
    engine: Engine,
}

impl Segments<'_> {
    fn of(&self, query: &str) -> CustomerSet {
        let typed = check(
            query,
            &CheckOptions {
                strict: false,
                properties: &self.scenario.store.property_types,
            },
        )
        .unwrap_or_else(|e| panic!("{query}: {e:?}"));
        let as_of = &self.scenario.as_of;
        Evaluator::new(&self.engine, as_of.now, as_of.tz.clone())
            .eval(&typed.expr)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    fn everyone(&self) -> CustomerSet {
        (0..self.scenario.store.customers.len() as u32).collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn boolean_laws_hold(
        seed in any::<u64>(),
        customers in 5usize..=30,
        q in expression(),
        r in expression(),
    ) {
        let scenario = random_scenario(seed, customers);
        let segments = Segments { scenario: &scenario, engine: scenario.store.build_engine() };
        let (q, r) = (q.render(&scenario.as_of), r.render(&scenario.as_of));
        let all = segments.everyone();
        let q_set = segments.of(&q);
        let r_set = segments.of(&r);
        prop_assert_eq!(segments.of(&format!("NOT (NOT ({q}))")), q_set.clone(), "NOT NOT {}", q);
        prop_assert_eq!(segments.of(&format!("({q}) OR NOT ({q})")), all.clone(), "excluded middle {}", q);
        prop_assert_eq!(segments.of(&format!("({q}) AND NOT ({q})")), CustomerSet::new(), "contradiction {}", q);
        prop_assert_eq!(segments.of(&format!("({q}) AND ({q})")), q_set.clone(), "q AND q {}", q);
        prop_assert_eq!(segments.of(&format!("({q}) OR ({q})")), q_set.clone(), "q OR q {}", q);
        prop_assert_eq!(
            segments.of(&format!("NOT (({q}) AND ({r}))")),
            segments.of(&format!("NOT ({q}) OR NOT ({r})")),
            "De Morgan AND: {} / {}", q, r
        );
        prop_assert_eq!(
            segments.of(&format!("NOT (({q}) OR ({r}))")),
            segments.of(&format!("NOT ({q}) AND NOT ({r})")),
            "De Morgan OR: {} / {}", q, r
        );
        prop_assert_eq!(segments.of(&format!("({q}) AND ({r})")), &q_set & &r_set, "AND is intersection");
        prop_assert_eq!(segments.of(&format!("({q}) OR ({r})")), &q_set | &r_set, "OR is union");
    }

    #[test]
    fn negative_forms_are_complements(
        seed in any::<u64>(),
        customers in 5usize..=30,
        c in clause().prop_filter("has a negative form", |c| c.negative_form().is_some()),
        context in expression(),
    ) {
        let scenario = random_scenario(seed, customers);
        let segments = Segments { scenario: &scenario, engine: scenario.store.build_engine() };
        let as_of = &scenario.as_of;
        let negative = c.negative_form().expect("filtered on it");
        let (positive, negative) = if c.is_positive() { (c, negative) } else { (negative, c) };
        let (positive, negative) = (positive.render(as_of), negative.render(as_of));
        let all = segments.everyone();
        let p = segments.of(&positive);
        prop_assert_eq!(segments.of(&negative), &all - &p, "{} vs {}", negative, positive);
        prop_assert_eq!(segments.of(&format!("NOT {positive}")), &all - &p, "NOT {}", positive);
        // Also inside a narrowed universe: AND hands later operands only
        // the customers still in play.
        let context = context.render(as_of);
        let k = segments.of(&context);
        prop_assert_eq!(
            segments.of(&format!("({context}) AND {negative}")),
            &k - &p,
            "({}) AND {}", context, negative
        );
    }

    /// Ordered comparisons and BETWEEN have no negative form; NOT of them
    /// is still the complement, inside a narrowed universe too.
    #[test]
    fn not_of_ordered_comparisons_is_the_complement(
        seed in any::<u64>(),
        customers in 5usize..=30,
        c in clause().prop_filter("has no negative form", |c| c.negative_form().is_none()),
        context in expression(),
    ) {
        let scenario = random_scenario(seed, customers);
        let segments = Segments { scenario: &scenario, engine: scenario.store.build_engine() };
        let as_of = &scenario.as_of;
        let c = c.render(as_of);
        let all = segments.everyone();
        let p = segments.of(&c);
        prop_assert_eq!(segments.of(&format!("NOT {c}")), &all - &p, "NOT {}", c);
        let context = context.render(as_of);
        let k = segments.of(&context);
        prop_assert_eq!(segments.of(&format!("({context}) AND {c}")), &k & &p, "({}) AND {}", context, c);
        prop_assert_eq!(
            segments.of(&format!("({context}) AND NOT {c}")),
            &k - &p,
            "({}) AND NOT {}", context, c
        );
    }
}
