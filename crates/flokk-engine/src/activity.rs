//! Behavioural records: abandoned checkouts, email and storefront events,
//! custom events.

use crate::interner::{Interner, Sym};
use crate::orders::{NO_SYM, Postings};
use flokk_model::{
    BounceType, Checkout, CustomEvent, EmailEvent, EmailEventType, PropertyValue, StorefrontEvent,
    StorefrontEventType,
};
use roaring::RoaringBitmap;

/// Abandoned checkouts.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Checkouts {
    /// Customer ordinal.
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// Abandoned at (seconds).
    #[serde(with = "crate::column_bytes")]
    pub time: Vec<i64>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
}

impl Checkouts {
    /// Appends a checkout of customer `c`.
    pub fn push(&mut self, c: u32, k: &Checkout) {
        self.customer.push(c);
        self.time.push(k.abandoned_at.as_second());
    }
}

/// Email events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct EmailEvents {
    /// Customer ordinal.
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    #[serde(with = "crate::column_bytes")]
    pub time: Vec<i64>,
    /// Activity (campaign) symbol or [`NO_SYM`].
    #[serde(with = "crate::column_bytes")]
    pub activity: Vec<Sym>,
    /// `machine_open`, when recorded.
    pub machine_open: Vec<Option<bool>>,
    /// `bounce_type`, when recorded.
    pub bounce: Vec<Option<BounceType>>,
    /// Events per type (index = position in [`EmailEventType::ALL`]).
    pub by_type: Vec<Vec<u32>>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
}

impl EmailEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &EmailEvent, strings: &mut Interner) {
        if self.by_type.is_empty() {
            self.by_type = vec![Vec::new(); EmailEventType::ALL.len()];
        }
        let i = self.customer.len() as u32;
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
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    #[serde(with = "crate::column_bytes")]
    pub time: Vec<i64>,
    /// Viewed product or collection symbol.
    #[serde(with = "crate::column_bytes")]
    pub item: Vec<Sym>,
    /// Product views.
    #[serde(with = "crate::column_bytes")]
    pub product_views: Vec<u32>,
    /// Collection views.
    #[serde(with = "crate::column_bytes")]
    pub collection_views: Vec<u32>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
}

impl StorefrontEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &StorefrontEvent, strings: &mut Interner) {
        let i = self.customer.len() as u32;
        self.customer.push(c);
        self.time.push(e.at.as_second());
        self.item.push(strings.intern(&e.id));
        match e.event_type {
            StorefrontEventType::ProductViewed => self.product_views.push(i),
            StorefrontEventType::CollectionViewed => self.collection_views.push(i),
        }
    }
}

/// A custom event's property value, in 16 bytes: texts are interned
/// (event properties repeat: product ids, titles, currencies), a list is a
/// run of interned items.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EventValue {
    /// `true` / `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A date, as days since 1970-01-01.
    Date(i32),
    /// A text's symbol.
    Text(Sym),
    /// A list: `CustomEvents::list_items[start..start + len]`.
    List {
        /// First item.
        start: u32,
        /// How many items.
        len: u32,
    },
}

/// Custom events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct CustomEvents {
    /// Customer ordinal.
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// When (seconds).
    #[serde(with = "crate::column_bytes")]
    pub time: Vec<i64>,
    /// Event name symbol.
    #[serde(with = "crate::column_bytes")]
    pub name: Vec<Sym>,
    /// Numeric `value` property (NaN when absent or not a number; JSON has
    /// no NaN, so none is ever given).
    #[serde(with = "crate::column_bytes")]
    pub value: Vec<f64>,
    /// Property keys of every event: event `i`'s are
    /// `prop_keys[props_start[i]..props_start[i + 1]]`.
    #[serde(with = "crate::column_bytes")]
    pub prop_keys: Vec<Sym>,
    /// The values beside `prop_keys`.
    #[serde(with = "crate::column_bytes")]
    pub prop_values: Vec<EventValue>,
    /// Where each event's properties start.
    #[serde(with = "crate::column_bytes")]
    pub props_start: Vec<u32>,
    /// The items of list values.
    #[serde(with = "crate::column_bytes")]
    pub list_items: Vec<Sym>,
    /// Events per name.
    pub by_name: Postings,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
}

const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

/// In snapshots: a kind byte, then 8 bytes (the number, or the date,
/// symbol or list start and length, little-endian).
impl crate::column_bytes::Fixed for EventValue {
    const WIDTH: usize = 9;

    fn put(self, out: &mut Vec<u8>) {
        let (kind, payload): (u8, [u8; 8]) = match self {
            EventValue::Boolean(b) => (0, u64::from(b).to_le_bytes()),
            EventValue::Number(n) => (1, n.to_le_bytes()),
            EventValue::Date(d) => (2, i64::from(d).to_le_bytes()),
            EventValue::Text(s) => (3, u64::from(s).to_le_bytes()),
            EventValue::List { start, len } => {
                (4, (u64::from(start) | (u64::from(len) << 32)).to_le_bytes())
            }
        };
        out.push(kind);
        out.extend_from_slice(&payload);
    }

    fn get(bytes: &[u8]) -> Option<Self> {
        let (kind, payload) = bytes.split_first()?;
        let word = u64::from_le_bytes(payload.try_into().ok()?);
        Some(match kind {
            0 => EventValue::Boolean(word != 0),
            1 => EventValue::Number(f64::from_bits(word)),
            2 => EventValue::Date(i32::try_from(word as i64).ok()?),
            3 => EventValue::Text(u32::try_from(word).ok()?),
            4 => EventValue::List {
                start: word as u32,
                len: (word >> 32) as u32,
            },
            _ => return None,
        })
    }
}

impl CustomEvents {
    /// Appends an event of customer `c`.
    pub fn push(&mut self, c: u32, e: &CustomEvent, strings: &mut Interner) {
        let i = self.customer.len() as u32;
        self.customer.push(c);
        self.time.push(e.at.as_second());
        let name = strings.intern(&e.name);
        self.name.push(name);
        self.value.push(match e.properties.get("value") {
            Some(PropertyValue::Number(n)) => *n,
            _ => f64::NAN,
        });
        self.props_start.push(self.prop_keys.len() as u32);
        for (k, v) in &e.properties {
            let value = match v {
                PropertyValue::Boolean(b) => EventValue::Boolean(*b),
                PropertyValue::Number(n) => EventValue::Number(*n),
                PropertyValue::Date(d) => EventValue::Date((*d - EPOCH).get_days()),
                PropertyValue::String(s) => EventValue::Text(strings.intern(s)),
                PropertyValue::List(items) => {
                    let start = self.list_items.len() as u32;
                    self.list_items
                        .extend(items.iter().map(|item| strings.intern(item)));
                    EventValue::List {
                        start,
                        len: items.len() as u32,
                    }
                }
            };
            self.prop_keys.push(strings.intern(k));
            self.prop_values.push(value);
        }
        self.by_name.add(name, i, c);
    }

    /// The value of property `key` of event `i`.
    pub fn property(&self, i: u32, key: Sym) -> Option<EventValue> {
        let start = self.props_start[i as usize] as usize;
        let end = self
            .props_start
            .get(i as usize + 1)
            .map_or(self.prop_keys.len(), |e| *e as usize);
        self.prop_keys[start..end]
            .iter()
            .position(|k| *k == key)
            .map(|at| self.prop_values[start + at])
    }

    /// The items of a list value.
    pub fn list(&self, start: u32, len: u32) -> &[Sym] {
        &self.list_items[start as usize..(start + len) as usize]
    }
}

impl crate::space_usage::HeapSize for Checkouts {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes() + self.time.heap_bytes() + self.void.heap_bytes()
    }
}

impl crate::space_usage::HeapSize for EmailEvents {
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

impl crate::space_usage::HeapSize for StorefrontEvents {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.time.heap_bytes()
            + self.item.heap_bytes()
            + self.product_views.heap_bytes()
            + self.collection_views.heap_bytes()
            + self.void.heap_bytes()
    }
}

impl crate::space_usage::HeapSize for CustomEvents {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.time.heap_bytes()
            + self.name.heap_bytes()
            + self.value.heap_bytes()
            + self.prop_keys.heap_bytes()
            + self.prop_values.capacity() * size_of::<EventValue>()
            + self.props_start.heap_bytes()
            + self.list_items.heap_bytes()
            + self.by_name.heap_bytes()
            + self.void.heap_bytes()
    }
}
