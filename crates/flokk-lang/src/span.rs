//! Byte ranges into the query text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the query text.
///
/// Serialised as `[start, end]`, the shape the CLI and API promise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The text this span covers in `src` (empty when out of range).
    pub fn text(self, src: &str) -> &str {
        src.get(self.start..self.end).unwrap_or("")
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> Self {
        [span.start, span.end]
    }
}

/// The 1-based line and column (in characters) where byte `offset` of `src` is.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let mut line = 1;
    let mut line_start = 0;
    for (i, b) in src.bytes().enumerate().take(offset) {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    // `offset` may fall inside a multi-byte character only for spans we did
    // not make; count whole characters before it.
    let column = src
        .get(line_start..)
        .map(|rest| {
            rest.char_indices()
                .take_while(|(i, _)| line_start + i < offset)
                .count()
        })
        .unwrap_or(0);
    (line, column + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let src = "a = 'ø'\nbb = 1";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 7), (1, 7));
        assert_eq!(line_column(src, 8), (1, 8));
        assert_eq!(line_column(src, 9), (2, 1));
        assert_eq!(line_column(src, 11), (2, 3));
    }

    #[test]
    fn span_serialises_as_a_pair() {
        assert_eq!(serde_json::to_string(&Span::new(3, 7)).unwrap(), "[3,7]");
    }
}
