//! CSV records together with the exact text they were read from and the
//! physical line they start on.
//!
//! The `csv` crate's own positions are not good enough for error messages:
//! a record's position is where the *previous* record ended, so blank lines
//! and the `\n` of a CRLF pair are counted against the wrong record. And a
//! reject file should hold the rejected text as it was, not a re-quoted
//! version. So the bytes handed to `csv` are recorded, and after each
//! record the bytes it consumed are cut off, counted for line breaks and
//! kept as the record's raw text. Only the current record and `csv`'s
//! read-ahead buffer are held, so memory stays constant.

use csv::ByteRecord;
use std::io::{self, Read};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Passes bytes through to the CSV parser, keeping a copy of everything not
/// yet claimed by a record. A leading UTF-8 byte order mark is dropped here,
/// as the `csv` crate would otherwise glue it to the first column name.
struct Recorder<R> {
    inner: R,
    /// Bytes to serve before reading `inner` again (the start of the file
    /// read while looking for a BOM).
    pending: Vec<u8>,
    bom_checked: bool,
    /// Bytes served but not yet assigned to a record.
    kept: Vec<u8>,
    /// Offset (after the BOM) of `kept[0]`.
    kept_from: u64,
    /// Whether `inner` reported the end of the input.
    eof: bool,
}

impl<R: Read> Recorder<R> {
    fn check_bom(&mut self) -> io::Result<()> {
        let mut head = [0u8; 3];
        let mut len = 0;
        while len < head.len() {
            match self.inner.read(&mut head[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if &head[..len] != UTF8_BOM {
            self.pending.extend_from_slice(&head[..len]);
        }
        self.bom_checked = true;
        Ok(())
    }
}

impl<R: Read> Read for Recorder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !self.bom_checked {
            self.check_bom()?;
        }
        let n = if self.pending.is_empty() {
            self.inner.read(out)?
        } else {
            let n = self.pending.len().min(out.len());
            out[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            n
        };
        if n == 0 && !out.is_empty() {
            self.eof = true;
        }
        self.kept.extend_from_slice(&out[..n]);
        Ok(n)
    }
}

/// One CSV record as found in the file.
#[derive(Debug)]
pub(crate) struct RawRow {
    /// 1-based physical line the record starts on.
    pub line: u64,
    /// The record's text without leading blank lines and its line break.
    pub raw: Vec<u8>,
    /// The parsed cells.
    pub cells: ByteRecord,
    /// The record ran to the end of the file inside a quoted cell.
    pub unterminated_quote: bool,
}

/// Reads records one at a time, with their line and raw text.
pub(crate) struct RawRows<R> {
    csv: csv::Reader<Recorder<R>>,
    /// Line the next unclaimed byte is on.
    line: u64,
    /// Whether the last byte counted was a `\r` (so a following `\n` is the
    /// same line break).
    after_cr: bool,
}

impl<R: Read> RawRows<R> {
    pub fn new(input: R) -> Self {
        let recorder = Recorder {
            inner: input,
            pending: Vec::new(),
            bom_checked: false,
            kept: Vec::new(),
            kept_from: 0,
            eof: false,
        };
        // `flexible`: rows of the wrong length are reported per row by the
        // reader instead of failing the parse; no header handling, as the
        // header is an ordinary record to us.
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(recorder);
        RawRows {
            csv,
            line: 1,
            after_cr: false,
        }
    }

    /// Bytes of the file (after a BOM) consumed so far, for progress reports.
    pub fn bytes_read(&self) -> u64 {
        self.csv.position().byte()
    }

    /// The next record, `None` at the end of the file.
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        let mut cells = ByteRecord::new();
        let more = self
            .csv
            .read_byte_record(&mut cells)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            })?;
        let end = self.csv.position().byte();
        let rec = self.csv.get_mut();
        let taken = usize::try_from(end - rec.kept_from).expect("record fits in memory");
        let segment: Vec<u8> = rec.kept.drain(..taken).collect();
        rec.kept_from = end;
        let at_eof = rec.eof && rec.kept.is_empty() && rec.pending.is_empty();

        // Blank lines and the `\n` of the previous CRLF come before the record.
        let start = segment
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .unwrap_or(segment.len());
        self.count_lines(&segment[..start]);
        let line = self.line;
        self.count_lines(&segment[start..]);
        if !more {
            return Ok(None);
        }
        let mut raw = segment[start..].to_vec();
        while matches!(raw.last(), Some(b'\r' | b'\n')) {
            raw.pop();
        }
        // A record only reaches the end of the input inside quotes when the
        // quote is never closed; an odd number of quote characters shows it.
        let quotes = raw.iter().filter(|b| **b == b'"').count();
        let unterminated_quote = at_eof && quotes % 2 == 1;
        Ok(Some(RawRow {
            line,
            raw,
            cells,
            unterminated_quote,
        }))
    }

    /// Advances the line counter over `bytes`; `\n`, `\r\n` and a lone `\r`
    /// each end one line, as they do for the CSV parser.
    fn count_lines(&mut self, bytes: &[u8]) {
        for b in bytes {
            match b {
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                b'\n' => {
                    if !self.after_cr {
                        self.line += 1;
                    }
                    self.after_cr = false;
                }
                _ => self.after_cr = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &[u8]) -> Vec<(u64, String, usize, bool)> {
        let mut r = RawRows::new(input);
        let mut out = Vec::new();
        while let Some(row) = r.next_row().unwrap() {
            out.push((
                row.line,
                String::from_utf8(row.raw).unwrap(),
                row.cells.len(),
                row.unterminated_quote,
            ));
        }
        out
    }

    #[test]
    fn lines_and_raw_text_with_crlf_blank_lines_and_multi_line_cells() {
        let got = rows(b"\xEF\xBB\xBFa,b\r\n1,2\r\n\r\n\"x\r\ny\",3\r\n4,5");
        assert_eq!(
            got,
            vec![
                (1, "a,b".into(), 2, false),
                (2, "1,2".into(), 2, false),
                (4, "\"x\r\ny\",3".into(), 2, false),
                (6, "4,5".into(), 2, false),
            ]
        );
    }

    #[test]
    fn lf_and_lone_cr_line_ends() {
        assert_eq!(rows(b"a\n\nb\n")[1].0, 3);
        assert_eq!(rows(b"a\rb\rc")[2].0, 3);
    }

    #[test]
    fn an_unclosed_quote_swallows_the_rest_and_is_flagged() {
        let got = rows(b"a,b\n4,\"5\n6,7\n");
        assert_eq!(got[1], (2, "4,\"5\n6,7".into(), 2, true));
        let closed = rows(b"a,b\n4,\"5\n6\",7");
        assert_eq!(closed[1], (2, "4,\"5\n6\",7".into(), 3, false));
    }

    #[test]
    fn a_bom_split_over_reads_is_still_dropped() {
        // Chain makes the first read return a single byte.
        let input = (&b"\xEF"[..]).chain(&b"\xBB\xBFa,b\n"[..]);
        let mut r = RawRows::new(input);
        let row = r.next_row().unwrap().unwrap();
        assert_eq!(&row.cells[0], b"a");
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;

    /// Produces `rows` CSV rows without ever holding them all.
    struct Generated {
        next: usize,
        rows: usize,
        pending: Vec<u8>,
    }

    impl Read for Generated {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            while self.pending.is_empty() && self.next < self.rows {
                self.pending =
                    format!("{},\"name, {}\",x@example.no\r\n", self.next, self.next).into_bytes();
                self.next += 1;
            }
            let n = self.pending.len().min(out.len());
            out[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            Ok(n)
        }
    }

    #[test]
    fn memory_stays_bounded_however_long_the_file() {
        let rows = 200_000;
        let mut r = RawRows::new(Generated {
            next: 0,
            rows,
            pending: Vec::new(),
        });
        let mut count = 0;
        while let Some(row) = r.next_row().unwrap() {
            assert_eq!(row.line, count as u64 + 1);
            count += 1;
            // Only csv's read-ahead is kept besides the current record.
            assert!(r.csv.get_ref().kept.len() <= 64 * 1024);
        }
        assert_eq!(count, rows);
    }
}
