//! Running ```sh,doctest blocks and comparing ```json,doctest shapes.

use super::markdown::Block;
use super::{NOW, copy_dir, flokk, json_shape, shell_words, text};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

/// The commands of a block: `flokk ` lines, with `\` continuations joined.
pub fn commands(b: &Block) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut continued = false;
    for (n, line) in &b.lines {
        let (body, more) = match line.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (line.as_str(), false),
        };
        if continued {
            out.last_mut().expect("a command").1.push_str(body);
        } else {
            out.push((*n, body.trim_start().to_owned()));
        }
        continued = more;
    }
    out.retain(|(_, c)| c.starts_with("flokk "));
    out
}

/// Runs every page's ```sh,doctest blocks, each page on its own copy of
/// the store; two pages at a time (the machine has two cores).
pub fn run_doctests(store: &Path, all: &[Block]) -> Vec<String> {
    let files: BTreeSet<&str> = all
        .iter()
        .filter(|b| b.lang == "sh" && b.has("doctest"))
        .map(|b| b.file.as_str())
        .collect();
    let pages: Vec<Vec<&Block>> = files
        .into_iter()
        .map(|file| all.iter().filter(|b| b.file == file).collect())
        .collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = [0, 1]
            .map(|first| {
                let mine: Vec<&Vec<&Block>> = pages.iter().skip(first).step_by(2).collect();
                scope.spawn(move || {
                    mine.into_iter()
                        .flat_map(|page| run_page(store, page))
                        .collect::<Vec<String>>()
                })
            })
            .into_iter()
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// Runs one page's doctests in a fresh working directory.
fn run_page(store: &Path, page: &[&Block]) -> Vec<String> {
    let mut failures = Vec::new();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    copy_dir(store, &data);
    for b in page {
        if let Some(name) = b.tag_value("file") {
            std::fs::write(work.path().join(name), b.text()).unwrap();
        }
    }
    let mut last: Option<(String, Output)> = None;
    let mut previous_was_doctest = false;
    let mut previous_was_http = false;
    for b in page {
        // Shapes after ```http,doctest are the served checks' business.
        if b.lang == "json" && b.has("doctest") && !previous_was_http {
            failures.extend(check_shape(b, previous_was_doctest, last.as_ref()));
        }
        previous_was_http = b.lang == "http" && b.has("doctest");
        previous_was_doctest = b.lang == "sh" && b.has("doctest");
        if !previous_was_doctest {
            continue;
        }
        for (n, line) in commands(b) {
            let at = b.at(n);
            let command = match shell_words::split(&line) {
                Ok(c) if c.operator.is_none() => c,
                Ok(_) => {
                    failures.push(format!("{at}: a doctest line is one plain command: {line}"));
                    continue;
                }
                Err(e) => {
                    failures.push(format!("{at}: {e}"));
                    continue;
                }
            };
            let out = flokk()
                .current_dir(work.path())
                .env("FLOKK_DATA", &data)
                .env("FLOKK_NOW", NOW)
                .args(&command.words[1..])
                .output()
                .unwrap();
            if out.status.code() != Some(command.expected_exit()) {
                failures.push(format!(
                    "{at}: {line}\nexpected exit {}, got {}",
                    command.expected_exit(),
                    text(&out)
                ));
            }
            last = Some((at, out));
        }
    }
    failures
}

/// A ```json,doctest block against the output of the command before it.
fn check_shape(b: &Block, after_doctest: bool, last: Option<&(String, Output)>) -> Vec<String> {
    let at = b.at(b.lines.first().map_or(0, |(n, _)| *n));
    let (Some((command_at, out)), true) = (last, after_doctest) else {
        return vec![format!(
            "{at}: a json,doctest block must follow a sh,doctest block"
        )];
    };
    let documented: serde_json::Value = match serde_json::from_str(&b.text()) {
        Ok(v) => v,
        Err(e) => return vec![format!("{at}: not JSON: {e}")],
    };
    let actual: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "{at}: the command at {command_at} printed no JSON ({e})"
            )];
        }
    };
    json_shape::differences(&documented, &actual)
        .into_iter()
        .map(|d| format!("{at} (output of {command_at}): {d}"))
        .collect()
}
