//! The store the reference evaluator reads: every customer with their own
//! records, plus the ticketing catalogue, exactly as the records arrive
//! (data.md §1). Also feeds the same records to the engine under test, in
//! the order the real store does, so both sides see one set of facts.

use flokk_engine::Engine;
use flokk_lang::{PropertyTypes, ValueType};
use flokk_model::{
    Checkout, CustomEvent, Customer, EmailEvent, Order, Performance, Production, Record,
    StorefrontEvent, Subscription, Venue,
};

/// One customer and everything of theirs.
#[derive(Debug, Clone, Default)]
pub struct StoreCustomer {
    /// The customer record.
    pub record: Customer,
    /// The position of each address, as the store places it (given
    /// `lat`/`lon`, else the gazetteer's guess, else none).
    pub positions: Vec<Option<(f64, f64)>>,
    /// Orders, cancelled and future ones included.
    pub orders: Vec<Order>,
    /// Abandoned checkouts.
    pub checkouts: Vec<Checkout>,
    /// Email events.
    pub email: Vec<EmailEvent>,
    /// Storefront events.
    pub storefront: Vec<StorefrontEvent>,
    /// Custom events.
    pub custom: Vec<CustomEvent>,
    /// Season tickets and memberships.
    pub subscriptions: Vec<Subscription>,
}

impl StoreCustomer {
    /// A customer with the given record and no activity; address positions
    /// are the addresses' own coordinates.
    pub fn new(record: Customer) -> Self {
        let positions = record.addresses.iter().map(|a| a.lat.zip(a.lon)).collect();
        StoreCustomer {
            record,
            positions,
            ..Default::default()
        }
    }
}

impl StoreCustomer {
    /// Whether the customer record holds nothing but the id.
    pub fn is_stub(&self) -> bool {
        self.record == Customer::stub(self.record.id.clone()) && self.positions.is_empty()
    }

    /// Whether the customer has any order, checkout or event.
    pub fn has_records(&self) -> bool {
        !(self.orders.is_empty()
            && self.checkouts.is_empty()
            && self.email.is_empty()
            && self.storefront.is_empty()
            && self.custom.is_empty()
            && self.subscriptions.is_empty())
    }
}

/// A whole store.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Venues.
    pub venues: Vec<Venue>,
    /// Productions.
    pub productions: Vec<Production>,
    /// Performances.
    pub performances: Vec<Performance>,
    /// Customers, in store order (the engine's ordinals follow it).
    pub customers: Vec<StoreCustomer>,
    /// The type of every custom property key (`namespace.key`) the store
    /// declares; values of another type read as missing.
    pub property_types: PropertyTypes,
    /// Saved segments by name, for `customer_segments`.
    pub segments: Vec<(String, flokk_lang::check::TypedExpr)>,
    /// Static lists by name with the ids of their customers, for
    /// `customer_lists`.
    pub lists: Vec<(String, Vec<String>)>,
    /// The home venue (setting `venue`): the origin of
    /// `customer_within_distance` without one.
    pub home_venue: Option<String>,
}

impl Store {
    /// The performance called `id`, if the catalogue knows it.
    pub fn performance(&self, id: &str) -> Option<&Performance> {
        self.performances.iter().find(|p| p.id == id)
    }

    /// The venue called `id`, if the catalogue knows it.
    pub fn venue(&self, id: &str) -> Option<&Venue> {
        self.venues.iter().find(|v| v.id == id)
    }

    /// The declared type of property `key` (`namespace.key`).
    pub fn property_type(&self, key: &str) -> Option<ValueType> {
        self.property_types.get(key).copied()
    }

    /// The engine under test, fed like the store feeds it: catalogue first,
    /// then each customer record with its key and address positions, then
    /// each customer's orders, checkouts and events with the customer's key.
    pub fn build_engine(&self) -> Engine {
        let mut engine = Engine::new();
        self.feed_catalogue(&mut engine);
        for (key, c) in self.customers.iter().enumerate() {
            engine.add(
                Some(key as i64),
                &c.positions,
                &Record::Customer(c.record.clone()),
            );
        }
        for (key, c) in self.customers.iter().enumerate() {
            Self::feed_activity(&mut engine, key, c);
        }
        engine
    }

    /// The engine fed in another legal order: each customer first with a
    /// stale version of their record (another customer's attributes under
    /// their id, as an upsert replaces), then the current one and their
    /// records, the catalogue last. Records may arrive in any order
    /// (data.md §1), an upsert replaces every attribute, and tickets
    /// resolve their performance when a query runs, so the answers must
    /// not change.
    ///
    /// A stub customer (known only by id) with records of their own is
    /// not fed as a customer record at all: their first record creates
    /// them, as an order for an unknown customer does.
    pub fn build_engine_out_of_order(&self) -> Engine {
        let mut engine = Engine::new();
        for (key, c) in self.customers.iter().enumerate() {
            if c.is_stub() && c.has_records() {
                Self::feed_activity(&mut engine, key, c);
                continue;
            }
            let stale = &self.customers[(key + 1) % self.customers.len()];
            let stale_record = flokk_model::Customer {
                id: c.record.id.clone(),
                ..stale.record.clone()
            };
            engine.add(
                Some(key as i64),
                &stale.positions,
                &Record::Customer(stale_record),
            );
            engine.add(
                Some(key as i64),
                &c.positions,
                &Record::Customer(c.record.clone()),
            );
            Self::feed_activity(&mut engine, key, c);
        }
        self.feed_catalogue(&mut engine);
        engine
    }

    /// The engine fed as a real shop's history arrives: every customer
    /// record first, then every order of every customer in time order (so
    /// one customer's orders are spread over the table), then the other
    /// records; compacted (orders clustered by customer) when `compact`.
    pub fn build_engine_in_time_order(&self, compact: bool) -> Engine {
        let mut engine = Engine::new();
        self.feed_catalogue(&mut engine);
        for (key, c) in self.customers.iter().enumerate() {
            if !(c.is_stub() && c.has_records()) {
                engine.add(
                    Some(key as i64),
                    &c.positions,
                    &Record::Customer(c.record.clone()),
                );
            }
        }
        let mut orders: Vec<(usize, &flokk_model::Order)> = self
            .customers
            .iter()
            .enumerate()
            .flat_map(|(key, c)| c.orders.iter().map(move |o| (key, o)))
            .collect();
        orders.sort_by_key(|(key, o)| (o.placed_at, std::cmp::Reverse(*key)));
        for (key, o) in orders {
            engine.add(Some(key as i64), &[], &Record::Order(o.clone()));
        }
        for (key, c) in self.customers.iter().enumerate() {
            let no_orders = StoreCustomer {
                orders: Vec::new(),
                ..c.clone()
            };
            Self::feed_activity(&mut engine, key, &no_orders);
        }
        if compact {
            engine.compact();
        }
        engine
    }

    /// Customer `key`'s records as a catch-up reads them from the store:
    /// the customer record first, then everything of theirs.
    pub fn records_of(&self, key: usize) -> Vec<flokk_engine::KeyedRecord> {
        let c = &self.customers[key];
        let keyed =
            |record: Record, coordinates: Vec<Option<(f64, f64)>>| flokk_engine::KeyedRecord {
                customer_key: Some(key as i64),
                coordinates,
                record,
            };
        let mut out = vec![keyed(
            Record::Customer(c.record.clone()),
            c.positions.clone(),
        )];
        out.extend(
            c.orders
                .iter()
                .map(|o| keyed(Record::Order(o.clone()), vec![])),
        );
        out.extend(
            c.checkouts
                .iter()
                .map(|k| keyed(Record::Checkout(k.clone()), vec![])),
        );
        out.extend(
            c.email
                .iter()
                .map(|e| keyed(Record::EmailEvent(e.clone()), vec![])),
        );
        out.extend(
            c.storefront
                .iter()
                .map(|e| keyed(Record::StorefrontEvent(e.clone()), vec![])),
        );
        out.extend(
            c.custom
                .iter()
                .map(|e| keyed(Record::Event(e.clone()), vec![])),
        );
        out.extend(
            c.subscriptions
                .iter()
                .map(|s| keyed(Record::Subscription(s.clone()), vec![])),
        );
        out
    }

    fn feed_catalogue(&self, engine: &mut Engine) {
        // A setting, as the loader sets it.
        engine.home_venue = self.home_venue.clone();
        for v in &self.venues {
            engine.add(None, &[], &Record::Venue(v.clone()));
        }
        for p in &self.productions {
            engine.add(None, &[], &Record::Production(p.clone()));
        }
        for p in &self.performances {
            engine.add(None, &[], &Record::Performance(p.clone()));
        }
    }

    fn feed_activity(engine: &mut Engine, key: usize, c: &StoreCustomer) {
        let key = Some(key as i64);
        for o in &c.orders {
            engine.add(key, &[], &Record::Order(o.clone()));
        }
        for k in &c.checkouts {
            engine.add(key, &[], &Record::Checkout(k.clone()));
        }
        for e in &c.email {
            engine.add(key, &[], &Record::EmailEvent(e.clone()));
        }
        for e in &c.storefront {
            engine.add(key, &[], &Record::StorefrontEvent(e.clone()));
        }
        for e in &c.custom {
            engine.add(key, &[], &Record::Event(e.clone()));
        }
        for s in &c.subscriptions {
            engine.add(key, &[], &Record::Subscription(s.clone()));
        }
    }
}
