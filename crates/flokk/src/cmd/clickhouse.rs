//! `flokk clickhouse schema [--cluster NAME [--shards N]]`: the DDL of the
//! tables the ClickHouse dialect reads (flokk-clickhouse's schema), with
//! what each table, column and setting is for. Needs no store.
//! `flokk clickhouse sync`: see `clickhouse_sync.rs`.

use crate::cli::ClickhouseCommand;
use crate::context::Context;
use crate::failure::CmdResult;
use flokk_clickhouse::schema::{Cluster, ddl};

pub fn run(ctx: &Context, cmd: ClickhouseCommand) -> CmdResult {
    match cmd {
        ClickhouseCommand::Schema(args) => {
            let cluster = args.cluster.map(|name| Cluster {
                name,
                shards: args.shards,
            });
            print!("{}", ddl(cluster.as_ref()));
            Ok(())
        }
        ClickhouseCommand::Sync(args) => super::clickhouse_sync::run(ctx, args),
    }
}
