//! `flokk export SEGMENT|--query Q --format csv-excel|csv|xlsx|meta|google
//! [--columns a,b,...] [--out FILE] [--raw] [--shown-for production:ID|performance:ID]`
//! (formats: data.md §3).
//!
//! A segment is named by its name or id and exported as its query says
//! now. The file is written next to its final name and renamed into place
//! when complete, so a failed export never leaves half a file. The summary
//! (how many were exported, left out and why) goes to stderr, or with
//! `--json` to stdout when the export itself goes to a file.

use crate::cli::ExportArgs;
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine, with_shown_for};
use anyhow::{Context as _, anyhow};
use flokk_engine::Evaluator;
use flokk_export::ExportFormat;
use flokk_server::export_job::{ExportJobError, columns, write_export};
use flokk_store::Store;
use std::io::{BufWriter, Write};

fn export_failure(e: ExportJobError) -> Failure {
    if e.is_user_error() {
        Failure::user(e)
    } else {
        Failure::from(anyhow::Error::from(e))
    }
}

/// The query of the segment named (or numbered) `name`.
fn segment_query(store: &Store, name: &str, now: jiff::Timestamp) -> Result<String, Failure> {
    match store.segment(name)? {
        None => match store.customer_list(name)? {
            // A static list exports like a segment.
            Some(list) => Ok(format!(
                "customer_lists CONTAINS {}",
                flokk_lang::Value::String(list.name)
            )),
            None => Err(
                Failure::user(anyhow!("there is no segment or list named '{name}'"))
                    .with_code("not_found"),
            ),
        },
        Some(s) if s.deleted_at.is_some() => Err(Failure::user(anyhow!(
            "the segment '{}' is deleted; restore it first (flokk segment restore)",
            s.name
        ))),
        Some(s) => {
            // Exporting a segment is using it ("last activity").
            store.touch_segment_used(s.id, now)?;
            Ok(s.query)
        }
    }
}

pub fn run(ctx: &Context, args: ExportArgs) -> CmdResult {
    // Exports list facts the engine computes; on the ClickHouse backend
    // they are refused rather than answered by the engine unasked.
    if ctx.global.backend == Some(crate::cli::Backend::Clickhouse) {
        return Err(Failure::user(anyhow::anyhow!(
            "exports are not answered by ClickHouse yet; run without --backend clickhouse"
        ))
        .with_code("unsupported_on_clickhouse"));
    }
    let mut format: ExportFormat = args.format.parse().map_err(Failure::user)?;
    match (&mut format, args.raw) {
        (ExportFormat::Meta { raw }, true) => *raw = true,
        (_, true) => {
            return Err(Failure::user(anyhow!(
                "--raw applies to --format meta only"
            )));
        }
        _ => {}
    }
    let store = ctx.store()?;
    let clock = crate::live::clock(ctx, &store)?;
    let mut engine = load_engine(&store)?;
    // Membership current (the `segments` column reads it) and the built-in
    // segments there to be named, as for `flokk segment`.
    crate::live::run_segments(&store, &mut engine, &clock, &mut |s| s.install_built_ins())
        .map_err(crate::live::segments_failure)?;
    let query = match (&args.segment, &args.query) {
        (Some(_), Some(_)) => {
            return Err(Failure::user(anyhow!(
                "give a segment or --query, not both"
            )));
        }
        (None, None) => {
            return Err(Failure::user(anyhow!(
                "give a segment name or --query QUERY"
            )));
        }
        (Some(name), None) => segment_query(&store, name, clock.now)?,
        (None, Some(q)) => q.clone(),
    };
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let typed = checked(&query, false, &engine.property_types())?;
    let typed = with_shown_for(&store, typed, args.shown_for.as_deref())?;
    let segments = crate::query::saved_segments(&store, &engine)?;
    let evaluator = Evaluator::new(&engine, now, tz.clone()).with_segments(segments.definitions());
    let members = evaluator.members(&typed).map_err(eval_failure)?;
    let columns = columns(&engine, &args.columns).map_err(Failure::user)?;
    let bar = crate::progress::output_progress(members.len(), "exporting", args.out.is_none());
    let write = |out: &mut dyn Write| {
        write_export(
            &store,
            &engine,
            &evaluator,
            &members,
            format,
            columns.clone(),
            &tz,
            out,
            &mut |n| bar.set_position(n),
        )
        .map_err(export_failure)
    };
    let summary = match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            let summary = write(&mut out)?;
            out.flush().context("writing the export")?;
            summary
        }
        Some(path) => {
            let mut partial = path.clone().into_os_string();
            partial.push(".partial");
            let partial = std::path::PathBuf::from(partial);
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("creating {}", partial.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let written = write(&mut out).and_then(|s| {
                out.flush().context("writing the export")?;
                out.get_ref().sync_all().context("writing the export")?;
                Ok(s)
            });
            match written {
                Ok(summary) => {
                    std::fs::rename(&partial, path)
                        .with_context(|| format!("moving the export to {}", path.display()))?;
                    summary
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e);
                }
            }
        }
    };
    bar.finish_and_clear();
    crate::query::persist_fitted(&store, &engine, now)?;
    if ctx.global.json && args.out.is_some() {
        println!(
            "{}",
            serde_json::to_string(&summary).expect("summaries serialise")
        );
    } else {
        let left: Vec<String> = summary
            .left_out
            .iter()
            .map(|(why, n)| format!("{n} {}", why.replace('_', " ")))
            .collect();
        eprintln!(
            "exported {} customers{}",
            summary.exported,
            if left.is_empty() {
                String::new()
            } else {
                format!("; left out: {}", left.join(", "))
            }
        );
    }
    Ok(())
}
