//! Excel workbooks: one sheet, typed cells, the header row frozen.
//!
//! The sheet is written in `rust_xlsxwriter`'s constant-memory mode: each
//! row goes to a temporary file as the next begins, text is written inline
//! (no shared-strings table, which would grow with every distinct email),
//! and the columns are fitted as rows pass (`xlsx_widths`), so memory does
//! not grow with the number of customers.

use crate::ExportError;
use crate::columns::{Cell, money_text, yes_no};
use crate::xlsx_widths::Widths;
use jiff::fmt::temporal::Pieces;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::{Seek, Write};

/// The most data rows a sheet holds (1,048,576 rows less the header).
pub(crate) const MAX_CUSTOMERS: u32 = 1_048_575;
/// The most UTF-16 units a cell's text may have.
const MAX_TEXT: usize = 32_767;

/// A workbook being filled, row by row.
pub(crate) struct Sheet {
    book: Workbook,
    header: Format,
    datetime: Format,
    date: Format,
    /// Number formats for money with 0 to 4 decimals (`0.00` for EUR).
    money: [Format; 5],
    rows: u32,
    widths: Widths,
}

impl Sheet {
    /// A workbook with one sheet `Customers` and its header row.
    pub(crate) fn new<'a>(headers: impl Iterator<Item = &'a str>) -> Result<Self, ExportError> {
        let mut sheet = Sheet {
            book: Workbook::new(),
            header: Format::new().set_bold(),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            // Decision: no thousands separator (`#,##0.00`): the column
            // reads like Shopify's own export and the CSV, and a merchant
            // can still format it.
            money: ["0", "0.0", "0.00", "0.000", "0.0000"].map(|f| Format::new().set_num_format(f)),
            rows: 0,
            widths: Widths::default(),
        };
        let ws = sheet.book.add_worksheet_with_constant_memory()?;
        ws.set_name("Customers")?;
        ws.set_freeze_panes(1, 0)?;
        for (col, h) in headers.enumerate() {
            let col =
                u16::try_from(col).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            ws.write_string_with_format(0, col, h, &sheet.header)?;
            sheet.widths.text(usize::from(col), h);
        }
        Ok(sheet)
    }

    /// Appends one customer's row.
    pub(crate) fn push(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        if self.rows >= MAX_CUSTOMERS {
            return Err(ExportError::TooManyRows {
                limit: MAX_CUSTOMERS,
            });
        }
        self.rows += 1;
        let row = self.rows;
        let ws = self
            .book
            .worksheet_from_index(0)
            .map_err(ExportError::Xlsx)?;
        let widths = &mut self.widths;
        for (at, cell) in cells.iter().enumerate() {
            let col =
                u16::try_from(at).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            match cell {
                Cell::Empty => {}
                Cell::Bool(b) => {
                    ws.write_string(row, col, yes_no(*b))?;
                    widths.text(at, yes_no(*b));
                }
                Cell::Number(n) => {
                    let n = n.as_f64().unwrap_or(0.0);
                    ws.write_number(row, col, n)?;
                    widths.number(at, n);
                }
                Cell::Money(v, decimals) => {
                    let format = &self.money[(*decimals as usize).min(4)];
                    ws.write_number_with_format(row, col, *v, format)?;
                    widths.shown_number(at, &money_text(*v, *decimals));
                }
                Cell::FieldText(s) => match date_cell(s) {
                    Some((dt, true)) => {
                        ws.write_datetime_with_format(row, col, dt, &self.datetime)?;
                        widths.date(at);
                    }
                    Some((d, false)) => {
                        ws.write_datetime_with_format(row, col, d, &self.date)?;
                        widths.date(at);
                    }
                    None => {
                        ws.write_string(row, col, cut(s))?;
                        widths.text(at, cut(s));
                    }
                },
                Cell::Text(s) => {
                    ws.write_string(row, col, cut(s))?;
                    widths.text(at, cut(s));
                }
            }
        }
        Ok(())
    }

    /// Writes the finished workbook to `out`. The zip is assembled in a
    /// temporary file first: the writer needs `Send`, which `out` need not
    /// be, and a buffer would hold the whole file.
    pub(crate) fn finish(mut self, out: &mut impl Write) -> Result<(), ExportError> {
        let ws = self.book.worksheet_from_index(0)?;
        for (col, width) in self.widths.columns() {
            let col =
                u16::try_from(col).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            ws.set_column_autofit_width(col, width)?;
        }
        let mut file = tempfile::tempfile()?;
        self.book.save_to_writer(&mut file)?;
        file.rewind()?;
        std::io::copy(&mut file, out)?;
        Ok(())
    }
}

/// An Excel date for an RFC 3339 date-time with offset (`true`: has a
/// time, the local time as written) or a plain `YYYY-MM-DD` date.
fn date_cell(s: &str) -> Option<(ExcelDateTime, bool)> {
    let bytes = s.as_bytes();
    // Cheap shape check first: `YYYY-MM-DD` and, for date-times, `T`.
    if bytes.len() < 10 || !bytes[..4].iter().all(u8::is_ascii_digit) || bytes[4] != b'-' {
        return None;
    }
    let pieces = Pieces::parse(s).ok()?;
    let date = pieces.date();
    let year = u16::try_from(date.year()).ok().filter(|y| *y >= 1900)?;
    let day = ExcelDateTime::from_ymd(year, date.month().unsigned_abs(), date.day().unsigned_abs())
        .ok()?;
    match (pieces.time(), pieces.offset()) {
        (None, None) if s.len() == 10 => Some((day, false)),
        (Some(t), Some(_)) => {
            let secs = f64::from(t.second()) + f64::from(t.subsec_nanosecond()) / 1e9;
            let dt = day
                .and_hms(
                    t.hour().unsigned_abs().into(),
                    t.minute().unsigned_abs(),
                    secs,
                )
                .ok()?;
            Some((dt, true))
        }
        _ => None,
    }
}

/// Text cut to what a cell holds.
fn cut(s: &str) -> &str {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_TEXT {
            return &s[..i];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_recognised() {
        assert!(matches!(
            date_cell("2026-01-02T10:00:00+01:00"),
            Some((_, true))
        ));
        assert!(matches!(date_cell("2026-01-02T10:00:00Z"), Some((_, true))));
        assert!(matches!(date_cell("2026-01-02"), Some((_, false))));
        assert!(date_cell("2026-01-02T10:00:00").is_none());
        assert!(date_cell("1850-01-02").is_none());
        assert!(date_cell("2026-13-02").is_none());
        assert!(date_cell("champions").is_none());
        assert!(date_cell("20260102").is_none());
    }

    #[test]
    fn long_text_is_cut_on_a_char() {
        let s = "ø".repeat(40_000);
        assert_eq!(cut(&s).chars().count(), MAX_TEXT);
        assert_eq!(cut("short"), "short");
    }
}
