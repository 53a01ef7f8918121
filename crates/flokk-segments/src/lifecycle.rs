//! The segment lifecycle: create, update (with a version history), drafts,
//! rename, delete (soft) and restore, purge. Every operation runs in one
//! store transaction that first brings membership up to date, then changes
//! the definition and records the membership changes it causes, so the
//! feed, the member table and the definitions never disagree.

use crate::SegmentsError;
use crate::analysis::rename_references;
use crate::builtins::BUILT_IN_SEGMENTS;
use crate::cache::MembershipCache;
use crate::graph::SegmentGraph;
use crate::live::{Clock, SyncReport, contained, last_sync, sync};
use crate::reconcile::{Moves, Scope, empty, reconcile};
use flokk_engine::Engine;
use flokk_lang::PropertyTypes;
use flokk_store::{ChangeCause, NewSegment, Segment, SegmentFilter, SegmentWriter, Store};

/// How far the wall clock of one process may be behind another's last sync
/// and still count as the same moment (they raced for the write lock).
const WALL_CLOCK_RACE_SECONDS: i64 = 60;

/// Marker: built-in segments were installed once (so deleting one sticks).
const BUILT_INS_INSTALLED: &str = "built_in_segments_installed";

/// An open segment transaction over a current engine.
pub struct Segments<'a> {
    writer: SegmentWriter<'a>,
    engine: &'a Engine,
    clock: Clock,
    properties: PropertyTypes,
    lists: flokk_engine::StaticLists,
    graph: SegmentGraph,
    report: SyncReport,
    cache: Option<&'a mut MembershipCache>,
    /// The last membership sync, when it is later than this transaction's
    /// now: then nothing is written (see [`Segments::open`]).
    read_only_since: Option<jiff::Timestamp>,
}

impl<'a> Segments<'a> {
    /// Takes the store's write lock and brings membership up to date.
    /// Fails with [`SegmentsError::EngineBehind`] when `engine` does not
    /// reflect the store's last write (catch it up and call again).
    ///
    /// A long-running process passes a [`MembershipCache`] so whole-segment
    /// evaluations compare in memory; a one-shot command passes `None`.
    ///
    /// Stored membership and the change feed only move forward in time.
    /// When a given now (`--now`, `FLOKK_NOW`) is earlier than the last
    /// membership sync, the transaction is read-only: nothing is synced,
    /// reads evaluate as of that now, changes fail with
    /// [`SegmentsError::NowBeforeLastSync`], bookkeeping (last activity) is
    /// skipped, and [`SyncReport::read_only_since`] says so. The same holds
    /// for the wall clock when the store was synced as of a later `--now`;
    /// a wall clock only moments (a minute) behind another process's sync
    /// is moved up to it instead.
    pub fn open(
        store: &'a Store,
        engine: &'a Engine,
        mut clock: Clock,
        mut cache: Option<&'a mut MembershipCache>,
    ) -> Result<Self, SegmentsError> {
        let mut writer = store.segment_writer(clock.now)?;
        let properties = engine.property_types();
        // Read inside the write transaction: lists cannot change under it.
        let lists = crate::graph::static_lists(store)?;
        let graph = SegmentGraph::build(
            writer.segments(SegmentFilter::Live)?,
            lists.clone(),
            &properties,
        );
        let mut read_only_since = None;
        if let Some(last) = last_sync(&writer)?
            && clock.now < last
        {
            // Two processes on the wall clock race by moments: the later
            // sync's instant stands for both. Any other gap (a `--now`, or
            // a store synced as of a later `--now`) is read-only.
            let raced =
                !clock.fixed && last.duration_since(clock.now).as_secs() < WALL_CLOCK_RACE_SECONDS;
            if raced {
                clock.now = last;
            } else {
                read_only_since = Some(last);
            }
        }
        let report = match read_only_since {
            Some(_) => SyncReport {
                read_only_since,
                sequence: writer
                    .marker(flokk_store::MEMBERSHIP_SEQUENCE)?
                    .unwrap_or(0) as u64,
                ..SyncReport::default()
            },
            None => sync(&mut writer, engine, &graph, &clock, cache.as_deref_mut())?,
        };
        Ok(Segments {
            writer,
            engine,
            clock,
            properties,
            lists,
            graph,
            report,
            cache,
            read_only_since,
        })
    }

    /// Fails when this transaction is read-only (see [`Segments::open`]).
    fn writable(&self) -> Result<(), SegmentsError> {
        match self.read_only_since {
            Some(last_sync) => Err(SegmentsError::NowBeforeLastSync {
                now: self.clock.now,
                last_sync,
            }),
            None => Ok(()),
        }
    }

    /// What bringing membership up to date did.
    pub fn sync_report(&self) -> &SyncReport {
        &self.report
    }

    /// The live segments, checked and ordered.
    pub fn graph(&self) -> &SegmentGraph {
        &self.graph
    }

    /// Commits everything (a read-only transaction is rolled back: it
    /// wrote nothing anyway).
    pub fn commit(self) -> Result<SyncReport, SegmentsError> {
        if self.read_only_since.is_none() {
            self.writer.commit()?;
        }
        Ok(self.report)
    }

    /// Installs the built-in segments the first time it is called on a
    /// store (a name already taken is left alone); later calls do nothing,
    /// so a merchant who deletes a built-in keeps it deleted.
    pub fn install_built_ins(&mut self) -> Result<Vec<Segment>, SegmentsError> {
        if self.writer.marker(BUILT_INS_INSTALLED)?.is_some() || self.read_only_since.is_some() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for b in BUILT_IN_SEGMENTS {
            if self.writer.segment(b.name)?.is_none() {
                out.push(self.create(b.name, b.query, Some(b.description), "flokk")?);
            }
        }
        self.writer.set_marker(BUILT_INS_INSTALLED, 1)?;
        Ok(out)
    }

    fn rebuild_graph(&mut self) -> Result<(), SegmentsError> {
        self.graph = SegmentGraph::build(
            self.writer.segments(SegmentFilter::Live)?,
            self.lists.clone(),
            &self.properties,
        );
        Ok(())
    }

    /// The segment called `name` (or with that id), deleted ones included.
    pub fn get(&self, name: &str) -> Result<Segment, SegmentsError> {
        Ok(self.writer.existing(name)?)
    }

    fn live(&self, name: &str) -> Result<Segment, SegmentsError> {
        let s = self.get(name)?;
        if s.deleted_at.is_some() {
            return Err(SegmentsError::State(format!(
                "segment '{}' is deleted; restore it first",
                s.name
            )));
        }
        Ok(s)
    }

    fn validated(&self, name: &str, id: Option<i64>, query: &str) -> Result<(), SegmentsError> {
        self.graph
            .validate(name, id, query, &self.properties)
            .map(|_| ())
            .map_err(|errors| SegmentsError::Query {
                segment: name.to_owned(),
                query: query.to_owned(),
                errors,
            })
    }

    /// Re-evaluates `ids` over every customer, in dependency order.
    fn reevaluate(&mut self, ids: &[i64], cause: ChangeCause) -> Result<Moves, SegmentsError> {
        self.rebuild_graph()?;
        let evaluator = self.clock.evaluator(self.engine, &self.graph);
        let mut moves = Moves::default();
        for node in self.graph.in_order() {
            if ids.contains(&node.segment.id) {
                let cache = self.cache.as_deref_mut();
                moves += contained(&mut self.writer, node, |writer| {
                    reconcile(
                        writer,
                        &evaluator,
                        self.engine,
                        node,
                        Scope::All(cause),
                        cache,
                    )
                })?;
            }
        }
        Ok(moves)
    }

    /// Saves a new segment and records its members (cause `created`).
    pub fn create(
        &mut self,
        name: &str,
        query: &str,
        description: Option<&str>,
        author: &str,
    ) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let name = flokk_store::validate_segment_name(name)?;
        validate_author(author)?;
        if let Some(existing) = self.writer.segment(name)?
            && existing.name.to_lowercase() == name.to_lowercase()
            && existing.deleted_at.is_some()
        {
            return Err(SegmentsError::State(format!(
                "a deleted segment is named '{}': restore it, or purge it to reuse the name",
                existing.name
            )));
        }
        self.validated(name, None, query)?;
        let sid = self.writer.create(&NewSegment {
            name,
            description,
            query,
            author,
        })?;
        self.reevaluate(&[sid], ChangeCause::Created)?;
        self.get(&sid.to_string())
    }

    /// Publishes a new query for the segment; it and every segment naming
    /// it are re-evaluated (cause `definition_changed`).
    pub fn update(
        &mut self,
        name: &str,
        query: &str,
        author: &str,
    ) -> Result<Segment, SegmentsError> {
        self.writable()?;
        validate_author(author)?;
        let s = self.live(name)?;
        self.validated(&s.name, Some(s.id), query)?;
        self.writer.update_query(s.id, query, author)?;
        let mut affected = vec![s.id];
        affected.extend(self.graph.dependents(s.id));
        self.reevaluate(&affected, ChangeCause::DefinitionChanged)?;
        self.get(&s.id.to_string())
    }

    /// Saves an edited query as the segment's draft, without changing its
    /// members; the published query stays in force.
    pub fn save_draft(&mut self, name: &str, query: &str) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.live(name)?;
        self.validated(&s.name, Some(s.id), query)?;
        self.writer.set_draft(s.id, Some(query))?;
        // Saving a draft is editing ("last activity").
        self.writer.touch_used(s.id)?;
        self.get(&s.id.to_string())
    }

    /// Publishes the draft (see [`Segments::update`]).
    pub fn publish_draft(&mut self, name: &str, author: &str) -> Result<Segment, SegmentsError> {
        let s = self.live(name)?;
        let Some(draft) = s.draft_query.clone() else {
            return Err(SegmentsError::State(format!(
                "segment '{}' has no draft to publish",
                s.name
            )));
        };
        self.update(&s.name, &draft, author)
    }

    /// Drops the draft.
    pub fn discard_draft(&mut self, name: &str) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.live(name)?;
        self.writer.set_draft(s.id, None)?;
        self.writer.touch_used(s.id)?;
        self.get(&s.id.to_string())
    }

    /// Renames the segment. Segments naming it are rewritten to the new
    /// name (a new version of each), so nothing breaks.
    pub fn rename(
        &mut self,
        name: &str,
        new_name: &str,
        author: &str,
    ) -> Result<Segment, SegmentsError> {
        self.writable()?;
        validate_author(author)?;
        let s = self.live(name)?;
        let dependents: Vec<i64> = self
            .graph
            .in_order()
            .filter(|n| n.names.contains(&s.id))
            .map(|n| n.segment.id)
            .collect();
        self.writer.rename(s.id, new_name)?;
        for id in &dependents {
            let node = self.graph.node(*id).expect("dependents are in the graph");
            if let Some(text) =
                rename_references(&node.segment.query, &node.query, &s.name, new_name.trim())
            {
                self.writer.update_query(*id, &text, author)?;
            }
        }
        // The answers cannot change; evaluating proves the rewrite held.
        self.reevaluate(&dependents, ChangeCause::DefinitionChanged)?;
        self.get(&s.id.to_string())
    }

    /// `name` as an organisation the store knows (from its venues,
    /// productions and segments), or an error naming the known ones.
    pub fn known_organisation(&self, name: &str) -> Result<String, SegmentsError> {
        Ok(self.writer.known_organisation(name)?)
    }

    /// Puts the segment in `organisation` (one the store knows from its
    /// venues and productions), or shares it with all (`None`).
    pub fn assign_organisation(
        &mut self,
        name: &str,
        organisation: Option<&str>,
    ) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.live(name)?;
        self.writer.set_organisation(s.id, organisation)?;
        self.writer.touch_used(s.id)?;
        self.get(&s.id.to_string())
    }

    /// Changes the description.
    pub fn describe(
        &mut self,
        name: &str,
        description: Option<&str>,
    ) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.live(name)?;
        self.writer.set_description(s.id, description)?;
        self.writer.touch_used(s.id)?;
        self.get(&s.id.to_string())
    }

    /// Deletes the segment (it can be restored): its members leave (cause
    /// `definition_changed`). Refused while other segments name it.
    pub fn delete(&mut self, name: &str) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.live(name)?;
        let used_by: Vec<String> = self
            .graph
            .in_order()
            .filter(|n| n.names.contains(&s.id))
            .map(|n| n.segment.name.clone())
            .collect();
        if !used_by.is_empty() {
            return Err(SegmentsError::InUse {
                segment: s.name,
                used_by,
            });
        }
        empty(
            &mut self.writer,
            s.id,
            ChangeCause::DefinitionChanged,
            self.cache.as_deref_mut(),
        )?;
        self.writer.set_deleted(s.id, true)?;
        self.rebuild_graph()?;
        self.get(&s.id.to_string())
    }

    /// Restores a deleted segment and records its members again (cause
    /// `created`).
    pub fn restore(&mut self, name: &str) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.get(name)?;
        if s.deleted_at.is_none() {
            return Err(SegmentsError::State(format!(
                "segment '{}' is not deleted",
                s.name
            )));
        }
        self.validated(&s.name, Some(s.id), &s.query)?;
        self.writer.set_deleted(s.id, false)?;
        self.reevaluate(&[s.id], ChangeCause::Created)?;
        self.get(&s.id.to_string())
    }

    /// Removes a deleted segment for good (its feed entries stay).
    pub fn purge(&mut self, name: &str) -> Result<Segment, SegmentsError> {
        self.writable()?;
        let s = self.get(name)?;
        if s.deleted_at.is_none() {
            return Err(SegmentsError::State(format!(
                "segment '{}' is not deleted; delete it before purging it",
                s.name
            )));
        }
        self.writer.purge(s.id)?;
        Ok(s)
    }

    /// Re-evaluates every segment that reads predictive fields (feed cause
    /// `refit`), after the models were refitted and given to the engine.
    pub fn after_refit(&mut self) -> Result<Moves, SegmentsError> {
        self.writable()?;
        crate::live::after_refit(
            &mut self.writer,
            self.engine,
            &self.graph,
            &self.clock,
            self.cache.as_deref_mut(),
        )
    }

    /// Notes that the segment was used now (for "last activity"); not in
    /// a read-only transaction.
    pub fn touch_used(&mut self, name: &str) -> Result<(), SegmentsError> {
        let s = self.get(name)?;
        if self.read_only_since.is_none() {
            self.writer.touch_used(s.id)?;
        }
        Ok(())
    }

    /// The segments. In a read-only transaction the live ones are counted
    /// as of this transaction's now (stored membership is of a later instant).
    pub fn list(&self, filter: SegmentFilter) -> Result<Vec<Segment>, SegmentsError> {
        let mut list = self.writer.segments(filter)?;
        if self.read_only_since.is_some() {
            let evaluator = self.clock.evaluator(self.engine, &self.graph);
            for segment in &mut list {
                if let Some(node) = self.graph.node(segment.id) {
                    segment.member_count = evaluator.eval(&node.query.expr)?.len();
                }
            }
        }
        Ok(list)
    }
}

/// Authors are `merchant`, `flokk` (built-ins) or `app:<name>`.
pub fn validate_author(author: &str) -> Result<(), SegmentsError> {
    let app = author
        .strip_prefix("app:")
        .is_some_and(|n| !n.trim().is_empty() && n.len() <= 100);
    if author == "merchant" || author == "flokk" || app {
        Ok(())
    } else {
        Err(SegmentsError::State(format!(
            "author {author:?} is not merchant, flokk or app:<name>"
        )))
    }
}

/// Runs `op` in a segment transaction and commits it, catching the engine
/// up with `refresh` and trying again when another writer got in between.
pub fn with_segments<T>(
    store: &Store,
    engine: &mut Engine,
    clock: &Clock,
    refresh: &mut dyn FnMut(&Store, &mut Engine) -> Result<(), SegmentsError>,
    mut cache: Option<&mut MembershipCache>,
    op: &mut dyn FnMut(&mut Segments<'_>) -> Result<T, SegmentsError>,
) -> Result<(T, SyncReport), SegmentsError> {
    for _ in 0..5 {
        if engine.sequence != store.sequence()? {
            refresh(store, engine)?;
        }
        let result = Segments::open(store, engine, clock.clone(), cache.as_deref_mut()).and_then(
            |mut segments| {
                let out = op(&mut segments)?;
                let report = segments.commit()?;
                Ok((out, report))
            },
        );
        match result {
            Ok(done) => return Ok(done),
            Err(e) => {
                // The transaction rolled back: what the cache noted of it is void.
                if let Some(c) = cache.as_deref_mut() {
                    c.invalidate();
                }
                if !matches!(e, SegmentsError::EngineBehind { .. }) {
                    return Err(e);
                }
            }
        }
    }
    Err(SegmentsError::State(
        "the store kept changing while segments were being updated; try again".into(),
    ))
}
