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
use crate::clickhouse_backend::{saved_segments, store_property_types};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::checked;
use flokk_clickhouse::{AsOf, members_statement_with_segments};

pub fn run(ctx: &Context, args: SqlArgs) -> CmdResult {
    let SqlDialect::Clickhouse = args.dialect;
    let store = ctx.store()?;
    // The store's property types and segments, read without the engine:
    // the statement is for stores too large for it.
    let properties = store_property_types(&store)?;
    let typed = checked(&args.query, args.strict, &properties)?;
    let as_of = AsOf {
        now: ctx.now()?,
        tz: ctx.timezone(&store)?,
    };
    // `customer_segments CONTAINS 'X'`: the saved segment's query in place.
    let segments = saved_segments(&store, &properties)?;
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
