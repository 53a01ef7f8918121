//! `flokk check [--strict] QUERY`: validates a query against the store's
//! custom properties and prints its canonical form, or its errors with the
//! offending text underlined (`--json`: the shapes of cli.md), with hints
//! about values no record has.
//!
//! The verdict on the query is the command's result, so with `--json` an
//! invalid query is `{"valid": false, "errors": [...], "hints": [...]}` on
//! stdout (exit 2), as cli.md's table gives it; any other failure (the store
//! cannot be opened) is the JSON error on stderr, like every command's.

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{load_engine, print_hints, render, segment_name_hints};
use flokk_engine::Hint;
use flokk_lang::{CheckOptions, Errors};

pub fn run(ctx: &Context, args: QueryArgs) -> CmdResult {
    let store = ctx.store()?;
    let engine = load_engine(&store)?;
    let properties = engine.property_types();
    let options = CheckOptions {
        strict: args.strict,
        properties: &properties,
    };
    let json = ctx.global.json;
    let typed = match flokk_lang::check(&args.query, &options) {
        Ok(typed) => typed,
        Err(errors) => {
            let hints = segment_name_hints(&store, &args.query)?;
            return Err(verdict(&args.query, &errors, &hints, json));
        }
    };
    // `check` refuses what `count` could not evaluate: segments that do not exist.
    let segments = flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        flokk_segments::graph::static_lists(&store)?,
        &properties,
    );
    segments
        .unknown_references(&args.query, &typed)
        .map_err(|errors| verdict(&args.query, &errors, &[], json))?;
    let canonical = typed.to_string();
    // Values no record has, predictive fields without models: valid, but
    // they would count 0 without a word.
    let hints = engine.hints(
        &args.query,
        &typed,
        ctx.now()?.as_second(),
        &ctx.timezone(&store)?,
    );
    if json {
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

/// Prints the verdict on an invalid query (JSON on stdout with `--json`,
/// else rendered on stderr); the exit code 2 is what is left.
fn verdict(query: &str, errors: &Errors, hints: &[Hint], json: bool) -> Failure {
    if json {
        // serde_json keeps insertion order: the fields of cli.md, in its order.
        // `hints` is always there (cli.md), maybe empty.
        println!(
            "{}",
            serde_json::json!({ "valid": false, "errors": errors, "hints": hints })
        );
    } else {
        eprint!("{}", render(query, errors));
        print_hints(hints);
    }
    Failure::user(anyhow::anyhow!("the query is not valid")).wholly_reported()
}
