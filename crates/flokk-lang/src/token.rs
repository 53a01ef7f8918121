//! The tokens the lexer produces.

use crate::ast::CompareOp;
use crate::span::Span;
use crate::value::Value;

/// One token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A name: `amount_spent`, `shopify_email.opened`.
    Word(String),
    /// A keyword, in any case: `AND`, `and`.
    Keyword(Keyword),
    /// A value: string, number, date, boolean, named date.
    Literal(Value),
    /// A malformed value; its error is already recorded, and the parser
    /// takes it as a value so that it can go on looking for more errors.
    Invalid,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// `,`
    Comma,
    /// `:` (legacy parameters)
    Colon,
    /// `= != > >= < <=`
    Compare(CompareOp),
    /// End of the query.
    End,
}

/// The words with a meaning of their own (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `NOT`
    Not,
    /// `BETWEEN`
    Between,
    /// `IS`
    Is,
    /// `NULL`
    Null,
    /// `CONTAINS`
    Contains,
    /// `MATCHES`
    Matches,
    /// `NOT_MATCHES`
    NotMatches,
    /// `IN`
    In,
}

impl Keyword {
    /// Every keyword, for suggestions.
    pub const ALL: &'static [Keyword] = &[
        Keyword::And,
        Keyword::Or,
        Keyword::Not,
        Keyword::Between,
        Keyword::Is,
        Keyword::Null,
        Keyword::Contains,
        Keyword::Matches,
        Keyword::NotMatches,
        Keyword::In,
    ];

    /// The canonical (upper-case) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::And => "AND",
            Keyword::Or => "OR",
            Keyword::Not => "NOT",
            Keyword::Between => "BETWEEN",
            Keyword::Is => "IS",
            Keyword::Null => "NULL",
            Keyword::Contains => "CONTAINS",
            Keyword::Matches => "MATCHES",
            Keyword::NotMatches => "NOT_MATCHES",
            Keyword::In => "IN",
        }
    }

    /// The keyword this word spells, ignoring case.
    pub fn from_word(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
    }
}

impl TokenKind {
    /// How an error message names this token.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Word(w) => format!("`{w}`"),
            TokenKind::Keyword(k) => format!("`{}`", k.as_str()),
            TokenKind::Literal(_) | TokenKind::Invalid => "a value".to_owned(),
            TokenKind::OpenParen => "`(`".to_owned(),
            TokenKind::CloseParen => "`)`".to_owned(),
            TokenKind::Comma => "`,`".to_owned(),
            TokenKind::Colon => "`:`".to_owned(),
            TokenKind::Compare(op) => format!("`{}`", op.as_str()),
            TokenKind::End => "the end of the query".to_owned(),
        }
    }

    /// The operator, when this is `= != > >= < <=`.
    pub fn compare_op(&self) -> Option<CompareOp> {
        match self {
            TokenKind::Compare(op) => Some(*op),
            _ => None,
        }
    }

    /// The keyword, when this is one.
    pub fn keyword(&self) -> Option<Keyword> {
        match self {
            TokenKind::Keyword(k) => Some(*k),
            _ => None,
        }
    }
}
