//! CSV files: plain (`csv`), for spreadsheets (`csv-excel`), and the plain
//! files of ad audiences.

use crate::columns::{Cell, money_text, plain_number, yes_no};
use std::borrow::Cow;
use std::io::Write;

/// The UTF-8 byte order mark that tells spreadsheets the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer: `excel` writes a BOM, CRLF line ends and protects cells;
/// otherwise LF and values as they are. Quoting is RFC 4180's in both.
pub(crate) fn writer<W: Write>(mut out: W, excel: bool) -> std::io::Result<csv::Writer<W>> {
    if excel {
        out.write_all(BOM)?;
    }
    let terminator = if excel {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    Ok(csv::WriterBuilder::new()
        .terminator(terminator)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out))
}

/// The text of a cell in CSV; `excel` protects text cells.
pub(crate) fn render<'a>(cell: &'a Cell<'_>, excel: bool) -> Cow<'a, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Bool(b) => Cow::Borrowed(yes_no(*b)),
        Cell::Number(n) => Cow::Owned(plain_number(n)),
        Cell::Money(v, decimals) => Cow::Owned(money_text(*v, *decimals)),
        Cell::Text(s) if excel => protect(s),
        Cell::FieldText(s) if excel => protect(s),
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::FieldText(s) => Cow::Borrowed(s),
    }
}

/// A rendered cell as the CSV writer takes it, without copying it.
pub(crate) struct CsvField<'a>(pub(crate) Cow<'a, str>);

impl AsRef<[u8]> for CsvField<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Text a spreadsheet would run as a formula or turn into a number gets a
/// leading `'` (see the crate doc).
pub(crate) fn protect(s: &str) -> Cow<'_, str> {
    let formula = matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let digits = s.len() >= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let mangled = digits && (s.starts_with('0') || s.len() >= 12);
    if formula || mangled {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protection() {
        for (s, want) in [
            ("=1+1", "'=1+1"),
            ("+4791234567", "'+4791234567"),
            ("-5", "'-5"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("0123", "'0123"),
            ("7434558324993", "'7434558324993"),
            ("12345678901", "12345678901"),
            ("0", "0"),
            ("a=b", "a=b"),
            ("", ""),
            ("Ann", "Ann"),
        ] {
            assert_eq!(protect(s), want, "{s:?}");
        }
    }
}
