//! A campaign's subject and body, compiled once for all recipients.
//!
//! Markdown is turned into HTML once, with each merge field standing in as
//! a placeholder word (it survives Markdown, link targets included), so a
//! value is never read as Markdown and rendering a recipient is only
//! filling in escaped values. The plain-text part of a Markdown body is
//! the Markdown itself (written to be read as text); of an HTML body, the
//! HTML's text (`text.rs`). A body that does not place `{{ unsubscribe_url }}`
//! gets a footer with it: every message has a visible way out.

use super::build::MessageParts;
use super::text::html_to_text;
use crate::error::CampaignError;
use crate::template::fields::{MergeValues, all_fields, is_known};
use crate::template::parse::{Piece, Template};

/// How the body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// CommonMark.
    Markdown,
    /// HTML.
    Html,
}

impl BodyFormat {
    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyFormat::Markdown => "markdown",
            BodyFormat::Html => "html",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "markdown" => Some(BodyFormat::Markdown),
            "html" => Some(BodyFormat::Html),
            _ => None,
        }
    }

    /// Decision: the body file's extension says its format (`.html`,
    /// `.htm`: HTML; anything else: Markdown, which plain text also is).
    pub fn of_file_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            BodyFormat::Html
        } else {
            BodyFormat::Markdown
        }
    }
}

/// Subject, HTML and text templates, ready to render per recipient.
#[derive(Debug, Clone)]
pub struct CompiledCampaign {
    subject: Template,
    html: Template,
    text: Template,
}

const PLACEHOLDER: &str = "FLOKKMERGE";

impl CompiledCampaign {
    /// Parses and compiles; an unknown field or a malformed `{{ }}` is an
    /// error with its position.
    pub fn compile(subject: &str, body: &str, format: BodyFormat) -> Result<Self, CampaignError> {
        let fields = all_fields();
        let subject = Template::parse("subject", subject, &is_known, &fields)?;
        let body = Template::parse("body", body, &is_known, &fields)?;
        let (html, text) = match format {
            BodyFormat::Markdown => {
                let source = with_placeholders(&body);
                let mut html = String::new();
                let parser =
                    pulldown_cmark::Parser::new_ext(&source, pulldown_cmark::Options::all());
                pulldown_cmark::html::push_html(&mut html, parser);
                let html = format!(
                    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{html}</body></html>\n"
                );
                (from_placeholders(&html, &body), body.clone())
            }
            BodyFormat::Html => {
                let text = html_to_text(&with_placeholders(&body));
                (body.clone(), from_placeholders(&text, &body))
            }
        };
        let (html, text) = if body.uses("unsubscribe_url") {
            (html, text)
        } else {
            (with_html_footer(html), with_text_footer(text))
        };
        let html = with_open_pixel(html);
        Ok(CompiledCampaign {
            subject,
            html,
            text,
        })
    }

    /// One recipient's subject, HTML and text.
    pub fn render(&self, values: &MergeValues) -> MessageParts {
        let value = |n: &str| values.get(n);
        MessageParts {
            // A line break in a value (or the subject) would end the
            // header: no value may add headers to the message.
            subject: self
                .subject
                .render(&value, |s| s.to_owned())
                .replace(['\r', '\n'], " "),
            html: self.html.render(&value, escape_html),
            text: self.text.render(&value, |s| s.to_owned()),
        }
    }

    /// Whether a field is used anywhere.
    pub fn uses(&self, field: &str) -> bool {
        self.subject.uses(field) || self.html.uses(field)
    }

    /// Those of `fields` used anywhere.
    pub fn used_among(&self, fields: &[&'static str]) -> Vec<&'static str> {
        fields.iter().filter(|f| self.uses(f)).copied().collect()
    }
}

fn with_placeholders(t: &Template) -> String {
    let mut s = String::new();
    let mut n = 0;
    for p in t.pieces() {
        match p {
            Piece::Text(x) => s.push_str(x),
            Piece::Field { .. } => {
                s.push_str(&format!("{PLACEHOLDER}{n}X"));
                n += 1;
            }
        }
    }
    s
}

/// Splits compiled text at the placeholders, putting the fields back.
fn from_placeholders(compiled: &str, original: &Template) -> Template {
    let fields: Vec<&Piece> = original
        .pieces()
        .iter()
        .filter(|p| matches!(p, Piece::Field { .. }))
        .collect();
    let mut pieces = Vec::new();
    let mut rest = compiled;
    while let Some(at) = rest.find(PLACEHOLDER) {
        let after = &rest[at + PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match (index, after[digits..].starts_with('X')) {
            (Some(i), true) if i < fields.len() => {
                pieces.push(Piece::Text(rest[..at].to_owned()));
                pieces.push(fields[i].clone());
                rest = &after[digits + 1..];
            }
            _ => {
                pieces.push(Piece::Text(rest[..at + PLACEHOLDER.len()].to_owned()));
                rest = after;
            }
        }
    }
    pieces.push(Piece::Text(rest.to_owned()));
    Template::from_pieces(pieces)
}

fn unsubscribe_field() -> Piece {
    Piece::Field {
        name: "unsubscribe_url".into(),
        default: None,
    }
}

/// Puts `extra` before the HTML's `</body>` (at the end without one).
fn before_body_end(html: Template, extra: Vec<Piece>) -> Template {
    let mut pieces = html.pieces().to_vec();
    let footer_at = match pieces.last() {
        Some(Piece::Text(t)) if t.contains("</body>") => {
            let t = t.clone();
            let (head, tail) = t.split_at(t.rfind("</body>").expect("checked"));
            pieces.pop();
            pieces.push(Piece::Text(head.to_owned()));
            Some(tail.to_owned())
        }
        _ => None,
    };
    pieces.extend(extra);
    if let Some(tail) = footer_at {
        pieces.push(Piece::Text(tail));
    }
    Template::from_pieces(pieces)
}

fn with_html_footer(html: Template) -> Template {
    before_body_end(
        html,
        vec![
            Piece::Text("<p style=\"font-size:small;color:#666\"><a href=\"".into()),
            unsubscribe_field(),
            Piece::Text("\">Unsubscribe</a></p>\n".into()),
        ],
    )
}

/// The open pixel: a per-recipient image (`open_url`, filled in by the
/// message, not a field a template may name).
fn with_open_pixel(html: Template) -> Template {
    before_body_end(
        html,
        vec![
            Piece::Text("<img src=\"".into()),
            Piece::Field {
                name: OPEN_URL.into(),
                default: None,
            },
            Piece::Text(
                "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">\n".into(),
            ),
        ],
    )
}

/// The open pixel's field.
pub const OPEN_URL: &str = "open_url";

fn with_text_footer(text: Template) -> Template {
    let mut pieces = text.pieces().to_vec();
    pieces.push(Piece::Text("\n\n--\nUnsubscribe: ".into()));
    pieces.push(unsubscribe_field());
    pieces.push(Piece::Text("\n".into()));
    Template::from_pieces(pieces)
}

/// Escapes text for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_model::Customer;

    fn values() -> MergeValues {
        let mut c = Customer::stub("1001");
        c.first_name = Some("Ann <*bold*>".into());
        let mut v = MergeValues::of_customer(&c);
        v.set(
            "unsubscribe_url",
            "https://f.example/email/unsubscribe/t?x=1&y=2".into(),
        );
        v.set(
            "campaign_link",
            "https://shop.example/show?utm_source=flokk&b=1".into(),
        );
        v
    }

    #[test]
    fn markdown_fields_are_values_not_markdown() {
        let c = CompiledCampaign::compile(
            "Hi {{ first_name }}",
            "# Hello {{ first_name | default: \"friend\" }}\n\n[Tickets]({{ campaign_link }})\n",
            BodyFormat::Markdown,
        )
        .unwrap();
        let p = c.render(&values());
        assert_eq!(p.subject, "Hi Ann <*bold*>");
        assert!(
            p.html.contains("<h1>Hello Ann &lt;*bold*&gt;</h1>"),
            "{}",
            p.html
        );
        assert!(
            p.html.contains(
                "<a href=\"https://shop.example/show?utm_source=flokk&amp;b=1\">Tickets</a>"
            ),
            "{}",
            p.html
        );
        // No unsubscribe_url in the body: a footer in both parts.
        assert!(
            p.html
                .contains("x=1&amp;y=2\">Unsubscribe</a></p>\n<img src=\"\""),
            "{}",
            p.html
        );
        // The open pixel last, inside the body.
        assert!(
            p.html.ends_with("border:0\">\n</body></html>\n"),
            "{}",
            p.html
        );
        assert!(p.text.starts_with("# Hello Ann <*bold*>\n"), "{}", p.text);
        assert!(
            p.text
                .ends_with("Unsubscribe: https://f.example/email/unsubscribe/t?x=1&y=2\n")
        );
    }

    #[test]
    fn a_line_break_in_a_value_cannot_add_a_header() {
        let c =
            CompiledCampaign::compile("Hi {{ first_name }}", "x", BodyFormat::Markdown).unwrap();
        let mut customer = Customer::stub("1");
        customer.first_name = Some("Ann\r\nBcc: all@example.com".into());
        let p = c.render(&MergeValues::of_customer(&customer));
        assert_eq!(p.subject, "Hi Ann  Bcc: all@example.com");
    }

    #[test]
    fn an_html_body_gets_a_text_part() {
        let c = CompiledCampaign::compile(
            "S",
            "<p>Hi {{ first_name }}</p><p><a href=\"{{ unsubscribe_url }}\">Leave</a></p>",
            BodyFormat::Html,
        )
        .unwrap();
        let p = c.render(&values());
        assert!(p.text.contains("Hi Ann <*bold*>"), "{}", p.text);
        assert!(
            p.text
                .contains("Leave (https://f.example/email/unsubscribe/t?x=1&y=2)"),
            "{}",
            p.text
        );
        assert!(
            !p.html.contains("font-size:small"),
            "the body places the link itself"
        );
    }
}
