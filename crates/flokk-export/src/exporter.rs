//! The exporter: takes customers one by one and writes them in a format.

use crate::audience::{Audience, Outcome};
use crate::spreadsheet::{self, CsvField, render};
use crate::xlsx::Sheet;
use crate::{Columns, ExportError, ExportFormat};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// One customer to export: the record and the document of computed fields
/// (an object keyed by filter name, `null` where unknown), as
/// `flokk-server`'s `customer_view` makes it.
#[derive(Debug, Clone, Copy)]
pub struct ExportCustomer<'a> {
    /// The customer record.
    pub customer: &'a flokk_model::Customer,
    /// The computed fields.
    pub fields: &'a serde_json::Value,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Customers written.
    pub exported: u64,
    /// Customers left out, by reason: `no_consent` (neither email nor SMS
    /// marketing consent), `no_contact` (consent, but no usable email or
    /// phone for it). Only ad audiences leave customers out.
    pub left_out: BTreeMap<&'static str, u64>,
    /// Phones left empty in exported rows, by reason:
    /// `phone_no_country_code`, `phone_invalid`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub blanked: BTreeMap<&'static str, u64>,
}

enum Sink<W: Write> {
    Csv {
        out: csv::Writer<W>,
        excel: bool,
        columns: Columns,
    },
    Xlsx {
        sheet: Box<Sheet>,
        out: W,
        columns: Columns,
    },
    Audience {
        out: csv::Writer<W>,
        audience: Audience,
    },
}

/// Writes customers in an [`ExportFormat`] to `W`, one [`push`] at a
/// time; [`finish`] completes the file and says what was written.
///
/// CSV formats stream to `W` (wrap a file in a `BufWriter`); `xlsx` writes
/// rows to a temporary file and the workbook to `W` at [`finish`].
///
/// [`push`]: Exporter::push
/// [`finish`]: Exporter::finish
pub struct Exporter<W: Write> {
    sink: Sink<W>,
    summary: ExportSummary,
}

impl<W: Write> Exporter<W> {
    /// An exporter writing `format` to `out`, the header already written
    /// (for `xlsx`, kept until [`finish`](Exporter::finish)). `columns`
    /// applies to `csv`, `csv-excel` and `xlsx`; `meta` and `google` have
    /// fixed columns.
    ///
    /// # Errors
    ///
    /// [`ExportError::FixedColumns`] for chosen columns with `meta` or
    /// `google`; an I/O error writing the header.
    pub fn new(format: ExportFormat, columns: Columns, out: W) -> Result<Self, ExportError> {
        let sink = match format {
            ExportFormat::Csv | ExportFormat::CsvExcel => {
                let excel = format == ExportFormat::CsvExcel;
                let mut out = spreadsheet::writer(out, excel)?;
                out.write_record(columns.headers())?;
                Sink::Csv {
                    out,
                    excel,
                    columns,
                }
            }
            ExportFormat::Xlsx => Sink::Xlsx {
                sheet: Box::new(Sheet::new(columns.headers())?),
                out,
                columns,
            },
            ExportFormat::Meta { .. } | ExportFormat::Google if columns.is_chosen() => {
                return Err(ExportError::FixedColumns {
                    format: format.name(),
                });
            }
            ExportFormat::Meta { .. } | ExportFormat::Google => {
                let audience = match format {
                    ExportFormat::Meta { raw } => Audience::Meta { raw },
                    _ => Audience::Google,
                };
                let mut out = spreadsheet::writer(out, false)?;
                out.write_record(audience.headers())?;
                Sink::Audience { out, audience }
            }
        };
        Ok(Exporter {
            sink,
            summary: ExportSummary::default(),
        })
    }

    /// Writes one customer, or counts why they are left out.
    ///
    /// # Errors
    ///
    /// An I/O error; [`ExportError::TooManyRows`] past what an xlsx sheet
    /// holds.
    pub fn push(&mut self, c: &ExportCustomer<'_>) -> Result<(), ExportError> {
        match &mut self.sink {
            Sink::Csv {
                out,
                excel,
                columns,
            } => {
                let mut cells = Vec::new();
                columns.cells_into(c, &mut cells);
                out.write_record(cells.iter().map(|cell| CsvField(render(cell, *excel))))?;
            }
            Sink::Xlsx { sheet, columns, .. } => {
                let mut cells = Vec::new();
                columns.cells_into(c, &mut cells);
                sheet.push(&cells)?;
            }
            Sink::Audience { out, audience } => match audience.row(c.customer) {
                Outcome::Row { cells, blanked } => {
                    out.write_record(&cells)?;
                    if let Some(reason) = blanked {
                        *self.summary.blanked.entry(reason).or_default() += 1;
                    }
                }
                Outcome::LeftOut(reason) => {
                    *self.summary.left_out.entry(reason).or_default() += 1;
                    return Ok(());
                }
            },
        }
        self.summary.exported += 1;
        Ok(())
    }

    /// Completes the file, flushes the writer and says what was written.
    ///
    /// # Errors
    ///
    /// An I/O error, or the xlsx writer's.
    pub fn finish(self) -> Result<ExportSummary, ExportError> {
        match self.sink {
            Sink::Csv { out, .. } | Sink::Audience { out, .. } => {
                let mut w = out.into_inner().map_err(|e| e.into_error())?;
                w.flush()?;
            }
            Sink::Xlsx { sheet, mut out, .. } => {
                sheet.finish(&mut out)?;
                out.flush()?;
            }
        }
        Ok(self.summary)
    }
}
