//! The ticketing side: venues, productions and their performances.

use crate::Timestamp;
use crate::id::id;
use serde::{Deserialize, Serialize};

/// A venue (a place with seats).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    /// Venue id.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Latitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// The organisation of a venue group that runs it (`None`: the store
    /// has one organisation, or the venue is shared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// A production (a show, a concert programme).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Production {
    /// Production id.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The organisation of a venue group that puts it on (`None`: the
    /// store has one organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// One performance of a production at a venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    /// Performance id.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// The production performed.
    #[serde(deserialize_with = "id")]
    pub production_id: String,
    /// Where.
    #[serde(deserialize_with = "id")]
    pub venue_id: String,
    /// When it starts.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub starts_at: Timestamp,
}
