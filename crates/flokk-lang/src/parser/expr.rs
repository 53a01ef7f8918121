//! `or_expr`, `and_expr`, `not_expr` and parentheses.

use super::{Parsed, Parser};
use crate::ast::Expr;
use crate::error::{Error, ErrorCode};
use crate::span::Span;
use crate::token::{Keyword, TokenKind};

impl Parser<'_> {
    pub(super) fn or_expr(&mut self) -> Parsed<Expr> {
        let start = self.peek().span.start;
        let first = self.and_expr()?;
        if !self.at_keyword(Keyword::Or) {
            return Ok(first);
        }
        let mut operands = Vec::new();
        push_flat(&mut operands, first, is_or);
        while self.eat_keyword(Keyword::Or) {
            let next = self.and_expr()?;
            push_flat(&mut operands, next, is_or);
        }
        Ok(Expr::Or {
            operands,
            span: Span::new(start, self.prev_end()),
        })
    }

    fn and_expr(&mut self) -> Parsed<Expr> {
        let start = self.peek().span.start;
        let first = self.not_expr()?;
        if !self.at_keyword(Keyword::And) {
            return Ok(first);
        }
        let mut operands = Vec::new();
        push_flat(&mut operands, first, is_and);
        while self.eat_keyword(Keyword::And) {
            let next = self.not_expr()?;
            push_flat(&mut operands, next, is_and);
        }
        Ok(Expr::And {
            operands,
            span: Span::new(start, self.prev_end()),
        })
    }

    fn not_expr(&mut self) -> Parsed<Expr> {
        // A loop rather than recursion: a long run of NOTs costs no stack.
        let mut nots = Vec::new();
        while self.at_keyword(Keyword::Not) {
            let span = self.advance();
            self.descend(span)?;
            nots.push(span.start);
        }
        let mut expr = self.primary()?;
        for start in nots.into_iter().rev() {
            expr = Expr::Not {
                operand: Box::new(expr),
                span: Span::new(start, self.prev_end()),
            };
            self.ascend();
        }
        Ok(expr)
    }

    fn primary(&mut self) -> Parsed<Expr> {
        if !matches!(self.peek().kind, TokenKind::OpenParen) {
            return self.clause().map(Expr::Clause);
        }
        let open = self.advance();
        self.descend(open)?;
        let inner = self.or_expr()?;
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
            _ => return Err(self.unexpected(&["AND", "OR", ")"])),
        }
        self.ascend();
        Ok(inner)
    }
}

fn is_or(e: &Expr) -> bool {
    matches!(e, Expr::Or { .. })
}

fn is_and(e: &Expr) -> bool {
    matches!(e, Expr::And { .. })
}

/// Appends `e`, splicing in its operands when it has the same operator, so
/// that `(a OR b) OR c` and `a OR b OR c` are one tree.
fn push_flat(operands: &mut Vec<Expr>, e: Expr, same: fn(&Expr) -> bool) {
    if same(&e) {
        if let Expr::Or {
            operands: inner, ..
        }
        | Expr::And {
            operands: inner, ..
        } = e
        {
            operands.extend(inner);
        }
    } else {
        operands.push(e);
    }
}
