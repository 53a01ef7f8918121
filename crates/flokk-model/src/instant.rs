//! Instants as data.md writes them: RFC 3339 text (`2024-05-30T16:00:00Z`,
//! `2024-05-30T18:00:00+02:00`).
//!
//! jiff reads offsets up to ±25:59:59, wider than RFC 3339's `time-numoffset`
//! (hours 00–23, minutes, no seconds), so `+25:00` would pass as a real
//! instant two hours off anything the sender meant. Offsets are checked here
//! before jiff parses the text.

use crate::Timestamp;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use serde::de::{Deserialize, Deserializer, Error};

/// Reads an RFC 3339 instant, refusing offsets RFC 3339 does not allow.
pub fn parse_instant(text: &str) -> Result<Timestamp, String> {
    if let Ok(pieces) = Pieces::parse(text)
        && let Some(PiecesOffset::Numeric(numeric)) = pieces.offset()
    {
        let seconds = numeric.offset().seconds();
        if seconds.abs() >= 24 * 3600 || seconds % 60 != 0 {
            return Err(format!(
                "`{text}` has the offset {}, outside RFC 3339's -23:59 to +23:59",
                numeric.offset()
            ));
        }
    }
    text.parse::<Timestamp>()
        .map_err(|e| format!("`{text}` is not an RFC 3339 instant: {e}"))
}

/// Deserialises a required instant.
pub(crate) fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    let text = String::deserialize(d)?;
    parse_instant(&text).map_err(D::Error::custom)
}

/// Deserialises an optional instant (`null` or absent is `None`).
pub(crate) fn opt_instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| parse_instant(&t).map_err(D::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::parse_instant;

    #[test]
    fn offsets_within_rfc_3339_are_read() {
        let at = |t: &str| parse_instant(t).unwrap().to_string();
        assert_eq!(at("2024-05-30T16:00:00Z"), "2024-05-30T16:00:00Z");
        assert_eq!(at("2024-05-30T16:00:00+23:59"), "2024-05-29T16:01:00Z");
        assert_eq!(at("2024-05-30T16:00:00-23:59"), "2024-05-31T15:59:00Z");
    }

    #[test]
    fn offsets_beyond_rfc_3339_are_refused() {
        // Regression: `+25:00` was accepted.
        for text in [
            "2024-05-30T16:00:00+25:00",
            "2024-05-30T16:00:00-24:00",
            "2024-05-30T16:00:00+01:00:30",
        ] {
            let err = parse_instant(text).unwrap_err();
            assert!(err.contains("outside RFC 3339"), "{text}: {err}");
        }
    }
}
