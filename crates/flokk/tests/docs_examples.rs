//! The user documentation in `docs/` is executed, so a page that drifts
//! from the code fails the build. Conventions for writers (repeated in
//! `docs/README.md`):
//!
//! - ```` ```fsql ````: one query per line. Each is counted with
//!   `flokk count --json` on a demo store (2,000 customers, seed 42, a
//!   fixed now) and must be accepted and evaluated.
//! - ```` ```fsql,equal ````: the queries of the block must also count the
//!   same (the page states that they are equivalent).
//! - ```` ```fsql,rejected ````: `query  # code` per line; `flokk check`
//!   must reject the query with that error code.
//! - ```` ```sh,doctest ````: every line starting `flokk ` is run, in page
//!   order, against a fresh copy of the demo store (`FLOKK_DATA` and
//!   `FLOKK_NOW` set; the working directory holds the page's
//!   ```` ```LANG,file=NAME ```` blocks as files). It must exit 0, or the
//!   code its comment names (`# exit 2`).
//! - ```` ```json,doctest ```` right after a ```` ```sh,doctest ```` block:
//!   the block's last command printed JSON with exactly these keys, at
//!   every depth (lists compared by their first element).
//! - Every other ```` ```sh ```` line starting `flokk ` must parse:
//!   `flokk ARGS --help` exits 0, so commands and flags exist.
//!
//! Besides the examples, the reference pages must be complete: every
//! filter, function and parameter of the catalog appears in an example of
//! `docs/language.md`, every command and flag in `docs/cli.md`, and every
//! operation of `/api/openapi.json` in `docs/api.md` (and nothing else).

#[path = "docs_examples/json_shape.rs"]
mod json_shape;
#[path = "docs_examples/markdown.rs"]
mod markdown;
#[path = "docs_examples/server.rs"]
mod server;
#[path = "docs_examples/shell_words.rs"]
mod shell_words;

use markdown::{Block, blocks, doc_files};
use server::{Server, encode};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The instant every example is evaluated at.
const NOW: &str = "2026-06-01T12:00:00Z";

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

fn flokk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
}

/// Every block of every page.
fn all_blocks() -> Vec<Block> {
    doc_files(&docs_dir())
        .into_iter()
        .flat_map(|(name, path)| {
            let text = std::fs::read_to_string(&path).unwrap();
            blocks(&name, &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn assert_none(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} documentation example(s) fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The demo store of the examples: built once, then made ready the way a
/// user's first commands would (built-in segments installed, models fitted).
fn demo_store(dir: &Path) -> PathBuf {
    let data = dir.join("demo");
    let run = |args: &[&str]| {
        let out = flokk()
            .env("FLOKK_DATA", &data)
            .env("FLOKK_NOW", NOW)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "flokk {args:?}: {}", text(&out));
    };
    run(&[
        "--timezone",
        "Europe/Oslo",
        "demo",
        "--customers",
        "2000",
        "--seed",
        "42",
        "--no-serve",
    ]);
    run(&["segment", "list"]);
    run(&["predict"]);
    data
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The queries of ```fsql blocks, with where each is.
fn queries(all: &[Block]) -> Vec<(String, String)> {
    all.iter()
        .filter(|b| b.lang == "fsql" && !b.has("rejected"))
        .flat_map(|b| {
            b.lines
                .iter()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| (b.at(*n), l.trim().to_owned()))
        })
        .collect()
}

/// Counts each query through the API of a server on the store, two at a
/// time (the machine has two cores).
fn count_queries(server: &Server, queries: &[(String, String)]) -> Vec<String> {
    let half = queries.len().div_ceil(2).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = queries
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (at, query) in chunk {
                        let (status, body) =
                            server.get(&format!("/api/count?query={}", encode(query)));
                        let counted = serde_json::from_str::<serde_json::Value>(&body)
                            .is_ok_and(|v| v["count"].is_u64());
                        if status != 200 || !counted {
                            failures.push(format!("{at}: {query}\nHTTP {status}: {body}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// ```fsql,equal blocks: every query of the block has the same count
/// (the docs state an equivalence, e.g. that `!=` includes missing values).
fn check_equal_counts(server: &Server, all: &[Block]) -> Vec<String> {
    let mut failures = Vec::new();
    for b in all.iter().filter(|b| b.lang == "fsql" && b.has("equal")) {
        let counts: Vec<(String, Option<u64>)> = b
            .lines
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(_, q)| {
                let (_, body) = server.get(&format!("/api/count?query={}", encode(q.trim())));
                let count = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["count"].as_u64());
                (q.trim().to_owned(), count)
            })
            .collect();
        if counts.windows(2).any(|w| w[0].1 != w[1].1) {
            let at = b.at(b.lines.first().map_or(0, |(n, _)| *n));
            failures.push(format!(
                "{at}: these queries should count the same: {counts:?}"
            ));
        }
    }
    failures
}

/// ```fsql,rejected lines: `query  # code`, checked through the API.
fn check_rejections(server: &Server, all: &[Block]) -> Vec<String> {
    let mut failures = Vec::new();
    for b in all.iter().filter(|b| b.lang == "fsql" && b.has("rejected")) {
        for (n, line) in b.lines.iter().filter(|(_, l)| !l.trim().is_empty()) {
            let Some((query, code)) = line.rsplit_once(" # ") else {
                failures.push(format!("{}: write `query  # error_code`", b.at(*n)));
                continue;
            };
            let (status, body) = server.get(&format!("/api/check?query={}", encode(query.trim())));
            let codes: Vec<String> = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["errors"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e["code"].as_str().map(str::to_owned))
                .collect();
            if status != 400 || !codes.iter().any(|c| c == code.trim()) {
                failures.push(format!(
                    "{}: {query} should be rejected with {}, got {codes:?}\nHTTP {status}: {body}",
                    b.at(*n),
                    code.trim(),
                ));
            }
        }
    }
    failures
}

/// The commands of a block: `flokk ` lines, with `\` continuations joined.
fn commands(b: &Block) -> Vec<(usize, String)> {
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
fn run_doctests(store: &Path, all: &[Block]) -> Vec<String> {
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
    for b in page {
        if b.lang == "json" && b.has("doctest") {
            failures.extend(check_shape(b, previous_was_doctest, last.as_ref()));
        }
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

#[test]
fn doc_examples_run_against_a_demo_store() {
    let all = all_blocks();
    let tmp = tempfile::tempdir().unwrap();
    let store = demo_store(tmp.path());
    let queries = queries(&all);
    assert!(
        queries.len() > 50,
        "the docs have {} queries",
        queries.len()
    );
    // The server gets its own copy: its first start adds a token to the store.
    let served = tmp.path().join("served");
    copy_dir(&store, &served);
    let mut env = flokk();
    env.env("FLOKK_NOW", NOW);
    let server = server::serve(env, &served);
    let mut failures = count_queries(&server, &queries);
    failures.extend(check_equal_counts(&server, &all));
    failures.extend(check_rejections(&server, &all));
    drop(server);
    failures.extend(run_doctests(&store, &all));
    assert_none(failures);
}

#[test]
fn shell_examples_name_real_commands_and_flags() {
    let mut failures = Vec::new();
    let all = all_blocks();
    for b in all.iter().filter(|b| b.lang == "sh" && !b.has("doctest")) {
        for (n, line) in commands(b) {
            let words = match shell_words::split(&line) {
                Ok(c) => c.words,
                Err(e) => {
                    failures.push(format!("{}: {e}", b.at(n)));
                    continue;
                }
            };
            let out = flokk().args(&words[1..]).arg("--help").output().unwrap();
            if !out.status.success() {
                failures.push(format!("{}: {line}\n{}", b.at(n), text(&out)));
            }
        }
    }
    assert_none(failures);
}

/// Filter names, function names and `function.param` pairs used in the
/// queries of `docs/language.md`.
fn used_in_language_reference(all: &[Block]) -> BTreeSet<String> {
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

#[test]
fn every_filter_function_and_parameter_has_an_example() {
    use flokk_lang::catalog::{FILTERS, FUNCTIONS};
    let used = used_in_language_reference(&all_blocks());
    let mut wanted: Vec<String> = FILTERS.iter().map(|f| f.name.to_owned()).collect();
    for f in FUNCTIONS {
        wanted.push(f.name.to_owned());
        wanted.extend(f.params.iter().map(|p| format!("{}.{}", f.name, p.name)));
        wanted.extend(f.open_prefix.map(|p| format!("{}.{p}", f.name)));
    }
    let missing: Vec<&String> = wanted.iter().filter(|w| !used.contains(*w)).collect();
    assert!(
        missing.is_empty(),
        "docs/language.md has no ```fsql example using: {missing:?}"
    );
}

/// The subcommands and long flags a `--help` text lists.
fn help_items(help: &str) -> (Vec<String>, Vec<String>) {
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
fn mentions(text: &str, word: &str) -> bool {
    let name_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(name_char) && !after.is_some_and(name_char)
    })
}

/// Whether a line of `reference` shows the command `path`: `flokk PARENT...`
/// followed by its name (`flokk config get|set` shows `config set`).
fn shows_command(reference: &str, path: &[String]) -> bool {
    let (name, parents) = path.split_last().expect("a subcommand");
    let prefix = format!("flokk {}", parents.join(" ")).trim_end().to_owned();
    reference.lines().any(|line| {
        line.match_indices(&prefix)
            .any(|(i, _)| mentions(&line[i + prefix.len()..], name))
    })
}

#[test]
fn every_command_and_flag_is_in_the_cli_reference() {
    let reference = std::fs::read_to_string(docs_dir().join("cli.md")).unwrap();
    let mut missing = Vec::new();
    let mut pending: Vec<Vec<String>> = vec![vec![]];
    while let Some(path) = pending.pop() {
        let out = flokk().args(&path).arg("--help").output().unwrap();
        assert!(
            out.status.success(),
            "flokk {path:?} --help: {}",
            text(&out)
        );
        let (commands, flags) = help_items(&String::from_utf8_lossy(&out.stdout));
        let shown = format!("flokk {}", path.join(" "));
        if !path.is_empty() && !shows_command(&reference, &path) {
            missing.push(format!("the command `{shown}`"));
        }
        for flag in flags {
            if !mentions(&reference, &flag) {
                missing.push(format!("{flag} (of `{shown}`)"));
            }
        }
        for c in commands {
            let mut sub = path.clone();
            sub.push(c);
            pending.push(sub);
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "docs/cli.md does not document: {missing:#?}"
    );
}

/// `METHOD /api/path` of every operation in the served OpenAPI document.
fn served_operations() -> BTreeSet<String> {
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

#[test]
fn every_api_operation_is_in_the_api_reference() {
    let reference = std::fs::read_to_string(docs_dir().join("api.md")).unwrap();
    let documented: BTreeSet<String> = reference
        .split('`')
        .filter(|s| {
            ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "]
                .iter()
                .any(|m| s.starts_with(m) && s[m.len()..].starts_with("/api/"))
        })
        .map(|s| s.split('?').next().unwrap().to_owned())
        .collect();
    let served = served_operations();
    let undocumented: Vec<&String> = served.difference(&documented).collect();
    let unknown: Vec<&String> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/api.md misses {undocumented:?} and names operations the server lacks: {unknown:?}"
    );
}
