//! The shapes the live-data endpoints take and answer, for the OpenAPI
//! document only: the handlers read bodies as raw bytes (a Shopify
//! signature covers the exact bytes; a tracking batch is read message by
//! message so one bad message fails alone), so these types describe what
//! `tracking.rs` and `shopify_webhooks.rs` read and write, field by field.

use serde::Serialize;
use utoipa::ToSchema;

/// One message of the Segment spec (<https://segment.com/docs/connections/spec/>).
/// Fields flokk does not read (`context` beyond `context.traits`,
/// `integrations`, `sentAt`, ...) may be sent and are ignored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackingMessage {
    /// The call type; in a batch each message needs it, a single call
    /// (`/v1/track`, ...) implies it.
    #[serde(rename = "type")]
    #[schema(example = "track")]
    pub kind: Option<MessageKind>,
    /// The customer's id. A message needs it or `anonymousId`.
    #[schema(example = "1001")]
    pub user_id: Option<String>,
    /// The visitor's id before they are known; events with only this wait
    /// for an `identify` carrying both ids.
    pub anonymous_id: Option<String>,
    /// De-duplicates retries (remembered `tracking_message_id_retention_days`)
    /// and is the stored event's id.
    pub message_id: Option<String>,
    /// ISO 8601 with offset; default the arrival (a later time counts as the arrival).
    #[schema(example = "2026-11-24T12:00:00Z")]
    pub timestamp: Option<String>,
    /// `track`: the event's name.
    #[schema(example = "Order Completed")]
    pub event: Option<String>,
    /// `track`/`page`/`screen`: event properties; `value`, else `revenue`,
    /// is the event's value; `product_id`/`collection_id` on a page make it
    /// a storefront view.
    #[schema(value_type = Option<Object>)]
    pub properties: Option<serde_json::Value>,
    /// `identify`: traits (`email`, `phone`, `firstName`, `lastName`,
    /// `name`, `address`, ...; others become `metafields.custom.*`).
    #[schema(value_type = Option<Object>)]
    pub traits: Option<serde_json::Value>,
    /// `page`/`screen`: its name.
    pub name: Option<String>,
    /// `alias`: the earlier id (an `anonymousId`) that is this `userId`.
    pub previous_id: Option<String>,
}

/// The Segment call types.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // described in the document, never built: bodies are read as JSON values
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// Who the customer is.
    Identify,
    /// Something they did.
    Track,
    /// A web page they saw.
    Page,
    /// An app screen they saw.
    Screen,
    /// Two ids of one person.
    Alias,
    /// Taken and ignored (flokk keeps no groups).
    Group,
}

/// `POST /v1/batch`: up to 500 KB of messages, each with its `type`.
#[derive(Serialize, ToSchema)]
pub struct TrackingBatch {
    /// The messages.
    pub batch: Vec<TrackingMessage>,
}

/// What became of a request's messages (a batch succeeds in part).
#[derive(Serialize, ToSchema)]
pub struct TrackingAnswer {
    /// Always true: the request was applied.
    pub success: bool,
    /// Messages applied (or kept for an anonymous visitor).
    pub accepted: u64,
    /// Messages whose `messageId` was applied before.
    pub duplicates: u64,
    /// Messages taken but not kept (`group`, an `identify` without `userId`).
    pub ignored: u64,
    /// Messages refused; nothing of them was written.
    pub rejected: u64,
    /// One per message, in order.
    pub results: Vec<MessageResult>,
}

/// What became of one message.
#[derive(Serialize, ToSchema)]
pub struct MessageResult {
    /// `accepted`, `duplicate`, `ignored` or `rejected`.
    #[schema(example = "rejected")]
    pub status: String,
    /// Why, when ignored or rejected.
    #[schema(example = "a track call needs its `event` name")]
    pub reason: Option<String>,
    /// The message's place in the request, from 0.
    pub index: u64,
}

/// The answer to a kept Shopify delivery (applied right after).
#[derive(Serialize, ToSchema)]
pub struct ShopifyReceipt {
    /// The delivery's `X-Shopify-Webhook-Id`.
    #[schema(example = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")]
    pub received: String,
    /// Its `X-Shopify-Topic`.
    #[schema(example = "orders/create")]
    pub topic: String,
    /// Whether it was kept before (a retry): nothing changed.
    pub duplicate: bool,
}
