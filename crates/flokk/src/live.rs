//! Wiring saved segments to the CLI: the clock they are evaluated with,
//! running a segment operation against a current engine, and keeping
//! membership current after a store write.

use crate::context::Context;
use crate::failure::Failure;
use crate::query::load_engine;
use flokk_engine::Engine;
use flokk_segments::{Clock, Segments, SegmentsError, SyncReport, with_segments};
use flokk_store::Store;

/// The instant and time zone of this command.
pub fn clock(ctx: &Context, store: &Store) -> Result<Clock, Failure> {
    Ok(Clock {
        now: ctx.now()?,
        tz: ctx.timezone(store)?,
        fixed: ctx.global.now.is_some(),
    })
}

/// Runs `op` in a segment transaction over an engine that reflects the
/// store (reloaded if another process wrote in between), and commits.
pub fn run_segments<T>(
    store: &Store,
    engine: &mut Engine,
    clock: &Clock,
    op: &mut dyn FnMut(&mut Segments<'_>) -> Result<T, SegmentsError>,
) -> Result<(T, SyncReport), SegmentsError> {
    let mut refresh = |store: &Store, engine: &mut Engine| refresh_engine(store, engine);
    let done = with_segments(store, engine, clock, &mut refresh, None, op)?;
    // Said on stderr, also with --json: stdout keeps cli.md's shapes exact.
    if clock.fixed && done.1.read_only_since.is_none() && clock.now > jiff::Timestamp::now() {
        eprintln!(
            "note: segment membership is now up to date as of {} (later than the clock); \
             commands as of an earlier instant are read-only until then",
            clock.now
        );
    }
    if let Some(last_sync) = done.1.read_only_since {
        eprintln!(
            "note: read-only: evaluated as of {}, earlier than the last membership sync ({last_sync}); \
             stored membership and the change feed only move forward, so nothing was written",
            clock.now
        );
    }
    Ok(done)
}

/// Brings live membership up to date after a store write, when the store
/// has segments (a store without any needs no engine for this).
pub fn sync_after_write(store: &Store, clock: &Clock) -> Result<Option<SyncReport>, Failure> {
    if !store.has_segments()? {
        return Ok(None);
    }
    let mut engine = load_engine(store)?;
    let ((), report) =
        run_segments(store, &mut engine, clock, &mut |_| Ok(())).map_err(segments_failure)?;
    crate::query::persist_fitted(store, &engine, clock.now)?;
    Ok(Some(report))
}

/// [`sync_after_write`] with an engine the command already holds (loaded
/// before its write): caught up with the write in memory instead of loaded
/// again from the snapshot. After a bulk tag that reads only the tags of
/// the customers tagged.
pub fn sync_with_engine(
    store: &Store,
    engine: &mut Engine,
    clock: &Clock,
) -> Result<Option<SyncReport>, Failure> {
    if !store.has_segments()? {
        return Ok(None);
    }
    let ((), report) =
        run_segments(store, engine, clock, &mut |_| Ok(())).map_err(segments_failure)?;
    crate::query::persist_fitted(store, engine, clock.now)?;
    Ok(Some(report))
}

/// Catches an engine in memory up with the store (rebuilding it when that
/// is cheaper or safer).
pub fn refresh_engine(store: &Store, engine: &mut Engine) -> Result<(), SegmentsError> {
    let failed = |f: Failure| {
        SegmentsError::State(format!(
            "could not bring the engine up to date: {:#}",
            f.error
        ))
    };
    // Not `query::catch_up`: its check that a snapshot holds the store's
    // customers counts them all, which would make every write cost the
    // store; an engine kept in memory was built from this store.
    if flokk_segments::catch_up::catch_up_engine(store, engine)?.is_none() {
        *engine = load_engine(store).map_err(failed)?;
    }
    Ok(())
}

/// A segment error as a CLI failure (exit 2 for the caller's mistakes).
pub fn segments_failure(e: SegmentsError) -> Failure {
    let code = e.code();
    Failure::coded(code, e.is_user_error(), e)
}
