//! The engine against the naive reference evaluator on random stores and
//! random well-typed queries: both must pick exactly the same customers.
//!
//! The default case count keeps `cargo test` quick; for a deeper run:
//! `PROPTEST_CASES=5000 cargo test -p flokk-engine --test engine_vs_reference`.
//! A failure prints the store seed, zone, `now`, the query and every
//! customer the two sides disagree on, with that customer's records.

mod generated;
mod reference;

use flokk_engine::{Engine, Evaluator, SegmentDefinitions};
use flokk_lang::{CheckOptions, check};
use generated::query_grammar::{
    GenExpr, LIST_NAMES, SEGMENT_NAMES, clause, expression, expression_with_lists,
    expression_with_segments, saved_segments,
};
use generated::random_store::{Scenario, random_scenario};
use generated::vocabulary::{NOWS, ZONES};
use proptest::collection::vec;
use proptest::prelude::*;
use reference::{AsOf, members};
use std::collections::BTreeSet;

/// Cases per run: `PROPTEST_CASES` when set, else enough to finish in a
/// few seconds in a debug build.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(96)
}

/// The ids of the customers the engine puts in the segment.
fn engine_members(
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    expr: &flokk_lang::TypedExpr,
) -> BTreeSet<String> {
    let set = evaluator
        .eval(expr)
        .unwrap_or_else(|e| panic!("the engine failed: {e}"));
    set.iter()
        .map(|o| engine.customers.ids[o as usize].to_string())
        .collect()
}

/// Why the two sides disagree, customer by customer.
fn disagreement(
    scenario: &Scenario,
    as_of: &AsOf,
    text: &str,
    engine: &BTreeSet<String>,
    reference: &BTreeSet<String>,
) -> String {
    let mut out = format!(
        "seed {} zone {} now {}\nquery: {text}\n",
        scenario.seed,
        as_of.tz.iana_name().unwrap_or("?"),
        as_of.now
    );
    for id in engine.symmetric_difference(reference) {
        let side = if engine.contains(id) {
            "engine only"
        } else {
            "reference only"
        };
        let customer = scenario
            .store
            .customers
            .iter()
            .find(|c| &c.record.id == id)
            .expect("a customer of the store");
        out.push_str(&format!("--- {id}: {side}\n{customer:#?}\n"));
    }
    out
}

/// Another evaluation instant and zone for the same store: the engine
/// caches its now-dependent columns per instant and zone, so one engine is
/// asked at the scenario's instant, at this one, and at the first again.
fn other_as_of(scenario: &Scenario) -> AsOf {
    let i = (scenario.seed % NOWS.len() as u64) as usize;
    let z = ((scenario.seed / 7) % ZONES.len() as u64) as usize;
    AsOf {
        now: NOWS[i].parse().expect("valid"),
        tz: jiff::tz::TimeZone::get(ZONES[z]).expect("known zone"),
    }
}

fn compare_on(
    scenario: &Scenario,
    engine: &Engine,
    queries: &[GenExpr],
) -> Result<usize, TestCaseError> {
    compare_with_segments(scenario, engine, &SegmentDefinitions::new(), queries)
}

/// [`compare_on`] with saved segments: the engine gets `definitions`, the
/// reference the same segments in `scenario.store.segments`.
fn compare_with_segments(
    scenario: &Scenario,
    engine: &Engine,
    definitions: &SegmentDefinitions,
    queries: &[GenExpr],
) -> Result<usize, TestCaseError> {
    let options = CheckOptions {
        strict: false,
        properties: &scenario.store.property_types,
    };
    let mut checked = 0;
    let moments = [
        scenario.as_of.clone(),
        other_as_of(scenario),
        scenario.as_of.clone(),
    ];
    for (q, as_of) in queries.iter().zip(moments.iter().cycle()) {
        let evaluator =
            Evaluator::new(engine, as_of.now, as_of.tz.clone()).with_segments(definitions);
        // Dates in the text are near the scenario's today, wherever the
        // query is evaluated.
        let text = q.render(&scenario.as_of);
        let typed = match check(&text, &options) {
            Ok(typed) => typed,
            Err(errors) => {
                // The grammar means to produce only valid queries.
                return Err(TestCaseError::fail(format!(
                    "generated query does not check: {text}\n{errors:?}"
                )));
            }
        };
        checked += 1;
        let from_engine = engine_members(engine, &evaluator, &typed.expr);
        let from_reference = members(&scenario.store, &typed.expr, as_of)
            .unwrap_or_else(|e| panic!("the reference cannot evaluate {e:?}"));
        prop_assert!(
            from_engine == from_reference,
            "{}",
            disagreement(scenario, as_of, &text, &from_engine, &from_reference)
        );
    }
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// As built, and compacted as the binary does after a bulk build
    /// (clustered orders, customers by latest purchase of each line key).
    #[test]
    fn engine_and_reference_pick_the_same_customers(
        seed in any::<u64>(),
        customers in 5usize..=40,
        queries in vec(expression(), 8),
        compact in any::<bool>(),
    ) {
        let scenario = random_scenario(seed, customers);
        let mut engine = scenario.store.build_engine();
        if compact {
            engine.compact();
        }
        let checked = compare_on(&scenario, &engine, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// Single clauses, so no AND or OR around a clause can hide a wrong
    /// answer for it.
    #[test]
    fn engine_and_reference_agree_clause_by_clause(
        seed in any::<u64>(),
        customers in 5usize..=40,
        clauses in vec(clause(), 16),
        compact in any::<bool>(),
    ) {
        let scenario = random_scenario(seed, customers);
        let queries: Vec<GenExpr> = clauses.into_iter().map(GenExpr::Clause).collect();
        let mut engine = scenario.store.build_engine();
        if compact {
            engine.compact();
        }
        let checked = compare_on(&scenario, &engine, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// Random saved segments, some naming earlier ones, and queries with
    /// `customer_segments` clauses: the reference evaluates each nested
    /// segment from its definition, customer by customer.
    #[test]
    fn nested_segments_agree_with_the_reference(
        seed in any::<u64>(),
        customers in 5usize..=40,
        saved in saved_segments(),
        queries in vec(expression_with_segments(), 6),
        compact in any::<bool>(),
    ) {
        let mut scenario = random_scenario(seed, customers);
        let options = CheckOptions {
            strict: false,
            properties: &scenario.store.property_types,
        };
        let mut definitions = SegmentDefinitions::new();
        let mut segments = Vec::new();
        for (name, definition) in SEGMENT_NAMES.iter().zip(&saved) {
            let text = definition.render(&scenario.as_of);
            let typed = check(&text, &options)
                .unwrap_or_else(|e| panic!("generated segment does not check: {text}\n{e:?}"));
            segments.push((name.to_string(), typed.expr.clone()));
            definitions.insert(name, std::sync::Arc::new(typed));
        }
        scenario.store.segments = segments;
        let mut engine = scenario.store.build_engine();
        if compact {
            engine.compact();
        }
        let checked = compare_with_segments(&scenario, &engine, &definitions, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// Random static lists (each customer on each list or not, a list
    /// naming an id no customer has too) and queries with `customer_lists`
    /// clauses: the engine reads the lists' store keys, the reference the
    /// ids.
    #[test]
    fn static_lists_agree_with_the_reference(
        seed in any::<u64>(),
        customers in 5usize..=40,
        picks in vec(any::<(bool, bool)>(), 40),
        queries in vec(expression_with_lists(), 6),
        compact in any::<bool>(),
    ) {
        let mut scenario = random_scenario(seed, customers);
        let mut lists = flokk_engine::StaticLists::new();
        for (i, name) in LIST_NAMES.iter().enumerate() {
            let mut keys = Vec::new();
            let mut ids = vec!["no-such-customer".to_owned()];
            for (key, c) in scenario.store.customers.iter().enumerate() {
                let (a, b) = picks[key];
                if [a, b][i] {
                    keys.push(key as i64);
                    ids.push(c.record.id.clone());
                }
            }
            // A key no customer has (a deleted customer) is not found.
            keys.push(10_000);
            lists.insert(name, keys);
            scenario.store.lists.push((name.to_string(), ids));
        }
        let mut definitions = SegmentDefinitions::new();
        definitions.set_lists(lists);
        let mut engine = scenario.store.build_engine();
        if compact {
            engine.compact();
        }
        let checked = compare_with_segments(&scenario, &engine, &definitions, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// The property types the engine reports (which `flokk check` uses)
    /// are the ones the store's values have.
    #[test]
    fn engine_types_properties_as_the_store_declares(
        seed in any::<u64>(),
        customers in 5usize..=40,
    ) {
        let scenario = random_scenario(seed, customers);
        let engine = scenario.store.build_engine();
        for (key, ty) in engine.property_types() {
            prop_assert_eq!(Some(ty), scenario.store.property_type(&key), "{}", key);
        }
    }

    /// Orders in time order, one customer's spread over the table, with
    /// the tables as built and clustered by customer afterwards.
    #[test]
    fn orders_in_time_order_clustered_or_not_give_the_same_answers(
        seed in any::<u64>(),
        customers in 5usize..=40,
        queries in vec(expression(), 6),
        compact in any::<bool>(),
    ) {
        let scenario = random_scenario(seed, customers);
        let engine = scenario.store.build_engine_in_time_order(compact);
        prop_assert_eq!(engine.orders.is_clustered(), compact || engine.orders.orders.customers.to_column().is_sorted());
        let checked = compare_on(&scenario, &engine, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// A compacted engine caught up with store changes (customers whose
    /// records were replaced by another customer's, customers replaced by
    /// themselves) answers as the changed store does: voided records, the
    /// orders appended after the clustered ones and the stale entries of
    /// the customers-by-latest-purchase index must not show.
    #[test]
    fn a_compacted_engine_caught_up_answers_as_the_changed_store(
        seed in any::<u64>(),
        customers in 5usize..=40,
        swaps in vec((any::<usize>(), any::<usize>()), 1..6),
        queries in vec(expression(), 6),
    ) {
        let scenario = random_scenario(seed, customers);
        let mut engine = scenario.store.build_engine();
        engine.compact();
        let mut changed = scenario.clone();
        let mut touched = std::collections::BTreeSet::new();
        for (a, b) in swaps {
            let (a, b) = (a % customers, b % customers);
            let id = changed.store.customers[a].record.id.clone();
            let mut taken = scenario.store.customers[b].clone();
            taken.record.id = id.clone();
            for o in &mut taken.orders {
                o.customer_id = id.clone();
            }
            changed.store.customers[a] = taken;
            touched.insert(a);
        }
        let replaced = touched
            .iter()
            .map(|&key| flokk_engine::ReplacedCustomer {
                key: key as i64,
                records: Some(changed.store.records_of(key)),
            })
            .collect();
        engine.catch_up(replaced, None, 1);
        let checked = compare_on(&changed, &engine, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }

    /// A write's re-evaluation (the customers it touched, few of a larger
    /// store: event tables read through their by-customer index, rows
    /// appended by a catch-up included) answers for them as the whole
    /// store's evaluation does.
    #[test]
    fn a_few_customers_answer_as_within_the_whole_store(
        seed in any::<u64>(),
        customers in 70usize..=100,
        touched in vec(any::<usize>(), 1..3),
        queries in vec(expression(), 4),
    ) {
        let scenario = random_scenario(seed, customers);
        let mut engine = scenario.store.build_engine();
        engine.compact();
        let options = CheckOptions {
            strict: false,
            properties: &scenario.store.property_types,
        };
        let keys: BTreeSet<usize> = touched.iter().map(|t| t % customers).collect();
        // Replaced by themselves: their events voided and appended again.
        let replaced = keys
            .iter()
            .map(|&key| flokk_engine::ReplacedCustomer {
                key: key as i64,
                records: Some(scenario.store.records_of(key)),
            })
            .collect();
        engine.catch_up(replaced, None, 1);
        let evaluator = Evaluator::new(&engine, scenario.as_of.now, scenario.as_of.tz.clone());
        let few: flokk_engine::CustomerSet = keys
            .iter()
            .filter_map(|&k| engine.customers.live_ordinal(k as i64))
            .collect();
        prop_assert!(!few.is_empty());
        for q in &queries {
            let text = q.render(&scenario.as_of);
            let typed = check(&text, &options).expect("generated queries check");
            let whole = evaluator.eval(&typed.expr).expect("evaluates");
            let within = evaluator.eval_in(&typed.expr, &few).expect("evaluates");
            prop_assert_eq!(&within, &(&whole & &few), "{}", text);
        }
    }

    /// Records in another legal order (stale customer versions replaced by
    /// upserts, catalogue after the tickets) give the same answers.
    #[test]
    fn feeding_order_and_upserts_do_not_change_answers(
        seed in any::<u64>(),
        customers in 5usize..=40,
        queries in vec(expression(), 4),
    ) {
        let scenario = random_scenario(seed, customers);
        let engine = scenario.store.build_engine_out_of_order();
        let checked = compare_on(&scenario, &engine, &queries)?;
        prop_assert_eq!(checked, queries.len());
    }
}

/// The generated stores and queries are not degenerate: across many seeds
/// a good share of queries select some customers and some not, so the
/// comparison above is not between two empty sets.
#[test]
fn generated_queries_split_customers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut split = 0;
    let total = 60;
    for seed in 0..total {
        let scenario = random_scenario(seed, 30);
        let query = expression()
            .new_tree(&mut runner)
            .expect("a query")
            .current();
        let text = query.render(&scenario.as_of);
        let typed = check(
            &text,
            &CheckOptions {
                strict: false,
                properties: &scenario.store.property_types,
            },
        )
        .unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let picked = members(&scenario.store, &typed.expr, &scenario.as_of).expect("evaluable");
        if !picked.is_empty() && picked.len() < scenario.store.customers.len() {
            split += 1;
        }
    }
    assert!(
        split * 3 >= total,
        "only {split} of {total} queries split the customers"
    );
}
