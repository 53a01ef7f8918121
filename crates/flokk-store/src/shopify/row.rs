//! One data row, checked for shape (length, UTF-8, closed quotes) and
//! decoded, with access to its cells by column name.

use super::RowError;
use super::detect::Columns;
use super::raw_rows::RawRow;
use csv::StringRecord;

/// A data row whose cells are valid UTF-8 and as many as the header's.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// 1-based physical line the row starts on.
    pub line: u64,
    cells: StringRecord,
    columns: &'a Columns,
}

impl<'a> Row<'a> {
    /// Checks and decodes `raw`; the error carries the row's raw text.
    pub fn decode(
        raw: &RawRow,
        header: &StringRecord,
        columns: &'a Columns,
    ) -> Result<Self, RowError> {
        Self::decode_cells(raw, header, columns).map_err(|mut e| {
            e.raw = String::from_utf8_lossy(&raw.raw).into_owned();
            e
        })
    }

    fn decode_cells(
        raw: &RawRow,
        header: &StringRecord,
        columns: &'a Columns,
    ) -> Result<Self, RowError> {
        let line = raw.line;
        if raw.unterminated_quote {
            return Err(RowError::new(
                line,
                None,
                "a quoted cell is never closed: it runs to the end of the file (missing '\"')",
            ));
        }
        let (have, want) = (raw.cells.len(), header.len());
        // Spreadsheets sometimes leave empty cells after the last column;
        // only content there is a problem.
        let extra_content = raw
            .cells
            .iter()
            .skip(want)
            .any(|c| !c.iter().all(u8::is_ascii_whitespace));
        if have < want || extra_content {
            return Err(RowError::new(
                line,
                None,
                format!("the row has {have} cells but the header has {want} columns"),
            ));
        }
        // One UTF-8 check and one allocation for the whole row.
        let cells = StringRecord::from_byte_record(raw.cells.clone()).map_err(|e| {
            let e = e.utf8_error();
            RowError::new(
                line,
                Some(header.get(e.field()).unwrap_or("").trim()),
                format!(
                    "the cell is not valid UTF-8 (bad byte at position {}); \
                     save the file as UTF-8",
                    e.valid_up_to() + 1
                ),
            )
        })?;
        Ok(Row {
            line,
            cells,
            columns,
        })
    }

    /// Whether every cell is empty (spreadsheets leave such rows behind).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The trimmed cell in column `name`; `None` if the column is absent or
    /// the cell empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.at(self.columns.index(name)?)
    }

    /// The trimmed cell at `index`; `None` if empty.
    pub fn at(&self, index: usize) -> Option<&str> {
        let cell = self.cells.get(index)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    /// The columns of the file.
    pub fn columns(&self) -> &'a Columns {
        self.columns
    }

    /// An error about column `field` of this row (raw text added by the reader).
    pub fn error(&self, field: &str, reason: impl Into<String>) -> RowError {
        RowError::new(self.line, Some(field), reason)
    }

    /// Reads column `name` with `parse` when it is not empty.
    pub fn parse<T>(
        &self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, RowError> {
        self.get(name)
            .map(parse)
            .transpose()
            .map_err(|reason| self.error(name, reason))
    }
}
