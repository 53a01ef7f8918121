//! `flokk import FILE... [--format ...] [--skip-invalid] [--lenient]`.
//!
//! Each file is one transaction unless `--skip-invalid`: a bad row leaves
//! the store exactly as it was and every bad row is reported with file,
//! line, field and reason. Import stops at the first file that fails, so
//! re-running the command after fixing it never imports a file twice.

use crate::cli::{ImportArgs, ImportFormat};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::progress::byte_progress;
use anyhow::{Context as _, anyhow};
use flokk_model::{ParseOptions, RecordKind};
use flokk_store::shopify::{ShopifyFormat, ShopifyReader, ShopifyRows};
use flokk_store::{ImportError, ImportOptions, ImportSummary, NdjsonReader, RejectedRow, Store};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How many rejected rows are printed before the rest are only counted.
const SHOWN_REJECTS: u64 = 20;

pub fn run(ctx: &Context, args: ImportArgs) -> CmdResult {
    let store = ctx.store()?;
    let started = Instant::now();
    let sequence_before = store.sequence()?;
    let mut total = ImportSummary::default();
    for path in &args.files {
        let summary = import_file(&store, path, &args)?;
        for (k, v) in &summary.imported {
            *total.imported.entry(*k).or_default() += v;
        }
        total.rejected += summary.rejected;
    }
    let seconds = started.elapsed().as_secs_f64();
    let sequence_after = store.sequence()?;
    // Saved segments follow the new data; membership catches up from its
    // marker, so a failure here loses nothing (the next sync redoes it).
    let clock = crate::live::clock(ctx, &store)?;
    if let Some(report) = crate::live::sync_after_write(&store, &clock)?
        && !ctx.global.json
        // Read-only (an earlier --now): the note said nothing was synced.
        && report.read_only_since.is_none()
    {
        // What the feed recorded for this import's changes, whichever
        // process synced them (a running server often does first), not
        // what this process's own sync happened to find left to do.
        let (entered, exited) = store.feed_moves_of_changes(sequence_before, sequence_after)?;
        eprintln!("segments: {entered} entered, {exited} exited");
    }
    if ctx.global.json {
        let imported: BTreeMap<&str, u64> = total
            .imported
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        println!(
            "{}",
            serde_json::json!({"imported": imported, "rejected": total.rejected})
        );
    } else {
        let records: u64 = total.imported.values().sum();
        eprintln!(
            "imported {records} records in {seconds:.1} s ({:.0} records/s): {}{}",
            records as f64 / seconds.max(1e-9),
            describe(&total.imported),
            if total.rejected > 0 {
                format!("; {} rejected", total.rejected)
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

fn describe(counts: &BTreeMap<RecordKind, u64>) -> String {
    if counts.is_empty() {
        return "nothing".into();
    }
    counts
        .iter()
        .map(|(k, v)| format!("{v} {}", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Opens a file (or stdin for `-`) with its length for the progress bar.
fn open(path: &Path) -> anyhow::Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), len))
}

/// Decides the format from the content: NDJSON starts with `{`, anything
/// else is read as CSV and recognised by its header. Content that is
/// neither (compressed, a spreadsheet, UTF-16 text) is named for what it
/// is, rather than failing later as a CSV with a misleading header error.
fn sniff(input: &mut impl BufRead) -> anyhow::Result<ImportFormat> {
    let head = input.fill_buf()?;
    if let Some(what) = not_text(head) {
        return Err(anyhow!(
            "{what}; flokk imports NDJSON and Shopify's CSV exports as UTF-8 text"
        ));
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    Ok(match first {
        Some(b'{') | None => ImportFormat::Ndjson,
        Some(_) => ImportFormat::ShopifyCustomers,
    })
}

/// What a file that is not UTF-8 text is, from its first bytes.
fn not_text(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some("the input is gzip-compressed (decompress it first, e.g. with gunzip)");
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some(
            "the input is a zip archive or an Excel workbook (export it as CSV, or unzip it first)",
        );
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some("the input is UTF-16 text (save it as UTF-8)");
    }
    // UTF-16 without a byte order mark: every other byte of ASCII is zero.
    let sample = &head[..head.len().min(64)];
    if sample.len() >= 4 && sample.iter().filter(|b| **b == 0).count() * 3 >= sample.len() {
        return Some("the input looks like UTF-16 or binary data, not UTF-8 text");
    }
    None
}

fn rejects_path(path: &Path, ndjson: bool) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = if ndjson { "ndjson" } else { "csv" };
    path.with_file_name(format!("{stem}.rejects.{ext}"))
}

/// An opened input file of either kind.
enum Source<R> {
    Ndjson(BufReader<R>),
    Shopify(Box<ShopifyReader<BufReader<R>>>),
}

fn import_file(store: &Store, path: &Path, args: &ImportArgs) -> Result<ImportSummary, Failure> {
    let (raw, len) = open(path).map_err(Failure::user)?;
    let bar = byte_progress(len, &path.display().to_string());
    let mut input = BufReader::with_capacity(1 << 20, bar.wrap_read(raw));
    let sniffed = match args.format {
        Some(f) => f,
        None => sniff(&mut input).map_err(|e| {
            // A read failure is the machine's; content that is not text, the user's.
            let user = e.downcast_ref::<std::io::Error>().is_none();
            let e = e.context(format!("cannot read {}", path.display()));
            if user {
                Failure::user(e)
            } else {
                Failure::from(e)
            }
        })?,
    };
    let name = path.display().to_string();
    let shopify = match sniffed {
        ImportFormat::Ndjson => None,
        ImportFormat::ShopifyOrders => Some(Some(ShopifyFormat::Orders)),
        ImportFormat::ShopifyCustomers => Some(None),
    };
    let source = match shopify {
        None => Source::Ndjson(input),
        Some(forced) => {
            let reader = ShopifyReader::new(input, forced)
                .map_err(|e| Failure::user(anyhow!("{name}: {e}")))?;
            if args.format == Some(ImportFormat::ShopifyCustomers)
                && reader.format() == ShopifyFormat::Orders
            {
                return Err(Failure::user(anyhow!(
                    "{name}: this is a Shopify orders export, not a customers file \
                     (use --format shopify-orders, or leave --format out)"
                )));
            }
            Source::Shopify(Box::new(reader))
        }
    };
    let header = match &source {
        Source::Shopify(r) => Some(r.header_text().to_owned()),
        Source::Ndjson(_) => None,
    };
    let rejects_file = rejects_path(path, header.is_none());
    let mut rejects: Option<BufWriter<File>> = None;
    let mut shown = 0u64;
    // With `--json` the first rows go into the JSON error instead of onto
    // stderr one by one (failure.rs: stderr holds one document).
    let json = crate::failure::json_mode();
    let mut listed: Vec<serde_json::Value> = Vec::new();
    let mut reject_error: Option<std::io::Error> = None;
    let mut on_reject = |row: &RejectedRow| {
        if shown < SHOWN_REJECTS {
            if json {
                // The shape of the API's `rejects`, plus the file.
                listed.push(serde_json::json!({
                    "file": name,
                    "line": row.line,
                    "field": row.field,
                    "reason": row.reason,
                }));
            } else {
                bar.suspend(|| eprintln!("{name}:{}: {}", row.line, row.message()));
            }
        }
        shown += 1;
        if args.skip_invalid && reject_error.is_none() {
            let result = (|| -> std::io::Result<()> {
                if rejects.is_none() {
                    let mut w = BufWriter::new(File::create(&rejects_file)?);
                    if let Some(header) = &header {
                        writeln!(w, "{header}")?;
                    }
                    rejects = Some(w);
                }
                let w = rejects.as_mut().expect("just created");
                writeln!(w, "{}", row.raw)
            })();
            if let Err(e) = result {
                reject_error = Some(e);
            }
        }
    };
    let options = ImportOptions {
        skip_invalid: args.skip_invalid,
        ..ImportOptions::default()
    };
    let result = match source {
        Source::Shopify(reader) => {
            flokk_store::import_rows(store, ShopifyRows(*reader), options, &mut on_reject)
        }
        Source::Ndjson(input) => {
            let reader = NdjsonReader::new(
                input,
                ParseOptions {
                    lenient: args.lenient,
                },
            );
            flokk_store::import_rows(store, reader, options, &mut on_reject)
        }
    };
    bar.finish_and_clear();
    if shown > SHOWN_REJECTS {
        crate::failure::note(format_args!(
            "{name}: ... and {} more invalid row(s)",
            shown - SHOWN_REJECTS
        ));
    }
    if let Some(e) = reject_error {
        return Err(anyhow!(e)
            .context(format!("cannot write {}", rejects_file.display()))
            .into());
    }
    if let Some(mut w) = rejects {
        w.flush()
            .with_context(|| format!("cannot write {}", rejects_file.display()))?;
        crate::failure::note(format_args!(
            "{name}: invalid rows written to {}",
            rejects_file.display()
        ));
    }
    match result {
        Ok(summary) => Ok(summary),
        Err(ImportError::Invalid { count }) => Err(Failure::user(anyhow!(
            "{name}: {count} invalid row(s); nothing from this file was imported \
             (fix them, or use --skip-invalid to import the valid rows)"
        ))
        .with_code("invalid_rows")
        .with_detail("rejects", serde_json::Value::Array(listed))),
        Err(ImportError::Read(e)) => Err(anyhow!(e).context(format!("cannot read {name}")).into()),
        Err(ImportError::Store(e)) => Err(anyhow!(e).context(format!("importing {name}")).into()),
    }
}
