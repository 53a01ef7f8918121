//! Parsing a template into text and fields, strictly.

use crate::error::CampaignError;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// A merge field with its default (used when the value is missing or empty).
    Field {
        /// The field's name (`first_name`).
        name: String,
        /// `| default: "..."`.
        default: Option<String>,
    },
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `src`; `what` names the template in errors (`body`,
    /// `subject`), `known` says whether a field name exists (an unknown one
    /// is an error naming the known ones).
    pub fn parse(
        what: &'static str,
        src: &str,
        known: &dyn Fn(&str) -> bool,
        known_list: &[&str],
    ) -> Result<Template, CampaignError> {
        let err = |at: usize, message: String| {
            let before = &src[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            CampaignError::Template {
                what,
                line,
                column,
                message,
            }
        };
        let mut pieces = Vec::new();
        let mut rest = 0;
        while let Some(open) = src[rest..].find("{{").map(|i| i + rest) {
            if open > rest {
                pieces.push(Piece::Text(src[rest..open].to_owned()));
            }
            let inner_start = open + 2;
            let close = src[inner_start..]
                .find("}}")
                .map(|i| i + inner_start)
                .ok_or_else(|| err(open, "'{{' is not closed by '}}'".into()))?;
            let inner = &src[inner_start..close];
            let name_at = inner_start + (inner.len() - inner.trim_start().len());
            let (name, filter) = match inner.find('|') {
                Some(bar) => (
                    inner[..bar].trim(),
                    Some((inner_start + bar, &inner[bar + 1..])),
                ),
                None => (inner.trim(), None),
            };
            if name.is_empty() {
                return Err(err(open, "an empty merge field '{{ }}'".into()));
            }
            if !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            {
                return Err(err(
                    name_at,
                    format!("{name:?} is not a field name (lower-case letters, digits, '_')"),
                ));
            }
            if !known(name) {
                return Err(err(
                    name_at,
                    format!(
                        "unknown merge field '{name}'; known fields: {}",
                        known_list.join(", ")
                    ),
                ));
            }
            let default = match filter {
                None => None,
                Some((bar, f)) => Some(parse_default(f).ok_or_else(|| {
                    err(
                        bar,
                        "the only filter is default: write {{ field | default: \"text\" }}".into(),
                    )
                })?),
            };
            pieces.push(Piece::Field {
                name: name.to_owned(),
                default,
            });
            rest = close + 2;
        }
        if rest < src.len() {
            pieces.push(Piece::Text(src[rest..].to_owned()));
        }
        Ok(Template { pieces })
    }

    /// A template made of these pieces (compiled bodies).
    pub fn from_pieces(pieces: Vec<Piece>) -> Self {
        Template { pieces }
    }

    /// The pieces in order.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Whether the template uses the field.
    pub fn uses(&self, field: &str) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Field { name, .. } if name == field))
    }

    /// Renders with each field's value passed through `escape` (defaults
    /// too: they are text like any value).
    pub fn render(
        &self,
        value: &dyn Fn(&str) -> Option<String>,
        escape: fn(&str) -> String,
    ) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Field { name, default } => {
                    let v = value(name).filter(|v| !v.is_empty());
                    match (v, default) {
                        (Some(v), _) => out.push_str(&escape(&v)),
                        (None, Some(d)) => out.push_str(&escape(d)),
                        (None, None) => {}
                    }
                }
            }
        }
        out
    }
}

/// ` default: "text"` (or single quotes) → `text`.
fn parse_default(filter: &str) -> Option<String> {
    let f = filter.trim();
    let arg = f
        .strip_prefix("default")?
        .trim_start()
        .strip_prefix(':')?
        .trim();
    let quote = arg.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = arg[1..].strip_suffix(quote)?;
    (!body.contains(quote)).then(|| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(n: &str) -> bool {
        matches!(n, "first_name" | "unsubscribe_url")
    }

    fn parse(s: &str) -> Result<Template, CampaignError> {
        Template::parse("body", s, &known, &["first_name", "unsubscribe_url"])
    }

    #[test]
    fn fields_and_defaults() {
        let t = parse("Hi {{ first_name | default: \"friend\" }}! {{unsubscribe_url}}").unwrap();
        assert_eq!(
            t.pieces()[1],
            Piece::Field {
                name: "first_name".into(),
                default: Some("friend".into())
            }
        );
        let none = |_: &str| None;
        assert_eq!(t.render(&none, |s| s.to_owned()), "Hi friend! ");
        let ann = |n: &str| (n == "first_name").then(|| "Ann & Bo".to_owned());
        assert_eq!(
            t.render(&ann, |s| s.replace('&', "&amp;")),
            "Hi Ann &amp; Bo! "
        );
        assert!(t.uses("unsubscribe_url"));
    }

    #[test]
    fn an_unknown_field_is_an_error_with_its_position() {
        let e = parse("Hello\n  dear {{ frist_name }}").unwrap_err();
        let CampaignError::Template {
            line,
            column,
            message,
            ..
        } = e
        else {
            panic!()
        };
        assert_eq!((line, column), (2, 11));
        assert!(
            message.contains("unknown merge field 'frist_name'"),
            "{message}"
        );
    }

    #[test]
    fn unclosed_and_bad_filters_are_errors() {
        assert!(parse("Hi {{ first_name").is_err());
        assert!(parse("Hi {{ first_name | upcase }}").is_err());
        assert!(parse("Hi {{ first_name | default: friend }}").is_err());
        assert!(parse("Hi {{ }}").is_err());
        assert!(parse("Hi {{ First }}").is_err());
    }
}
