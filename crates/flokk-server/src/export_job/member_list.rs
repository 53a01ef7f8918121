//! Member lists (`flokk members --format csv|json`): a page of members
//! written as CSV rows or customer documents, read from the store in one
//! pass like an export when the page is in id order and large, else member
//! by member. Either way, computed and predictive fields come from the
//! engine, as in `customer show`.

use super::bulk::each_member_in_bulk;
use super::{ExportJobError, ExportReading, profile_of};
use crate::views::customer::{MEMBER_CSV_COLUMNS, member_csv_row, write_member_document};
use flokk_engine::{CustomerSet, Engine, Evaluator};
use flokk_export::ExportError;
use flokk_model::Customer;
use flokk_segments::SegmentGraph;
use flokk_segments::index::SegmentsOfMany;
use flokk_store::{Coordinates, CustomerParts, Store};
use jiff::tz::TimeZone;
use std::io::Write;

/// How a member list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberListFormat {
    /// [`MEMBER_CSV_COLUMNS`], one row a member.
    Csv,
    /// One JSON array of member documents ([`write_member_document`]).
    Json,
}

/// Writes the members `page` (in the order given) to `out` in `format`;
/// `in_id_order` says the page is sorted by ascending id, which lets a large
/// page be read in one pass. `progress` is told how many members have been
/// written every thousand.
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
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ExportJobError> {
    let segments = match format {
        MemberListFormat::Json => {
            let set: CustomerSet = page.iter().copied().collect();
            Some(SegmentsOfMany::new(evaluator, graph, &set)?)
        }
        MemberListFormat::Csv => None,
    };
    let mut sink = ListSink::new(format, out)?;
    let mut write = |customer: Customer, coordinates: Coordinates, c: u32| {
        match &mut sink {
            ListSink::Csv(w) => {
                let row = member_csv_row(&customer, &evaluator.facts(c), tz);
                w.write_record(&row).map_err(ExportError::from)?;
            }
            ListSink::Json { out, first } => {
                let mut profile = profile_of(customer);
                profile.coordinates = coordinates;
                let names = segments.as_ref().map(|s| s.of(c)).unwrap_or_default();
                if !std::mem::take(first) {
                    out.write_all(b",").map_err(ExportError::from)?;
                }
                write_member_document(out, &profile, engine, evaluator, names, c, tz)
                    .map_err(|e| ExportError::from(std::io::Error::from(e)))?;
            }
        }
        Ok::<(), ExportJobError>(())
    };
    let bulk =
        in_id_order && ExportReading::Auto.in_bulk(page.len() as u64, engine.customers.ids.len());
    if bulk {
        let ids: Vec<(&str, u32)> = page.iter().map(|&c| (evaluator.id(c), c)).collect();
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
        each_member_in_bulk(store, parts, &ids, progress, &mut write)?;
    } else {
        for (n, &c) in page.iter().enumerate() {
            // A customer deleted since the engine last caught up is skipped.
            if let Some((customer, coordinates)) =
                store.customer_with_coordinates(evaluator.id(c))?
            {
                write(customer, coordinates, c)?;
            }
            if (n + 1) % 1000 == 0 {
                progress(n as u64 + 1);
            }
        }
    }
    sink.finish()
}

/// Where the rows go.
enum ListSink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json { out: W, first: bool },
}

impl<W: Write> ListSink<W> {
    /// The sink with the CSV header or the JSON array's opening written.
    fn new(format: MemberListFormat, mut out: W) -> Result<Self, ExportJobError> {
        Ok(match format {
            MemberListFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(MEMBER_CSV_COLUMNS)
                    .map_err(ExportError::from)?;
                ListSink::Csv(Box::new(w))
            }
            MemberListFormat::Json => {
                out.write_all(b"[").map_err(ExportError::from)?;
                ListSink::Json { out, first: true }
            }
        })
    }

    /// Closes the list and flushes the writer.
    fn finish(self) -> Result<(), ExportJobError> {
        let mut out = match self {
            ListSink::Csv(w) => w
                .into_inner()
                .map_err(|e| ExportError::from(e.into_error()))?,
            ListSink::Json { mut out, .. } => {
                out.write_all(b"]\n").map_err(ExportError::from)?;
                out
            }
        };
        out.flush().map_err(ExportError::from)?;
        Ok(())
    }
}
