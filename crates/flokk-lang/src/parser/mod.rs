//! The hand-written recursive-descent parser: tokens to [`Query`].
//!
//! Syntax errors stop the parse (recovering from them would mostly produce
//! noise), but the lexer's value errors are all reported together with the
//! first syntax error. Every limit of [`Limits`] is checked before the work
//! it bounds, so recursion depth is bounded by `max_depth`.

mod clause;
mod expr;
mod value;

use crate::ast::Query;
use crate::error::{Error, ErrorCode, Errors};
use crate::lexer::Lexer;
use crate::limits::Limits;
use crate::span::Span;
use crate::suggest::closest;
use crate::token::{Keyword, Token, TokenKind};

/// Parses `src` into a syntax tree (no type checking: see [`crate::check()`]).
pub fn parse(src: &str, limits: &Limits) -> Result<Query, Errors> {
    match parse_recovering(src, limits) {
        (Some(query), errors) if errors.is_empty() => Ok(query),
        (_, errors) => Err(Errors::located(src, errors)),
    }
}

/// Parses `src`, giving the tree when its structure is sound even if some
/// values were malformed (their errors are in the list), so that the type
/// checker can still report the other clauses' errors.
pub(crate) fn parse_recovering(src: &str, limits: &Limits) -> (Option<Query>, Vec<Error>) {
    if src.len() > limits.max_bytes {
        let error = Error::new(
            ErrorCode::QueryTooLong,
            Span::new(0, 0),
            format!(
                "the query is {} bytes long; at most {} are allowed",
                src.len(),
                limits.max_bytes
            ),
        );
        return (None, vec![error]);
    }
    let mut lexer = Lexer::new(src);
    let first = lexer.next_token();
    if first.kind == TokenKind::End && lexer.errors().is_empty() {
        let error = Error::new(
            ErrorCode::EmptyQuery,
            Span::new(0, src.len()),
            "the query is empty",
        )
        .expecting(["a filter name"]);
        return (None, vec![error]);
    }
    let mut parser = Parser {
        lexer,
        current: first,
        prev_end: 0,
        operator_end: 0,
        limits: *limits,
        depth: 0,
        clauses: 0,
        list_values: Vec::new(),
    };
    let result = parser.query();
    // Lex the rest, so that every malformed value is reported at once.
    while parser.peek().kind != TokenKind::End {
        parser.advance();
    }
    let mut errors = parser.lexer.into_errors();
    match result {
        Ok(query) => (Some(query), errors),
        Err(error) => {
            // An invalid value already reported is a poor place for a second error.
            if !errors.iter().any(|e| e.span.start == error.span.start) {
                errors.push(error);
            }
            (None, errors)
        }
    }
}

type Parsed<T> = Result<T, Error>;

struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The next token, not yet taken.
    current: Token,
    /// End of the last token taken.
    prev_end: usize,
    /// End of the last operator token taken, for operator spans.
    operator_end: usize,
    limits: Limits,
    depth: usize,
    clauses: usize,
    /// The texts of the last `('a', 'b')` refused as a value, so the
    /// clause can suggest one clause per value.
    list_values: Vec<String>,
}

impl Parser<'_> {
    fn query(&mut self) -> Parsed<Query> {
        let expr = self.or_expr()?;
        let token = self.peek();
        match &token.kind {
            TokenKind::End => Ok(Query { expr }),
            TokenKind::CloseParen => Err(Error::new(
                ErrorCode::UnmatchedParenthesis,
                token.span,
                "this `)` has no matching `(`",
            )),
            _ => Err(self.unexpected(&["AND", "OR", "the end of the query"])),
        }
    }

    fn peek(&self) -> &Token {
        &self.current
    }

    /// Takes the next token (at the end, `End` again and again).
    fn take(&mut self) -> Token {
        if self.current.kind == TokenKind::End {
            return self.current.clone();
        }
        let next = self.lexer.next_token();
        self.prev_end = self.current.span.end;
        std::mem::replace(&mut self.current, next)
    }

    /// Moves past the next token, giving its span. Cheaper than `take`
    /// when the token itself is not needed: nothing is moved out.
    fn advance(&mut self) -> Span {
        let span = self.current.span;
        if self.current.kind != TokenKind::End {
            self.prev_end = span.end;
            self.current = self.lexer.next_token();
        }
        span
    }

    /// Takes an operator token, remembering where it ends.
    fn operator(&mut self) {
        self.advance();
        self.operator_end = self.prev_end;
    }

    /// End of the last token taken.
    fn prev_end(&self) -> usize {
        self.prev_end
    }

    fn at_keyword(&self, keyword: Keyword) -> bool {
        self.peek().kind.keyword() == Some(keyword)
    }

    fn eat_keyword(&mut self, keyword: Keyword) -> bool {
        let found = self.at_keyword(keyword);
        if found {
            self.advance();
        }
        found
    }

    fn expect_keyword(&mut self, keyword: Keyword) -> Parsed<Span> {
        if self.at_keyword(keyword) {
            Ok(self.advance())
        } else {
            Err(self.unexpected(&[keyword.as_str()]))
        }
    }

    /// Enters one level of nesting, or fails when that is one too many.
    fn descend(&mut self, at: Span) -> Parsed<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(Error::new(
                ErrorCode::TooDeep,
                at,
                format!(
                    "parentheses and NOT are nested more than {} deep",
                    self.limits.max_depth
                ),
            ));
        }
        Ok(())
    }

    fn ascend(&mut self) {
        self.depth -= 1;
    }

    /// An error for the next token, which is not one of `expected`.
    fn unexpected(&self, expected: &[&str]) -> Error {
        let token = self.peek();
        let list = expected.join(", ");
        match &token.kind {
            TokenKind::End => Error::new(
                ErrorCode::UnexpectedEnd,
                token.span,
                format!("the query ends here, but one of {list} was expected"),
            )
            .expecting(expected.iter().copied()),
            kind => {
                let suggestion = match kind {
                    // Only names are misspelt keywords; a keyword in the wrong
                    // place is a mistake of grammar, not spelling.
                    TokenKind::Word(w) => closest(w, expected.iter().copied()),
                    _ => None,
                };
                Error::new(
                    ErrorCode::UnexpectedToken,
                    token.span,
                    format!("found {} where one of {list} was expected", kind.describe()),
                )
                .expecting(expected.iter().copied())
                .suggesting(suggestion)
            }
        }
    }
}
