//! `flokk config`.

use crate::cli::ConfigCommand;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: ConfigCommand) -> CmdResult {
    not_yet_available("config", "foundation issue")
}
