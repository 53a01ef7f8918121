//! `flokk list create|show|delete` and `flokk segment sample`: static lists,
//! frozen sets of customers that `customer_lists CONTAINS 'NAME'` reads and
//! that every command taking an AUDIENCE accepts by name.
//!
//! A list is written in one store transaction (a sample with its hold-out
//! too), so bad input writes nothing. Lists never move live segments: a
//! saved segment may only name a list that exists and a list that a saved
//! segment names cannot be deleted, and a list's members are frozen.

use crate::cli::ListCommand;
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine, saved_segments};
use anyhow::anyhow;
use flokk_engine::{Evaluator, QueryBackend};
use flokk_segments::ListView;
use flokk_segments::sample::{SampleError, SampleSize, draw, fresh_seed};
use flokk_store::{CustomerList, ListRow, NewList, Store, list_rows};

pub fn run(ctx: &Context, cmd: ListCommand) -> CmdResult {
    let store = ctx.store()?;
    match cmd {
        ListCommand::Create {
            name,
            from_file,
            freeze,
        } => {
            let (source, origin, rows) = match (from_file, freeze) {
                (Some(path), None) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        Failure::coded("io", true, anyhow!("cannot read {}: {e}", path.display()))
                    })?;
                    let rows = list_rows(&text)
                        .map_err(|e| Failure::coded("invalid_file", true, anyhow!("{e}")))?;
                    if rows.is_empty() {
                        return Err(Failure::coded(
                            "invalid_file",
                            true,
                            anyhow!("{} names no customers", path.display()),
                        ));
                    }
                    ("file", path.display().to_string(), rows)
                }
                (None, Some(segment)) => {
                    let (query, named) = audience_query(&store, &segment)?;
                    let ids = audience_ids(ctx, &store, &query)?;
                    ("freeze", named, id_rows(ids))
                }
                _ => {
                    return Err(Failure::user(anyhow!(
                        "give --from-file FILE or --freeze SEGMENT"
                    ))
                    .with_code("bad_arguments"));
                }
            };
            let list = NewList {
                name: &name,
                source,
                origin: Some(&origin),
                seed: None,
                rows,
            };
            let created = store.create_lists(&[list], ctx.now()?)?;
            print_lists(ctx, &store, &created, false)
        }
        ListCommand::Show { name } => {
            let list = store
                .customer_list(&name)?
                .ok_or_else(|| unknown_list(&name))?;
            print_lists(ctx, &store, &[list], false)
        }
        ListCommand::Delete { name } => {
            store
                .customer_list(&name)?
                .ok_or_else(|| unknown_list(&name))?;
            let engine = load_engine(&store)?;
            let graph = saved_segments(&store, &engine)?;
            let users: Vec<String> = graph
                .naming_list(&name)
                .iter()
                .map(|s| format!("'{}'", s.name))
                .collect();
            if !users.is_empty() {
                return Err(Failure::coded(
                    "list_in_use",
                    true,
                    anyhow!(
                        "the list '{name}' is named by the segment(s) {}; change them first",
                        users.join(", ")
                    ),
                ));
            }
            let deleted = store.delete_list(&name)?;
            print_lists(ctx, &store, &[deleted], false)
        }
    }
}

/// `flokk segment sample NAME (--size N | --percent P) [--seed S] --name NEW
/// [--holdout NEW2]`.
pub fn sample(
    ctx: &Context,
    audience: &str,
    size: SampleSize,
    seed: Option<u64>,
    name: &str,
    holdout: Option<&str>,
) -> CmdResult {
    let store = ctx.store()?;
    let (query, origin) = audience_query(&store, audience)?;
    let ids = audience_ids(ctx, &store, &query)?;
    let count = size.of(ids.len() as u64).map_err(sample_failure)?;
    // Without a seed one is chosen and reported, so the draw can be repeated.
    let seed = seed.unwrap_or_else(fresh_seed);
    let drawn = draw(&ids, count, seed);
    let mut lists = vec![NewList {
        name,
        source: "sample",
        origin: Some(&origin),
        seed: Some(seed),
        rows: id_rows(drawn.sample),
    }];
    if let Some(holdout) = holdout {
        lists.push(NewList {
            name: holdout,
            source: "holdout",
            origin: Some(&origin),
            seed: Some(seed),
            rows: id_rows(drawn.rest),
        });
    }
    let created = store.create_lists(&lists, ctx.now()?)?;
    print_lists(ctx, &store, &created, true)
}

fn sample_failure(e: SampleError) -> Failure {
    Failure::coded(e.code(), true, anyhow!("{e}"))
}

fn unknown_list(name: &str) -> Failure {
    Failure::coded(
        "unknown_list",
        true,
        anyhow!("there is no list named '{name}'"),
    )
}

fn id_rows(ids: Vec<String>) -> Vec<ListRow> {
    ids.into_iter()
        .enumerate()
        .map(|(i, value)| ListRow {
            line: i as u64 + 1,
            value,
        })
        .collect()
}

/// The query of an AUDIENCE name: a live saved segment's, else a static
/// list's; with the name as saved.
pub(crate) fn audience_query(store: &Store, name: &str) -> Result<(String, String), Failure> {
    if let Some(segment) = store.segment(name)?.filter(|s| s.deleted_at.is_none()) {
        let query = format!(
            "customer_segments CONTAINS {}",
            flokk_lang::Value::String(segment.name.clone())
        );
        return Ok((query, segment.name));
    }
    if let Some(list) = store.customer_list(name)? {
        let query = format!(
            "customer_lists CONTAINS {}",
            flokk_lang::Value::String(list.name.clone())
        );
        return Ok((query, list.name));
    }
    Err(Failure::coded(
        "unknown_segment",
        true,
        anyhow!("there is no segment or list named '{name}'"),
    ))
}

/// The ids of the customers `query` matches now, in id order.
pub(crate) fn audience_ids(
    ctx: &Context,
    store: &Store,
    query: &str,
) -> Result<Vec<String>, Failure> {
    let now = ctx.now()?;
    let tz = ctx.timezone(store)?;
    let engine = load_engine(store)?;
    let typed = checked(query, false, &engine.property_types())?;
    let segments = saved_segments(store, &engine)?;
    let evaluator = Evaluator::new(&engine, now, tz).with_segments(segments.definitions());
    let members = QueryBackend::members(&evaluator, &typed).map_err(eval_failure)?;
    let mut ids: Vec<String> = members.iter().map(|c| evaluator.id(c).to_owned()).collect();
    ids.sort();
    Ok(ids)
}

fn print_lists(ctx: &Context, store: &Store, lists: &[CustomerList], many: bool) -> CmdResult {
    if ctx.global.json {
        let total = store.customer_count()?;
        let tz = ctx.timezone(store)?;
        let views: Vec<ListView> = lists.iter().map(|l| ListView::new(l, total, &tz)).collect();
        let text = if many {
            serde_json::to_string(&views)
        } else {
            serde_json::to_string(&views[0])
        };
        println!("{}", text.map_err(anyhow::Error::from)?);
        return Ok(());
    }
    for list in lists {
        let seed = list.seed.map(|s| format!(", seed {s}")).unwrap_or_default();
        let origin = list.origin.as_deref().unwrap_or("");
        println!(
            "{}: {} customers ({} {origin}{seed})",
            list.name, list.count, list.source
        );
        if !list.unknown.is_empty() {
            println!("  {} rows named no customer:", list.unknown.len());
            for row in list.unknown.iter().take(20) {
                println!("    line {}: {}", row.line, row.value);
            }
            if list.unknown.len() > 20 {
                println!("    ... (`--json` lists them all)");
            }
        }
    }
    Ok(())
}
