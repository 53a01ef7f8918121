//! What the reference pages must cover: the catalog's filters, functions
//! and parameters in language.md's examples, the commands and flags of
//! `--help` in cli.md, and the served OpenAPI operations in api.md.

use super::markdown::Block;
use super::{flokk, server};
use std::collections::BTreeSet;

/// Filter names, function names and `function.param` pairs used in the
/// queries of `docs/language.md`.
pub fn used_in_language_reference(all: &[Block]) -> BTreeSet<String> {
    use flokk_lang::catalog::{Entry, lookup};
    use flokk_lang::{Limits, Predicate, parse};
    let mut used = BTreeSet::new();
    for b in all
        .iter()
        .filter(|b| b.file == "docs/language.md" && b.lang == "fsql" && !b.has("rejected"))
    {
        for (_, line) in b.lines.iter().filter(|(_, l)| !l.trim().is_empty()) {
            let Ok(query) = parse(line, &Limits::default()) else {
                continue; // reported by the counting test
            };
            for clause in query.expr.clauses() {
                match lookup(&clause.filter.text) {
                    Some(Entry::Filter(f)) => {
                        used.insert(f.name.to_owned());
                    }
                    Some(Entry::Function(f)) => {
                        used.insert(f.name.to_owned());
                        if let Predicate::Matches { params, .. } = &clause.predicate {
                            for p in params {
                                let name = match f.open_prefix {
                                    Some(prefix) if p.name.text.starts_with(prefix) => prefix,
                                    _ => p.name.text.as_str(),
                                };
                                used.insert(format!("{}.{name}", f.name));
                            }
                        }
                    }
                    None => {}
                }
            }
        }
    }
    used
}

/// The subcommands and long flags a `--help` text lists.
pub fn help_items(help: &str) -> (Vec<String>, Vec<String>) {
    let (mut commands, mut flags) = (Vec::new(), Vec::new());
    let mut section = "";
    for line in help.lines() {
        if !line.starts_with(' ') {
            section = line.trim_end_matches(':');
            continue;
        }
        let item = line.trim_start();
        match section {
            // Wrapped descriptions are indented deeper than the names.
            "Commands" if !line.starts_with("   ") => {
                let name = item.split_whitespace().next().unwrap_or_default();
                if !name.is_empty() && name != "help" {
                    commands.push(name.to_owned());
                }
            }
            "Options" if item.starts_with('-') => {
                let flag = item
                    .split([' ', ',', '=', '<'])
                    .find(|w| w.starts_with("--"));
                if let Some(flag) = flag.filter(|f| !["--help", "--version"].contains(f)) {
                    flags.push(flag.to_owned());
                }
            }
            _ => {}
        }
    }
    (commands, flags)
}

/// Whether `text` has `word` with no name character right before or after.
pub fn mentions(text: &str, word: &str) -> bool {
    let name_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(name_char) && !after.is_some_and(name_char)
    })
}

/// Whether a line of `reference` shows the command `path`: `flokk PARENT...`
/// followed by its name (`flokk config get|set` shows `config set`).
pub fn shows_command(reference: &str, path: &[String]) -> bool {
    let (name, parents) = path.split_last().expect("a subcommand");
    let prefix = format!("flokk {}", parents.join(" ")).trim_end().to_owned();
    reference.lines().any(|line| {
        line.match_indices(&prefix)
            .any(|(i, _)| mentions(&line[i + prefix.len()..], name))
    })
}

/// `METHOD /api/path` of every operation in the served OpenAPI document.
pub fn served_operations() -> BTreeSet<String> {
    let tmp = tempfile::tempdir().unwrap();
    let server = server::serve(flokk(), &tmp.path().join("data"));
    let (status, body) = server.get("/api/openapi.json");
    assert_eq!(status, 200, "{body}");
    let document: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            ops.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    ops
}

/// A heading's anchor as GitHub makes it: lower case, punctuation other
/// than `-` and `_` dropped, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text's headings (outside code blocks).
pub fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.insert(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of the relative links `[text](target)` of a Markdown text.
pub fn relative_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|t| !t.contains("://") && !t.starts_with("mailto:"))
        .map(str::to_owned)
        .collect()
}
