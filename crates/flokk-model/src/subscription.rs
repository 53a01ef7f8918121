//! Season tickets and memberships (data.md §1.1): a `subscription` record
//! of a customer, with its plan and the days it runs.

use crate::id::id;
use crate::{Date, RecordError};
use serde::{Deserialize, Serialize};

/// A subscription's state as the ticketing system records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubscriptionState {
    /// Running (or bought for a season still to come).
    #[default]
    Active,
    /// Put on hold by the subscriber.
    Paused,
    /// Cancelled before its end.
    Cancelled,
    /// Ran out without renewal.
    Expired,
}

impl SubscriptionState {
    /// Every state, in a fixed order (its index is the stored code).
    pub const ALL: [SubscriptionState; 4] = [
        SubscriptionState::Active,
        SubscriptionState::Paused,
        SubscriptionState::Cancelled,
        SubscriptionState::Expired,
    ];

    /// The spelling in records (`ACTIVE`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionState::Active => "ACTIVE",
            SubscriptionState::Paused => "PAUSED",
            SubscriptionState::Cancelled => "CANCELLED",
            SubscriptionState::Expired => "EXPIRED",
        }
    }

    /// Reads the spelling in records.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// `{"kind":"subscription","id":"s1","customer_id":"1001","plan":"season",
/// "starts":"2025-08-01","ends":"2026-06-30","status":"ACTIVE"}`: a
/// season ticket or membership. `ends` may be left out (a membership
/// that runs until cancelled); `status` defaults to `ACTIVE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// Subscription id (upsert key).
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// The subscriber.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// The plan (`season`, `membership`, `youth`): free text.
    pub plan: String,
    /// First day it runs.
    pub starts: Date,
    /// Last day it runs (inclusive); none for open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
    /// Its state.
    #[serde(default)]
    pub status: SubscriptionState,
}

impl Subscription {
    /// Checks what the schema cannot: a plan, and an end not before the start.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.plan.trim().is_empty() {
            return Err(RecordError::invalid("plan", "a subscription needs a plan"));
        }
        if let Some(ends) = self.ends
            && ends < self.starts
        {
            return Err(RecordError::invalid(
                "ends",
                format!("{ends} is before starts ({})", self.starts),
            ));
        }
        Ok(())
    }

    /// Whether it holds on store-local day `today`: `ACTIVE` and not ended
    /// (`ends` on or after today, or none). One bought for a season that
    /// has not started yet holds too: its subscriber is a subscriber, and
    /// a renewal campaign must not ask them again.
    pub fn holds_on(&self, today: Date) -> bool {
        self.status == SubscriptionState::Active && self.ends.is_none_or(|e| e >= today)
    }
}

#[cfg(test)]
mod tests {
    use crate::{ParseOptions, Record, parse_record};

    fn parse(line: &str) -> Result<Record, String> {
        parse_record(line, ParseOptions { lenient: false }).map_err(|e| e.to_string())
    }

    #[test]
    fn the_spec_example_reads_and_bad_ones_say_why() {
        let r = parse(
            r#"{"kind":"subscription","id":"s1","customer_id":"1001","plan":"season","starts":"2025-08-01","ends":"2026-06-30","status":"ACTIVE"}"#,
        )
        .unwrap();
        let Record::Subscription(s) = &r else {
            panic!("{r:?}")
        };
        assert_eq!((s.id.as_str(), s.plan.as_str()), ("s1", "season"));
        assert_eq!(s.ends, Some(jiff::civil::date(2026, 6, 30)));
        assert_eq!(r.customer_id(), Some("1001"));
        // Open-ended, status by default ACTIVE, numeric ids.
        let r = parse(
            r#"{"kind":"subscription","id":7,"customer_id":1001,"plan":"membership","starts":"2025-08-01"}"#,
        )
        .unwrap();
        let Record::Subscription(s) = &r else {
            panic!("{r:?}")
        };
        assert!(s.holds_on(jiff::civil::date(2030, 1, 1)));
        let ended = parse(
            r#"{"kind":"subscription","id":"s2","customer_id":"1","plan":"season","starts":"2025-08-01","ends":"2025-07-31"}"#,
        )
        .unwrap_err();
        assert!(ended.contains("ends"), "{ended}");
        let status = parse(
            r#"{"kind":"subscription","id":"s2","customer_id":"1","plan":"season","starts":"2025-08-01","status":"active"}"#,
        )
        .unwrap_err();
        assert!(status.contains("status"), "{status}");
        let empty = parse(
            r#"{"kind":"subscription","id":"s2","customer_id":"1","plan":" ","starts":"2025-08-01"}"#,
        )
        .unwrap_err();
        assert!(empty.contains("plan"), "{empty}");
    }

    #[test]
    fn holds_while_active_and_not_ended() {
        let r = parse(
            r#"{"kind":"subscription","id":"s1","customer_id":"1","plan":"season","starts":"2025-08-01","ends":"2026-06-30"}"#,
        )
        .unwrap();
        let Record::Subscription(mut s) = r else {
            panic!()
        };
        let day = jiff::civil::date;
        assert!(s.holds_on(day(2025, 1, 1)), "bought ahead of its season");
        assert!(s.holds_on(day(2026, 6, 30)), "its last day");
        assert!(!s.holds_on(day(2026, 7, 1)));
        s.status = super::SubscriptionState::Cancelled;
        assert!(!s.holds_on(day(2026, 1, 1)));
    }
}
