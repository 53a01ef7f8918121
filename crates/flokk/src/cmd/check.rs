//! `flokk check [--strict] QUERY`: validates a query against the store's
//! custom properties and prints its canonical form, or its errors with the
//! offending text underlined (`--json`: the shapes of cli.md).

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::CmdResult;
use crate::query::{checked, property_types, report_errors};

pub fn run(ctx: &Context, args: QueryArgs) -> CmdResult {
    let store = ctx.store()?;
    let properties = property_types(&store)?;
    let typed = checked(&args.query, args.strict, &properties, ctx.global.json)?;
    // `check` refuses what `count` could not evaluate: segments that do not exist.
    let segments = flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        &properties,
    );
    segments
        .unknown_references(&args.query, &typed)
        .map_err(|errors| report_errors(&args.query, &errors, ctx.global.json))?;
    let canonical = typed.to_string();
    if ctx.global.json {
        println!(
            "{}",
            serde_json::json!({ "valid": true, "canonical": canonical })
        );
    } else {
        println!("{canonical}");
    }
    Ok(())
}
