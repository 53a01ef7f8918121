//! `flokk clickhouse sync --url URL [--once] [--batch N]`: writes the store
//! into ClickHouse's tables (flokk-clickhouse's schema, created when
//! missing) and keeps them current from the store's change sequence.
//!
//! - **Full load** (first run, or a run after one that never finished):
//!   every record streamed from one consistent snapshot of the store, sent
//!   in inserts of `--batch` rows with a progress bar, each row at version
//!   `2·S + 1`, S the sequence before the snapshot. Then the snapshot's
//!   sequence is written to `flokk_sync`: that is the acknowledgement.
//! - **Catching up** from the acknowledged sequence: the customers the
//!   changes touched are rewritten whole. Every row ClickHouse holds for
//!   them is first written again as a tombstone (`deleted = 1`) at version
//!   `2·S'`, then their current rows at `2·S' + 1` (S' the sequence the
//!   changes reach), so a record that left a customer (deleted, moved) is
//!   gone and the ones still there replace their old rows. A customer the
//!   store deleted is found by its store key (`customer_key`). The
//!   catalogue is rewritten the same way when any of it changed.
//! - **Resuming after a crash** never loses or doubles a record: rows are
//!   keyed (ReplacingMergeTree) and versioned by the sequence, so writing
//!   a batch again replaces it with identical rows; the acknowledged
//!   sequence moves only after every insert of a step succeeded.
//!
//! Talks to ClickHouse's HTTP interface with the HTTP client flokk
//! already has (ureq) and the `JSONEachRow` format. Decision: the
//! official `clickhouse` crate (RowBinary) is not used yet; it is async
//! and would bring a second HTTP stack for one command.

use crate::cli::ClickhouseSyncArgs;
use crate::clickhouse_http::Http;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::progress::count_progress;
use anyhow::anyhow;
use flokk_clickhouse::ParamValue;
use flokk_clickhouse::rows::{CustomerRecords, RecordStream, Rows, customer_rows};
use flokk_clickhouse::schema::{TABLES, ddl};
use flokk_model::Record;
use flokk_store::Store;
use std::collections::BTreeSet;

pub fn run(ctx: &Context, args: ClickhouseSyncArgs) -> CmdResult {
    let store = ctx.store()?;
    let http = Http::new(&args.url);
    for statement in ddl(None).split(";\n") {
        let has_sql = statement
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"));
        if has_sql {
            http.post(&[], statement).map_err(Failure::from)?;
        }
    }
    let batch = args.batch.max(1);
    let mut sequence = match http.acknowledged().map_err(Failure::from)? {
        Some(s) => s,
        None => full_load(&store, &http, batch)?,
    };
    loop {
        sequence = catch_up(&store, &http, sequence, batch)?;
        if args.once {
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    if ctx.global.json {
        println!("{}", serde_json::json!({ "sequence": sequence }));
    } else {
        eprintln!("ClickHouse reflects the store up to change {sequence}");
    }
    Ok(())
}

/// Streams every record into ClickHouse; returns the snapshot's sequence
/// once acknowledged.
fn full_load(store: &Store, http: &Http, batch: usize) -> Result<u64, Failure> {
    let version = 2 * store.sequence()? + 1;
    let bar = count_progress(store.customer_count()?, "customers");
    let mut rows = Rows::default();
    let mut stream = RecordStream::default();
    let mut failed: Option<anyhow::Error> = None;
    let sequence = store.scan(&mut |scanned| {
        if failed.is_some() {
            return Ok(());
        }
        let positions: Vec<(f64, f64)> = scanned.coordinates.iter().flatten().copied().collect();
        if matches!(scanned.record, Record::Customer(_)) {
            bar.inc(1);
        }
        stream.add(
            scanned.customer_key,
            &scanned.record,
            &positions,
            version,
            &mut rows,
        );
        if rows.len() >= batch
            && let Err(e) = http.insert(&mut rows)
        {
            failed = Some(e);
        }
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    http.insert(&mut rows)?;
    bar.finish_and_clear();
    http.acknowledge(sequence)?;
    Ok(sequence)
}

/// Writes the changes after `after`; returns the sequence they reach.
fn catch_up(store: &Store, http: &Http, after: u64, batch: usize) -> Result<u64, Failure> {
    let Some(changes) = store.changes_since(after, usize::MAX)? else {
        return Err(anyhow!("the store's changes could not be read").into());
    };
    if changes.sequence == after {
        return Ok(after);
    }
    let (tombstone, version) = (2 * changes.sequence, 2 * changes.sequence + 1);
    let mut rows = Rows::default();
    // The customers to rewrite: by the id their current record has, and by
    // the id ClickHouse holds for their key (deleted customers, too).
    let keys: Vec<i64> = changes.customers.iter().map(|c| c.key).collect();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for chunk in keys.chunks(batch.max(1)) {
        let text = http.query(
            "SELECT customer_id FROM customers FINAL WHERE NOT deleted AND customer_key IN {keys:Array(Int64)}",
            &[("keys", ParamValue::Ints(chunk.to_vec()))],
        )?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let row: serde_json::Value =
                serde_json::from_str(line).map_err(|e| anyhow!("{e}: {line}"))?;
            if let Some(id) = row["customer_id"].as_str() {
                ids.insert(id.to_owned());
            }
        }
    }
    for c in &changes.customers {
        if let Some(Record::Customer(customer)) = c
            .records
            .as_ref()
            .and_then(|r| r.first())
            .map(|s| &s.record)
        {
            ids.insert(customer.id.clone());
        }
    }
    let ids: Vec<String> = ids.into_iter().collect();
    for chunk in ids.chunks(batch.max(1)) {
        tombstones(http, chunk, tombstone, &mut rows)?;
    }
    if changes.catalogue.is_some() {
        catalogue_tombstones(http, tombstone, &mut rows)?;
    }
    http.insert(&mut rows)?;
    for c in &changes.customers {
        let Some(records) = &c.records else { continue };
        write_customer(c.key, records, version, &mut rows);
        if rows.len() >= batch {
            http.insert(&mut rows)?;
        }
    }
    if let Some(catalogue) = &changes.catalogue {
        let mut stream = RecordStream::default();
        for s in catalogue {
            stream.add(None, &s.record, &[], version, &mut rows);
        }
    }
    http.insert(&mut rows)?;
    http.acknowledge(changes.sequence)?;
    Ok(changes.sequence)
}

/// A customer's current records as rows.
fn write_customer(key: i64, records: &[flokk_store::ScannedRecord], version: u64, rows: &mut Rows) {
    let mut customer = None;
    let mut positions = Vec::new();
    let (mut orders, mut checkouts, mut email, mut storefront, mut custom) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for s in records {
        match &s.record {
            Record::Customer(c) => {
                customer = Some(c.clone());
                positions = s.coordinates.iter().flatten().copied().collect();
            }
            Record::Order(o) => orders.push(o.clone()),
            Record::Checkout(k) => checkouts.push(k.clone()),
            Record::EmailEvent(e) => email.push(e.clone()),
            Record::StorefrontEvent(e) => storefront.push(e.clone()),
            Record::Event(e) => custom.push(e.clone()),
            _ => {}
        }
    }
    let Some(customer) = customer else { return };
    customer_rows(
        &CustomerRecords {
            key,
            customer: &customer,
            positions: &positions,
            orders: &orders,
            checkouts: &checkouts,
            email: &email,
            storefront: &storefront,
            custom: &custom,
        },
        version,
        rows,
    );
}

/// Tombstones, at `version`, for every live row ClickHouse holds for the
/// customers `ids`.
fn tombstones(http: &Http, ids: &[String], version: u64, rows: &mut Rows) -> Result<(), Failure> {
    for t in TABLES.iter().filter(|t| !t.catalogue) {
        let sql = format!(
            "SELECT {} FROM {} FINAL WHERE NOT deleted AND customer_id IN {{ids:Array(String)}}",
            t.order_by, t.name
        );
        let text = http.query(&sql, &[("ids", ParamValue::Strings(ids.to_vec()))])?;
        dead_rows(t.name, &text, version, rows)?;
    }
    Ok(())
}

/// Tombstones for the whole catalogue.
fn catalogue_tombstones(http: &Http, version: u64, rows: &mut Rows) -> Result<(), Failure> {
    for t in TABLES.iter().filter(|t| t.catalogue) {
        let sql = format!(
            "SELECT {} FROM {} FINAL WHERE NOT deleted",
            t.order_by, t.name
        );
        let text = http.query(&sql, &[])?;
        dead_rows(t.name, &text, version, rows)?;
    }
    Ok(())
}

/// The key rows in `text` (JSONEachRow) as tombstones of `table`.
fn dead_rows(table: &str, text: &str, version: u64, rows: &mut Rows) -> Result<(), Failure> {
    let name = TABLES
        .iter()
        .find(|t| t.name == table)
        .expect("a schema table")
        .name;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut row: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).map_err(|e| anyhow!("{e}: {line}"))?;
        row.insert("version".into(), version.into());
        row.insert("deleted".into(), 1.into());
        rows.tables
            .entry(name)
            .or_default()
            .push(serde_json::Value::Object(row));
    }
    Ok(())
}
