//! One clause: `filter op value`, BETWEEN, IS NULL, CONTAINS, MATCHES and
//! the legacy function form `fn(param: value) = true`.

use super::{Parsed, Parser};
use crate::ast::{Clause, CompareOp, Name, Param, ParamPredicate, Predicate};
use crate::error::{Error, ErrorCode};
use crate::span::Span;
use crate::token::{Keyword, TokenKind};
use crate::value::{Literal, Value};

const CLAUSE_OPERATORS: &[&str] = &[
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "BETWEEN",
    "IS",
    "CONTAINS",
    "NOT CONTAINS",
    "MATCHES",
    "NOT MATCHES",
];

const PARAM_OPERATORS: &[&str] = &[
    "=", "!=", ">", ">=", "<", "<=", "BETWEEN", "IN", "NOT IN", ":",
];

/// A legacy argument: a named parameter or (for `anniversary`) a bare value.
enum LegacyArgument {
    Named(Param),
    Positional(Literal),
}

impl Parser<'_> {
    pub(super) fn clause(&mut self) -> Parsed<Clause> {
        let filter = self.name("a filter name")?;
        self.clauses += 1;
        if self.clauses > self.limits.max_clauses {
            return Err(Error::new(
                ErrorCode::TooManyClauses,
                filter.span,
                format!(
                    "a query may have at most {} clauses",
                    self.limits.max_clauses
                ),
            ));
        }
        let op_start = self.peek().span.start;
        let predicate = match self.peek().kind.clone() {
            TokenKind::OpenParen => return self.legacy_call(filter),
            TokenKind::Compare(op) => {
                self.operator();
                let value = self.value();
                Predicate::Compare {
                    op,
                    value: self.one_clause_per_value(value, &filter, op.as_str())?,
                }
            }
            TokenKind::Keyword(keyword) => match Some(keyword) {
                Some(Keyword::Between) => {
                    self.operator();
                    let (low, high) = self.between_bounds()?;
                    Predicate::Between { low, high }
                }
                Some(Keyword::Is) => {
                    self.operator();
                    let negated = self.eat_keyword(Keyword::Not);
                    self.expect_keyword(Keyword::Null)?;
                    Predicate::IsNull { negated }
                }
                Some(Keyword::Contains) => {
                    self.operator();
                    let value = self.value();
                    Predicate::Contains {
                        negated: false,
                        value: self.one_clause_per_value(value, &filter, "CONTAINS")?,
                    }
                }
                Some(Keyword::Matches) => {
                    self.operator();
                    Predicate::Matches {
                        negated: false,
                        params: self.params()?,
                    }
                }
                Some(Keyword::NotMatches) => {
                    self.operator();
                    Predicate::Matches {
                        negated: true,
                        params: self.params()?,
                    }
                }
                Some(Keyword::Not) => {
                    self.operator();
                    match self.peek().kind.keyword() {
                        Some(Keyword::Contains) => {
                            self.operator();
                            Predicate::Contains {
                                negated: true,
                                value: self.value()?,
                            }
                        }
                        Some(Keyword::Matches) => {
                            self.operator();
                            Predicate::Matches {
                                negated: true,
                                params: self.params()?,
                            }
                        }
                        _ => return Err(self.unexpected(&["CONTAINS", "MATCHES"])),
                    }
                }
                _ => return Err(self.unexpected(CLAUSE_OPERATORS)),
            },
            _ => return Err(self.unexpected(CLAUSE_OPERATORS)),
        };
        let operator_span = self.operator_span(op_start, &predicate);
        Ok(Clause {
            span: Span::new(filter.span.start, self.prev_end()),
            filter,
            predicate,
            operator_span,
        })
    }

    /// A list refused as a value (`list_not_allowed`) gets the query that
    /// was meant as its suggestion: one clause per value, joined with OR
    /// (`customer_countries CONTAINS 'US' OR customer_countries CONTAINS 'CA'`).
    fn one_clause_per_value(
        &mut self,
        value: Parsed<Literal>,
        filter: &Name,
        op: &str,
    ) -> Parsed<Literal> {
        value.map_err(|e| {
            let values = std::mem::take(&mut self.list_values);
            if e.code != ErrorCode::ListNotAllowed || values.is_empty() {
                return e;
            }
            let clauses: Vec<String> = values
                .iter()
                .map(|v| format!("{} {op} {v}", filter.text))
                .collect();
            e.suggesting(Some(clauses.join(" OR ")))
        })
    }

    /// The span of the operator: its first token to its last.
    fn operator_span(&self, start: usize, predicate: &Predicate) -> Span {
        let end = match predicate {
            Predicate::IsNull { .. } => self.prev_end(),
            _ => self.operator_end,
        };
        Span::new(start, end.max(start))
    }

    /// A filter or parameter name (a word that is not a keyword).
    fn name(&mut self, what: &str) -> Parsed<Name> {
        let span = self.peek().span;
        if matches!(self.peek().kind, TokenKind::Word(_))
            && let TokenKind::Word(text) = self.take().kind
        {
            return Ok(Name { text, span });
        }
        match &self.peek().kind {
            TokenKind::Literal(Value::String(s)) => Err(Error::new(
                ErrorCode::UnexpectedToken,
                span,
                format!("a {what} is written without quotes"),
            )
            .expecting([what])
            .suggesting(Some(s.clone()))),
            _ => Err(self.unexpected(&[what])),
        }
    }

    /// `low AND high` after BETWEEN.
    fn between_bounds(&mut self) -> Parsed<(Literal, Literal)> {
        let low = self.value()?;
        self.expect_keyword(Keyword::And)?;
        let high = self.value()?;
        Ok((low, high))
    }

    /// `( param, ... )` after MATCHES.
    fn params(&mut self) -> Parsed<Vec<Param>> {
        let open = self.peek().span;
        if !matches!(self.peek().kind, TokenKind::OpenParen) {
            return Err(self.unexpected(&["("]));
        }
        self.advance();
        let mut params = Vec::new();
        if matches!(self.peek().kind, TokenKind::CloseParen) {
            self.advance();
            return Ok(params);
        }
        // Parameters have operators of their own; keep the clause's.
        let operator_end = self.operator_end;
        loop {
            params.push(self.param()?);
            if !self.close_or_comma(open)? {
                self.operator_end = operator_end;
                return Ok(params);
            }
        }
    }

    /// After an item of a parenthesised list: true on `,`, false on `)`.
    fn close_or_comma(&mut self, open: Span) -> Parsed<bool> {
        match self.peek().kind {
            TokenKind::Comma => {
                self.advance();
                Ok(true)
            }
            TokenKind::CloseParen => {
                self.advance();
                Ok(false)
            }
            TokenKind::End => Err(Error::new(
                ErrorCode::UnclosedParenthesis,
                open,
                "this `(` is never closed",
            )
            .expecting([",", ")"])),
            _ => Err(self.unexpected(&[",", ")"])),
        }
    }

    fn param(&mut self) -> Parsed<Param> {
        let name = self.name("parameter name")?;
        let op_start = self.peek().span.start;
        let predicate = match self.peek().kind.clone() {
            TokenKind::Compare(op) => {
                self.operator();
                ParamPredicate::Compare {
                    op,
                    value: self.value()?,
                }
            }
            TokenKind::Colon => {
                self.operator();
                // Legacy `name: (a, b)` is IN, except for coordinates, whose
                // value is itself a parenthesised pair.
                if matches!(self.peek().kind, TokenKind::OpenParen) && name.text != "coordinates" {
                    ParamPredicate::In {
                        negated: false,
                        values: self.value_list()?,
                    }
                } else {
                    ParamPredicate::Compare {
                        op: CompareOp::Eq,
                        value: self.value()?,
                    }
                }
            }
            _ => match self.peek().kind.keyword() {
                Some(Keyword::Between) => {
                    self.operator();
                    let (low, high) = self.between_bounds()?;
                    ParamPredicate::Between { low, high }
                }
                Some(Keyword::In) => {
                    self.operator();
                    ParamPredicate::In {
                        negated: false,
                        values: self.value_list()?,
                    }
                }
                Some(Keyword::Not) => {
                    self.operator();
                    self.expect_keyword(Keyword::In)?;
                    self.operator_end = self.prev_end();
                    ParamPredicate::In {
                        negated: true,
                        values: self.value_list()?,
                    }
                }
                _ => return Err(self.unexpected(PARAM_OPERATORS)),
            },
        };
        let op_end = self.operator_end;
        Ok(Param {
            span: Span::new(name.span.start, self.prev_end()),
            name,
            predicate,
            operator_span: Span::new(op_start, op_end.max(op_start)),
        })
    }

    /// `( value, ... )` for IN.
    fn value_list(&mut self) -> Parsed<Vec<Literal>> {
        let open = self.peek().span;
        if !matches!(self.peek().kind, TokenKind::OpenParen) {
            return Err(self.unexpected(&["("]));
        }
        self.advance();
        let mut values = Vec::new();
        loop {
            let value = self.value()?;
            if values.len() == self.limits.max_ids {
                return Err(Error::new(
                    ErrorCode::TooManyIds,
                    value.span,
                    format!("a list may have at most {} values", self.limits.max_ids),
                ));
            }
            values.push(value);
            if !self.close_or_comma(open)? {
                return Ok(values);
            }
        }
    }

    /// `fn(param: value, ...) = true`, and the legacy anniversary form
    /// `anniversary('metafields.ns.key') BETWEEN today AND +30d`.
    fn legacy_call(&mut self, function: Name) -> Parsed<Clause> {
        let open = self.advance();
        let mut arguments = Vec::new();
        if matches!(self.peek().kind, TokenKind::CloseParen) {
            self.advance();
        } else {
            loop {
                let argument = match self.peek().kind {
                    TokenKind::Word(_) => LegacyArgument::Named(self.param()?),
                    _ => LegacyArgument::Positional(self.value()?),
                };
                arguments.push(argument);
                if !self.close_or_comma(open)? {
                    break;
                }
            }
        }
        let mut params = Vec::new();
        let mut positional = Vec::new();
        for argument in arguments {
            match argument {
                LegacyArgument::Named(p) => params.push(p),
                LegacyArgument::Positional(l) => positional.push(l),
            }
        }
        let op_start = self.peek().span.start;
        // Shopify's own documentation writes the attribute as a named
        // argument: `anniversary(date: 'metafields.facts.birth_date')
        // BETWEEN today AND +30d`. A `date` whose value is a string cannot be
        // the date predicate of the MATCHES form (that takes dates), so a lone
        // `date: 'text'` is the attribute, with the same meaning as the
        // positional form (`anniversary(date: 'x') = true` was a type error
        // before and still is, now on `true`). It is printed, like every
        // legacy form, in the MATCHES form, so print∘parse stays the identity
        // on printed text.
        if positional.is_empty()
            && function.text == "anniversary"
            && let [only] = params.as_slice()
            && only.name.text == "date"
            && let ParamPredicate::Compare {
                op: CompareOp::Eq,
                value:
                    value @ Literal {
                        value: Value::String(_),
                        ..
                    },
            } = &only.predicate
        {
            positional.push(value.clone());
            params.clear();
        }
        if positional.is_empty() {
            return self.legacy_truth(function, params, op_start);
        }
        let attribute = positional.remove(0);
        if function.text != "anniversary" || !params.is_empty() || !positional.is_empty() {
            return Err(Error::new(
                ErrorCode::UnexpectedToken,
                attribute.span,
                "parameters are written name: value",
            )
            .expecting(["parameter name"]));
        }
        let predicate = match self.peek().kind.clone() {
            TokenKind::Compare(op) => {
                self.operator();
                ParamPredicate::Compare {
                    op,
                    value: self.value()?,
                }
            }
            TokenKind::Keyword(Keyword::Between) => {
                self.operator();
                let (low, high) = self.between_bounds()?;
                ParamPredicate::Between { low, high }
            }
            _ => return Err(self.unexpected(&["=", ">", ">=", "<", "<=", "BETWEEN"])),
        };
        let operator_span = Span::new(op_start, self.operator_end.max(op_start));
        let attribute_param = Param {
            name: Name {
                text: "attribute".into(),
                span: attribute.span,
            },
            operator_span: attribute.span,
            span: attribute.span,
            predicate: ParamPredicate::Compare {
                op: CompareOp::Eq,
                value: attribute,
            },
        };
        let date_param = Param {
            name: Name {
                text: "date".into(),
                span: operator_span,
            },
            operator_span,
            span: Span::new(op_start, self.prev_end()),
            predicate,
        };
        Ok(Clause {
            span: Span::new(function.span.start, self.prev_end()),
            filter: function,
            predicate: Predicate::Matches {
                negated: false,
                params: vec![attribute_param, date_param],
            },
            operator_span: open,
        })
    }

    /// `= true`, `= false`, `!= true`, `!= false` after a legacy call.
    fn legacy_truth(
        &mut self,
        function: Name,
        params: Vec<Param>,
        op_start: usize,
    ) -> Parsed<Clause> {
        let op = match self.peek().kind {
            TokenKind::Compare(op @ (CompareOp::Eq | CompareOp::Ne)) => op,
            _ => return Err(self.unexpected(&["= true", "= false"])),
        };
        self.advance();
        let truth = match self.peek().kind {
            TokenKind::Literal(Value::Boolean(b)) => b,
            _ => {
                let token = self.peek();
                let code = if matches!(token.kind, TokenKind::End) {
                    ErrorCode::UnexpectedEnd
                } else {
                    ErrorCode::ExpectedValue
                };
                return Err(Error::new(
                    code,
                    token.span,
                    format!("`{}(...)` is compared with true or false", function.text),
                )
                .expecting(["true", "false"]));
            }
        };
        self.advance();
        let negated = (op == CompareOp::Eq) != truth;
        Ok(Clause {
            span: Span::new(function.span.start, self.prev_end()),
            filter: function,
            predicate: Predicate::Matches { negated, params },
            operator_span: Span::new(op_start, self.prev_end()),
        })
    }
}
