//! One module per command; `run` dispatches.
//!
//! The top layer: a command may use every module below it (`live`,
//! `query`, `context`, `progress`, `failure`, `cli`); nothing below uses a
//! command.

mod campaign;
mod check;
mod clickhouse;
mod clickhouse_sync;
mod config;
pub mod count;
pub mod customer;
mod demo;
mod discount;
mod dump;
mod export;
mod import;
mod list;
mod members;
pub mod predict;
mod prune;
pub mod segment;
mod serve;
mod sql;
mod tag;
mod token;
mod webhook;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::failure::CmdResult;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> CmdResult {
    let ctx = Context::new(cli.global);
    match cli.command {
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Serve(args) => serve::run(
            &ctx,
            &serve::Serving {
                listen: args.listen,
                rate_limit: args.rate_limit,
                always_link: false,
            },
        ),
        Command::Import(args) => import::run(&ctx, args),
        Command::Dump(args) => dump::run(&ctx, args),
        Command::Config(cmd) => config::run(&ctx, cmd),
        Command::Check(args) => check::run(&ctx, args),
        Command::Count(args) => count::run(&ctx, args),
        Command::Members(args) => members::run(&ctx, args),
        Command::Segment(cmd) => segment::run(&ctx, cmd),
        Command::Customer(cmd) => customer::run(&ctx, cmd),
        Command::Webhook(cmd) => webhook::run(&ctx, cmd),
        Command::Token(cmd) => token::run(&ctx, cmd),
        Command::Predict(args) => predict::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Tag(cmd) => tag::run(&ctx, cmd),
        Command::Sql(args) => sql::run(&ctx, args),
        Command::Clickhouse(cmd) => clickhouse::run(&ctx, cmd),
        Command::Campaign(cmd) => campaign::run(&ctx, cmd),
        Command::List(cmd) => list::run(&ctx, cmd),
        Command::Discount(cmd) => discount::run(&ctx, cmd),
        Command::Prune => prune::run(&ctx),
    }
}
