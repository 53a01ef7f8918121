//! The engine: every table, built from the store's records.

use crate::activity::{Checkouts, CustomEvents, EmailEvents, StorefrontEvents};
use crate::aggregates::Aggregates;
use crate::catalogue::{Catalogue, PerformanceInfo};
use crate::customers::Customers;
use crate::interner::Interner;
use crate::orders::OrderTables;
use crate::predictions::Predictions;
use flokk_model::Record;
use jiff::tz::TimeZone;
use std::sync::{Arc, Mutex};

/// The behavioural tables.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Activity {
    /// Abandoned checkouts.
    pub checkouts: Checkouts,
    /// Email events.
    pub email: EmailEvents,
    /// Storefront events.
    pub storefront: StorefrontEvents,
    /// Custom events.
    pub custom: CustomEvents,
}

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
    /// The store's saved predictive models; when `None` they are fitted
    /// on first use (see [`Engine::fitted_models`]).
    pub saved_models: Option<crate::saved_models::SavedModels>,
    fitted: Mutex<Option<crate::saved_models::SavedModels>>,
    pub(crate) cache: Mutex<Option<(i64, TimeZone, Arc<Aggregates>)>>,
    pub(crate) predictions: Mutex<Option<CachedPredictions>>,
}

impl Engine {
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
                self.customers.set(o, c, coordinates);
            }
            Record::Order(order) => {
                let o = ordinal(self);
                self.newest = self.newest.max(order.placed_at.as_second());
                self.orders.push(o, order, &mut self.strings);
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
            // The store applies deletions; a scan never yields them.
            Record::Delete(_) => {}
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
    pub fn fitted_models(&self) -> Option<crate::saved_models::SavedModels> {
        self.fitted.lock().expect("fitted lock").clone()
    }

    pub(crate) fn remember_fit(&self, models: crate::saved_models::SavedModels) {
        *self.fitted.lock().expect("fitted lock") = Some(models);
    }

    /// Replaces the saved models (after a refit): every prediction is
    /// computed again on next use.
    pub fn set_saved_models(&mut self, models: Option<crate::saved_models::SavedModels>) {
        self.saved_models = models;
        if let Ok(cache) = self.predictions.get_mut() {
            cache.take();
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
            i64::from(crate::aggregates::local_day(now, tz)),
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
            self,
            &aggregates,
            now,
            tz,
            &self.prediction_settings,
        ));
        *cache = Some((key, tz.clone(), computed.clone()));
        computed
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
        let computed = Arc::new(Aggregates::compute(self, effective, tz));
        *cache = Some((effective, tz.clone(), computed.clone()));
        computed
    }
}

impl Engine {
    /// The custom properties the engine holds, typed for the query checker.
    pub fn property_types(&self) -> flokk_lang::PropertyTypes {
        use crate::properties::PropertyKind;
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
        use crate::space_usage::HeapSize;
        self.predictions
            .lock()
            .map(|c| c.as_ref().map_or(0, |(_, _, p)| p.heap_bytes()))
            .unwrap_or(0)
    }
}
