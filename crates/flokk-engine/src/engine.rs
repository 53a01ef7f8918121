//! The engine: every table, built from the store's records, with the
//! indexes kept beside them and the derived columns memoised.
//!
//! Layer: above `predictions`, below `eval` (which reads it); may use
//! `predictions`, `indexes`, `tables`, `columns`. The façade adds the
//! engine's other operations (snapshot, catch-up, compaction, space usage)
//! as `impl Engine` blocks in its own files.

use crate::columns::interner::Interner;
use crate::indexes::aggregates::Aggregates;
use crate::indexes::key_buckets::KeyBuckets;
use crate::indexes::location_grid::LocationGrid;
use crate::predictions::prediction_columns::Predictions;
use crate::tables::activity::Activity;
use crate::tables::catalogue::{Catalogue, PerformanceInfo};
use crate::tables::customers::Customers;
use crate::tables::orders::OrderTables;
use crate::tables::record_tables::RecordTables;
use flokk_model::Record;
use jiff::tz::TimeZone;
use std::sync::{Arc, Mutex};

/// Predictions cached under (the instant whose records they saw, the
/// store-local day they count from) and the time zone.
pub(crate) type CachedPredictions = ((i64, i64), TimeZone, Arc<Predictions>);

/// The in-memory model of a store, derived from its records.
#[derive(Debug, Default)]
pub struct Engine {
    /// Customer attributes.
    pub customers: Customers,
    /// Orders and lines.
    pub orders: OrderTables,
    /// Every customer address position, by grid cell.
    pub locations: LocationGrid,
    /// Customers by their latest purchase of each line key, once built
    /// (by [`Engine::compact`]); kept by every later append.
    pub key_buckets: Option<KeyBuckets>,
    /// Checkouts and events.
    pub activity: Activity,
    /// Venues, productions, performances.
    pub catalogue: Catalogue,
    /// Interned strings of every table.
    pub strings: Interner,
    /// The newest record time (seconds), to know when "now" sees everything.
    pub newest: i64,
    /// The store change sequence this engine reflects.
    pub sequence: u64,
    /// Settings of the predictive fields (from the store's settings).
    pub prediction_settings: flokk_predict::PredictionSettings,
    /// Decimal places of the store currency (setting `currency`, see
    /// [`flokk_model::currency_decimals`]): how answers round money for
    /// display. `None` until the loader sets it: 2, as most currencies.
    pub currency_decimals: Option<u32>,
    /// The store's home venue (setting `venue`), the origin of
    /// `customer_within_distance` without one. Set by the loader like the
    /// other settings; not part of a snapshot.
    pub home_venue: Option<String>,
    /// The store's saved predictive models; when `None` they are fitted
    /// on first use (see [`Engine::fitted_models`]).
    pub saved_models: Option<crate::predictions::saved_models::SavedModels>,
    fitted: Mutex<Option<crate::predictions::saved_models::SavedModels>>,
    pub(crate) cache: Mutex<Option<(i64, TimeZone, Arc<Aggregates>)>>,
    pub(crate) predictions: Mutex<Option<CachedPredictions>>,
}

impl Engine {
    /// The record tables, borrowed, for what is computed from them.
    pub fn tables(&self) -> RecordTables<'_> {
        RecordTables {
            customers: &self.customers,
            orders: &self.orders,
            activity: &self.activity,
        }
    }

    /// An empty engine.
    pub fn new() -> Self {
        Engine {
            newest: i64::MIN,
            ..Default::default()
        }
    }

    /// Adds one record. Customer records and records of customers come with
    /// the store's key of the customer; `coordinates` are the positions of a
    /// customer's addresses (given or placed by the gazetteer).
    pub fn add(
        &mut self,
        customer_key: Option<i64>,
        coordinates: &[Option<(f64, f64)>],
        record: &Record,
    ) {
        // New records change what "now" sees; `get_mut` needs no locking.
        if let Ok(cache) = self.cache.get_mut() {
            cache.take();
        }
        if let Ok(cache) = self.predictions.get_mut() {
            cache.take();
        }
        let ordinal = |engine: &mut Engine| {
            let key = customer_key.expect("customer records come with their key");
            let id = record.customer_id().unwrap_or_default();
            engine.customers.ordinal(key, id)
        };
        match record {
            Record::Customer(c) => {
                let o = ordinal(self);
                if self.customers.is_recorded(o) {
                    self.locations.remove_customer(o);
                }
                self.customers.set(o, c);
                self.locations.add_customer(o, c, coordinates);
            }
            Record::Order(order) => {
                let o = ordinal(self);
                self.newest = self.newest.max(order.placed_at.as_second());
                self.orders.push(o, order, &mut self.strings);
                if let Some(index) = &mut self.key_buckets
                    && !order.cancelled
                {
                    index.add_order(&self.orders, self.orders.orders.len() as u32 - 1, o);
                }
            }
            Record::Checkout(k) => {
                let o = ordinal(self);
                self.newest = self.newest.max(k.abandoned_at.as_second());
                self.activity.checkouts.push(o, k);
            }
            Record::EmailEvent(e) => {
                let o = ordinal(self);
                self.activity.email.push(o, e, &mut self.strings);
            }
            Record::StorefrontEvent(e) => {
                let o = ordinal(self);
                self.activity.storefront.push(o, e, &mut self.strings);
            }
            Record::Event(e) => {
                let o = ordinal(self);
                self.activity.custom.push(o, e, &mut self.strings);
            }
            Record::Subscription(s) => {
                let o = ordinal(self);
                self.activity.subscriptions.push(o, s, &mut self.strings);
            }
            Record::Venue(v) => {
                let id = self.strings.intern(&v.id);
                self.catalogue.venues.insert(id, v.lat.zip(v.lon));
            }
            Record::Production(p) => {
                let id = self.strings.intern(&p.id);
                self.catalogue.productions.insert(id, p.name.clone());
            }
            Record::Performance(p) => {
                let id = self.strings.intern(&p.id);
                let info = PerformanceInfo {
                    production: self.strings.intern(&p.production_id),
                    venue: self.strings.intern(&p.venue_id),
                    starts_at: p.starts_at.as_second(),
                };
                self.catalogue.performances.insert(id, info);
            }
            // The store applies deletions and patches; a scan never yields them.
            Record::Delete(_) | Record::CustomerPatch(_) => {}
        }
    }

    /// Drops the cached now-dependent columns and predictions (records
    /// changed).
    pub(crate) fn forget_derived(&mut self) {
        if let Ok(cache) = self.cache.get_mut() {
            cache.take();
        }
        if let Ok(cache) = self.predictions.get_mut() {
            cache.take();
        }
    }

    /// Models this engine fitted itself (no saved ones were given), for
    /// the caller to save in the store.
    pub fn fitted_models(&self) -> Option<crate::predictions::saved_models::SavedModels> {
        self.fitted.lock().expect("fitted lock").clone()
    }

    pub(crate) fn remember_fit(&self, models: crate::predictions::saved_models::SavedModels) {
        *self.fitted.lock().expect("fitted lock") = Some(models);
    }

    /// Replaces the saved models (after a refit): every prediction is
    /// computed again on next use.
    pub fn set_saved_models(
        &mut self,
        models: Option<crate::predictions::saved_models::SavedModels>,
    ) {
        self.saved_models = models;
        if let Ok(cache) = self.predictions.get_mut() {
            cache.take();
        }
    }

    /// Takes the store's predictive settings as they are now (after a
    /// `config set` by any process): when they differ, every prediction is
    /// computed again on next use.
    pub fn refresh_prediction_settings(&mut self, settings: flokk_predict::PredictionSettings) {
        if settings != self.prediction_settings {
            self.prediction_settings = settings;
            if let Ok(cache) = self.predictions.get_mut() {
                cache.take();
            }
        }
    }

    /// Takes the store's saved models as they are now: when they differ
    /// from the engine's (a refit by another process) every prediction is
    /// computed again on next use; when they are the same (cut-offs the
    /// engine kept for models saved without any aside) nothing moves.
    pub fn refresh_saved_models(&mut self, models: Option<crate::saved_models::SavedModels>) {
        let kept = |m: &crate::saved_models::SavedModels| crate::saved_models::SavedModels {
            bands: None,
            ..m.clone()
        };
        let same = match (&models, &self.saved_models) {
            (Some(new), Some(old)) => new == old || (new.bands.is_none() && *new == kept(old)),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.set_saved_models(models);
        }
    }

    /// The predictive columns as of `now` (seconds) in `tz`, fitted on
    /// first use and cached. They depend on `now` only through the records
    /// it sees and its store-local day, so the cache holds within a day.
    pub fn predictions(&self, now: i64, tz: &TimeZone) -> Arc<Predictions> {
        let key = (
            now.min(self.newest.max(i64::MIN + 1)),
            i64::from(crate::indexes::aggregates::local_day(now, tz)),
        );
        let mut cache = self.predictions.lock().expect("predictions lock");
        if let Some((at, zone, p)) = &*cache
            && *at == key
            && zone == tz
        {
            return p.clone();
        }
        let aggregates = self.aggregates(now, tz);
        let computed = Arc::new(Predictions::compute(
            self.tables(),
            self.saved_models.as_ref(),
            |fitted| self.remember_fit(fitted),
            &aggregates,
            now,
            tz,
            &self.prediction_settings,
        ));
        *cache = Some((key, tz.clone(), computed.clone()));
        computed
    }

    /// Whether predictions are cached: a catch-up keeps them, with the
    /// customers it touched re-scored, when it can (see
    /// `prediction_rescoring`); otherwise the next question computes them
    /// for every customer again. For tests of that path.
    pub fn holds_predictions(&self) -> bool {
        self.predictions.lock().is_ok_and(|cache| cache.is_some())
    }

    /// The now-dependent columns as of `now` (seconds) in `tz`, cached.
    pub fn aggregates(&self, now: i64, tz: &TimeZone) -> Arc<Aggregates> {
        // Any now past the newest record sees the same records.
        let effective = now.min(self.newest.max(i64::MIN + 1));
        let mut cache = self.cache.lock().expect("cache lock");
        if let Some((at, zone, aggregates)) = &*cache
            && *at == effective
            && zone == tz
        {
            return aggregates.clone();
        }
        let computed = Arc::new(Aggregates::compute(self.tables(), effective, tz));
        *cache = Some((effective, tz.clone(), computed.clone()));
        computed
    }
}

impl Engine {
    /// The custom properties the engine holds, typed for the query checker.
    pub fn property_types(&self) -> flokk_lang::PropertyTypes {
        use crate::tables::properties::PropertyKind;
        use flokk_lang::ValueType;
        self.customers
            .properties
            .kinds()
            .map(|(key, kind)| {
                let ty = match kind {
                    PropertyKind::Number => ValueType::Float,
                    PropertyKind::Date => ValueType::Date,
                    PropertyKind::String => ValueType::String,
                    PropertyKind::Boolean => ValueType::Boolean,
                    PropertyKind::List => ValueType::List,
                };
                (key.to_owned(), ty)
            })
            .collect()
    }
}

impl Engine {
    /// Heap bytes of the cached predictive columns (0 when none are cached).
    pub(crate) fn predictions_heap_bytes(&self) -> usize {
        use crate::columns::heap_size::HeapSize;
        self.predictions
            .lock()
            .map(|c| c.as_ref().map_or(0, |(_, _, p)| p.heap_bytes()))
            .unwrap_or(0)
    }
}
