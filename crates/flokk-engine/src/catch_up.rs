//! Catching the engine up with store changes without rebuilding it: every
//! record of a touched customer is voided and the customer's current
//! records are added again; a deleted customer leaves `all` for good (its
//! ordinal is never reused); a changed catalogue is read again whole.
//!
//! Voided records stay in the tables (every scan skips them) until the next
//! full build, which compacts them away; a caller rebuilds when a change set
//! touches a large share of the customers.

use crate::{CustomerSet, Engine};
use flokk_model::Record;

/// A record with what the engine needs beside it.
#[derive(Debug, Clone)]
pub struct KeyedRecord {
    /// The store key of the customer it belongs to (`None` for catalogue).
    pub customer_key: Option<i64>,
    /// Coordinates of a customer record's addresses.
    pub coordinates: Vec<Option<(f64, f64)>>,
    /// The record.
    pub record: Record,
}

/// One touched customer with its records now (`None`: deleted).
#[derive(Debug, Clone)]
pub struct ReplacedCustomer {
    /// The store key.
    pub key: i64,
    /// The customer record first, then the rest; `None` when deleted.
    pub records: Option<Vec<KeyedRecord>>,
}

/// What a catch-up did, for the callers that keep membership current.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatchUp {
    /// Live customers whose records changed (ordinals), new ones included.
    pub touched: CustomerSet,
    /// Customers deleted (their former ordinals).
    pub removed: CustomerSet,
    /// Whether the catalogue was replaced.
    pub catalogue_changed: bool,
    /// Live customers whose tags alone were replaced (ordinals).
    pub retagged: CustomerSet,
}

/// A customer whose tags alone changed (a bulk tag), with its tags now.
#[derive(Debug, Clone)]
pub struct RetaggedCustomer {
    /// The store key.
    pub key: i64,
    /// Every tag the customer has now.
    pub tags: Vec<String>,
}

impl Engine {
    /// Replaces what the engine holds of `customers` with their records
    /// now, and the catalogue when given; then the engine reflects store
    /// change `sequence`.
    pub fn catch_up(
        &mut self,
        customers: Vec<ReplacedCustomer>,
        catalogue: Option<Vec<KeyedRecord>>,
        sequence: u64,
    ) -> CatchUp {
        self.catch_up_with_tags(customers, Vec::new(), catalogue, sequence)
    }

    /// [`Engine::catch_up`], and the customers whose tags alone changed
    /// get their tags replaced in place: their records, the now-dependent
    /// columns and predictions (none of which read tags) stay as they are,
    /// so a bulk tag of any size costs work per tag, not a re-read.
    pub fn catch_up_with_tags(
        &mut self,
        customers: Vec<ReplacedCustomer>,
        retagged: Vec<RetaggedCustomer>,
        catalogue: Option<Vec<KeyedRecord>>,
        sequence: u64,
    ) -> CatchUp {
        let mut retagged_set = CustomerSet::new();
        for r in &retagged {
            if let Some(o) = self.customers.live_ordinal(r.key) {
                self.customers.tags.remove_customer(o);
                for t in &r.tags {
                    self.customers.tags.insert(o, t);
                }
                retagged_set.insert(o);
            }
        }
        // The now-dependent columns are patched rather than recomputed when
        // they saw every record (the clock is past the newest one).
        let cached = self.cache.get_mut().ok().and_then(|c| c.take());
        let newest_before = self.newest.max(i64::MIN + 1);
        let saw_everything = cached
            .as_ref()
            .is_some_and(|(at, _, _)| *at == newest_before);
        // So are the predictions, for the customers touched alone.
        let predictions = self.predictions.get_mut().ok().and_then(|c| c.take());
        self.keep_band_cutoffs(predictions.as_ref());
        let from = crate::indexes::aggregates::TableMarks::ends(self.tables());
        let mut forget = CustomerSet::new();
        for c in &customers {
            if let Some(o) = self.customers.live_ordinal(c.key) {
                forget.insert(o);
            }
        }
        self.void_records_of(&forget);
        for o in &forget {
            self.customers.clear(o);
            self.locations.remove_customer(o);
        }
        let mut out = CatchUp::default();
        for c in customers {
            let known = self.customers.live_ordinal(c.key);
            let current_id = c.records.as_ref().and_then(|r| {
                r.first()
                    .and_then(|k| k.record.customer_id().map(str::to_owned))
            });
            // Gone, or the key now belongs to another customer (SQLite can
            // hand a deleted customer's key to a new one).
            if let Some(o) = known
                && current_id.as_deref() != Some(&self.customers.ids[o as usize])
            {
                self.customers.remove(o, c.key);
                self.locations.remove_customer(o);
                out.removed.insert(o);
            }
            for r in c.records.into_iter().flatten() {
                self.add(r.customer_key, &r.coordinates, &r.record);
            }
            if let Some(o) = self.customers.live_ordinal(c.key) {
                out.touched.insert(o);
            }
        }
        if let Some(records) = catalogue {
            self.catalogue = Default::default();
            for r in records {
                self.add(None, &r.coordinates, &r.record);
            }
            out.catalogue_changed = true;
        }
        self.forget_derived();
        if let Some((_, tz, mut aggregates)) = cached
            && saw_everything
        {
            let newest = self.newest.max(i64::MIN + 1);
            let mut changed = out.touched.clone();
            changed |= &out.removed;
            std::sync::Arc::make_mut(&mut aggregates).patch(
                self.tables(),
                newest,
                &tz,
                &changed,
                from,
            );
            self.rescore_predictions(predictions, newest_before, &aggregates, &tz, &changed);
            if let Ok(cache) = self.cache.get_mut() {
                *cache = Some((newest, tz, aggregates));
            }
        }
        self.sequence = sequence;
        out.retagged = retagged_set;
        out
    }

    /// Voids every order, checkout and event of the customers in `set`.
    fn void_records_of(&mut self, set: &CustomerSet) {
        if set.is_empty() {
            return;
        }
        let single = (set.len() == 1).then(|| set.min()).flatten();
        let hit = |c: u32| single.map_or_else(|| set.contains(c), |s| s == c);
        // Events through their tables' by-customer index: a pass over every
        // event of the store per write is what it saves.
        let void = |customers: &[u32],
                    index: &crate::tables::activity_by_customer::RowsIndex,
                    void: &mut roaring::RoaringBitmap| {
            let rows = index.get(customers);
            for c in set {
                for r in rows.of(c) {
                    void.insert(r);
                }
            }
        };
        if let Some(index) = &mut self.key_buckets {
            // Their entries may be stale from now on.
            index.revoked |= set;
        }
        // The orders of the customers in `set`: their runs, and the
        // orders after the runs that are theirs.
        let tables = &mut self.orders;
        let runs = tables.orders.customers.runs();
        let mut voided: Vec<usize> = Vec::new();
        for c in set {
            if let (Some(s), Some(e)) = (runs.get(c as usize), runs.get(c as usize + 1)) {
                voided.extend(*s as usize..*e as usize);
            }
        }
        let first = tables.orders.customers.len() - tables.orders.customers.rest().len();
        for (i, c) in tables.orders.customers.rest().iter().enumerate() {
            if hit(*c) {
                voided.push(first + i);
            }
        }
        for o in voided {
            tables.orders.flags[o] |= crate::tables::orders::VOID;
        }
        let a = &mut self.activity;
        void(
            &a.checkouts.customer,
            &a.checkouts.by_customer,
            &mut a.checkouts.void,
        );
        void(&a.email.customer, &a.email.by_customer, &mut a.email.void);
        void(
            &a.storefront.customer,
            &a.storefront.by_customer,
            &mut a.storefront.void,
        );
        void(
            &a.custom.customer,
            &a.custom.by_customer,
            &mut a.custom.void,
        );
        void(
            &a.subscriptions.customer,
            &a.subscriptions.by_customer,
            &mut a.subscriptions.void,
        );
    }
}
