//! Streaming NDJSON reader: one record a line, errors with line numbers,
//! constant memory whatever the file size.

use super::{LocatedRow, RejectedRow};
use flokk_model::{ParseOptions, Record, parse_record};
use std::io::{BufRead, Read};

/// The longest line (one record) flokk reads: 1 MiB. A real record is a few
/// kilobytes (an order of 10,000 lines fits); a longer line is refused
/// without being held, so one line can never take the memory of a whole
/// import (a 10 MB line of a million tags took 450 MB).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads records from NDJSON, skipping blank lines.
pub struct NdjsonReader<R> {
    input: R,
    options: ParseOptions,
    line_no: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> NdjsonReader<R> {
    /// Reads from `input`.
    pub fn new(input: R, options: ParseOptions) -> Self {
        NdjsonReader {
            input,
            options,
            line_no: 0,
            buf: Vec::with_capacity(4096),
        }
    }

    /// The 1-based number of the last line read.
    pub fn line(&self) -> u64 {
        self.line_no
    }
}

impl<R: BufRead> Iterator for NdjsonReader<R> {
    type Item = std::io::Result<Result<LocatedRow<Record>, RejectedRow>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            let limit = MAX_LINE_BYTES as u64 + 1;
            match (&mut self.input)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
            {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
            self.line_no += 1;
            if self.buf.len() > MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') {
                let kept = String::from_utf8_lossy(&self.buf[..200]).into_owned();
                if let Err(e) = skip_line(&mut self.input) {
                    return Some(Err(e));
                }
                return Some(Ok(Err(RejectedRow {
                    line: self.line_no,
                    field: None,
                    reason: format!(
                        "the line is longer than {} bytes, the most one record may take",
                        MAX_LINE_BYTES
                    ),
                    raw: format!("{kept}..."),
                })));
            }
            let mut bytes = &self.buf[..];
            if self.line_no == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let reject = |field: Option<String>, reason: String, raw: String| RejectedRow {
                line: self.line_no,
                field,
                reason,
                raw,
            };
            let line = match std::str::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => {
                    let raw = String::from_utf8_lossy(bytes).into_owned();
                    return Some(Ok(Err(reject(None, format!("not valid UTF-8: {e}"), raw))));
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some(Ok(parse_record(line, self.options)
                .map(|record| (self.line_no, record))
                .map_err(|e| reject(e.field(), e.to_string(), line.to_owned()))));
        }
    }
}

/// Reads past the rest of an overlong line without keeping it.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(end) = chunk.iter().position(|b| *b == b'\n') {
            input.consume(end + 1);
            return Ok(());
        }
        let len = chunk.len();
        input.consume(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_line_is_refused_and_the_next_is_read() {
        let tags = "\"a\",".repeat(MAX_LINE_BYTES / 4 + 10);
        let input = format!(
            "{{\"kind\":\"customer\",\"id\":\"1\",\"tags\":[{tags}\"b\"]}}\n{{\"kind\":\"customer\",\"id\":\"2\"}}\n"
        );
        let mut rows = NdjsonReader::new(input.as_bytes(), ParseOptions::default());
        let first = rows.next().unwrap().unwrap().unwrap_err();
        assert_eq!(first.line, 1);
        assert!(
            first.reason.contains("longer than 1048576 bytes"),
            "{}",
            first.reason
        );
        assert!(first.raw.len() < 300);
        let (line, record) = rows.next().unwrap().unwrap().unwrap();
        assert_eq!(line, 2);
        assert!(matches!(record, Record::Customer(c) if c.id == "2"));
        assert!(rows.next().is_none());
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read() {
        let prefix = "{\"kind\":\"customer\",\"id\":\"1\",\"note\":\"";
        let suffix = "\"}";
        let pad = MAX_LINE_BYTES - prefix.len() - suffix.len();
        let line = format!("{prefix}{}{suffix}", "x".repeat(pad));
        assert_eq!(line.len(), MAX_LINE_BYTES);
        let mut rows = NdjsonReader::new(line.as_bytes(), ParseOptions::default());
        let row = rows.next().unwrap().unwrap();
        // Read (whatever the record makes of the field), not refused as too long.
        if let Err(r) = &row {
            assert!(!r.reason.contains("longer than"), "{}", r.reason);
        }
    }
}
