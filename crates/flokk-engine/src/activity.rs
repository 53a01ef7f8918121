//! Behavioural records: abandoned checkouts, email and storefront events,
//! custom events.

use crate::interner::{Interner, Sym};
use crate::orders::{NO_SYM, Postings};
use flokk_model::{
    BounceType, Checkout, CustomEvent, EmailEvent, EmailEventType, PropertyValue, StorefrontEvent,
    StorefrontEventType,
};
use roaring::RoaringBitmap;

fn post(postings: &mut Postings, key: Sym, i: u32) {
    postings.entry(key).or_default().push(i);
}

/// Abandoned checkouts.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Checkouts {
    /// Customer ordinal.
    pub customer: Vec<u32>,
    /// Abandoned at (seconds).
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
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: Vec<i64>,
    /// Activity (campaign) symbol or [`NO_SYM`].
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
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: Vec<i64>,
    /// Viewed product or collection symbol.
    pub item: Vec<Sym>,
    /// Product views.
    pub product_views: Vec<u32>,
    /// Collection views.
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

/// Custom events.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct CustomEvents {
    /// Customer ordinal.
    pub customer: Vec<u32>,
    /// When (seconds).
    pub time: Vec<i64>,
    /// Event name symbol.
    pub name: Vec<Sym>,
    /// Numeric `value` property (`None` when absent or not a number).
    pub value: Vec<Option<f64>>,
    /// Properties of each event: `props[start[i]..start[i+1]]`.
    #[serde(with = "tagged_values")]
    pub props: Vec<(Sym, PropertyValue)>,
    /// Where each event's properties start in `props`.
    pub props_start: Vec<u32>,
    /// Events per name.
    pub by_name: Postings,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
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
            Some(PropertyValue::Number(n)) => Some(*n),
            _ => None,
        });
        self.props_start.push(self.props.len() as u32);
        for (k, v) in &e.properties {
            self.props.push((strings.intern(k), v.clone()));
        }
        post(&mut self.by_name, name, i);
    }

    /// The properties of event `i`.
    pub fn properties(&self, i: u32) -> &[(Sym, PropertyValue)] {
        let start = self.props_start[i as usize] as usize;
        let end = self
            .props_start
            .get(i as usize + 1)
            .map_or(self.props.len(), |e| *e as usize);
        &self.props[start..end]
    }
}

/// Property values in snapshots: `PropertyValue` reads its JSON form by the
/// JSON type, which a compact binary format cannot tell, so snapshots carry
/// an explicitly tagged copy.
mod tagged_values {
    use super::Sym;
    use flokk_model::PropertyValue;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    enum Tagged {
        Boolean(bool),
        Number(f64),
        Date(i32),
        String(String),
        List(Vec<String>),
    }

    const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

    pub fn serialize<S: Serializer>(v: &[(Sym, PropertyValue)], s: S) -> Result<S::Ok, S::Error> {
        let tagged: Vec<(Sym, Tagged)> = v
            .iter()
            .map(|(k, v)| {
                let t = match v {
                    PropertyValue::Boolean(b) => Tagged::Boolean(*b),
                    PropertyValue::Number(n) => Tagged::Number(*n),
                    PropertyValue::Date(d) => Tagged::Date((*d - EPOCH).get_days()),
                    PropertyValue::String(s) => Tagged::String(s.clone()),
                    PropertyValue::List(l) => Tagged::List(l.clone()),
                };
                (*k, t)
            })
            .collect();
        tagged.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(Sym, PropertyValue)>, D::Error> {
        let tagged: Vec<(Sym, Tagged)> = Vec::deserialize(d)?;
        tagged
            .into_iter()
            .map(|(k, t)| {
                let v = match t {
                    Tagged::Boolean(b) => PropertyValue::Boolean(b),
                    Tagged::Number(n) => PropertyValue::Number(n),
                    Tagged::Date(days) => PropertyValue::Date(
                        EPOCH
                            .checked_add(jiff::Span::new().days(i64::from(days)))
                            .map_err(serde::de::Error::custom)?,
                    ),
                    Tagged::String(s) => PropertyValue::String(s),
                    Tagged::List(l) => PropertyValue::List(l),
                };
                Ok((k, v))
            })
            .collect()
    }
}
