//! Column widths fitted to the contents, as `Worksheet::autofit` fits them.
//!
//! A constant-memory sheet keeps no rows to fit at the end, so the widest
//! cell of each column is tracked as rows are written, with
//! `rust_xlsxwriter`'s own measures: a text's widest line in Excel's
//! character pixels, 7 pixels a digit for a number, 68 for a date; plus 7
//! pixels of padding, at most 1,790 pixels (Excel's autofit limit).

use rust_xlsxwriter::utility::cell_autofit_width;

/// Excel's widest autofitted column, in pixels.
const MAX_WIDTH: u32 = 1790;
/// A cell's padding, in pixels.
const PADDING: u32 = 7;
/// A date or date-time cell, in pixels (Excel's default date format).
const DATE: u32 = 68;

/// The widest cell seen in each column, in pixels.
#[derive(Debug, Default)]
pub(crate) struct Widths {
    max: Vec<u32>,
}

impl Widths {
    /// A text cell in column `col`.
    pub(crate) fn text(&mut self, col: usize, s: &str) {
        let width = s
            .lines()
            .map(|line| cell_autofit_width(line) - PADDING)
            .max()
            .unwrap_or(0);
        self.fit(col, width);
    }

    /// A number cell in column `col`.
    pub(crate) fn number(&mut self, col: usize, n: f64) {
        self.shown_number(col, &n.to_string());
    }

    /// A number cell in column `col` whose format shows it as `shown`
    /// (money with its decimals: `19.90`).
    pub(crate) fn shown_number(&mut self, col: usize, shown: &str) {
        self.fit(col, 7 * shown.len() as u32);
    }

    /// A date or date-time cell in column `col`.
    pub(crate) fn date(&mut self, col: usize) {
        self.fit(col, DATE);
    }

    fn fit(&mut self, col: usize, content: u32) {
        if content == 0 {
            return;
        }
        let width = (content + PADDING).min(MAX_WIDTH);
        if self.max.len() <= col {
            self.max.resize(col + 1, 0);
        }
        self.max[col] = self.max[col].max(width);
    }

    /// Each column's width in pixels, for columns with any content.
    pub(crate) fn columns(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.max
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0)
            .map(|(col, w)| (col, *w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    /// The sheet XML's `<cols>` element.
    fn cols(book: &mut Workbook) -> String {
        let bytes = book.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        let start = sheet.find("<cols>").unwrap();
        let end = sheet.find("</cols>").unwrap();
        sheet[start..end].to_owned()
    }

    #[test]
    fn widths_are_autofits() {
        let texts = ["Customer ID", "Ø", "two\nlines here", "", &"w".repeat(300)];
        let numbers = [3.0, 1234.5, -0.125, 1e20];
        let mut fitted = Workbook::new();
        let ws = fitted.add_worksheet();
        let mut widths = Widths::default();
        for (row, s) in texts.iter().enumerate() {
            ws.write_string(row as u32, 0, *s).unwrap();
            widths.text(0, s);
            let first: String = s.chars().take(1).collect();
            ws.write_string(row as u32, 3, &first).unwrap();
            widths.text(3, &first);
        }
        for (row, n) in numbers.iter().enumerate() {
            ws.write_number(row as u32, 1, *n).unwrap();
            widths.number(1, *n);
        }
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 2).unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        ws.write_datetime_with_format(0, 2, day, &date).unwrap();
        widths.date(2);
        ws.autofit();
        let mut mine = Workbook::new();
        let ws = mine.add_worksheet();
        for (col, w) in widths.columns() {
            ws.set_column_autofit_width(col as u16, w).unwrap();
        }
        assert_eq!(cols(&mut mine), cols(&mut fitted));
    }
}
