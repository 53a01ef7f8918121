//! Positioned errors with stable codes.

use crate::span::{Span, line_column};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong, as a stable snake_case code that scripts may match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The query is empty or only blanks.
    EmptyQuery,
    /// A character that cannot start any token.
    UnexpectedCharacter,
    /// A string without its closing quote.
    UnterminatedString,
    /// A value in double quotes.
    DoubleQuotedString,
    /// A backslash followed by something other than `'` or `\`.
    InvalidEscape,
    /// A malformed number or value.
    InvalidNumber,
    /// A number too large for the type.
    NumberOutOfRange,
    /// A relative date that reaches past the calendar's ends.
    DateOutOfRange,
    /// A date that does not exist or is not written `YYYY-MM-DD[THH:MM:SS]`.
    InvalidDate,
    /// A time of day without a date (`1pm`, `10:00`).
    TimeOnlyValue,
    /// A time appended to a relative or named date (`-7dT10:00:00`).
    TimeOnRelativeDate,
    /// A token that does not fit where it is.
    UnexpectedToken,
    /// The query ends too early.
    UnexpectedEnd,
    /// A value was expected.
    ExpectedValue,
    /// A `(` without its `)`.
    UnclosedParenthesis,
    /// A `)` without its `(`.
    UnmatchedParenthesis,
    /// Parentheses and `NOT` nested deeper than the limit.
    TooDeep,
    /// More clauses than the limit.
    TooManyClauses,
    /// More values in an `IN` list than the limit.
    TooManyIds,
    /// The query text is longer than the limit.
    QueryTooLong,
    /// No filter or function has this name.
    UnknownFilter,
    /// A custom property the store does not know.
    UnknownProperty,
    /// The function has no parameter of this name.
    UnknownParameter,
    /// A parameter given twice in one MATCHES.
    DuplicateParameter,
    /// A required parameter is missing.
    MissingParameter,
    /// Two parameters that exclude each other.
    ConflictingParameters,
    /// The operator does not apply to the filter's type.
    OperatorNotAllowed,
    /// The value has the wrong type for the filter.
    TypeMismatch,
    /// An enum value outside the allowed set.
    UnknownEnumValue,
    /// Latitude or longitude out of range.
    InvalidCoordinates,
    /// A parenthesised list of values where one value is expected
    /// (`customer_countries CONTAINS ('US', 'CA')`).
    ListNotAllowed,
    /// `customer_segments` names a segment that does not exist (raised when
    /// a segment is saved; the checker does not know the store's segments).
    UnknownSegment,
    /// `customer_lists` names a static list that does not exist (raised by
    /// the store-aware checks, like [`ErrorCode::UnknownSegment`]).
    UnknownList,
    /// Saving this query would make segments contain each other.
    SegmentCycle,
    /// A saved segment cannot depend on every other segment
    /// (`customer_segments IS NULL` / `IS NOT NULL`).
    SegmentDependsOnAll,
}

impl ErrorCode {
    /// The stable snake_case spelling.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            EmptyQuery => "empty_query",
            UnexpectedCharacter => "unexpected_character",
            UnterminatedString => "unterminated_string",
            DoubleQuotedString => "double_quoted_string",
            InvalidEscape => "invalid_escape",
            InvalidNumber => "invalid_number",
            NumberOutOfRange => "number_out_of_range",
            DateOutOfRange => "date_out_of_range",
            InvalidDate => "invalid_date",
            TimeOnlyValue => "time_only_value",
            TimeOnRelativeDate => "time_on_relative_date",
            UnexpectedToken => "unexpected_token",
            UnexpectedEnd => "unexpected_end",
            ExpectedValue => "expected_value",
            UnclosedParenthesis => "unclosed_parenthesis",
            UnmatchedParenthesis => "unmatched_parenthesis",
            TooDeep => "too_deep",
            TooManyClauses => "too_many_clauses",
            TooManyIds => "too_many_ids",
            QueryTooLong => "query_too_long",
            UnknownFilter => "unknown_filter",
            UnknownProperty => "unknown_property",
            UnknownParameter => "unknown_parameter",
            DuplicateParameter => "duplicate_parameter",
            MissingParameter => "missing_parameter",
            ConflictingParameters => "conflicting_parameters",
            OperatorNotAllowed => "operator_not_allowed",
            TypeMismatch => "type_mismatch",
            UnknownEnumValue => "unknown_enum_value",
            InvalidCoordinates => "invalid_coordinates",
            ListNotAllowed => "list_not_allowed",
            UnknownSegment => "unknown_segment",
            UnknownList => "unknown_list",
            SegmentCycle => "segment_cycle",
            SegmentDependsOnAll => "segment_depends_on_all",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a query, with where it is and what would fix it.
///
/// Serialises to the JSON shape of `flokk check --json`:
/// `{"code","message","line","column","span":[s,e],"expected":[...],"suggestion"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct Error {
    /// Stable code.
    pub code: ErrorCode,
    /// For a merchant: what is wrong, in plain words.
    pub message: String,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters.
    pub column: usize,
    /// The offending text.
    pub span: Span,
    /// What would have fitted here, when that helps.
    pub expected: Vec<String>,
    /// A likely fix (`email_subscription_status` for `emial_subscription_status`).
    pub suggestion: Option<String>,
}

impl Error {
    /// An error at `span`; line and column are filled in by [`Errors::located`].
    pub fn new(code: ErrorCode, span: Span, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            line: 0,
            column: 0,
            span,
            expected: Vec::new(),
            suggestion: None,
        }
    }

    /// With the tokens or forms that would have fitted.
    pub fn expecting<I, S>(mut self, expected: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expected = expected.into_iter().map(Into::into).collect();
        self
    }

    /// With a suggested replacement for the offending text.
    pub fn suggesting(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    fn locate(mut self, src: &str) -> Self {
        let (line, column) = line_column(src, self.span.start);
        self.line = line;
        self.column = column;
        self
    }
}

/// Every error found in one query (at least one), in the order of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Errors(pub Vec<Error>);

/// Reporting stops here: past a few dozen, more errors help nobody and cost time.
const MAX_REPORTED: usize = 50;

impl Errors {
    /// The errors with line and column computed against `src`, sorted by position.
    pub fn located(src: &str, mut errors: Vec<Error>) -> Self {
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        errors.truncate(MAX_REPORTED);
        Errors(errors.into_iter().map(|e| e.locate(src)).collect())
    }

    /// The errors, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Error> {
        self.0.iter()
    }

    /// The first error's code (there is always at least one error).
    pub fn first_code(&self) -> Option<ErrorCode> {
        self.0.first().map(|e| e.code)
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}: {} [{}]", e.line, e.column, e.message, e.code)?;
            if let Some(s) = &e.suggestion {
                write!(f, " (did you mean `{s}`?)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_matches_the_cli_contract() {
        let errors = Errors::located(
            "a\n  bc",
            vec![
                Error::new(ErrorCode::UnknownFilter, Span::new(4, 6), "no filter `bc`")
                    .suggesting(Some("b".into())),
            ],
        );
        insta::assert_snapshot!(serde_json::to_string(&errors).unwrap(), @r#"[{"code":"unknown_filter","message":"no filter `bc`","line":2,"column":3,"span":[4,6],"expected":[],"suggestion":"b"}]"#);
    }
}
