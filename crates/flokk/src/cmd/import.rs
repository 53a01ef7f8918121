//! `flokk import`.

use crate::cli::ImportArgs;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: ImportArgs) -> CmdResult {
    not_yet_available("import", "foundation issue")
}
