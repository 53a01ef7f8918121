//! The user documentation in `docs/` is executed, so a page that drifts
//! from the code fails the build. Conventions for writers (repeated in
//! `docs/README.md`):
//!
//! - ```` ```fsql ````: one query per line. Each is counted on a demo
//!   store (2,000 customers, seed 42, a fixed now) through `GET /api/count`
//!   of a `flokk serve` (one warm process, not one per query) and must be
//!   accepted and evaluated.
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
//! - ```` ```http,doctest ````: `GET /api/...` per line, sent with an admin
//!   token to a server on the demo store; each must answer 2xx, and a
//!   ```` ```json,doctest ```` block right after shows the last answer's keys.
//! - Every other ```` ```sh ```` line starting `flokk ` (in `docs/` and in
//!   the README's tour) must parse: `flokk ARGS --help` exits 0, so
//!   commands and flags exist.
//!
//! Besides the examples, the reference pages must be complete: every
//! filter, function and parameter of the catalog appears in an example of
//! `docs/language.md`, every command and flag in `docs/cli.md`, and every
//! operation of `/api/openapi.json` in `docs/api.md` (and nothing else).

#[path = "docs_examples/coverage.rs"]
mod coverage;
#[path = "docs_examples/doctest.rs"]
mod doctest;
#[path = "docs_examples/json_shape.rs"]
mod json_shape;
#[path = "docs_examples/markdown.rs"]
mod markdown;
#[path = "docs_examples/queries.rs"]
mod queries;
#[path = "docs_examples/server.rs"]
mod server;
#[path = "docs_examples/shell_words.rs"]
mod shell_words;

use coverage::{
    anchors, help_items, mentions, relative_links, served_operations, shows_command,
    used_in_language_reference,
};
use doctest::{commands, run_doctests};
use markdown::{Block, blocks, doc_files};
use queries::{check_api_examples, check_equal_counts, check_rejections, count_queries, queries};
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
    failures.extend(check_api_examples(&server, &all));
    drop(server);
    failures.extend(run_doctests(&store, &all));
    assert_none(failures);
}

#[test]
fn shell_examples_name_real_commands_and_flags() {
    let mut failures = Vec::new();
    // The README's tour points into docs/ and is held to the same rule.
    let readme = std::fs::read_to_string(docs_dir().join("../README.md")).unwrap();
    let mut all = all_blocks();
    all.extend(blocks("README.md", &readme).unwrap_or_else(|e| panic!("{e}")));
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

#[test]
fn every_api_operation_is_in_the_api_reference() {
    let reference = std::fs::read_to_string(docs_dir().join("api.md")).unwrap();
    let documented: BTreeSet<String> = reference
        .split('`')
        .filter(|s| {
            ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "]
                .iter()
                .any(|m| {
                    // The JSON API, and the live-data endpoints outside it.
                    s.starts_with(m)
                        && ["/api/", "/v1/", "/webhooks/"]
                            .iter()
                            .any(|p| s[m.len()..].starts_with(p))
                })
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

#[test]
fn links_between_pages_point_at_pages_and_headings_that_exist() {
    let root = docs_dir().join("..");
    let mut pages: Vec<(String, PathBuf)> = doc_files(&docs_dir());
    pages.push(("README.md".into(), root.join("README.md")));
    let mut broken = Vec::new();
    for (name, path) in &pages {
        let text = std::fs::read_to_string(path).unwrap();
        for link in relative_links(&text) {
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                path.parent().unwrap().join(file)
            };
            let Ok(target_text) = std::fs::read_to_string(&target) else {
                broken.push(format!("{name}: ({link}): no such file"));
                continue;
            };
            if !anchor.is_empty() && !anchors(&target_text).contains(anchor) {
                broken.push(format!("{name}: ({link}): no such heading"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}
