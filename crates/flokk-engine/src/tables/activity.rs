//! Behavioural records: abandoned checkouts, email and storefront events,
//! custom events.

use crate::I64Column;
use crate::columns::interner::NO_SYM;
use crate::columns::interner::{Interner, Sym};
use crate::columns::sym_column::SymColumn;
pub use crate::tables::event_properties::{EventProperties, EventValue};
use flokk_model::{
    BounceType, Checkout, CustomEvent, EmailEvent, EmailEventType, StorefrontEvent,
    StorefrontEventType,
};
use roaring::RoaringBitmap;

/// Abandoned checkouts.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Checkouts {
    /// Customer ordinal.
    #[serde(with = "crate::columns::column_bytes")]
    pub customer: Vec<u32>,
    /// Abandoned at (seconds).
    pub time: I64Column,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
    /// Rows by customer, built on first use.
    #[serde(skip)]
    pub by_customer: crate::tables::activity_by_customer::RowsIndex,
}

impl Checkouts {
    /// Appends a checkout of customer `c`.
    pub fn push(&mut self, c: u32, k: &Checkout) {
        self.by_customer.push(c, self.customer.len() as u32);
        self.customer.push(c);
        self.time.push(k.abandoned_at.as_second());
    }
}

/// Email events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct EmailEvents {
    /// Customer ordinal.
    #[serde(with = "crate::columns::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: I64Column,
    /// Activity (campaign) symbol or [`NO_SYM`].
    pub activity: SymColumn,
    /// `machine_open`, when recorded.
    pub machine_open: Vec<Option<bool>>,
    /// `bounce_type`, when recorded.
    pub bounce: Vec<Option<BounceType>>,
    /// Events per type (index = position in [`EmailEventType::ALL`]).
    pub by_type: Vec<Vec<u32>>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
    /// Rows by customer, built on first use.
    #[serde(skip)]
    pub by_customer: crate::tables::activity_by_customer::RowsIndex,
}

impl EmailEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &EmailEvent, strings: &mut Interner) {
        if self.by_type.is_empty() {
            self.by_type = vec![Vec::new(); EmailEventType::ALL.len()];
        }
        let i = self.customer.len() as u32;
        self.by_customer.push(c, i);
        self.customer.push(c);
        self.time.push(e.at.as_second());
        self.activity.push(
            e.activity_id
                .as_deref()
                .map_or(NO_SYM, |s| strings.intern(s)),
        );
        self.machine_open.push(e.machine_open);
        self.bounce.push(e.bounce_type);
        let t = EmailEventType::ALL
            .iter()
            .position(|t| *t == e.event_type)
            .expect("a known type");
        self.by_type[t].push(i);
    }

    /// The events of one type.
    pub fn of_type(&self, t: EmailEventType) -> &[u32] {
        let i = EmailEventType::ALL
            .iter()
            .position(|x| *x == t)
            .expect("a known type");
        self.by_type.get(i).map_or(&[], |v| v.as_slice())
    }
}

/// Storefront events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct StorefrontEvents {
    /// Customer ordinal.
    #[serde(with = "crate::columns::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: I64Column,
    /// Viewed product or collection symbol.
    pub item: SymColumn,
    /// Product views.
    #[serde(with = "crate::columns::column_bytes")]
    pub product_views: Vec<u32>,
    /// Collection views.
    #[serde(with = "crate::columns::column_bytes")]
    pub collection_views: Vec<u32>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
    /// Rows by customer, built on first use.
    #[serde(skip)]
    pub by_customer: crate::tables::activity_by_customer::RowsIndex,
}

impl StorefrontEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &StorefrontEvent, strings: &mut Interner) {
        let i = self.customer.len() as u32;
        self.by_customer.push(c, i);
        self.customer.push(c);
        self.time.push(e.at.as_second());
        self.item.push(strings.intern(&e.id));
        match e.event_type {
            StorefrontEventType::ProductViewed => self.product_views.push(i),
            StorefrontEventType::CollectionViewed => self.collection_views.push(i),
        }
    }
}

/// Custom events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct CustomEvents {
    /// Customer ordinal.
    #[serde(with = "crate::columns::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: I64Column,
    /// Event name symbol.
    pub name: SymColumn,
    /// Every event's properties.
    pub properties: EventProperties,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
    /// Rows by customer, built on first use.
    #[serde(skip)]
    pub by_customer: crate::tables::activity_by_customer::RowsIndex,
}

impl CustomEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &CustomEvent, strings: &mut Interner) {
        self.by_customer.push(c, self.customer.len() as u32);
        self.customer.push(c);
        self.time.push(e.at.as_second());
        self.name.push(strings.intern(&e.name));
        self.properties.push(&e.properties, strings);
    }

    /// The value of property `key` of event `i`.
    pub fn property(&self, i: u32, key: Sym) -> Option<EventValue> {
        self.properties.get(i, key)
    }

    /// The items of a list value.
    pub fn list(&self, start: u32, len: u32) -> &[Sym] {
        self.properties.list(start, len)
    }
}

impl crate::columns::heap_size::HeapSize for Checkouts {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes() + self.time.heap_bytes() + self.void.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for EmailEvents {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.time.heap_bytes()
            + self.activity.heap_bytes()
            + self.machine_open.capacity() * size_of::<Option<bool>>()
            + self.bounce.capacity() * size_of::<Option<BounceType>>()
            + self.by_type.heap_bytes()
            + self.void.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for StorefrontEvents {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.time.heap_bytes()
            + self.item.heap_bytes()
            + self.product_views.heap_bytes()
            + self.collection_views.heap_bytes()
            + self.void.heap_bytes()
    }
}

impl crate::columns::heap_size::HeapSize for CustomEvents {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.time.heap_bytes()
            + self.name.heap_bytes()
            + self.properties.heap_bytes()
            + self.void.heap_bytes()
    }
}

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
    /// Season tickets and memberships.
    pub subscriptions: crate::tables::subscriptions::Subscriptions,
}
