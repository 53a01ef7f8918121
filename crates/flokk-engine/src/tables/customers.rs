//! The customer table: dense ordinals, ids, and the attributes that do not
//! depend on "now" (recorded fields, lists, properties). Address
//! positions are not kept here but in the engine's location grid
//! ([`crate::indexes::location_grid`]), which the engine keeps beside it.

use crate::columns::value_index::{ListIndex, ValueIndex};
use crate::tables::properties::PropertyColumns;
use crate::{CustomerSet, NO_TIME};
use flokk_model::{Customer, random_bucket};

/// Every customer attribute, column by column.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Customers {
    /// Customer ids by ordinal.
    pub ids: crate::tables::customer_ids::CustomerIds,
    /// The store's key of each customer (for catching up with changes).
    pub keys: crate::I64Column,
    /// Ordinal by store key, `u32::MAX` for none (keys are SQLite rowids:
    /// small and dense, so a vector indexed by key is the fastest map).
    /// Empty while keys arrive in ascending order with the ordinals (a
    /// store is read in key order; a catch-up's new customers get higher
    /// keys), when a binary search over `keys` finds them; built the first
    /// time a key arrives out of that order (SQLite reused a deleted
    /// customer's rowid).
    #[serde(with = "crate::columns::column_bytes")]
    by_key: Vec<u32>,
    /// Customers that were deleted since the engine was built; their
    /// ordinals are never reused and they are in no answer.
    pub deleted: CustomerSet,
    /// Customers whose attributes were set (so replacing them must clear
    /// the old values first).
    recorded: CustomerSet,
    /// `customer_added_date` (seconds; [`NO_TIME`] when unknown).
    pub created_at: crate::columns::time_column::TimeColumn,
    /// `birth_date` as days since 1970-01-01 (`i32::MIN` when unknown).
    #[serde(with = "crate::columns::column_bytes")]
    pub birth_date: Vec<i32>,
    /// `random_bucket`.
    #[serde(with = "crate::columns::column_bytes")]
    pub random_bucket: Vec<u16>,
    /// `customer_email_domain`.
    pub email_domain: ValueIndex,
    /// `customer_language`.
    pub language: ValueIndex,
    /// `customer_account_status`.
    pub account_status: ValueIndex,
    /// `email_subscription_status`.
    pub email_subscription: ValueIndex,
    /// `sms_subscription_status`.
    pub sms_subscription: ValueIndex,
    /// `product_subscription_status`.
    pub product_subscription: ValueIndex,
    /// `created_by_app_id`.
    pub created_by_app_id: ValueIndex,
    /// `gender`.
    pub gender: ValueIndex,
    /// `predicted_gender`, from the title, else the first name.
    pub predicted_gender: ValueIndex,
    /// `customer_tags`.
    pub tags: ListIndex,
    /// `permissions`.
    pub permissions: ListIndex,
    /// `companies`.
    pub companies: ListIndex,
    /// `customer_cities`.
    pub cities: ListIndex,
    /// `customer_regions`.
    pub regions: ListIndex,
    /// `customer_countries`.
    pub countries: ListIndex,
    /// `metafields.*`.
    pub properties: PropertyColumns,
}

fn days_since_epoch(d: jiff::civil::Date) -> i32 {
    (d - jiff::civil::date(1970, 1, 1)).get_days()
}

impl Customers {
    /// How many ordinals exist (deleted ones included).
    pub fn len(&self) -> u32 {
        self.ids.len() as u32
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ordinal of the live customer with this id.
    pub fn find(&self, id: &str) -> Option<u32> {
        // A deleted customer keeps its ordinal (and id); a customer created
        // again with that id has another one.
        (0u32..)
            .zip(self.ids.iter())
            .find(|(o, candidate)| *candidate == id && !self.deleted.contains(*o))
            .map(|(o, _)| o)
    }

    /// Whether customer `o`'s attributes were set (replacing them clears
    /// the old values first).
    pub fn is_recorded(&self, o: u32) -> bool {
        self.recorded.contains(o)
    }

    /// Marks customer `o` (store key `key`) deleted: it leaves every answer
    /// and its key is free for a new customer.
    pub fn remove(&mut self, o: u32, key: i64) {
        self.clear(o);
        self.deleted.insert(o);
        if let Some(slot) = usize::try_from(key)
            .ok()
            .and_then(|k| self.by_key.get_mut(k))
            && *slot == o
        {
            *slot = u32::MAX;
        }
    }

    /// The ordinal that holds store key `key`, unless it was removed.
    fn lookup(&self, key: i64) -> Option<u32> {
        if !self.by_key.is_empty() {
            let o = *self.by_key.get(usize::try_from(key).ok()?)?;
            return (o != u32::MAX).then_some(o);
        }
        // Keys ascend with the ordinals.
        let (mut lo, mut hi) = (0usize, self.keys.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.keys.get(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let o = lo as u32;
        (lo < self.keys.len() && self.keys.get(lo) == key && !self.deleted.contains(o)).then_some(o)
    }

    /// The ordinal of the live customer with store key `key`.
    pub fn live_ordinal(&self, key: i64) -> Option<u32> {
        self.lookup(key).filter(|o| !self.deleted.contains(*o))
    }

    /// Every live customer.
    pub fn all(&self) -> CustomerSet {
        let mut all = CustomerSet::new();
        all.insert_range(0..self.len());
        all -= &self.deleted;
        all
    }

    /// The ordinal of a store key, allocating one for a new customer.
    pub fn ordinal(&mut self, key: i64, id: &str) -> u32 {
        if let Some(o) = self.lookup(key) {
            return o;
        }
        let o = self.len();
        let ascending = self.keys.is_empty() || key > self.keys.get(self.keys.len() - 1);
        if !ascending && self.by_key.is_empty() {
            // From now on a vector by key (see `by_key`).
            let live: Vec<(i64, u32)> = (0u32..)
                .zip(self.keys.iter())
                .filter(|(i, _)| !self.deleted.contains(*i))
                .map(|(i, k)| (k, i))
                .collect();
            for (k, i) in live {
                self.set_slot(k, i);
            }
        }
        self.ids.push(id);
        self.keys.push(key);
        if !self.by_key.is_empty() || !ascending {
            self.set_slot(key, o);
        }
        self.created_at.push(NO_TIME);
        self.birth_date.push(i32::MIN);
        self.random_bucket.push(random_bucket(id));
        o
    }

    fn set_slot(&mut self, key: i64, o: u32) {
        let slot = usize::try_from(key).expect("store keys are positive");
        if self.by_key.len() <= slot {
            self.by_key.resize(slot + 1, u32::MAX);
        }
        self.by_key[slot] = o;
    }

    /// Sets every attribute of customer `o` from its record, replacing what
    /// was there.
    pub fn set(&mut self, o: u32, c: &Customer) {
        if self.recorded.contains(o) {
            self.clear(o);
        }
        self.recorded.insert(o);
        let i = o as usize;
        self.created_at
            .set(i, c.created_at.map_or(NO_TIME, |t| t.as_second()));
        self.birth_date[i] = c.birth_date.map_or(i32::MIN, days_since_epoch);
        let single: [(&mut ValueIndex, Option<&str>); 7] = [
            (&mut self.language, c.language.as_deref()),
            (
                &mut self.account_status,
                c.account_status.map(|s| s.as_str()),
            ),
            (
                &mut self.email_subscription,
                c.email_subscription.map(|s| s.as_str()),
            ),
            (
                &mut self.sms_subscription,
                c.sms_subscription.map(|s| s.as_str()),
            ),
            (
                &mut self.product_subscription,
                c.product_subscription.map(|s| s.as_str()),
            ),
            (&mut self.created_by_app_id, c.created_by_app_id.as_deref()),
            (&mut self.gender, c.gender.map(|g| g.as_str())),
        ];
        for (index, value) in single {
            if let Some(v) = value {
                index.insert(o, v);
            }
        }
        let guess = flokk_predict::predict_gender(c.title.as_deref(), c.first_name.as_deref());
        self.predicted_gender.insert(o, guess.as_str());
        if let Some(domain) = c.email_domain() {
            self.email_domain.insert(o, &domain);
        }
        for t in &c.tags {
            self.tags.insert(o, t);
        }
        for p in &c.permissions {
            self.permissions.insert(o, p);
        }
        for company in &c.companies {
            self.companies.insert(o, company);
        }
        for a in &c.addresses {
            if let Some(city) = a.city_code() {
                self.cities.insert(o, &city);
            }
            if let Some(region) = a.region_code() {
                self.regions.insert(o, &region);
            }
            if let Some(country) = a.country_code() {
                self.countries.insert(o, &country);
            }
        }
        for (key, value) in &c.properties {
            self.properties.insert(o, key, value);
        }
    }

    /// Removes customer `o` from every attribute.
    pub fn clear(&mut self, o: u32) {
        self.recorded.remove(o);
        let i = o as usize;
        self.created_at.set(i, NO_TIME);
        self.birth_date[i] = i32::MIN;
        for index in self.value_indexes_mut() {
            index.remove_customer(o);
        }
        for index in self.list_indexes_mut() {
            index.remove_customer(o);
        }
        self.properties.remove_customer(o);
    }
}

impl Customers {
    /// Reports each attribute table's heap bytes to `add`.
    pub(crate) fn space_usage(&self, add: &mut dyn FnMut(&'static str, usize)) {
        use crate::columns::heap_size::HeapSize;
        add(
            "customers.ids and keys",
            self.ids.heap_bytes() + self.keys.heap_bytes() + self.by_key.heap_bytes(),
        );
        add(
            "customers.columns",
            self.created_at.heap_bytes()
                + self.birth_date.heap_bytes()
                + self.random_bucket.heap_bytes()
                + self.deleted.heap_bytes()
                + self.recorded.heap_bytes(),
        );
        add(
            "customers.value indexes",
            self.value_indexes().iter().map(|i| i.heap_bytes()).sum(),
        );
        add(
            "customers.list indexes",
            self.list_indexes().iter().map(|i| i.heap_bytes()).sum(),
        );
        add("customers.properties", self.properties.heap_bytes());
    }
}

impl Customers {
    /// Every single-valued index (one value per customer).
    fn value_indexes(&self) -> [&ValueIndex; 9] {
        [
            &self.email_domain,
            &self.language,
            &self.account_status,
            &self.email_subscription,
            &self.sms_subscription,
            &self.product_subscription,
            &self.created_by_app_id,
            &self.gender,
            &self.predicted_gender,
        ]
    }

    /// [`Customers::value_indexes`], to change.
    fn value_indexes_mut(&mut self) -> [&mut ValueIndex; 9] {
        [
            &mut self.email_domain,
            &mut self.language,
            &mut self.account_status,
            &mut self.email_subscription,
            &mut self.sms_subscription,
            &mut self.product_subscription,
            &mut self.created_by_app_id,
            &mut self.gender,
            &mut self.predicted_gender,
        ]
    }

    /// Every list index (several values per customer).
    fn list_indexes(&self) -> [&ListIndex; 6] {
        [
            &self.tags,
            &self.permissions,
            &self.companies,
            &self.cities,
            &self.regions,
            &self.countries,
        ]
    }

    /// [`Customers::list_indexes`], to change.
    fn list_indexes_mut(&mut self) -> [&mut ListIndex; 6] {
        [
            &mut self.tags,
            &mut self.permissions,
            &mut self.companies,
            &mut self.cities,
            &mut self.regions,
            &mut self.countries,
        ]
    }

    /// Gives back spare capacity of the per-customer columns.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.by_key.shrink_to_fit();
        self.created_at.shrink_to_fit();
        self.birth_date.shrink_to_fit();
        self.random_bucket.shrink_to_fit();
        self.properties.shrink_to_fit();
        crate::columns::tight_bitmap::tighten(&mut self.deleted);
        crate::columns::tight_bitmap::tighten(&mut self.recorded);
        for index in self.value_indexes_mut() {
            index.shrink_to_fit();
        }
        for index in self.list_indexes_mut() {
            index.shrink_to_fit();
        }
    }
}
