//! `flokk check [--strict] QUERY`: validates a query against the store's
//! custom properties and prints its canonical form, or its errors with the
//! offending text underlined (`--json`: the shapes of cli.md).
//!
//! The verdict on the query is the command's result, so with `--json` an
//! invalid query is `{"valid": false, "errors": [...]}` on stdout (exit 2),
//! as cli.md's table gives it; any other failure (the store cannot be
//! opened) is the JSON error on stderr, like every command's.

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{property_types, render};
use flokk_lang::{CheckOptions, Errors};

pub fn run(ctx: &Context, args: QueryArgs) -> CmdResult {
    let store = ctx.store()?;
    let properties = property_types(&store)?;
    let options = CheckOptions {
        strict: args.strict,
        properties: &properties,
    };
    let json = ctx.global.json;
    let typed = flokk_lang::check(&args.query, &options)
        .map_err(|errors| verdict(&args.query, &errors, json))?;
    // `check` refuses what `count` could not evaluate: segments that do not exist.
    let segments = flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        &properties,
    );
    segments
        .unknown_references(&args.query, &typed)
        .map_err(|errors| verdict(&args.query, &errors, json))?;
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

/// Prints the verdict on an invalid query (JSON on stdout with `--json`,
/// else rendered on stderr); the exit code 2 is what is left.
fn verdict(query: &str, errors: &Errors, json: bool) -> Failure {
    if json {
        // serde_json keeps insertion order: the fields of cli.md, in its order.
        println!(
            "{}",
            serde_json::json!({ "valid": false, "errors": errors })
        );
    } else {
        eprint!("{}", render(query, errors));
    }
    Failure::user(anyhow::anyhow!("the query is not valid")).wholly_reported()
}
