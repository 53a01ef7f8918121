//! A value where one is expected, including `(lat, lon)` coordinates.

use super::{Parsed, Parser};
use crate::error::{Error, ErrorCode};
use crate::span::Span;
use crate::token::TokenKind;
use crate::value::{Coordinates, Literal, Value};

const VALUE_FORMS: &[&str] = &[
    "'text'",
    "a number",
    "a date",
    "true",
    "false",
    "(latitude, longitude)",
];

impl Parser<'_> {
    pub(super) fn value(&mut self) -> Parsed<Literal> {
        let span = self.peek().span;
        if matches!(self.peek().kind, TokenKind::Literal(_))
            && let TokenKind::Literal(value) = self.take().kind
        {
            return Ok(Literal { value, span });
        }
        match &self.peek().kind {
            TokenKind::Invalid => {
                // Already reported by the lexer; any placeholder keeps parsing going.
                self.advance();
                Ok(Literal {
                    value: Value::String(String::new()),
                    span,
                })
            }
            TokenKind::OpenParen => self.coordinates(),
            TokenKind::Keyword(keyword) => Err(Error::new(
                ErrorCode::ExpectedValue,
                span,
                format!("a value is missing before `{}`", keyword.as_str()),
            )
            .expecting(VALUE_FORMS.iter().copied())),
            TokenKind::Word(word) => Err(Error::new(
                ErrorCode::ExpectedValue,
                span,
                format!("`{word}` is not a value: text is written in single quotes"),
            )
            .expecting(VALUE_FORMS.iter().copied())
            .suggesting(Some(format!("'{word}'")))),
            TokenKind::End => Err(Error::new(
                ErrorCode::ExpectedValue,
                span,
                "the query ends where a value was expected",
            )
            .expecting(VALUE_FORMS.iter().copied())),
            other => Err(Error::new(
                ErrorCode::ExpectedValue,
                span,
                format!("found {} where a value was expected", other.describe()),
            )
            .expecting(VALUE_FORMS.iter().copied())),
        }
    }

    /// `(latitude, longitude)`.
    fn coordinates(&mut self) -> Parsed<Literal> {
        let open = self.advance();
        // Only coordinates are written in parentheses where one value is
        // expected. A list of texts is someone testing several values at
        // once: say so, rather than that coordinates are numbers.
        if matches!(self.peek().kind, TokenKind::Literal(Value::String(_))) {
            return Err(self.list_not_allowed(open));
        }
        let latitude = self.degrees()?;
        if !matches!(self.peek().kind, TokenKind::Comma) {
            return Err(self.unexpected(&[","]));
        }
        self.advance();
        let longitude = self.degrees()?;
        match self.peek().kind {
            TokenKind::CloseParen => {
                self.advance();
            }
            TokenKind::End => {
                return Err(Error::new(
                    ErrorCode::UnclosedParenthesis,
                    open,
                    "this `(` is never closed",
                )
                .expecting([")"]));
            }
            _ => return Err(self.unexpected(&[")"])),
        }
        Ok(Literal {
            value: Value::Coordinates(Coordinates {
                latitude,
                longitude,
            }),
            span: Span::new(open.start, self.prev_end()),
        })
    }

    /// The error for `( 'a', 'b', ... )` where one value is expected; the
    /// texts are kept in `self.list_values` for the clause to suggest one
    /// clause per value.
    fn list_not_allowed(&mut self, open: Span) -> Error {
        let mut values = Vec::new();
        loop {
            match self.peek().kind.clone() {
                TokenKind::Literal(value @ Value::String(_)) => {
                    self.advance();
                    values.push(value.to_string());
                }
                TokenKind::Comma => {
                    self.advance();
                }
                TokenKind::CloseParen => {
                    self.advance();
                    break;
                }
                _ => break,
            }
        }
        self.list_values = values;
        Error::new(
            ErrorCode::ListNotAllowed,
            Span::new(open.start, self.prev_end()),
            "a list of values is not one value: test each value in its own clause and join \
             the clauses with OR (MATCHES parameters take lists with IN)",
        )
        .expecting(["one value"])
    }

    fn degrees(&mut self) -> Parsed<f64> {
        if matches!(self.peek().kind, TokenKind::Invalid) {
            // Already reported by the lexer.
            self.advance();
            return Ok(0.0);
        }
        let literal = self.value()?;
        match literal.value {
            // Degrees are small: every i64 that is a valid degree is exact in f64.
            Value::Integer(i) => Ok(i as f64),
            Value::Float(f) => Ok(f),
            other => Err(Error::new(
                ErrorCode::TypeMismatch,
                literal.span,
                format!(
                    "coordinates are two numbers (latitude, longitude), not {}",
                    other.kind_name()
                ),
            )
            .expecting(["a number"])),
        }
    }
}
