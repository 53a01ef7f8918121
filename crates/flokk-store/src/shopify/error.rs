//! What can go wrong reading a Shopify CSV file: the header (the whole file
//! is unusable) or one row (the importer decides whether to skip it).

use super::ShopifyFormat;
use thiserror::Error;

/// The file cannot be read at all: its header is missing, unreadable, or
/// does not belong to a Shopify export flokk knows.
#[derive(Debug, Error)]
pub enum HeaderError {
    /// The file has no header line.
    #[error("the file is empty: expected a Shopify CSV header on line 1")]
    Empty,
    /// Reading the file failed.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The header is not valid UTF-8.
    #[error("line 1: the header is not valid UTF-8 (Shopify exports are UTF-8)")]
    NotUtf8,
    /// The header matches none of the Shopify formats.
    #[error(
        "line 1: not a Shopify customers export, customer import template or orders export \
         (no 'Lineitem name', 'Customer ID' or 'Default Address …' column); header: {header}"
    )]
    UnknownFormat {
        /// The header as read, for the message.
        header: String,
    },
    /// The format was recognised (or forced) but columns it needs are absent.
    #[error("line 1: the {format} file lacks the required column(s) {}", quoted(.missing))]
    MissingColumns {
        /// The format the header was read as.
        format: ShopifyFormat,
        /// The required columns that are missing, in Shopify's spelling.
        missing: Vec<String>,
    },
    /// A column flokk reads appears more than once, so it is unclear which to use.
    #[error("line 1: the column '{0}' appears more than once")]
    DuplicateColumn(String),
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row (or, in an orders export, one order spread over several rows)
/// that could not be turned into a record. Reading continues after it.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("line {line}: {}{reason}", .field.as_ref().map(|f| format!("column '{f}': ")).unwrap_or_default())]
pub struct RowError {
    /// 1-based physical line where the offending row starts (the header is
    /// line 1; quoted cells spanning several lines are accounted for).
    pub line: u64,
    /// The column at fault, in Shopify's spelling (`Total`), if one is.
    pub field: Option<String>,
    /// What is wrong, for a person to read.
    pub reason: String,
    /// The rejected text exactly as it was in the file, without the final
    /// line break (invalid UTF-8 replaced by U+FFFD). For an order this is
    /// every row of the order, so a reject file holds whole orders and can
    /// be corrected and re-imported. Write it after the file's header.
    pub raw: String,
}

impl RowError {
    pub(crate) fn new(line: u64, field: Option<&str>, reason: impl Into<String>) -> Self {
        RowError {
            line,
            field: field.map(str::to_owned),
            reason: reason.into(),
            raw: String::new(),
        }
    }
}

/// What the reader yields instead of a record.
#[derive(Debug, Error)]
pub enum ReadError {
    /// One row (or order) is bad; the reader goes on with the next.
    #[error(transparent)]
    Row(#[from] RowError),
    /// Reading the input failed; nothing more can be read, and the reader
    /// ends after this.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    /// The row error, if this is one.
    pub fn as_row(&self) -> Option<&RowError> {
        match self {
            ReadError::Row(e) => Some(e),
            ReadError::Io(_) => None,
        }
    }
}
