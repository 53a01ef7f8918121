//! Member lists (`flokk members --format csv|json`): a page of members
//! written as CSV rows or customer documents. A large page is read from the
//! store in one pass like an export; in id order its rows stream straight
//! out, in another order (`--sort amount_spent`) they are written to a
//! temporary file as they are read and copied out in the page's order, so
//! memory stays flat either way. A short page is read member by member.
//! Computed and predictive fields come from the engine, as in `customer
//! show`.

use super::bulk::each_member_in_bulk;
use super::{ExportJobError, ExportReading, profile_of};
use crate::views::customer::{MEMBER_CSV_COLUMNS, member_csv_row, write_member_document};
use flokk_engine::predictions::remembered::RememberedPredictions;
use flokk_engine::{CustomerSet, Engine, Evaluator};
use flokk_export::ExportError;
use flokk_model::Customer;
use flokk_segments::SegmentGraph;
use flokk_segments::index::SegmentsOfMany;
use flokk_store::{Coordinates, CustomerParts, Store};
use jiff::tz::TimeZone;
use std::cell::RefCell;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;

/// How a member list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberListFormat {
    /// [`MEMBER_CSV_COLUMNS`], one row a member.
    Csv,
    /// One JSON array of member documents ([`write_member_document`]).
    Json,
}

fn io(e: std::io::Error) -> ExportJobError {
    ExportJobError::Export(ExportError::Io(e))
}

/// Writes one member's row (a CSV line or a JSON document, no separator).
struct Rows<'a> {
    engine: &'a Engine,
    evaluator: &'a Evaluator<'a>,
    tz: &'a TimeZone,
    format: MemberListFormat,
    segments: Option<&'a SegmentsOfMany>,
    /// The members' predictive fields (json only: a CSV list has none, so
    /// it never fits or loads the models).
    predictions: Option<RefCell<RememberedPredictions<'a>>>,
}

impl Rows<'_> {
    fn write(
        &self,
        out: &mut Vec<u8>,
        customer: Customer,
        coordinates: Coordinates,
        c: u32,
    ) -> Result<(), ExportJobError> {
        match self.format {
            MemberListFormat::Csv => {
                let row = member_csv_row(
                    &customer,
                    &self.evaluator.facts(c),
                    self.tz,
                    self.evaluator.currency_decimals(),
                );
                // A writer per row, with a buffer the size of a row: the
                // row's bytes are wanted on their own.
                let mut w = csv::WriterBuilder::new()
                    .buffer_capacity(512)
                    .from_writer(out);
                w.write_record(&row).map_err(ExportError::from)?;
                w.flush().map_err(io)?;
            }
            MemberListFormat::Json => {
                let mut profile = profile_of(customer);
                profile.coordinates = coordinates;
                let names = self.segments.as_ref().map(|s| s.of(c)).unwrap_or_default();
                let predicted = match &self.predictions {
                    Some(p) => p.borrow_mut().of(c),
                    None => self.evaluator.predictions_of(c),
                };
                write_member_document(
                    out,
                    &profile,
                    self.engine,
                    self.evaluator,
                    predicted,
                    names,
                    c,
                    self.tz,
                )
                .map_err(|e| io(e.into()))?;
            }
        }
        Ok(())
    }
}

/// The list's opening, separator and closing around the rows.
fn opening(format: MemberListFormat) -> Result<Vec<u8>, ExportJobError> {
    Ok(match format {
        MemberListFormat::Csv => {
            let mut header = csv::Writer::from_writer(Vec::new());
            header
                .write_record(MEMBER_CSV_COLUMNS)
                .map_err(ExportError::from)?;
            header.into_inner().map_err(|e| io(e.into_error()))?
        }
        MemberListFormat::Json => b"[".to_vec(),
    })
}

/// Writes the members `page` (in the order given) to `out` in `format`;
/// `in_id_order` says the page is sorted by ascending id. `progress` is told
/// how many members have been read every thousand.
#[allow(clippy::too_many_arguments)]
pub fn write_member_list<W: Write>(
    store: &Store,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    graph: &SegmentGraph,
    page: &[u32],
    in_id_order: bool,
    format: MemberListFormat,
    tz: &TimeZone,
    mut out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ExportJobError> {
    let segments = match format {
        MemberListFormat::Json => {
            let set: CustomerSet = page.iter().copied().collect();
            Some(SegmentsOfMany::new(evaluator, graph, &set)?)
        }
        MemberListFormat::Csv => None,
    };
    let rows = Rows {
        engine,
        evaluator,
        tz,
        format,
        segments: segments.as_ref(),
        predictions: (format == MemberListFormat::Json)
            .then(|| RefCell::new(evaluator.remembered_predictions())),
    };
    let separator: &[u8] = match format {
        MemberListFormat::Csv => b"",
        MemberListFormat::Json => b",",
    };
    out.write_all(&opening(format)?).map_err(io)?;
    let mut row = Vec::new();
    let mut written = 0u64;
    let mut emit = |out: &mut W, row: &[u8]| {
        if written > 0 {
            out.write_all(separator)?;
        }
        written += 1;
        out.write_all(row)
    };
    if !ExportReading::Auto.in_bulk(page.len() as u64, engine.customers.ids.len()) {
        for (n, &c) in page.iter().enumerate() {
            // A customer deleted since the engine last caught up is skipped.
            if let Some((customer, coordinates)) =
                store.customer_with_coordinates(evaluator.id(c))?
            {
                row.clear();
                rows.write(&mut row, customer, coordinates, c)?;
                emit(&mut out, &row).map_err(io)?;
            }
            if (n + 1) % 1000 == 0 {
                progress(n as u64 + 1);
            }
        }
    } else {
        // The CSV columns are the record's own fields; a document has all.
        let parts = match format {
            MemberListFormat::Csv => CustomerParts {
                tags: false,
                grants: false,
                addresses: false,
                properties: false,
            },
            MemberListFormat::Json => CustomerParts::WHOLE,
        };
        let mut by_id: Vec<(&str, u32)> = page.iter().map(|&c| (evaluator.id(c), c)).collect();
        // Decision: rows are formatted on this thread. Formatting JSON
        // documents on worker threads (records read here, handed over in
        // batches, written back in order) was tried and measured at 1M on
        // the shared 2-core machine: 15.5 CPU-s against 12 and no faster
        // wall time (records allocated here and freed there, hand-overs).
        if in_id_order {
            each_member_in_bulk(
                store,
                parts,
                &by_id,
                progress,
                |customer, coordinates, c| {
                    row.clear();
                    rows.write(&mut row, customer, coordinates, c)?;
                    emit(&mut out, &row).map_err(io)
                },
            )?;
        } else {
            // Rows go to a temporary file in id order, each one's place
            // noted by its position in the page, then out in page order.
            by_id.sort_unstable();
            let mut position = vec![u32::MAX; engine.customers.ids.len()];
            for (at, &c) in page.iter().enumerate() {
                position[c as usize] = at as u32;
            }
            let spill = tempfile::tempfile().map_err(io)?;
            let mut spilled = BufWriter::with_capacity(1 << 20, &spill);
            let mut place: Vec<(u64, u32)> = vec![(0, 0); page.len()];
            let mut offset = 0u64;
            each_member_in_bulk(
                store,
                parts,
                &by_id,
                progress,
                |customer, coordinates, c| {
                    row.clear();
                    rows.write(&mut row, customer, coordinates, c)?;
                    spilled.write_all(&row).map_err(io)?;
                    place[position[c as usize] as usize] = (offset, row.len() as u32);
                    offset += row.len() as u64;
                    Ok(())
                },
            )?;
            spilled.flush().map_err(io)?;
            drop(spilled);
            for &(at, len) in &place {
                // A member the store no longer has was never written.
                if len == 0 {
                    continue;
                }
                row.resize(len as usize, 0);
                spill.read_exact_at(&mut row, at).map_err(io)?;
                emit(&mut out, &row).map_err(io)?;
            }
        }
    }
    if format == MemberListFormat::Json {
        out.write_all(b"]\n").map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(())
}
