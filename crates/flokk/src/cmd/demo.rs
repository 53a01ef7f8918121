//! `flokk demo`.

use crate::cli::DemoArgs;
use crate::context::Context;
use crate::failure::{CmdResult, not_yet_available};

pub fn run(_ctx: &Context, _args: DemoArgs) -> CmdResult {
    not_yet_available("demo", "foundation issue")
}
