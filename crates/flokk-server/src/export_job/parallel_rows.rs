//! Formatting a long member list's rows on every core, written in order.
//!
//! A JSON member document costs more to make (the customer's predictions
//! scored, the document serialised) than its record costs to read, and
//! the store can only be read on the thread that owns it. So that thread
//! reads and hands the records out in batches; worker threads, each with
//! an evaluator of its own (an evaluator is not shared across threads),
//! format them; the reading thread writes the finished batches in the
//! order they were read.

use super::ExportJobError;
use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, Sender, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// Records a batch holds: large enough that handing over costs little,
/// small enough that the first rows leave soon.
const BATCH: usize = 256;

/// One formatted row: the member's ordinal and its bytes.
pub(crate) type Row = (u32, Vec<u8>);

/// Formats items of type `T` on worker threads (see the module doc).
pub(crate) struct ParallelRows<T> {
    work: Option<SyncSender<(u64, Vec<T>)>>,
    done: Receiver<(u64, Result<Vec<Row>, ExportJobError>)>,
    batch: Vec<T>,
    sent: u64,
    next: u64,
    waiting: BTreeMap<u64, Vec<Row>>,
}

/// How many threads format rows: the machine's cores (one of them shared
/// with the reading thread); 1 means "format on the reading thread".
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
}

impl<T: Send> ParallelRows<T> {
    /// Starts `workers` threads in `scope`, each formatting with the
    /// formatter `make` gives it.
    pub(crate) fn start<'scope, 'env, F, M>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        workers: usize,
        make: &'env M,
    ) -> Self
    where
        T: 'scope,
        M: Fn() -> F + Sync + 'env,
        F: FnMut(T) -> Result<Option<Row>, ExportJobError>,
        'env: 'scope,
    {
        // Two batches a worker in flight at most: memory stays flat.
        let (work, queue) = sync_channel::<(u64, Vec<T>)>(workers * 2);
        let (finished, done) = std::sync::mpsc::channel();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..workers {
            let queue = queue.clone();
            let finished: Sender<_> = finished.clone();
            scope.spawn(move || {
                let mut format = make();
                loop {
                    let next = queue.lock().expect("queue lock").recv();
                    let Ok((seq, items)) = next else { break };
                    let rows = items
                        .into_iter()
                        .filter_map(|item| format(item).transpose())
                        .collect::<Result<Vec<Row>, _>>();
                    if finished.send((seq, rows)).is_err() {
                        break;
                    }
                }
            });
        }
        ParallelRows {
            work: Some(work),
            done,
            batch: Vec::with_capacity(BATCH),
            sent: 0,
            next: 0,
            waiting: BTreeMap::new(),
        }
    }

    /// Adds an item; rows finished meanwhile go to `emit`, in order.
    pub(crate) fn push(
        &mut self,
        item: T,
        emit: &mut dyn FnMut(Row) -> Result<(), ExportJobError>,
    ) -> Result<(), ExportJobError> {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            self.send()?;
        }
        while let Ok((seq, rows)) = self.done.try_recv() {
            self.waiting.insert(seq, rows?);
        }
        self.emit_ready(emit)
    }

    /// Sends the last batch and emits every row still to come.
    pub(crate) fn finish(
        mut self,
        emit: &mut dyn FnMut(Row) -> Result<(), ExportJobError>,
    ) -> Result<(), ExportJobError> {
        if !self.batch.is_empty() {
            self.send()?;
        }
        // The workers end when the queue is closed and empty.
        self.work = None;
        while self.next < self.sent {
            match self.done.recv() {
                Ok((seq, rows)) => {
                    self.waiting.insert(seq, rows?);
                }
                Err(_) => break,
            }
            self.emit_ready(emit)?;
        }
        self.emit_ready(emit)
    }

    fn send(&mut self) -> Result<(), ExportJobError> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let work = self.work.as_ref().expect("open until finish");
        work.send((self.sent, batch)).map_err(|_| {
            ExportJobError::Export(flokk_export::ExportError::Io(std::io::Error::other(
                "a row formatter stopped",
            )))
        })?;
        self.sent += 1;
        Ok(())
    }

    fn emit_ready(
        &mut self,
        emit: &mut dyn FnMut(Row) -> Result<(), ExportJobError>,
    ) -> Result<(), ExportJobError> {
        while let Some(rows) = self.waiting.remove(&self.next) {
            for row in rows {
                emit(row)?;
            }
            self.next += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_out_in_the_order_they_went_in() {
        let mut out = Vec::new();
        let make = || {
            |n: u32| -> Result<Option<Row>, ExportJobError> {
                // Uneven work, so batches finish out of order.
                if n.is_multiple_of(7) {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                Ok((!n.is_multiple_of(11)).then(|| (n, n.to_string().into_bytes())))
            }
        };
        std::thread::scope(|scope| {
            let mut rows = ParallelRows::start(scope, 3, &make);
            let mut emit = |row: Row| -> Result<(), ExportJobError> {
                out.push(row.0);
                Ok(())
            };
            for n in 0..5000 {
                rows.push(n, &mut emit).unwrap();
            }
            rows.finish(&mut emit).unwrap();
        });
        let want: Vec<u32> = (0..5000u32).filter(|n| !n.is_multiple_of(11)).collect();
        assert_eq!(out, want);
    }
}
