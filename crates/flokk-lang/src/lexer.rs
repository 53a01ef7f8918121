//! Turns query text into tokens.
//!
//! The lexer never stops at the first problem: a malformed value becomes an
//! [`TokenKind::Invalid`] token (or, for a double-quoted string, the string it
//! meant) with its error recorded, so that one pass reports every bad value.

use crate::ast::CompareOp;
use crate::error::{Error, ErrorCode};
use crate::span::Span;
use crate::token::{Keyword, Token, TokenKind};
mod literal;

use crate::value::{NamedDate, Value};
use literal::classify;

/// The tokens of `src` (ending with [`TokenKind::End`]) and the errors found.
pub fn tokenize(src: &str) -> (Vec<Token>, Vec<Error>) {
    let mut lexer = Lexer::new(src);
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token();
        let end = token.kind == TokenKind::End;
        tokens.push(token);
        if end {
            return (tokens, lexer.into_errors());
        }
    }
}

/// Produces tokens one at a time, so that the parser needs no token array
/// (the whole query's tokens would cost more to write than to parse).
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    errors: Vec<Error>,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Characters of a number-like run: numbers, dates, datetimes, relative
/// dates and the malformed neighbours we want to name precisely (`1pm`).
fn is_value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-' | '+')
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        Lexer {
            src,
            pos: 0,
            errors: Vec::new(),
        }
    }

    /// The next token; [`TokenKind::End`] at the end, and from then on.
    pub fn next_token(&mut self) -> Token {
        loop {
            let Some(c) = self.peek() else {
                let end = self.src.len();
                return Token {
                    kind: TokenKind::End,
                    span: Span::new(end, end),
                };
            };
            if let Some(token) = self.step(c) {
                return token;
            }
        }
    }

    /// The errors found so far.
    pub fn errors(&self) -> &[Error] {
        &self.errors
    }

    /// The errors found.
    pub fn into_errors(self) -> Vec<Error> {
        self.errors
    }

    fn peek(&self) -> Option<char> {
        // Queries are mostly ASCII: skip UTF-8 decoding for it.
        let byte = *self.src.as_bytes().get(self.pos)?;
        if byte.is_ascii() {
            Some(byte as char)
        } else {
            self.src[self.pos..].chars().next()
        }
    }

    fn peek_second(&self) -> Option<char> {
        let mut chars = self.src[self.pos..].chars();
        chars.next();
        chars.next()
    }

    /// A token from `start` to the current position.
    fn token(&self, kind: TokenKind, start: usize) -> Token {
        Token {
            kind,
            span: Span::new(start, self.pos),
        }
    }

    fn error(&mut self, code: ErrorCode, start: usize, message: impl Into<String>) -> &mut Error {
        self.errors
            .push(Error::new(code, Span::new(start, self.pos), message));
        self.errors.last_mut().expect("just pushed")
    }

    /// Lexes from the character `c` at the current position: a token, or
    /// nothing for blanks and characters that were reported and skipped.
    fn step(&mut self, c: char) -> Option<Token> {
        let start = self.pos;
        Some(match c {
            c if c.is_whitespace() => {
                self.pos += c.len_utf8();
                return None;
            }
            '(' => self.single(TokenKind::OpenParen),
            ')' => self.single(TokenKind::CloseParen),
            ',' => self.single(TokenKind::Comma),
            ':' => self.single(TokenKind::Colon),
            '=' => self.single(TokenKind::Compare(CompareOp::Eq)),
            '!' if self.peek_second() == Some('=') => {
                self.pos += 2;
                self.token(TokenKind::Compare(CompareOp::Ne), start)
            }
            '<' | '>' => self.angle(c),
            '\'' => self.string('\''),
            '"' => self.string('"'),
            c if c.is_ascii_digit() => self.value_run(),
            '+' | '-' if self.peek_second().is_some_and(|d| d.is_ascii_digit()) => self.value_run(),
            c if is_word_start(c) => self.word(),
            _ => {
                self.unexpected_character(c);
                return None;
            }
        })
    }

    fn single(&mut self, kind: TokenKind) -> Token {
        let start = self.pos;
        self.pos += 1;
        self.token(kind, start)
    }

    fn angle(&mut self, c: char) -> Token {
        let start = self.pos;
        self.pos += 1;
        let op = match (c, self.peek()) {
            ('<', Some('=')) => Some(CompareOp::Le),
            ('>', Some('=')) => Some(CompareOp::Ge),
            ('<', Some('>')) => {
                // `<>` is SQL's not-equal; say so rather than failing later.
                self.pos += 1;
                self.error(
                    ErrorCode::UnexpectedCharacter,
                    start,
                    "`<>` is not an operator here",
                )
                .suggestion = Some("!=".into());
                return self.token(TokenKind::Compare(CompareOp::Ne), start);
            }
            _ => None,
        };
        match op {
            Some(op) => {
                self.pos += 1;
                self.token(TokenKind::Compare(op), start)
            }
            None => {
                let op = if c == '<' {
                    CompareOp::Lt
                } else {
                    CompareOp::Gt
                };
                self.token(TokenKind::Compare(op), start)
            }
        }
    }

    fn unexpected_character(&mut self, c: char) {
        let start = self.pos;
        let (width, suggestion) = match (c, self.peek_second()) {
            ('&', Some('&')) => (2, Some("AND")),
            ('|', Some('|')) => (2, Some("OR")),
            ('!', _) => (1, Some("NOT")),
            ('\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}', _) => (c.len_utf8(), Some("'")),
            _ => (c.len_utf8(), None),
        };
        self.pos += width;
        let text = &self.src[start..self.pos];
        let message = match suggestion {
            Some("'") => "use straight single quotes ' around text".to_owned(),
            _ => format!("`{text}` cannot be used here"),
        };
        self.error(ErrorCode::UnexpectedCharacter, start, message)
            .suggestion = suggestion.map(str::to_owned);
    }

    fn word(&mut self) -> Token {
        let start = self.pos;
        while self.peek().is_some_and(is_word_char) {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        let is = |name: &str| text.eq_ignore_ascii_case(name);
        let kind = if is("true") {
            TokenKind::Literal(Value::Boolean(true))
        } else if is("false") {
            TokenKind::Literal(Value::Boolean(false))
        } else if is("today") {
            TokenKind::Literal(Value::Named(NamedDate::Today))
        } else if is("yesterday") {
            TokenKind::Literal(Value::Named(NamedDate::Yesterday))
        } else if let Some(keyword) = Keyword::from_word(text) {
            TokenKind::Keyword(keyword)
        } else if is_named_date_with_time(text) {
            while self.peek().is_some_and(is_value_char) {
                self.pos += 1;
            }
            self.error(
                ErrorCode::TimeOnRelativeDate,
                start,
                "a time cannot be added to today or yesterday; use a date and time like 2024-05-30T10:00:00",
            );
            TokenKind::Invalid
        } else {
            TokenKind::Word(text.to_owned())
        };
        self.token(kind, start)
    }

    fn string(&mut self, quote: char) -> Token {
        let start = self.pos;
        self.pos += 1;
        // Most strings have no escapes: take them in one piece.
        let body = &self.src[self.pos..];
        if quote == '\''
            && let Some(end) = body.find(['\'', '\\'])
            && body.as_bytes()[end] == b'\''
        {
            let text = body[..end].to_owned();
            self.pos += end + 1;
            return self.token(TokenKind::Literal(Value::String(text)), start);
        }
        let mut text = String::new();
        let mut closed = false;
        while let Some(c) = self.peek() {
            let at = self.pos;
            self.pos += c.len_utf8();
            match c {
                '\\' => match self.peek() {
                    Some(e @ ('\'' | '\\' | '"')) => {
                        self.pos += 1;
                        text.push(e);
                    }
                    Some(other) => {
                        self.pos += other.len_utf8();
                        text.push(other);
                        self.error(
                            ErrorCode::InvalidEscape,
                            at,
                            format!("`\\{other}` is not an escape; only \\' and \\\\ are"),
                        );
                    }
                    None => {}
                },
                c if c == quote => {
                    closed = true;
                    break;
                }
                c => text.push(c),
            }
        }
        if quote == '"' {
            let escaped = text.replace('\\', "\\\\").replace('\'', "\\'");
            self.error(
                ErrorCode::DoubleQuotedString,
                start,
                "use single quotes around text, not double quotes",
            )
            .suggestion = Some(format!("'{escaped}'"));
        } else if !closed {
            self.error(
                ErrorCode::UnterminatedString,
                start,
                "this text has no closing single quote '",
            )
            .expected = vec!["'".to_owned()];
        }
        self.token(TokenKind::Literal(Value::String(text)), start)
    }

    fn value_run(&mut self) -> Token {
        let start = self.pos;
        self.pos += 1;
        while self.peek().is_some_and(is_value_char) {
            self.pos += 1;
        }
        // `1 pm` and `10:00 am`: take the am/pm with the time so the error
        // covers what the merchant wrote.
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start_matches(' ');
        if self.src[start..self.pos]
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':')
        {
            let bytes = trimmed.as_bytes();
            let meridiem = bytes.len() >= 2
                && matches!(bytes[0].to_ascii_lowercase(), b'a' | b'p')
                && bytes[1].eq_ignore_ascii_case(&b'm');
            let after = bytes.get(2).copied();
            if meridiem && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                self.pos += rest.len() - trimmed.len() + 2;
            }
        }
        let text = &self.src[start..self.pos];
        let kind = match classify(text) {
            Ok(value) => TokenKind::Literal(value),
            Err((code, message, suggestion)) => {
                self.error(code, start, message).suggestion = suggestion;
                TokenKind::Invalid
            }
        };
        self.token(kind, start)
    }
}

fn is_named_date_with_time(word: &str) -> bool {
    ["today", "yesterday"].iter().any(|name| {
        let rest = word.as_bytes().get(name.len()..).unwrap_or(&[]);
        word.get(..name.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(name))
            && rest.len() >= 2
            && rest[0].eq_ignore_ascii_case(&b't')
            && rest[1].is_ascii_digit()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Relative, RelativeUnit};

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).0.into_iter().map(|t| t.kind).collect()
    }

    fn first_error(src: &str) -> ErrorCode {
        tokenize(src).1[0].code
    }

    #[test]
    fn values() {
        use jiff::civil::date;
        assert_eq!(kinds("42")[0], TokenKind::Literal(Value::Integer(42)));
        assert_eq!(kinds("-3")[0], TokenKind::Literal(Value::Integer(-3)));
        assert_eq!(kinds("999.99")[0], TokenKind::Literal(Value::Float(999.99)));
        assert_eq!(
            kinds("2024-05-30")[0],
            TokenKind::Literal(Value::Date(date(2024, 5, 30)))
        );
        assert_eq!(
            kinds("2024-05-30T16:00:00")[0],
            TokenKind::Literal(Value::DateTime(date(2024, 5, 30).at(16, 0, 0, 0)))
        );
        let rel = |amount, unit| TokenKind::Literal(Value::Relative(Relative { amount, unit }));
        assert_eq!(kinds("-7d")[0], rel(-7, RelativeUnit::Day));
        assert_eq!(kinds("+2w")[0], rel(2, RelativeUnit::Week));
        assert_eq!(kinds("-3m")[0], rel(-3, RelativeUnit::Month));
        assert_eq!(kinds("-1y")[0], rel(-1, RelativeUnit::Year));
        assert_eq!(kinds("12_months_ago")[0], rel(-12, RelativeUnit::Month));
        assert_eq!(kinds("90_days_ago")[0], rel(-90, RelativeUnit::Day));
        assert_eq!(
            kinds("'it\\'s \\\\'")[0],
            TokenKind::Literal(Value::String("it's \\".into()))
        );
        assert_eq!(kinds("TRUE")[0], TokenKind::Literal(Value::Boolean(true)));
        assert_eq!(
            kinds("Today")[0],
            TokenKind::Literal(Value::Named(NamedDate::Today))
        );
    }

    #[test]
    fn operators_without_spaces() {
        assert_eq!(
            kinds("a>=-30d"),
            vec![
                TokenKind::Word("a".into()),
                TokenKind::Compare(CompareOp::Ge),
                TokenKind::Literal(Value::Relative(Relative {
                    amount: -30,
                    unit: RelativeUnit::Day
                })),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn malformed_values_have_precise_codes() {
        assert_eq!(first_error("1pm"), ErrorCode::TimeOnlyValue);
        assert_eq!(first_error("1 pm"), ErrorCode::TimeOnlyValue);
        assert_eq!(first_error("10:00"), ErrorCode::TimeOnlyValue);
        assert_eq!(first_error("-7dT10:00:00"), ErrorCode::TimeOnRelativeDate);
        assert_eq!(first_error("todayT10:00:00"), ErrorCode::TimeOnRelativeDate);
        assert_eq!(first_error("2024-02-30"), ErrorCode::InvalidDate);
        assert_eq!(first_error("2024-5-30"), ErrorCode::InvalidDate);
        assert_eq!(first_error("2024-05-30T25:00:00"), ErrorCode::InvalidDate);
        assert_eq!(first_error("1.2.3"), ErrorCode::InvalidNumber);
        assert_eq!(
            first_error("99999999999999999999"),
            ErrorCode::NumberOutOfRange
        );
        // Regression: `+7973y` was accepted and later stopped the store.
        assert_eq!(first_error("+7973y"), ErrorCode::DateOutOfRange);
        assert_eq!(first_error("-84001m"), ErrorCode::DateOutOfRange);
        assert_eq!(first_error("+365251w"), ErrorCode::DateOutOfRange);
        assert_eq!(first_error("-2556751d"), ErrorCode::DateOutOfRange);
        assert!(tokenize("+7000y").1.is_empty() && tokenize("-2556750d").1.is_empty());
        assert_eq!(first_error("\"vip\""), ErrorCode::DoubleQuotedString);
        assert_eq!(first_error("'vip"), ErrorCode::UnterminatedString);
        assert_eq!(first_error("'a\\nb'"), ErrorCode::InvalidEscape);
        assert_eq!(first_error("$"), ErrorCode::UnexpectedCharacter);
    }
}
