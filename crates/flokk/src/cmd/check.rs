//! `flokk check [--strict] QUERY`: validates a query and prints its
//! canonical form, or its errors with the offending text underlined
//! (`--json`: the shapes of cli.md).

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use flokk_lang::{CheckOptions, Errors, PropertyTypes, check};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use serde::Serialize;
use std::fmt;
use std::io::IsTerminal as _;

pub fn run(ctx: &Context, args: QueryArgs) -> CmdResult {
    // property types come from the store: replace with the store's custom property types.
    let properties = PropertyTypes::new();
    let options = CheckOptions {
        strict: args.strict,
        properties: &properties,
    };
    match check(&args.query, &options) {
        Ok(typed) => {
            let canonical = typed.to_string();
            if ctx.global.json {
                print_json(&Valid {
                    valid: true,
                    canonical: &canonical,
                })?;
            } else {
                println!("{canonical}");
            }
            Ok(())
        }
        Err(errors) => {
            if ctx.global.json {
                print_json(&Invalid {
                    valid: false,
                    errors: &errors,
                })?;
            } else {
                eprint!("{}", render(&args.query, &errors));
            }
            Err(Failure::user_reported())
        }
    }
}

/// `{"valid":true,"canonical":...}`, fields in the order of cli.md.
#[derive(Serialize)]
struct Valid<'a> {
    valid: bool,
    canonical: &'a str,
}

/// `{"valid":false,"errors":[...]}`.
#[derive(Serialize)]
struct Invalid<'a> {
    valid: bool,
    errors: &'a Errors,
}

fn print_json(value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string(value).map_err(Failure::from)?;
    println!("{text}");
    Ok(())
}

/// The errors as miette reports: the query with each span underlined.
fn render(query: &str, errors: &Errors) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme);
    let mut out = String::new();
    for error in errors {
        let diagnostic = QueryDiagnostic {
            query: format!("{query} "),
            error,
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            // Rendering into a String cannot fail; keep the plain line regardless.
            out.push_str(&format!("error: {error}\n"));
        }
        out.push('\n');
    }
    out
}

/// One query error as a miette diagnostic.
#[derive(Debug)]
struct QueryDiagnostic<'a> {
    query: String,
    error: &'a flokk_lang::Error,
}

impl fmt::Display for QueryDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.error.message, self.error.line, self.error.column
        )
    }
}

impl std::error::Error for QueryDiagnostic<'_> {}

impl Diagnostic for QueryDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.error.code))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.query)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.error.span;
        // An empty span (something missing) gets one column, so that the
        // caret shows where; `query` has a blank at its end for this.
        let len = (span.end - span.start).max(1);
        let label = LabeledSpan::new(Some("here".to_owned()), span.start, len);
        Some(Box::new(std::iter::once(label)))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut help = Vec::new();
        if let Some(s) = &self.error.suggestion {
            help.push(format!("did you mean {s}?"));
        }
        if !self.error.expected.is_empty() {
            help.push(format!("expected: {}", self.error.expected.join(", ")));
        }
        (!help.is_empty()).then(|| Box::new(help.join("\n")) as Box<dyn fmt::Display>)
    }
}
