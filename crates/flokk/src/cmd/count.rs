//! `flokk count [--strict] QUERY`: how many customers match, what share of
//! all customers that is, and each top-level clause's count on its own.
//! `--shown-for production:ID|performance:ID` leaves out the holders of
//! tickets to it (one more clause, counted like the others).

use crate::cli::CountArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked_or_segment_hint, load_engine, print_hints, with_shown_for};
use flokk_engine::{CountAnswer, EvalError, Evaluator, QueryBackend};

/// Turns an evaluation error into a failure the user can act on.
pub fn eval_failure(e: EvalError) -> Failure {
    let code = e.code();
    let user = !matches!(e, EvalError::Internal(_));
    Failure::coded(code, user, e)
}

pub fn run(ctx: &Context, args: CountArgs) -> CmdResult {
    let store = ctx.store()?;
    if crate::clickhouse_backend::chosen(ctx, &store)? {
        // ClickHouse answers (issue 23): no engine is loaded, so no hints.
        let (backend, properties) = crate::clickhouse_backend::open(ctx, &store)?;
        let typed = checked_or_segment_hint(&store, &args.query, args.strict, &properties)?;
        let typed = with_shown_for(&store, typed, args.shown_for.as_deref())?;
        let answer =
            QueryBackend::count(&backend, &typed).map_err(crate::clickhouse_backend::failure)?;
        return print(ctx, &answer, &[]);
    }
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let engine = load_engine(&store)?;
    let properties = engine.property_types();
    let typed = checked_or_segment_hint(&store, &args.query, args.strict, &properties)?;
    // The now-dependent columns are computed once per `now` (and cached by a
    // server); eval_ms is the query's own evaluation.
    let segments = crate::query::saved_segments(&store, &engine)?;
    let hints = engine.hints(&args.query, &typed, now.as_second(), &tz);
    // Hints are about what was written; the shown-for clause comes after.
    let typed = with_shown_for(&store, typed, args.shown_for.as_deref())?;
    let evaluator = Evaluator::new(&engine, now, tz).with_segments(segments.definitions());
    let answer = QueryBackend::count(&evaluator, &typed).map_err(eval_failure)?;
    crate::query::persist_fitted(&store, &engine, now)?;
    print(ctx, &answer, &hints)
}

fn print(ctx: &Context, answer: &CountAnswer, hints: &[flokk_engine::Hint]) -> CmdResult {
    if ctx.global.json {
        let mut body = serde_json::to_value(answer).map_err(anyhow::Error::from)?;
        body["hints"] = serde_json::json!(hints);
        println!("{body}");
    } else {
        print_hints(hints);
        let CountAnswer {
            count,
            total,
            percent,
            clauses,
            eval_ms,
            statistics,
        } = answer;
        println!("{count} of {total} customers ({percent:.1} %)");
        if clauses.len() > 1 {
            for c in clauses {
                println!("  {:>10}  {}", c.count, c.text);
            }
        }
        // Money with the store currency's decimals, from the exact sum
        // (never `-0.00`).
        let decimals = statistics.currency_decimals;
        println!(
            "  amount_spent: {} in total, {} on average; orders: {} in total, {:.2} on average",
            statistics.amount_spent_exact.display(decimals),
            flokk_model::MoneySum::from(
                flokk_model::Money::from_f64(statistics.amount_spent_average).unwrap_or_default()
            )
            .display(decimals),
            statistics.number_of_orders_sum,
            statistics.number_of_orders_average
        );
        eprintln!("evaluated in {eval_ms:.2} ms");
    }
    Ok(())
}
