//! `flokk customer`.

use crate::cli::CustomerCommand;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: CustomerCommand) -> CmdResult {
    not_yet_available("customer", "foundation issue")
}
