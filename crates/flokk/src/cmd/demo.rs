//! `flokk demo [--customers N] [--seed S] [--listen ADDR] [--no-serve]`:
//! generates a realistic synthetic store (unless the store already has
//! data), then serves the web UI on it.
//!
//! The generator runs on its own thread and hands records over in batches;
//! the whole demo store is written in one transaction, so an interrupted
//! demo leaves an empty store (and the next `flokk demo` starts over)
//! rather than a half-built one that would be taken for complete.

use crate::cli::DemoArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::progress::count_progress;
use anyhow::anyhow;
use flokk_demo::{DemoConfig, generate, generate_venue_group};
use flokk_model::{Record, RecordKind};
use flokk_store::{ImportOptions, LocatedRow, RejectedRow, Store};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

const BATCH: usize = 4096;

pub fn run(ctx: &Context, args: DemoArgs) -> CmdResult {
    let store = ctx.store()?;
    if store.is_empty()? {
        build(ctx, &store, &args)?;
    } else {
        eprintln!(
            "{} already holds a store ({} customers); using it as it is",
            ctx.global.data.display(),
            store.customer_count()?
        );
    }
    drop(store);
    if args.no_serve {
        return Ok(());
    }
    // A demo is for trying things out: a link that signs the browser in
    // at once, every time.
    super::serve::run(
        ctx,
        &super::serve::Serving {
            listen: args.listen,
            rate_limit: args.rate_limit,
            always_link: true,
        },
    )
}

fn build(ctx: &Context, store: &Store, args: &DemoArgs) -> Result<(), Failure> {
    if args.customers == 0 {
        return Err(Failure::user(anyhow!("--customers must be at least 1")));
    }
    let now = ctx.now()?;
    let tz = ctx.timezone(store)?;
    let as_of = flokk_lang::time::today(now, &tz);
    let config = DemoConfig {
        customers: args.customers,
        seed: args.seed,
        as_of,
        time_zone: Some(tz.clone()),
    };
    let settings = store.settings();
    if let Some(name) = tz.iana_name() {
        settings.set("timezone", name)?;
    }
    if args.ticketing {
        settings.set("name", "flokk venue group demo")?;
        settings.set("currency", "NOK")?;
    } else {
        settings.set("name", "flokk demo store")?;
        settings.set("currency", "EUR")?;
    }
    eprintln!(
        "generating a demo {}: {} customers, seed {}, as of {as_of} ({})",
        if args.ticketing {
            "venue group (organisations Opera and Philharmonic)"
        } else {
            "store"
        },
        args.customers,
        args.seed,
        tz.iana_name().unwrap_or("UTC")
    );
    let started = Instant::now();
    let bar = count_progress(args.customers, "customers");
    let (send, receive) = sync_channel::<Vec<Record>>(16);
    let ticketing = args.ticketing;
    let summary = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut sink = |r| {
                batch.push(r);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    // A closed channel means the import failed; the error is
                    // reported there.
                    let _ = send.send(full);
                }
            };
            if ticketing {
                generate_venue_group(&config, &mut sink);
            } else {
                generate(&config, &mut sink);
            }
            let _ = send.send(batch);
        });
        let rows = receive.into_iter().flatten().enumerate().map(|(i, r)| {
            if r.kind() == RecordKind::Customer {
                bar.inc(1);
            }
            Ok::<Result<LocatedRow<Record>, RejectedRow>, std::io::Error>(Ok((i as u64 + 1, r)))
        });
        flokk_store::import_rows(store, rows, ImportOptions::default(), &mut |row| {
            eprintln!("demo record {}: {}", row.line, row.message());
        })
    });
    bar.finish_and_clear();
    let summary = summary.map_err(|e| anyhow!("building the demo store failed: {e}"))?;
    let records: u64 = summary.imported.values().sum();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "built {records} records in {seconds:.1} s ({:.0} records/s): {}",
        records as f64 / seconds,
        summary
            .imported
            .iter()
            .map(|(k, v)| format!("{v} {}", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if args.ticketing {
        example_segments(ctx, store)?;
    }
    Ok(())
}

/// Each organisation of the venue group starts with segments of its own
/// (with descriptions), so the index, its organisation filter and
/// organisation-limited tokens have something to show.
fn example_segments(ctx: &Context, store: &Store) -> Result<(), Failure> {
    const SEGMENTS: [(&str, &str, &str, &str); 4] = [
        (
            "Opera regulars",
            "Opera",
            "Three or more opera or ballet evenings at Operaen: the core audience for next season's packages",
            "tickets_purchased MATCHES (venue_id = 'operaen', count >= 3)",
        ),
        (
            "Opera box office walk-ins",
            "Opera",
            "Bought at the box office within two days of the performance: reach them by SMS",
            "tickets_purchased MATCHES (venue_id = 'operaen', channel = 'box_office', lead_time_days <= 2)",
        ),
        (
            "Concert early birds",
            "Philharmonic",
            "Booked a concert at Oslo Konserthus 60 days or more ahead: first to hear about the new season",
            "tickets_purchased MATCHES (venue_id = 'oslo-konserthus', lead_time_days >= 60)",
        ),
        (
            "Lapsed concertgoers",
            "Philharmonic",
            "Came to Oslo Konserthus before but not in the last year: win-back",
            "tickets_purchased MATCHES (venue_id = 'oslo-konserthus') AND tickets_purchased NOT MATCHES (venue_id = 'oslo-konserthus', date > -365d)",
        ),
    ];
    let clock = crate::live::clock(ctx, store)?;
    let mut engine = crate::query::load_engine(store)?;
    crate::live::run_segments(store, &mut engine, &clock, &mut |s| {
        s.install_built_ins()?;
        for (name, organisation, description, query) in SEGMENTS {
            let created = s.create(name, query, Some(description), "flokk")?;
            s.assign_organisation(&created.name, Some(organisation))?;
        }
        Ok(())
    })
    .map_err(crate::live::segments_failure)?;
    Ok(())
}
