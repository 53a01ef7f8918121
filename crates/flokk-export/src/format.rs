//! The export formats and their names.

use crate::ExportError;
use std::fmt;
use std::str::FromStr;

/// An export format (data.md §3). Parsed from and displayed as its name:
/// `csv-excel`, `csv`, `xlsx`, `meta` (`meta --raw` is `Meta { raw: true }`,
/// set by the caller), `google`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// CSV for spreadsheets: BOM, CRLF, protected cells.
    CsvExcel,
    /// Plain CSV: no BOM, LF, values as they are.
    Csv,
    /// An Excel workbook with typed cells.
    Xlsx,
    /// A Meta custom audience list; `raw` writes normalised values unhashed.
    Meta {
        /// Write the normalised values instead of their SHA-256.
        raw: bool,
    },
    /// A Google Customer Match list.
    Google,
}

impl ExportFormat {
    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::CsvExcel => "csv-excel",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Meta { .. } => "meta",
            ExportFormat::Google => "google",
        }
    }

    /// Whether the format is an ad audience (consent gate, fixed columns).
    pub fn is_audience(self) -> bool {
        matches!(self, ExportFormat::Meta { .. } | ExportFormat::Google)
    }

    /// The usual file extension: `csv` or `xlsx`.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            _ => "csv",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "csv-excel" => ExportFormat::CsvExcel,
            "csv" => ExportFormat::Csv,
            "xlsx" => ExportFormat::Xlsx,
            "meta" => ExportFormat::Meta { raw: false },
            "google" => ExportFormat::Google,
            _ => return Err(ExportError::UnknownFormat(s.to_owned())),
        })
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in ["csv-excel", "csv", "xlsx", "meta", "google"] {
            let f: ExportFormat = name.parse().unwrap();
            assert_eq!(f.to_string(), name);
        }
        let err = "excel".parse::<ExportFormat>().unwrap_err();
        assert!(err.is_user_error());
        insta::assert_snapshot!(err, @"unknown export format 'excel': expected one of csv-excel, csv, xlsx, meta, google");
    }
}
