//! `flokk tag add|remove AUDIENCE TAG` (or `--query Q TAG`): one tag added
//! to, or removed from, every customer of a saved segment (or a query) in
//! one store transaction, so a failure writes nothing. Idempotent: a
//! customer that already has (lacks) the tag is not touched. Live segments
//! follow, with the feed cause `tagged`.
//!
//! The audience is the segment's query evaluated now (as `segment members`
//! lists it), not the stored member table, which may lag a moment behind.

use crate::cli::{TagArgs, TagCommand};
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine, saved_segments};
use anyhow::anyhow;
use flokk_engine::{Evaluator, QueryBackend};
use flokk_store::{ApplyError, checked_tag};
use serde_json::json;

pub fn run(ctx: &Context, cmd: TagCommand) -> CmdResult {
    let (add, args) = match cmd {
        TagCommand::Add(args) => (true, args),
        TagCommand::Remove(args) => (false, args),
    };
    let TagArgs { args, query } = args;
    let (segment, tag) = match (query.is_some(), args.as_slice()) {
        (true, [tag]) => (None, tag.clone()),
        (false, [name, tag]) => (Some(name.clone()), tag.clone()),
        (true, _) => {
            return Err(Failure::user(anyhow!(
                "with --query give only the tag: flokk tag add --query QUERY TAG"
            ))
            .with_code("bad_arguments"));
        }
        (false, _) => {
            return Err(Failure::user(anyhow!(
                "give the segment and the tag: flokk tag add SEGMENT TAG"
            ))
            .with_code("bad_arguments"));
        }
    };
    let tag = checked_tag(&tag)
        .map_err(|e| Failure::coded("invalid_tag", true, anyhow!(invalid_reason(e))))?
        .to_owned();
    let store = ctx.store()?;
    let query = match &segment {
        None => query.expect("a query when no segment is named"),
        // A saved segment or a static list.
        Some(name) => crate::cmd::list::audience_query(&store, name)?.0,
    };
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let mut engine = load_engine(&store)?;
    let ids: Vec<String> = {
        let typed = checked(&query, false, &engine.property_types())?;
        let segments = saved_segments(&store, &engine)?;
        let evaluator = Evaluator::new(&engine, now, tz).with_segments(segments.definitions());
        let members = QueryBackend::members(&evaluator, &typed).map_err(eval_failure)?;
        members.iter().map(|c| evaluator.id(c).to_owned()).collect()
    };
    let mut writer = store.writer()?;
    let outcome = writer
        .set_tag(ids.iter().map(String::as_str), &tag, add)
        .map_err(|e| match e {
            ApplyError::Store(e) => Failure::from(anyhow::Error::from(e)),
            invalid => Failure::coded("invalid_tag", true, anyhow!(invalid_reason(invalid))),
        })?;
    writer.commit()?;
    // Saved segments follow the new tags, as after an import, with the
    // engine this command loaded (caught up in memory: only the tags of
    // the customers tagged are read again).
    let clock = crate::live::clock(ctx, &store)?;
    crate::live::sync_with_engine(&store, &mut engine, &clock)?;
    if ctx.global.json {
        let answer = if add {
            json!({"tagged": outcome.changed, "already": outcome.unchanged,
                   "total_with_tag": outcome.total_with_tag})
        } else {
            json!({"untagged": outcome.changed, "total_with_tag": outcome.total_with_tag})
        };
        println!("{answer}");
    } else if add {
        eprintln!(
            "tagged {} customers with '{tag}'; {} already had it; {} customers have it in all",
            outcome.changed, outcome.unchanged, outcome.total_with_tag
        );
    } else {
        eprintln!(
            "removed '{tag}' from {} customers; {} customers have it in all",
            outcome.changed, outcome.total_with_tag
        );
    }
    Ok(())
}

fn invalid_reason(e: ApplyError) -> String {
    match e {
        ApplyError::Invalid { reason, .. } => reason,
        other => other.to_string(),
    }
}
