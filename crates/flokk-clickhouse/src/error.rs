//! Why a query could not be compiled to ClickHouse SQL.

use flokk_lang::time::TimeError;

/// A query the dialect cannot turn into one correct statement. The
/// dialect refuses rather than emit SQL whose meaning differs from the
/// language's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DialectError {
    /// A filter, function or parameter the dialect does not express yet
    /// (stable code `unsupported_on_clickhouse`).
    #[error("`{what}` cannot be answered on ClickHouse yet: {why}")]
    Unsupported {
        /// The filter, function or `function.parameter` named in the query.
        what: String,
        /// Why, for the person reading the message.
        why: &'static str,
    },
    /// `customer_segments CONTAINS 'X'` names no saved segment (stable
    /// code `unknown_segment`, as the engine's).
    #[error("there is no saved segment called `{name}`")]
    UnknownSegment {
        /// The name as written.
        name: String,
    },
    /// Saved segments that name each other in a circle (stable code
    /// `segment_cycle`); saving refuses them, this guards a store that
    /// holds one anyway.
    #[error("the saved segment `{name}` names itself through other segments")]
    SegmentCycle {
        /// A segment on the circle.
        name: String,
    },
    /// A date the calendar cannot hold (stable code `date_out_of_range`).
    #[error(transparent)]
    Time(#[from] TimeError),
    /// `place` or `postcode` names no single place in the gazetteer
    /// (stable codes `unknown_place`, `ambiguous_place`, as the engine's).
    #[error(transparent)]
    Place(#[from] flokk_geo::PlaceError),
}

impl DialectError {
    /// The stable error code the CLI and the API print.
    pub fn code(&self) -> &'static str {
        match self {
            DialectError::Unsupported { .. } => "unsupported_on_clickhouse",
            DialectError::UnknownSegment { .. } => "unknown_segment",
            DialectError::SegmentCycle { .. } => "segment_cycle",
            DialectError::Time(_) => "date_out_of_range",
            DialectError::Place(flokk_geo::PlaceError::Ambiguous { .. }) => "ambiguous_place",
            DialectError::Place(_) => "unknown_place",
        }
    }

    pub(crate) fn unsupported(what: impl Into<String>, why: &'static str) -> Self {
        DialectError::Unsupported {
            what: what.into(),
            why,
        }
    }
}
