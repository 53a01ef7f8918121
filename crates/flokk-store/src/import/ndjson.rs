//! Streaming NDJSON reader: one record a line, errors with line numbers,
//! constant memory whatever the file size.

use super::{LocatedRow, RejectedRow};
use flokk_model::{ParseOptions, Record, parse_record};
use std::io::BufRead;

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
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
            self.line_no += 1;
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
