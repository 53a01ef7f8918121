//! The tagged union of every record kind.

use crate::id::id;
use crate::{
    Checkout, CustomEvent, Customer, CustomerPatch, EmailEvent, Order, Performance, Production,
    StorefrontEvent, Subscription, Venue,
};
use serde::{Deserialize, Serialize};

/// One NDJSON line: any record, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    /// A customer (upsert by id).
    Customer(Customer),
    /// A partial update of a known customer.
    CustomerPatch(CustomerPatch),
    /// An order with its lines.
    Order(Order),
    /// An abandoned checkout.
    Checkout(Checkout),
    /// An email event.
    EmailEvent(EmailEvent),
    /// A storefront event.
    StorefrontEvent(StorefrontEvent),
    /// A custom event.
    Event(CustomEvent),
    /// A venue.
    Venue(Venue),
    /// A production.
    Production(Production),
    /// A performance.
    Performance(Performance),
    /// A season ticket or membership of a customer.
    Subscription(Subscription),
    /// Removal of a record.
    Delete(Delete),
}

/// The kinds of record, for counting and reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// `customer`
    Customer,
    /// `customer_patch`
    CustomerPatch,
    /// `order`
    Order,
    /// `checkout`
    Checkout,
    /// `email_event`
    EmailEvent,
    /// `storefront_event`
    StorefrontEvent,
    /// `event`
    Event,
    /// `venue`
    Venue,
    /// `production`
    Production,
    /// `performance`
    Performance,
    /// `subscription`
    Subscription,
    /// `delete`
    Delete,
}

impl RecordKind {
    /// Every kind, in the order a dump writes them.
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Customer,
        RecordKind::CustomerPatch,
        RecordKind::Venue,
        RecordKind::Production,
        RecordKind::Performance,
        RecordKind::Order,
        RecordKind::Checkout,
        RecordKind::EmailEvent,
        RecordKind::StorefrontEvent,
        RecordKind::Event,
        RecordKind::Subscription,
        RecordKind::Delete,
    ];

    /// The `kind` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Customer => "customer",
            RecordKind::CustomerPatch => "customer_patch",
            RecordKind::Order => "order",
            RecordKind::Checkout => "checkout",
            RecordKind::EmailEvent => "email_event",
            RecordKind::StorefrontEvent => "storefront_event",
            RecordKind::Event => "event",
            RecordKind::Venue => "venue",
            RecordKind::Production => "production",
            RecordKind::Performance => "performance",
            RecordKind::Subscription => "subscription",
            RecordKind::Delete => "delete",
        }
    }

    /// Reads the `kind` spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Customer(_) => RecordKind::Customer,
            Record::CustomerPatch(_) => RecordKind::CustomerPatch,
            Record::Order(_) => RecordKind::Order,
            Record::Checkout(_) => RecordKind::Checkout,
            Record::EmailEvent(_) => RecordKind::EmailEvent,
            Record::StorefrontEvent(_) => RecordKind::StorefrontEvent,
            Record::Event(_) => RecordKind::Event,
            Record::Venue(_) => RecordKind::Venue,
            Record::Production(_) => RecordKind::Production,
            Record::Performance(_) => RecordKind::Performance,
            Record::Subscription(_) => RecordKind::Subscription,
            Record::Delete(_) => RecordKind::Delete,
        }
    }

    /// The customer the record belongs to, if it belongs to one.
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Record::Customer(c) => Some(&c.id),
            Record::CustomerPatch(p) => Some(&p.id),
            Record::Order(o) => Some(&o.customer_id),
            Record::Checkout(c) => Some(&c.customer_id),
            Record::EmailEvent(e) => Some(&e.customer_id),
            Record::StorefrontEvent(e) => Some(&e.customer_id),
            Record::Event(e) => Some(&e.customer_id),
            Record::Subscription(s) => Some(&s.customer_id),
            Record::Delete(d) if d.entity == Entity::Customer => Some(&d.id),
            _ => None,
        }
    }

    /// Checks the rules a record can check by itself (the schema is checked
    /// while parsing).
    pub fn validate(&self) -> Result<(), crate::RecordError> {
        match self {
            Record::Customer(c) => c.validate(),
            Record::Order(o) => o.validate(),
            Record::EmailEvent(e) => e.validate(),
            Record::Event(e) => e.validate(),
            Record::Checkout(c) => c.validate(),
            Record::Subscription(s) => s.validate(),
            _ => Ok(()),
        }
    }
}

/// What a `delete` record removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A customer and everything of theirs.
    Customer,
    /// One order.
    Order,
    /// One checkout.
    Checkout,
    /// One email event (by its id).
    EmailEvent,
    /// One storefront event (by its `event_id`).
    StorefrontEvent,
    /// One custom event (by its id).
    Event,
    /// A venue.
    Venue,
    /// A production.
    Production,
    /// A performance.
    Performance,
    /// One subscription (by its id).
    Subscription,
}

/// `{"kind":"delete","entity":"customer","id":"..."}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delete {
    /// What kind of record.
    pub entity: Entity,
    /// Its id.
    #[serde(deserialize_with = "id")]
    pub id: String,
}
