//! Live state of a running server: the engine, the saved segments and their
//! membership, kept current with the store.
//!
//! The store is the truth and may be written by this server (API calls) or
//! by another process (`flokk import` next to it). A scheduler task polls
//! the store's change sequence (a cheap query) and, when it moved, catches
//! the engine up and brings segment membership up to date for the customers
//! touched; at each store-local midnight it re-evaluates the segments whose
//! answer moves with the calendar. On start, the first sync also catches up
//! a midnight missed while the server was down (one re-evaluation as of
//! now, which is what a fresh evaluation gives).
//!
//! Segment definitions and settings written by another process (`flokk
//! segment create`, `flokk config set`) do not move the change sequence;
//! they move the store's definitions version, which the scheduler polls
//! beside it. When it moved, the sync rebuilds the definitions requests
//! evaluate with and re-reads the settings (time zone, predictive
//! settings), so every write is seen within a second of its commit.

use flokk_engine::saved_models::{FitOutcome, PREDICTIVE_MODELS, SavedModels, fit_models};
use flokk_engine::{Engine, Evaluator};
use flokk_segments::{Clock, MembershipCache, SegmentGraph, Segments, SegmentsError, SyncReport};
use flokk_store::{SegmentFilter, Store};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// Brings an engine in line with the store (incrementally when it can).
pub type EngineRefresh = dyn Fn(&Store, &mut Engine) -> Result<(), SegmentsError> + Send + Sync;

/// Re-reads what the store's settings decide into the engine (predictive
/// settings) and gives the time zone to evaluate in from now on.
pub type SettingsRefresh =
    dyn Fn(&Store, &mut Engine) -> Result<TimeZone, SegmentsError> + Send + Sync;

/// The engine, the segments and their membership, shared by requests and
/// the scheduler.
pub struct Live {
    store: Mutex<Store>,
    engine: RwLock<Engine>,
    graph: RwLock<SegmentGraph>,
    cache: Mutex<MembershipCache>,
    refresh: Box<EngineRefresh>,
    settings_refresh: Option<Box<SettingsRefresh>>,
    /// The definitions version the definitions and settings reflect.
    definitions_seen: AtomicU64,
    time_zone: RwLock<TimeZone>,
    fixed_now: Option<Timestamp>,
    /// Woken after membership changed (webhook delivery waits on it).
    pub changed: tokio::sync::Notify,
}

impl Live {
    /// Live state over `store`, starting from `engine` (which should reflect
    /// the store; the first sync catches it up if not).
    pub fn new(
        store: Store,
        engine: Engine,
        refresh: Box<EngineRefresh>,
        time_zone: TimeZone,
        fixed_now: Option<Timestamp>,
    ) -> Result<Live, SegmentsError> {
        let graph = SegmentGraph::build(
            store.segments(SegmentFilter::Live)?,
            flokk_segments::graph::static_lists(&store)?,
            &engine.property_types(),
        );
        let definitions_seen = AtomicU64::new(store.definitions_version()?);
        Ok(Live {
            store: Mutex::new(store),
            engine: RwLock::new(engine),
            graph: RwLock::new(graph),
            cache: Mutex::new(MembershipCache::new()),
            refresh,
            settings_refresh: None,
            definitions_seen,
            time_zone: RwLock::new(time_zone),
            fixed_now,
            changed: tokio::sync::Notify::new(),
        })
    }

    /// Re-reads settings with `refresh` whenever the definitions version
    /// moves (without it, settings are read once, at start).
    pub fn with_settings_refresh(mut self, refresh: Box<SettingsRefresh>) -> Live {
        self.settings_refresh = Some(refresh);
        self
    }

    /// The store time zone.
    pub fn time_zone(&self) -> TimeZone {
        self.time_zone.read().expect("time zone lock").clone()
    }

    /// Now: the fixed instant (`--now`) or the clock.
    pub fn now(&self) -> Timestamp {
        self.fixed_now.unwrap_or_else(Timestamp::now)
    }

    /// The clock segments are evaluated with.
    pub fn clock(&self) -> Clock {
        Clock {
            now: self.now(),
            tz: self.time_zone(),
            fixed: self.fixed_now.is_some(),
        }
    }

    /// Reads the engine with the saved segments' definitions: `f` gets an
    /// evaluator as of now that answers `customer_segments`.
    pub fn evaluate<T>(&self, f: impl FnOnce(&Engine, &Evaluator<'_>, &SegmentGraph) -> T) -> T {
        let engine = self.engine.read().expect("engine lock");
        let graph = self.graph.read().expect("segments lock");
        let evaluator = Evaluator::new(&engine, self.now(), self.time_zone())
            .with_segments(graph.definitions());
        f(&engine, &evaluator, &graph)
    }

    /// Runs `f` with the store (for reads; writes go through [`Live::segments`]).
    pub fn store<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        f(&self.store.lock().expect("store lock"))
    }

    /// Runs a segment operation in one store transaction (membership is
    /// brought up to date first), then refreshes the definitions requests
    /// evaluate `customer_segments` with.
    pub fn segments<T>(
        &self,
        op: &mut dyn FnMut(&mut Segments<'_>) -> Result<T, SegmentsError>,
    ) -> Result<(T, SyncReport), SegmentsError> {
        let store = self.store.lock().expect("store lock");
        let mut cache = self.cache.lock().expect("cache lock");
        let mut result = Err(SegmentsError::State(
            "the store kept changing while segments were being updated; try again".into(),
        ));
        for _ in 0..5 {
            if self.engine.read().expect("engine lock").sequence != store.sequence()? {
                // Requests wait only while the engine itself changes.
                (self.refresh)(&store, &mut self.engine.write().expect("engine lock"))?;
            }
            // The clock is read once the engine holds every write it will
            // evaluate: a record written (by another connection) after an
            // earlier reading, stamped with its own now, would be "after
            // now" for this evaluation, and its customer would not be
            // looked at again once the membership marker moved past it.
            let clock = self.clock();
            let engine = self.engine.read().expect("engine lock");
            let attempt = Segments::open(&store, &engine, clock, Some(&mut cache)).and_then(
                |mut segments| {
                    let out = op(&mut segments)?;
                    let report = segments.commit()?;
                    Ok((out, report))
                },
            );
            if attempt.is_err() {
                // The transaction rolled back: what the cache noted of it is void.
                cache.invalidate();
            }
            let retry = matches!(attempt, Err(SegmentsError::EngineBehind { .. }));
            result = attempt;
            if !retry {
                break;
            }
        }
        let engine = self.engine.read().expect("engine lock");
        let graph = SegmentGraph::build(
            store.segments(SegmentFilter::Live)?,
            flokk_segments::graph::static_lists(&store)?,
            &engine.property_types(),
        );
        *self.graph.write().expect("segments lock") = graph;
        if result
            .as_ref()
            .is_ok_and(|(_, r)| r.moves.entered + r.moves.exited > 0)
        {
            self.changed.notify_waiters();
        }
        result
    }

    /// Syncs, then counts the segment entries and exits the feed recorded
    /// for the store changes `(before, after]`, whichever process synced
    /// them: what an API write answers under `segments` (blocking; call it
    /// from a blocking task).
    pub fn sync_moves(&self, before: u64, after: u64) -> Result<(u64, u64), SegmentsError> {
        self.sync()?;
        Ok(self.store(|s| s.feed_moves_of_changes(before, after))?)
    }

    /// Catches up with store writes, definitions and settings written by
    /// any process, and the calendar (see the module doc).
    pub fn sync(&self) -> Result<SyncReport, SegmentsError> {
        // Read before catching up: a write landing meanwhile leaves the
        // version seen behind the store's, so the next poll catches it.
        let version = self.store(|s| s.definitions_version())?;
        if version != self.definitions_seen.load(Ordering::Acquire)
            && let Some(refresh) = &self.settings_refresh
        {
            let store = self.store.lock().expect("store lock");
            let time_zone = refresh(&store, &mut self.engine.write().expect("engine lock"))?;
            *self.time_zone.write().expect("time zone lock") = time_zone;
        }
        // `segments` rebuilds the definitions from the store.
        let report = self.segments(&mut |_| Ok(())).map(|(_, report)| report)?;
        self.definitions_seen.store(version, Ordering::Release);
        Ok(report)
    }

    /// Whether the store moved past what the engine reflects, or segment
    /// definitions or settings changed since they were read.
    pub fn behind(&self) -> Result<bool, SegmentsError> {
        let (seq, version) =
            self.store(|s| Ok::<_, SegmentsError>((s.sequence()?, s.definitions_version()?)))?;
        Ok(self.engine.read().expect("engine lock").sequence != seq
            || self.definitions_seen.load(Ordering::Acquire) != version)
    }
}

/// Saves `models` as the store's predictive models (fitted now, on data as
/// of `as_of`), or drops the saved ones when there are none.
pub fn save_models(
    store: &Store,
    models: Option<&SavedModels>,
    as_of: Timestamp,
    sequence: u64,
) -> Result<(), flokk_store::StoreError> {
    match models {
        Some(models) => store.save_model(&flokk_store::StoredModel {
            name: PREDICTIVE_MODELS.to_owned(),
            fitted_at: Timestamp::now(),
            as_of,
            sequence,
            body: serde_json::to_string(models).expect("models serialise"),
        }),
        None => store.delete_model(PREDICTIVE_MODELS),
    }
}

impl Live {
    /// Refits the predictive models when the saved fit is missing or older
    /// than `predict_refit_hours`, saves them, and re-evaluates the segments
    /// that read predictive fields (feed cause `refit`). `Ok(false)` when
    /// no refit was due.
    pub fn refit_if_due(&self) -> Result<bool, SegmentsError> {
        let due = self.store(|s| -> Result<bool, flokk_store::StoreError> {
            let hours: i64 = s
                .settings()
                .get("predict_refit_hours")?
                .parse()
                .unwrap_or(24);
            Ok(match s.model(PREDICTIVE_MODELS)? {
                None => true,
                Some(m) => Timestamp::now().duration_since(m.fitted_at).as_secs() >= hours * 3600,
            })
        })?;
        if !due {
            return Ok(false);
        }
        let now = self.now();
        let (outcome, sequence) = {
            let engine = self.engine.read().expect("engine lock");
            (
                fit_models(
                    engine.tables(),
                    &engine.aggregates(now.as_second(), &self.time_zone()),
                    &engine.prediction_settings,
                    now.as_second(),
                    &self.time_zone(),
                    true,
                ),
                engine.sequence,
            )
        };
        let models = match outcome {
            FitOutcome::Fitted(m) => Some(m),
            FitOutcome::NotFitted(_) => None,
        };
        self.store(|s| save_models(s, models.as_ref(), now, sequence))?;
        self.engine
            .write()
            .expect("engine lock")
            .set_saved_models(models);
        self.segments(&mut |s| s.after_refit())?;
        Ok(true)
    }
}

/// Keeps `live` current until the process ends: polls the store once a
/// second (cheap when nothing changed) and syncs at each store-local
/// midnight. Failures are logged and retried on the next tick.
pub async fn run_scheduler(live: std::sync::Arc<Live>) {
    let mut day = live.clock().day();
    let mut ticks: u64 = 0;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        ticks += 1;
        // Refits are checked once a minute (and at start).
        if ticks % 60 == 1 {
            let worker = live.clone();
            match tokio::task::spawn_blocking(move || worker.refit_if_due()).await {
                Ok(Ok(true)) => {
                    eprintln!("predictive models refitted");
                    crate::freed_memory::release();
                }
                Ok(Ok(false)) => {}
                Ok(Err(e)) => eprintln!("predictive models: could not refit: {e}"),
                Err(e) => eprintln!("predictive models: the refit task failed: {e}"),
            }
        }
        let today = live.clock().day();
        let due = today != day || live.behind().unwrap_or(true);
        if !due {
            continue;
        }
        let worker = live.clone();
        match tokio::task::spawn_blocking(move || worker.sync()).await {
            Ok(Ok(report)) => {
                day = today;
                if report.midnight {
                    crate::freed_memory::release();
                }
                if report.moves.entered + report.moves.exited > 0 {
                    eprintln!(
                        "segments: {} entered, {} exited{}",
                        report.moves.entered,
                        report.moves.exited,
                        if report.midnight { " (midnight)" } else { "" }
                    );
                }
            }
            Ok(Err(e)) => eprintln!("segments: could not sync: {e}"),
            Err(e) => eprintln!("segments: the sync task failed: {e}"),
        }
    }
}
