//! `flokk check [--strict] QUERY`: filled in by the language issue.

use crate::cli::QueryArgs;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: QueryArgs) -> CmdResult {
    not_yet_available("check", "segment language issue")
}
