//! Behavioural records: abandoned checkouts, email and storefront activity,
//! custom events.

use crate::amount::{check_amount, check_money};
use crate::id::{id, opt_id};
use crate::{Money, Properties, PropertyValue, RecordError, Timestamp};
use serde::{Deserialize, Serialize};

/// An abandoned checkout.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkout {
    /// Checkout id.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// The customer.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// When it was abandoned.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub abandoned_at: Timestamp,
    /// Cart value.
    #[serde(default)]
    pub total: Money,
}

/// Email activity types (`shopify_email.*` functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum EmailEventType {
    /// Delivered to the inbox.
    Delivered,
    /// Opened.
    Opened,
    /// A link was clicked.
    Clicked,
    /// Bounced.
    Bounced,
    /// Marked as spam.
    MarkedAsSpam,
    /// Unsubscribed through the email.
    Unsubscribed,
}

impl EmailEventType {
    /// Every type.
    pub const ALL: &'static [EmailEventType] = &[
        EmailEventType::Delivered,
        EmailEventType::Opened,
        EmailEventType::Clicked,
        EmailEventType::Bounced,
        EmailEventType::MarkedAsSpam,
        EmailEventType::Unsubscribed,
    ];

    /// Wire spelling, also the function suffix (`shopify_email.opened`).
    pub fn as_str(self) -> &'static str {
        match self {
            EmailEventType::Delivered => "delivered",
            EmailEventType::Opened => "opened",
            EmailEventType::Clicked => "clicked",
            EmailEventType::Bounced => "bounced",
            EmailEventType::MarkedAsSpam => "marked_as_spam",
            EmailEventType::Unsubscribed => "unsubscribed",
        }
    }

    /// Reads the wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s)
    }
}

/// Soft or hard bounce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BounceType {
    /// Temporary failure.
    Soft,
    /// Permanent failure.
    Hard,
}

impl BounceType {
    /// Wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BounceType::Soft => "SOFT",
            BounceType::Hard => "HARD",
        }
    }
}

/// One email event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailEvent {
    /// Optional event id; with one the event upserts.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// The customer.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EmailEventType,
    /// The email campaign (activity).
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_id: Option<String>,
    /// When.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub at: Timestamp,
    /// Apple Mail privacy pre-fetch (only on `opened`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_open: Option<bool>,
    /// Bounce type (only on `bounced`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounce_type: Option<BounceType>,
}

impl EmailEvent {
    /// Checks that type-specific fields appear only on their type.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.machine_open.is_some() && self.event_type != EmailEventType::Opened {
            return Err(RecordError::invalid(
                "machine_open",
                "only allowed on type opened",
            ));
        }
        if self.bounce_type.is_some() && self.event_type != EmailEventType::Bounced {
            return Err(RecordError::invalid(
                "bounce_type",
                "only allowed on type bounced",
            ));
        }
        Ok(())
    }
}

/// Storefront activity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum StorefrontEventType {
    /// A product page was viewed.
    ProductViewed,
    /// A collection page was viewed.
    CollectionViewed,
}

impl StorefrontEventType {
    /// Wire spelling, also the function suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            StorefrontEventType::ProductViewed => "product_viewed",
            StorefrontEventType::CollectionViewed => "collection_viewed",
        }
    }
}

/// One storefront event.
///
/// Decision (data.md is ambiguous here): `id` is the id of the product or
/// collection viewed, as in the spec's example and the `id` parameter of
/// `storefront.product_viewed`; the optional `event_id` is the record's own
/// id, with which the event upserts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorefrontEvent {
    /// Optional record id; with one the event upserts.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_id: Option<String>,
    /// The customer.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// What was viewed.
    #[serde(rename = "type")]
    pub event_type: StorefrontEventType,
    /// The product or collection viewed.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// When.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub at: Timestamp,
}

/// A custom event (`custom_event` function).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomEvent {
    /// Optional event id; with one the event upserts.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// The customer.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// Event name (`Viewed Product`).
    pub name: String,
    /// When.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub at: Timestamp,
    /// Event properties; a numeric `value` feeds `sum_value`. Keys are kept
    /// as given (no namespace).
    #[serde(default, skip_serializing_if = "Properties::is_empty")]
    pub properties: Properties,
}

impl CustomEvent {
    /// Checks the event name and its `value` (an amount, summed by
    /// `sum_value`).
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.name.trim().is_empty() {
            return Err(RecordError::invalid("name", "an event needs a name"));
        }
        if let Some(PropertyValue::Number(v)) = self.properties.get("value") {
            check_amount("properties.value", *v, true)?;
        }
        Ok(())
    }
}

impl Checkout {
    /// Checks the cart value.
    pub fn validate(&self) -> Result<(), RecordError> {
        check_money("total", self.total, false)
    }
}
