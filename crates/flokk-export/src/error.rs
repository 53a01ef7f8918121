//! What can go wrong: the user's mistakes, found before anything is
//! written, and failures of the writer.

/// An export error.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format name is none of `csv-excel`, `csv`, `xlsx`, `meta`, `google`.
    #[error("unknown export format '{0}': expected one of csv-excel, csv, xlsx, meta, google")]
    UnknownFormat(String),
    /// A chosen column is neither a field nor a record column.
    #[error(
        "unknown column '{name}'{}; valid columns: {}",
        suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default(),
        valid.join(", ")
    )]
    UnknownColumn {
        /// The name as given.
        name: String,
        /// The nearest valid name, when one is near enough.
        suggestion: Option<String>,
        /// Every valid name, sorted.
        valid: Vec<String>,
    },
    /// An empty list of chosen columns.
    #[error("no columns chosen")]
    NoColumns,
    /// Chosen columns for a format whose columns are fixed.
    #[error(
        "the {format} export has fixed columns; chosen columns apply to csv, csv-excel and xlsx"
    )]
    FixedColumns {
        /// The format's name.
        format: &'static str,
    },
    /// More customers than an xlsx sheet holds.
    #[error("an xlsx sheet holds at most {limit} customers; use csv for more")]
    TooManyRows {
        /// The most customers a sheet holds.
        limit: u32,
    },
    /// Writing to the output failed.
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// The xlsx writer failed.
    #[error("making the xlsx workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

impl ExportError {
    /// Whether the error is the user's to fix (a format or column name, a
    /// list too long for xlsx) rather than a failure of the output.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ExportError::Io(_) | ExportError::Xlsx(_))
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Io(e.into())
    }
}
