//! Importing a stream of rows into the store: all-or-nothing per file by
//! default, or good rows only (`--skip-invalid`).
//!
//! Layer 5, rows in: any reader's rows (`ndjson` here, `shopify` above)
//! through one loop into the writer. May use: `writer`, `store`, `error`.

pub(crate) mod ndjson;

use crate::error::StoreError;
use crate::store::Store;
use crate::writer::{ApplyError, Writer};
use flokk_model::{Record, RecordKind};
use std::collections::BTreeMap;

/// One row (line) of an input file that was not imported.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedRow {
    /// 1-based line in the file.
    pub line: u64,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// Why it was rejected.
    pub reason: String,
    /// The row as it was in the file, for the reject file.
    pub raw: String,
}

impl RejectedRow {
    /// What is wrong, naming the field (without the line).
    pub fn message(&self) -> String {
        match &self.field {
            // The reason of a field error usually names the field already.
            Some(field) if !self.reason.contains(field.as_str()) => {
                format!("{field}: {}", self.reason)
            }
            _ => self.reason.clone(),
        }
    }
}

impl std::fmt::Display for RejectedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message())
    }
}

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Import the good rows and report the bad ones, instead of importing
    /// nothing when any row is bad.
    pub skip_invalid: bool,
    /// Records per transaction when `skip_invalid` is set (an all-or-nothing
    /// import is one transaction).
    pub batch_size: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            skip_invalid: false,
            batch_size: 50_000,
        }
    }
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct ImportSummary {
    /// Records imported, by kind.
    pub imported: BTreeMap<RecordKind, u64>,
    /// Rows rejected.
    pub rejected: u64,
    /// The store's change sequence after the import.
    pub sequence: u64,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Some rows are invalid and nothing was imported.
    #[error("{count} invalid row(s); nothing was imported")]
    Invalid {
        /// How many rows were invalid.
        count: u64,
    },
    /// Reading the input failed.
    #[error("reading the input failed: {0}")]
    Read(#[from] std::io::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A row that turns into a record once the store is consulted.
pub trait ImportRow {
    /// The record to apply, resolved against the open transaction; `None`
    /// for a valid row that holds nothing to store.
    fn into_record(self, writer: &Writer<'_>) -> Result<Option<Record>, ApplyError>;
}

impl ImportRow for Record {
    fn into_record(self, _writer: &Writer<'_>) -> Result<Option<Record>, ApplyError> {
        Ok(Some(self))
    }
}

/// A row with the 1-based line it starts on.
pub type LocatedRow<T> = (u64, T);

fn merge(into: &mut BTreeMap<RecordKind, u64>, from: &BTreeMap<RecordKind, u64>) {
    for (k, v) in from {
        *into.entry(*k).or_default() += v;
    }
}

/// Imports `rows` into `store`. Every rejected row is passed to `on_reject`
/// (to print it or write it to a reject file) as soon as it is found.
///
/// Without `skip_invalid` the whole input is one transaction: the first bad
/// row stops the import (later rows are still read so every error is
/// reported) and the store is left exactly as it was.
pub fn import_rows<I, T>(
    store: &Store,
    rows: I,
    options: ImportOptions,
    on_reject: &mut dyn FnMut(&RejectedRow),
) -> Result<ImportSummary, ImportError>
where
    I: IntoIterator<Item = std::io::Result<Result<LocatedRow<T>, RejectedRow>>>,
    I::IntoIter: Send,
    T: ImportRow + Send,
{
    // Reading and parsing run on their own thread, so they overlap with
    // SQLite's work on this one; rows cross in batches to keep the channel
    // cheap, and the bounded channel keeps memory constant.
    const BATCH: usize = 1024;
    let rows = rows.into_iter();
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<_>>(8);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            for row in rows {
                batch.push(row);
                if batch.len() == BATCH
                    && send
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    return; // the importer stopped
                }
            }
            let _ = send.send(batch);
        });
        apply_rows(store, receive.into_iter().flatten(), options, on_reject)
    })
}

fn apply_rows<T: ImportRow>(
    store: &Store,
    rows: impl Iterator<Item = std::io::Result<Result<LocatedRow<T>, RejectedRow>>>,
    options: ImportOptions,
    on_reject: &mut dyn FnMut(&RejectedRow),
) -> Result<ImportSummary, ImportError> {
    let mut summary = ImportSummary::default();
    let mut writer = Some(store.writer()?);
    let mut in_batch = 0usize;
    for row in rows {
        let row = row?;
        let result = match row {
            Err(rejected) => Err(rejected),
            Ok((line, item)) => match writer.as_mut() {
                // After a failure in all-or-nothing mode rows are only parsed.
                None => Ok(()),
                Some(w) => apply(w, line, item)?,
            },
        };
        let Err(rejected) = result else {
            in_batch += 1;
            if options.skip_invalid && in_batch >= options.batch_size {
                let w = writer.take().expect("writer is open in skip-invalid mode");
                merge(&mut summary.imported, w.applied());
                summary.sequence = w.commit()?;
                writer = Some(store.writer()?);
                in_batch = 0;
            }
            continue;
        };
        summary.rejected += 1;
        on_reject(&rejected);
        if !options.skip_invalid {
            // Dropping the writer rolls the transaction back.
            writer = None;
        }
    }
    match writer {
        Some(w) if options.skip_invalid || summary.rejected == 0 => {
            merge(&mut summary.imported, w.applied());
            summary.sequence = w.commit()?;
            Ok(summary)
        }
        _ => Err(ImportError::Invalid {
            count: summary.rejected,
        }),
    }
}

/// Applies one row. A row the store refuses is a rejected row; a failing
/// store is an error of the whole import.
fn apply<T: ImportRow>(
    w: &mut Writer<'_>,
    line: u64,
    item: T,
) -> Result<Result<(), RejectedRow>, StoreError> {
    let record = match item.into_record(w) {
        Ok(Some(record)) => record,
        Ok(None) => return Ok(Ok(())),
        Err(ApplyError::Store(e)) => return Err(e),
        Err(ApplyError::Invalid { field, reason }) => {
            return Ok(Err(RejectedRow {
                line,
                field: Some(field),
                reason,
                raw: String::new(),
            }));
        }
    };
    match w.apply(&record) {
        Ok(()) => Ok(Ok(())),
        Err(ApplyError::Store(e)) => Err(e),
        Err(ApplyError::Invalid { field, reason }) => Ok(Err(RejectedRow {
            line,
            field: Some(field),
            reason,
            raw: serde_json::to_string(&record).unwrap_or_default(),
        })),
    }
}
