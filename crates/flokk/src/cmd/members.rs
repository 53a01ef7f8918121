//! `flokk members QUERY [--limit N] [--offset K] [--sort FIELD] [--format ids|csv|json]`.
//!
//! Sorted by id unless `--sort` names a field; `--sort -FIELD` (or
//! `FIELD:desc`) sorts descending.

use crate::cli::{MembersArgs, MembersFormat};
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::CmdResult;
use crate::query::{checked, load_engine};
use flokk_engine::{Evaluator, QueryBackend};
use flokk_server::customer_view::customer_view;
use std::io::{BufWriter, Write};

pub fn run(ctx: &Context, args: MembersArgs) -> CmdResult {
    let store = ctx.store()?;
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let engine = load_engine(&store)?;
    let properties = engine.property_types();
    let typed = checked(&args.query, args.strict, &properties)?;
    let segments = crate::query::saved_segments(&store, &engine)?;
    let evaluator = Evaluator::new(&engine, now, tz.clone()).with_segments(segments.definitions());
    let members = QueryBackend::members(&evaluator, &typed).map_err(eval_failure)?;
    crate::query::persist_fitted(&store, &engine, now)?;
    let (field, descending) = flokk_engine::parse_sort(args.sort.as_deref().unwrap_or("id"));
    let ordered = evaluator
        .sorted(&members, field, descending)
        .map_err(eval_failure)?;
    let page = ordered
        .iter()
        .skip(args.offset)
        .take(args.limit.unwrap_or(usize::MAX));
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = (|| -> anyhow::Result<()> {
        match args.format {
            MembersFormat::Ids => {
                for c in page {
                    writeln!(out, "{}", evaluator.id(*c))?;
                }
            }
            MembersFormat::Csv | MembersFormat::Json => {
                const COLUMNS: &[&str] = &[
                    "id",
                    "email",
                    "first_name",
                    "last_name",
                    "amount_spent",
                    "number_of_orders",
                    "last_order_date",
                ];
                let profiles = page.filter_map(|c| {
                    let profile = store.customer_profile(evaluator.id(*c)).transpose()?;
                    Some(profile.map(|p| customer_view(&p, &evaluator.facts(*c), &tz)))
                });
                if args.format == MembersFormat::Csv {
                    let mut w = csv::Writer::from_writer(&mut out);
                    w.write_record(COLUMNS)?;
                    for view in profiles {
                        let view = view?;
                        w.write_record(COLUMNS.iter().map(|k| match &view[*k] {
                            serde_json::Value::Null => String::new(),
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        }))?;
                    }
                    w.flush()?;
                } else {
                    let rows = profiles.collect::<Result<Vec<_>, _>>()?;
                    writeln!(out, "{}", serde_json::Value::Array(rows))?;
                }
            }
        }
        out.flush()?;
        Ok(())
    })();
    match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other.map_err(Into::into),
    }
}
