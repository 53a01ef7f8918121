//! `flokk dump [--out FILE]`: the whole store as NDJSON.

use crate::cli::DumpArgs;
use crate::context::Context;
use crate::failure::CmdResult;
use anyhow::Context as _;
use std::io::{BufWriter, Write};

pub fn run(ctx: &Context, args: DumpArgs) -> CmdResult {
    let store = ctx.store()?;
    match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            match flokk_store::dump(&store, &mut out) {
                Ok(_) => {}
                // `flokk dump | head` closes the pipe early: not a failure.
                Err(flokk_store::StoreError::Io(e))
                    if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e.into()),
            }
            let _ = out.flush();
        }
        Some(path) => {
            // Written next to the target and renamed, so a failed dump never
            // leaves a truncated file that looks complete.
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            let tmp = tempfile::NamedTempFile::new_in(dir.unwrap_or(std::path::Path::new(".")))
                .with_context(|| format!("cannot write next to {}", path.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, tmp);
            let n = flokk_store::dump(&store, &mut out)?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !ctx.global.json {
                eprintln!("wrote {n} records to {}", path.display());
            }
        }
    }
    Ok(())
}
