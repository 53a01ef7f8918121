//! `flokk`: the command line (the stable contract in `shared/spec/cli.md`).
//!
//! Layers, bottom first; a module uses only its own layer and those below:
//! `cli` (the parsed command line) and `failure` (exit codes); `context`
//! (global options), `progress` (bars) and `query` (checking a query,
//! loading the engine, saved models); `live` (saved segments kept current);
//! `cmd` (one module per command) on top.
#![recursion_limit = "256"]

mod cli;
mod clickhouse_backend;
mod clickhouse_http;
mod cmd;
mod context;
mod failure;
mod live;
mod progress;
mod query;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still not print a panic trace at the user (cli.md): one line
    // that says what happened and where, exit code 1 (the runtime's
    // failure code for a panicking main is 101; the hook runs first).
    // `--json` anywhere on the command line: even a usage error or a bug is
    // then reported as the JSON error on stderr (failure.rs), since clap has
    // not parsed the line yet when those happen.
    let json = std::env::args_os().any(|a| a == "--json");
    failure::set_json(json);
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let text = format!("internal error{place}: {message} (please report this)");
        if failure::json_mode() {
            eprintln!(
                "{}",
                serde_json::json!({ "error": { "code": "internal", "message": text } })
            );
        } else {
            eprintln!("error: {text}");
        }
        std::process::exit(1);
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with success, usage errors to
            // stderr; usage errors are user errors (exit 2), as cli.md says.
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if !json {
                let _ = e.print();
                return ExitCode::from(2);
            }
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first);
            return failure::Failure::coded("usage", true, anyhow::anyhow!("{message}")).report();
        }
    };
    // A server keeps Rust's default of ignoring SIGPIPE: a browser that
    // closes a connection (an event stream left behind by navigation)
    // while a response is written must cost that connection an error, not
    // kill the server. Still before any thread exists.
    if !matches!(cli.command, cli::Command::Serve(_) | cli::Command::Demo(_)) {
        restore_default_sigpipe();
    }
    failure::set_json(cli.global.json);
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// `flokk dump | head` closes the pipe early: like other Unix tools, flokk
/// then ends quietly instead of failing on every write (Rust ignores SIGPIPE
/// by default, which turns the closed pipe into errors and panics).
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called in main before any thread exists; setting a
    // signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
