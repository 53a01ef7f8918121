//! `flokk segment ...`: the lifecycle of saved segments and their change
//! feed. Every subcommand first brings live membership up to date (and
//! installs the built-in segments on a store's first use), so counts and
//! the feed it prints are current.

use crate::cli::{SegmentCommand, SegmentSort};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::live::{clock, run_segments};
use crate::query::{load_engine, render};
use anyhow::anyhow;
use flokk_segments::builtins::TEMPLATES;
use flokk_segments::index::{IndexOrder, arrange, of_organisation};
use flokk_segments::{SegmentView, Segments, SegmentsError, VersionView};
use flokk_store::{Segment, SegmentFilter, SegmentVersion, Store};
use jiff::tz::TimeZone;
use serde_json::json;

/// What a subcommand prints.
enum Output {
    /// A segment, and whether to show its version history.
    One(Box<Segment>, bool),
    Many(Vec<Segment>),
}

pub fn run(ctx: &Context, cmd: SegmentCommand) -> CmdResult {
    if let SegmentCommand::Templates = cmd {
        return templates(ctx);
    }
    if let SegmentCommand::Members { .. } = cmd {
        return members(ctx, cmd);
    }
    if let SegmentCommand::Sample {
        name,
        size,
        percent,
        seed,
        list,
        holdout,
    } = &cmd
    {
        let size = match (size, percent) {
            (Some(n), _) => flokk_segments::sample::SampleSize::Count(*n),
            (None, Some(p)) => flokk_segments::sample::SampleSize::Percent(*p),
            (None, None) => {
                return Err(Failure::user(anyhow!("give --size N or --percent P"))
                    .with_code("bad_arguments"));
            }
        };
        return crate::cmd::list::sample(ctx, name, size, *seed, list, holdout.as_deref());
    }
    let store = ctx.store()?;
    let clock = clock(ctx, &store)?;
    let mut engine = load_engine(&store)?;
    let (output, _) = run_segments(&store, &mut engine, &clock, &mut |s| {
        s.install_built_ins()?;
        apply(s, &cmd)
    })
    .map_err(failure)?;
    let total = store.customer_count()?;
    match output {
        Some(Output::One(segment, history)) => {
            let versions = if history {
                store.segment_versions(segment.id)?
            } else {
                Vec::new()
            };
            print_one(ctx, &segment, &versions, total, &clock.tz)
        }
        Some(Output::Many(list)) => {
            // Static lists are in the index too (after the segments, as
            // they have no deleted state, author or activity to sort by).
            let lists = match &cmd {
                SegmentCommand::List {
                    deleted: false,
                    search,
                    ..
                } => {
                    let needle = search.as_deref().unwrap_or("").to_lowercase();
                    store
                        .customer_lists()?
                        .into_iter()
                        .filter(|l| l.name.to_lowercase().contains(&needle))
                        .collect()
                }
                _ => Vec::new(),
            };
            // A venue group shows whose each segment is; a store of one
            // organisation shows no such column.
            let group = !store.organisations()?.is_empty();
            print_list(ctx, &list, &lists, total, &clock.tz, group)
        }
        None => changes(ctx, &store, &cmd),
    }
}

fn author(a: &Option<String>) -> &str {
    a.as_deref().unwrap_or("merchant")
}

/// Carries out `cmd` inside the segment transaction.
fn apply(s: &mut Segments<'_>, cmd: &SegmentCommand) -> Result<Option<Output>, SegmentsError> {
    let one = |segment: Segment| Ok(Some(Output::One(Box::new(segment), false)));
    match cmd {
        SegmentCommand::Create {
            name,
            query,
            template,
            description,
            author: by,
            organisation,
        } => {
            let (query, description) = match template {
                Some(key) => {
                    let t = TEMPLATES.iter().find(|t| t.key == key).ok_or_else(|| {
                        SegmentsError::State(format!(
                            "there is no template {key:?}; `flokk segment templates` lists them"
                        ))
                    })?;
                    (t.query, description.as_deref().or(Some(t.description)))
                }
                None => (query.as_deref().unwrap_or_default(), description.as_deref()),
            };
            let mut created = s.create(name, query, description, author(by))?;
            if let Some(o) = organisation {
                // The same transaction: an unknown organisation leaves no
                // segment behind.
                created = s.assign_organisation(&created.name, Some(o))?;
            }
            one(created)
        }
        SegmentCommand::List {
            search,
            sort,
            deleted,
            organisation,
        } => {
            let filter = if *deleted {
                SegmentFilter::Deleted
            } else {
                SegmentFilter::Live
            };
            let mut list = s.list(filter)?;
            let order = match sort {
                SegmentSort::Name => IndexOrder::Name,
                SegmentSort::LastActivity => IndexOrder::LastActivity,
                SegmentSort::Count => IndexOrder::Count,
            };
            if let Some(o) = organisation {
                s.known_organisation(o)?;
            }
            of_organisation(&mut list, organisation.as_deref());
            arrange(&mut list, search.as_deref(), order);
            Ok(Some(Output::Many(list)))
        }
        SegmentCommand::Show { name } => {
            // Looking a segment up is using it ("last activity").
            s.touch_used(name)?;
            Ok(Some(Output::One(Box::new(s.get(name)?), true)))
        }
        SegmentCommand::Update {
            name,
            query,
            description,
            draft,
            author: by,
            organisation,
            shared,
        } => {
            let mut segment = s.get(name)?;
            if let Some(d) = description {
                segment = s.describe(&segment.name, Some(d))?;
            }
            if organisation.is_some() || *shared {
                segment = s.assign_organisation(&segment.name, organisation.as_deref())?;
            }
            if let Some(q) = query {
                segment = if *draft {
                    s.save_draft(&segment.name, q)?
                } else {
                    s.update(&segment.name, q, author(by))?
                };
            }
            one(segment)
        }
        SegmentCommand::Publish { name, author: by } => {
            let segment = s.publish_draft(name, author(by))?;
            one(segment)
        }
        SegmentCommand::Discard { name } => {
            let segment = s.discard_draft(name)?;
            one(segment)
        }
        SegmentCommand::Rename {
            name,
            new,
            author: by,
        } => {
            let segment = s.rename(name, new, author(by))?;
            one(segment)
        }
        SegmentCommand::Delete { name } => {
            let segment = s.delete(name)?;
            one(segment)
        }
        SegmentCommand::Restore { name } => {
            let segment = s.restore(name)?;
            one(segment)
        }
        SegmentCommand::Purge { name } => {
            let segment = s.purge(name)?;
            one(segment)
        }
        SegmentCommand::Changes { name, .. } => {
            if let Some(name) = name {
                s.get(name)?;
            }
            Ok(None)
        }
        SegmentCommand::Templates
        | SegmentCommand::Members { .. }
        | SegmentCommand::Sample { .. } => Ok(None),
    }
}

/// A segment error as a failure; an invalid query is shown with its
/// errors underlined (or, with `--json`, under `errors` in the JSON error).
fn failure(e: SegmentsError) -> Failure {
    if let SegmentsError::Query { query, errors, .. } = &e {
        let human = !crate::failure::json_mode();
        if human {
            eprintln!("error: {e}");
            eprint!("{}", render(query, errors));
        }
        let failure = Failure::user(anyhow::anyhow!(e.to_string()))
            .with_code(e.code())
            .with_detail("errors", json!(errors));
        return if human {
            failure.already_reported()
        } else {
            failure
        };
    }
    crate::live::segments_failure(e)
}

fn print_one(
    ctx: &Context,
    s: &Segment,
    versions: &[SegmentVersion],
    total: u64,
    tz: &TimeZone,
) -> CmdResult {
    if ctx.global.json {
        let mut v =
            serde_json::to_value(SegmentView::new(s, total, tz)).map_err(anyhow::Error::from)?;
        if !versions.is_empty() {
            v["versions"] = versions
                .iter()
                .map(|x| serde_json::to_value(VersionView::new(x, tz)))
                .collect::<Result<_, _>>()
                .map_err(anyhow::Error::from)?;
        }
        println!("{v}");
        return Ok(());
    }
    let state = if s.deleted_at.is_some() {
        " (deleted)"
    } else if s.draft_query.is_some() {
        " (draft)"
    } else {
        ""
    };
    println!("{}{state}  [id {}]", s.name, s.id);
    if let Some(d) = &s.description {
        println!("  {d}");
    }
    if let Some(o) = &s.organisation {
        println!("  organisation: {o}");
    }
    println!("  query:   {}", s.query);
    if let Some(reason) = &s.failing {
        println!(
            "  FAILING: {reason} (members are as they were when it last worked; edit or delete it)"
        );
    }
    if let Some(d) = &s.draft_query {
        println!("  draft:   {d}");
    }
    println!(
        "  members: {} ({:.1} % of {total} customers)",
        s.member_count,
        flokk_segments::view::percent(s.member_count, total)
    );
    println!("  author:  {}, version {}", s.author, s.version);
    for v in versions {
        println!(
            "  v{}  {}  {}  {}",
            v.version, v.saved_at, v.author, v.query
        );
    }
    Ok(())
}

fn print_list(
    ctx: &Context,
    list: &[Segment],
    lists: &[flokk_store::CustomerList],
    total: u64,
    tz: &TimeZone,
    group: bool,
) -> CmdResult {
    if ctx.global.json {
        let mut v: Vec<serde_json::Value> = list
            .iter()
            .map(|s| serde_json::to_value(SegmentView::new(s, total, tz)))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::from)?;
        for l in lists {
            v.push(
                serde_json::to_value(flokk_segments::ListView::new(l, total, tz))
                    .map_err(anyhow::Error::from)?,
            );
        }
        println!(
            "{}",
            serde_json::to_string(&v).map_err(anyhow::Error::from)?
        );
        return Ok(());
    }
    let organisation = |o: Option<&str>| {
        if group {
            format!("{:<16} ", o.unwrap_or("(shared)"))
        } else {
            String::new()
        }
    };
    println!(
        "{:<44} {:>9} {:>7}  {}{:<10} {:<16} ",
        "NAME",
        "COUNT",
        "%",
        if group {
            format!("{:<16} ", "ORGANISATION")
        } else {
            String::new()
        },
        "AUTHOR",
        "LAST ACTIVITY"
    );
    for s in list {
        let activity = s
            .last_activity()
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
        let flag = match (&s.failing, s.draft_query.is_some()) {
            (Some(_), _) => "FAILING",
            (None, true) => "Draft",
            (None, false) => "",
        };
        println!(
            "{:<44} {:>9} {:>6.1}%  {}{:<10} {:<16} {flag}",
            s.name,
            s.member_count,
            flokk_segments::view::percent(s.member_count, total),
            organisation(s.organisation.as_deref()),
            s.author,
            activity
        );
    }
    for l in lists {
        let created = l
            .created_at
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
        println!(
            "{:<44} {:>9} {:>6.1}%  {}{:<10} {:<16} List",
            l.name,
            l.count,
            flokk_segments::view::percent(l.count, total),
            organisation(None),
            l.source,
            created
        );
    }
    Ok(())
}

/// `segment members NAME`: the members of a live segment, listed as
/// `flokk members "customer_segments CONTAINS 'NAME'"` lists them. Listing
/// a segment's members is using it: it moves its last activity.
fn members(ctx: &Context, cmd: SegmentCommand) -> CmdResult {
    let SegmentCommand::Members {
        name,
        limit,
        offset,
        sort,
        format,
        shown_for,
    } = cmd
    else {
        return Err(Failure::from(anyhow!("no members for {cmd:?}")));
    };
    let is_segment = ctx.store()?.segment(&name)?.is_some();
    if !is_segment && let Some(list) = ctx.store()?.customer_list(&name)? {
        // A static list's members: `customer_lists CONTAINS 'NAME'`.
        let query = format!(
            "customer_lists CONTAINS {}",
            flokk_lang::Value::String(list.name)
        );
        return crate::cmd::members::run(
            ctx,
            crate::cli::MembersArgs {
                query,
                limit,
                offset,
                sort,
                format,
                strict: false,
                shown_for,
            },
        );
    }
    {
        let store = ctx.store()?;
        let clock = clock(ctx, &store)?;
        let mut engine = load_engine(&store)?;
        run_segments(&store, &mut engine, &clock, &mut |s| {
            let segment = s.get(&name)?;
            if segment.deleted_at.is_some() {
                return Err(SegmentsError::State(format!(
                    "segment '{}' is deleted; restore it first",
                    segment.name
                )));
            }
            s.touch_used(&name)
        })
        .map_err(failure)?;
    }
    let stored = ctx
        .store()?
        .segment(&name)?
        .ok_or_else(|| Failure::user(anyhow!("there is no segment named '{name}'")))?;
    let query = format!(
        "customer_segments CONTAINS {}",
        flokk_lang::Value::String(stored.name)
    );
    crate::cmd::members::run(
        ctx,
        crate::cli::MembersArgs {
            query,
            limit,
            offset,
            sort,
            format,
            strict: false,
            shown_for,
        },
    )
}

fn changes(ctx: &Context, store: &Store, cmd: &SegmentCommand) -> CmdResult {
    let SegmentCommand::Changes { name, since, limit } = cmd else {
        return Err(Failure::from(anyhow!("no output for {cmd:?}")));
    };
    let sid = match name {
        Some(n) => Some(
            store
                .segment(n)?
                .ok_or_else(|| {
                    Failure::user(anyhow!("there is no segment named '{n}'")).with_code("not_found")
                })?
                .id,
        ),
        None => None,
    };
    let entries = store.feed(*since, sid, *limit)?;
    if ctx.global.json {
        println!(
            "{}",
            serde_json::to_string(&entries).map_err(anyhow::Error::from)?
        );
    } else {
        for e in &entries {
            println!(
                "{:>8}  {}  {:<7}  {:<18}  {}  {}",
                e.seq, e.at, e.change, e.cause, e.segment, e.customer
            );
        }
    }
    Ok(())
}

fn templates(ctx: &Context) -> CmdResult {
    if ctx.global.json {
        println!(
            "{}",
            serde_json::to_string(TEMPLATES).map_err(anyhow::Error::from)?
        );
    } else {
        for t in TEMPLATES {
            println!(
                "{}  {}\n    {}\n    {}\n",
                t.key, t.name, t.description, t.query
            );
        }
    }
    Ok(())
}
