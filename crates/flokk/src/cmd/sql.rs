//! `flokk sql QUERY --dialect clickhouse`: the segment as one ClickHouse
//! statement, for the store's time zone and `now` (whole days are resolved
//! to instants when the statement is made, see flokk-clickhouse).
//!
//! Human form: a `clickhouse-client` script, one `SET param_…` line per
//! bound value and then the statement, so it runs as printed. `--json`:
//! `{"sql": "...", "params": {"p1": value, ...}}`, for programs that send
//! the values as `param_<name>` themselves. A filter the dialect cannot
//! express yet is the user error `unsupported_on_clickhouse` naming it.

use crate::cli::{SqlArgs, SqlDialect};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine, saved_segments};
use flokk_clickhouse::{AsOf, SavedSegments, members_statement_with_segments};

pub fn run(ctx: &Context, args: SqlArgs) -> CmdResult {
    let SqlDialect::Clickhouse = args.dialect;
    let store = ctx.store()?;
    let engine = load_engine(&store)?;
    let typed = checked(&args.query, args.strict, &engine.property_types())?;
    let as_of = AsOf {
        now: ctx.now()?,
        tz: ctx.timezone(&store)?,
    };
    // `customer_segments CONTAINS 'X'`: the saved segment's query in place.
    let graph = saved_segments(&store, &engine)?;
    let definitions = graph.definitions();
    let mut segments = SavedSegments::default();
    for name in definitions.names() {
        if let Some(query) = definitions.get(name) {
            segments.insert(name, query.as_ref().clone());
        }
    }
    let statement = members_statement_with_segments(&typed, &as_of, &segments).map_err(|e| {
        let code = e.code();
        Failure::user(anyhow::anyhow!(e)).with_code(code)
    })?;
    if ctx.global.json {
        println!(
            "{}",
            serde_json::json!({ "sql": statement.sql, "params": statement.params_json() })
        );
    } else {
        print!("{}", statement.client_script());
    }
    Ok(())
}
