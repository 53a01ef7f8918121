//! `flokk`: the command line (the stable contract in `shared/spec/cli.md`).
#![recursion_limit = "256"]

mod cli;
mod cmd;
mod context;
mod failure;
mod progress;
mod query;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with success, usage errors to
            // stderr; usage errors are user errors (exit 2), as cli.md says.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
