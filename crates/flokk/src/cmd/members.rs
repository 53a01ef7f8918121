//! `flokk members QUERY [--limit N] [--offset K] [--sort FIELD] [--format ids|csv|json]
//! [--shown-for production:ID|performance:ID]`.
//!
//! Sorted by id unless `--sort` names a field; `--sort -FIELD` (or
//! `FIELD:desc`) sorts descending.

use crate::cli::{MembersArgs, MembersFormat};
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::CmdResult;
use crate::query::{checked, load_engine, with_shown_for};
use flokk_engine::{Evaluator, QueryBackend};
use flokk_export::ExportError;
use flokk_server::export_job::ExportJobError;
use flokk_server::export_job::member_list::{MemberListFormat, write_member_list};
use std::io::{BufWriter, Write};

pub fn run(ctx: &Context, args: MembersArgs) -> CmdResult {
    let store = ctx.store()?;
    if crate::clickhouse_backend::chosen(ctx, &store)? {
        return on_clickhouse(ctx, &store, &args);
    }
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let engine = load_engine(&store)?;
    let properties = engine.property_types();
    let typed = checked(&args.query, args.strict, &properties)?;
    let typed = with_shown_for(&store, typed, args.shown_for.as_deref())?;
    let segments = crate::query::saved_segments(&store, &engine)?;
    let evaluator = Evaluator::new(&engine, now, tz.clone()).with_segments(segments.definitions());
    let members = QueryBackend::members(&evaluator, &typed).map_err(eval_failure)?;
    crate::query::persist_fitted(&store, &engine, now)?;
    let (field, descending) = flokk_engine::parse_sort(args.sort.as_deref().unwrap_or("id"));
    let ordered = evaluator
        .sorted(&members, field, descending)
        .map_err(eval_failure)?;
    let page: Vec<u32> = ordered
        .iter()
        .skip(args.offset)
        .take(args.limit.unwrap_or(usize::MAX))
        .copied()
        .collect();
    let stdout = std::io::stdout();
    // A large buffer: a long list is written in few system calls.
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let result = (|| -> anyhow::Result<()> {
        let format = match args.format {
            MembersFormat::Ids => {
                for c in &page {
                    writeln!(out, "{}", evaluator.id(*c))?;
                }
                out.flush()?;
                return Ok(());
            }
            MembersFormat::Csv => MemberListFormat::Csv,
            MembersFormat::Json => MemberListFormat::Json,
        };
        let bar = crate::progress::output_progress(page.len() as u64, "listing", true);
        write_member_list(
            &store,
            &engine,
            &evaluator,
            &segments,
            &page,
            field == "id" && !descending,
            format,
            &tz,
            &mut out,
            &mut |n| bar.set_position(n),
        )
        .map_err(|e| match e {
            ExportJobError::Export(ExportError::Io(io)) => anyhow::Error::from(io),
            other => anyhow::Error::from(other),
        })?;
        bar.finish_and_clear();
        Ok(())
    })();
    let listed = match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other.map_err(Into::into),
    };
    // Member documents carry the predictive fields, so listing them may
    // have fitted the models: saved now, or every later command fits them
    // again (a quarter of a 1M json list's time went to fitting).
    crate::query::persist_fitted(&store, &engine, now)?;
    listed
}

/// `members` answered by ClickHouse (issue 23): ids in id order, paged.
/// Other formats and sorts read facts the engine computes; they are
/// refused (`unsupported_on_clickhouse`) rather than answered differently.
fn on_clickhouse(ctx: &Context, store: &flokk_store::Store, args: &MembersArgs) -> CmdResult {
    let sort = args.sort.as_deref().unwrap_or("id");
    if args.format != MembersFormat::Ids || sort != "id" {
        return Err(crate::failure::Failure::user(anyhow::anyhow!(
            "on ClickHouse, members lists ids sorted by id only (--format ids, no --sort)"
        ))
        .with_code("unsupported_on_clickhouse"));
    }
    let (backend, properties) = crate::clickhouse_backend::open(ctx, store)?;
    let typed = checked(&args.query, args.strict, &properties)?;
    let typed = with_shown_for(store, typed, args.shown_for.as_deref())?;
    let members =
        QueryBackend::members(&backend, &typed).map_err(crate::clickhouse_backend::failure)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    for (id, _) in members
        .rows
        .iter()
        .skip(args.offset)
        .take(args.limit.unwrap_or(usize::MAX))
    {
        writeln!(out, "{id}").map_err(anyhow::Error::from)?;
    }
    out.flush().map_err(anyhow::Error::from)?;
    Ok(())
}
