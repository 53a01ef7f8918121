//! `flokk check [--strict] QUERY`: validates a query against the store's
//! custom properties and prints its canonical form, or its errors with the
//! offending text underlined (`--json`: the shapes of cli.md).

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::CmdResult;
use crate::query::{checked_or_segment_hint, load_engine, print_hints, report_errors};

pub fn run(ctx: &Context, args: QueryArgs) -> CmdResult {
    let store = ctx.store()?;
    let engine = load_engine(&store)?;
    let properties = engine.property_types();
    let typed = checked_or_segment_hint(
        &store,
        &args.query,
        args.strict,
        &properties,
        ctx.global.json,
    )?;
    // `check` refuses what `count` could not evaluate: segments that do not exist.
    let segments = flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        &properties,
    );
    segments
        .unknown_references(&args.query, &typed)
        .map_err(|errors| report_errors(&args.query, &errors, ctx.global.json))?;
    let canonical = typed.to_string();
    // Values no record has, predictive fields without models: valid, but
    // they would count 0 without a word.
    let hints = engine.hints(
        &args.query,
        &typed,
        ctx.now()?.as_second(),
        &ctx.timezone(&store)?,
    );
    if ctx.global.json {
        println!(
            "{}",
            serde_json::json!({ "valid": true, "canonical": canonical, "hints": hints })
        );
    } else {
        println!("{canonical}");
        print_hints(&hints);
    }
    Ok(())
}
