//! `flokk dump`.

use crate::cli::DumpArgs;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: DumpArgs) -> CmdResult {
    not_yet_available("dump", "foundation issue")
}
