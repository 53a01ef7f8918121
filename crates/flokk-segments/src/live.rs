//! Keeping stored membership current: after store writes, for the
//! customers they touched; after a store-local midnight, for the segments
//! whose answer moves with the calendar; after a refit, for the segments
//! that read the predictive models.

use crate::SegmentsError;
use crate::cache::MembershipCache;
use crate::graph::SegmentGraph;
use crate::graph::SegmentNode;
use crate::reconcile::{Moves, Scope, TouchedCustomers, reconcile};
use flokk_engine::{Engine, Evaluator};
use flokk_store::{ChangeCause, MEMBERSHIP_AT, MEMBERSHIP_DAY, MEMBERSHIP_SEQUENCE, SegmentWriter};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The instant and time zone membership is evaluated in.
#[derive(Debug, Clone)]
pub struct Clock {
    /// Now.
    pub now: Timestamp,
    /// The store's time zone (whole days are its days).
    pub tz: TimeZone,
    /// Whether `now` was given (`--now`, `FLOKK_NOW`) rather than read from
    /// the wall clock. A now earlier than the last membership sync makes a
    /// segment transaction read-only, except a wall clock only moments
    /// behind another process's sync (they raced), which is moved up to it.
    pub fixed: bool,
}

impl Clock {
    /// The store-local day of `now`, as days since 1970-01-01.
    pub fn day(&self) -> i64 {
        let date = self.now.to_zoned_datetime(self.tz.clone()).date();
        i64::from((date - jiff::civil::date(1970, 1, 1)).get_days())
    }

    /// An evaluator as of this clock that knows the saved segments.
    pub fn evaluator<'e>(&self, engine: &'e Engine, graph: &'e SegmentGraph) -> Evaluator<'e> {
        Evaluator::new(engine, self.now, self.tz.clone()).with_segments(graph.definitions())
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Store changes looked at (customers touched).
    pub customers_touched: u64,
    /// Whether a midnight (or a changed day) re-evaluated day-dependent segments.
    pub midnight: bool,
    /// Segments evaluated over every customer.
    pub full_evaluations: u64,
    /// Entries and exits recorded.
    pub moves: Moves,
    /// The store change sequence membership now reflects.
    pub sequence: u64,
    /// Set when this transaction was read-only: the instant of the last
    /// membership sync, later than this command's now. Nothing was written.
    pub read_only_since: Option<Timestamp>,
}

/// The instant membership was last brought up to date as of, if ever.
pub fn last_sync(writer: &SegmentWriter<'_>) -> Result<Option<Timestamp>, SegmentsError> {
    Ok(writer
        .marker(MEMBERSHIP_AT)?
        .and_then(|n| Timestamp::from_nanosecond(i128::from(n)).ok()))
}

/// Notes that membership is now up to date as of `clock.now`.
fn mark_synced(writer: &mut SegmentWriter<'_>, clock: &Clock) -> Result<(), SegmentsError> {
    let at = i64::try_from(clock.now.as_nanosecond()).unwrap_or(i64::MAX);
    if writer.marker(MEMBERSHIP_AT)?.is_none_or(|last| last < at) {
        writer.set_marker(MEMBERSHIP_AT, at)?;
    }
    Ok(())
}

/// Fails unless `engine` reflects every committed store write; brings the
/// membership cache (if any) up to the feed's end.
pub fn ensure_current(
    writer: &SegmentWriter<'_>,
    engine: &Engine,
    cache: Option<&mut MembershipCache>,
) -> Result<u64, SegmentsError> {
    let store = writer.store_sequence()?;
    if engine.sequence != store {
        return Err(SegmentsError::EngineBehind {
            engine: engine.sequence,
            store,
        });
    }
    if let Some(c) = cache {
        c.catch_up(writer)?;
    }
    Ok(store)
}

/// Brings stored membership up to date with the store and the calendar:
/// the customers changed since the last sync are re-evaluated in every
/// segment (a changed venue, production or performance re-evaluates every
/// segment), then, when the store-local day differs from the last sync's,
/// every segment whose answer depends on the day.
pub fn sync(
    writer: &mut SegmentWriter<'_>,
    engine: &Engine,
    graph: &SegmentGraph,
    clock: &Clock,
    mut cache: Option<&mut MembershipCache>,
) -> Result<SyncReport, SegmentsError> {
    let sequence = ensure_current(writer, engine, cache.as_deref_mut())?;
    let mut report = SyncReport {
        sequence,
        ..Default::default()
    };
    let today = clock.day();
    // A stored query that no longer checks (a property changed type, a
    // limit of the language tightened) is failing too, with its errors.
    for (segment, errors) in graph.broken() {
        let reason = errors
            .iter()
            .map(|e| format!("{} ({})", e.message, e.code.as_str()))
            .collect::<Vec<_>>()
            .join("; ");
        writer.set_failing(
            segment.id,
            Some(&format!("the query no longer checks: {reason}")),
        )?;
    }
    let nodes: Vec<_> = graph.in_order().collect();
    if nodes.is_empty() {
        // Nothing to keep current: membership trivially reflects everything.
        writer.set_marker(MEMBERSHIP_SEQUENCE, sequence as i64)?;
        writer.set_marker(MEMBERSHIP_DAY, today)?;
        mark_synced(writer, clock)?;
        return Ok(report);
    }
    let evaluator = clock.evaluator(engine, graph);
    let done = writer.marker(MEMBERSHIP_SEQUENCE)?.unwrap_or(0) as u64;
    let mut fully_evaluated = std::collections::BTreeSet::new();
    if done < sequence {
        writer.syncing(Some((done, sequence)));
        let changed = writer.changed_customers(done, sequence)?;
        report.customers_touched = changed.len() as u64;
        // A customer whose every change was a bulk tag can move only the
        // segments that read tags: the others are not evaluated for them
        // (tagging a million customers then costs the segments that read
        // tags alone).
        let reads_tags = |n: &SegmentNode| graph.reads_tags(n.segment.id);
        let sizes = |nodes: &[&SegmentNode]| -> Vec<(i64, u64)> {
            nodes
                .iter()
                .map(|n| (n.segment.id, n.segment.member_count))
                .collect()
        };
        let others: Vec<_> = changed.iter().filter(|c| !c.only_tagged).copied().collect();
        let tagged_too = if others.len() == changed.len() {
            None
        } else {
            let tag_nodes: Vec<&SegmentNode> =
                nodes.iter().copied().filter(|n| reads_tags(n)).collect();
            Some(TouchedCustomers::read(
                writer,
                engine,
                &changed,
                &sizes(&tag_nodes),
            )?)
        };
        let untagged = TouchedCustomers::read(writer, engine, &others, &sizes(&nodes))?;
        for node in &nodes {
            let touched = match &tagged_too {
                Some(all) if reads_tags(node) => all,
                _ => &untagged,
            };
            report.moves += contained(writer, node, |writer| {
                reconcile(
                    writer,
                    &evaluator,
                    engine,
                    node,
                    Scope::Touched(touched),
                    cache.as_deref_mut(),
                )
            })?;
        }
        // A changed venue, production or performance can move anyone's
        // ticketing answers: every segment is looked at again.
        if writer.catalogue_changed(done, sequence)? {
            for node in &nodes {
                report.moves += contained(writer, node, |writer| {
                    reconcile(
                        writer,
                        &evaluator,
                        engine,
                        node,
                        Scope::All(ChangeCause::RecordAdded),
                        cache.as_deref_mut(),
                    )
                })?;
                fully_evaluated.insert(node.segment.id);
                report.full_evaluations += 1;
            }
        }
        writer.set_marker(MEMBERSHIP_SEQUENCE, sequence as i64)?;
        writer.syncing(None);
    }
    let last_day = writer.marker(MEMBERSHIP_DAY)?;
    if last_day.is_some_and(|d| d != today) {
        report.midnight = true;
        for node in &nodes {
            if !fully_evaluated.contains(&node.segment.id) && graph.depends_on_day(node.segment.id)
            {
                report.moves += contained(writer, node, |writer| {
                    reconcile(
                        writer,
                        &evaluator,
                        engine,
                        node,
                        Scope::All(ChangeCause::Midnight),
                        cache.as_deref_mut(),
                    )
                })?;
                report.full_evaluations += 1;
            }
        }
    }
    writer.set_marker(MEMBERSHIP_DAY, today)?;
    mark_synced(writer, clock)?;
    Ok(report)
}

/// Re-evaluates every segment that reads the predictive models, after the
/// models were refitted.
pub fn after_refit(
    writer: &mut SegmentWriter<'_>,
    engine: &Engine,
    graph: &SegmentGraph,
    clock: &Clock,
    mut cache: Option<&mut MembershipCache>,
) -> Result<Moves, SegmentsError> {
    ensure_current(writer, engine, cache.as_deref_mut())?;
    let evaluator = clock.evaluator(engine, graph);
    let mut moves = Moves::default();
    for node in graph.in_order() {
        if graph.uses_predictions(node.segment.id) {
            moves += contained(writer, node, |writer| {
                reconcile(
                    writer,
                    &evaluator,
                    engine,
                    node,
                    Scope::All(ChangeCause::Refit),
                    cache.as_deref_mut(),
                )
            })?;
        }
    }
    Ok(moves)
}

/// Runs one segment's part of a sync. An error evaluating its query marks
/// that segment failing, with the reason, and leaves its membership as it
/// was, so every other segment (and the write that caused the sync) goes on;
/// the next sync that evaluates it clears the mark. The store failing
/// (SQLite, the disk) still stops the sync: nothing could be recorded.
pub(crate) fn contained(
    writer: &mut SegmentWriter<'_>,
    node: &SegmentNode,
    run: impl FnOnce(&mut SegmentWriter<'_>) -> Result<Moves, SegmentsError>,
) -> Result<Moves, SegmentsError> {
    match run(writer) {
        Ok(moves) => {
            writer.set_failing(node.segment.id, None)?;
            Ok(moves)
        }
        Err(SegmentsError::Eval(e)) => {
            let reason = format!("{e} ({})", e.code());
            writer.set_failing(node.segment.id, Some(&reason))?;
            Ok(Moves::default())
        }
        Err(e) => Err(e),
    }
}
