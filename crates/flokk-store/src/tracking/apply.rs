//! Applying a request's messages in one transaction.

use super::message::{Message, MessageType};
use super::records::{event_record, identified_customer, joined_event};
use crate::error::StoreError;
use crate::store::Store;
use crate::writer::{ApplyError, Writer};
use flokk_model::{Record, Timestamp};
use serde::Serialize;

/// The `source` of tracking API messages in `seen_messages`.
pub const TRACKING_SOURCE: &str = "tracking";

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum MessageOutcome {
    /// Applied (for an anonymous visitor: kept until they are known).
    Accepted,
    /// Its `messageId` was applied before; nothing changed.
    Duplicate,
    /// Taken but not kept (a `group` call, an identify without `userId`).
    Ignored {
        /// Why.
        reason: String,
    },
    /// Refused; nothing of it was written.
    Rejected {
        /// Why.
        reason: String,
    },
}

fn rejected(reason: impl Into<String>) -> MessageOutcome {
    MessageOutcome::Rejected {
        reason: reason.into(),
    }
}

/// Applies `messages` (each read, or the reason it could not be) in one
/// transaction, received `now` (when their ids were seen and anonymous
/// events kept, for retention); the outcome of each, in order, and the
/// store's change sequence before and after.
pub fn apply_messages(
    store: &Store,
    messages: Vec<Result<Message, String>>,
    now: Timestamp,
) -> Result<(Vec<MessageOutcome>, (u64, u64)), StoreError> {
    let before = store.sequence()?;
    let mut w = store.writer()?;
    let mut outcomes = Vec::with_capacity(messages.len());
    for message in messages {
        let outcome = match message {
            Err(reason) => rejected(reason),
            Ok(m) => apply_one(&mut w, &m, now)?,
        };
        outcomes.push(outcome);
    }
    let after = w.commit()?;
    Ok((outcomes, (before, after.max(before))))
}

/// Applies one message: its records are all built (and checked) before
/// the first is written, so a refused message writes nothing.
fn apply_one(
    w: &mut Writer<'_>,
    m: &Message,
    now: Timestamp,
) -> Result<MessageOutcome, StoreError> {
    if let Some(id) = &m.message_id
        && w.message_seen(TRACKING_SOURCE, id)?
    {
        return Ok(MessageOutcome::Duplicate);
    }
    let records = match records_of(w, m, now)? {
        Ok(Some(records)) => records,
        Ok(None) => return Ok(MessageOutcome::Accepted),
        Err(outcome) => return Ok(outcome),
    };
    for record in &records {
        match w.apply(record) {
            Ok(()) => {}
            Err(ApplyError::Store(e)) => return Err(e),
            // Only the first record of a message can be refused here (the
            // rest are kept events, checked when they came), so nothing
            // of the message was written.
            Err(ApplyError::Invalid { field, reason }) => {
                return Ok(rejected(format!("{field}: {reason}")));
            }
        }
    }
    if let Some(id) = &m.message_id {
        w.note_message(TRACKING_SOURCE, id, now)?;
    }
    Ok(MessageOutcome::Accepted)
}

/// The records a message writes; `Ok(None)` when it was kept for an
/// anonymous visitor (already written to the waiting events).
#[allow(clippy::type_complexity)]
fn records_of(
    w: &mut Writer<'_>,
    m: &Message,
    now: Timestamp,
) -> Result<Result<Option<Vec<Record>>, MessageOutcome>, StoreError> {
    match m.kind {
        MessageType::Group => Ok(Err(MessageOutcome::Ignored {
            reason: "flokk keeps no groups".into(),
        })),
        MessageType::Identify => {
            let Some(user) = &m.user_id else {
                return Ok(Err(MessageOutcome::Ignored {
                    reason: "an identify without userId names no customer; its traits are not kept"
                        .into(),
                }));
            };
            let stored = w.stored_customer(user)?;
            let customer = match identified_customer(
                user,
                stored,
                &m.body["traits"],
                &m.body["context"]["traits"],
            ) {
                Ok(c) => c,
                Err(reason) => return Ok(Err(rejected(reason))),
            };
            let mut records = vec![customer];
            if let Some(anonymous) = &m.anonymous_id {
                records.extend(join(w, anonymous, user)?);
            }
            Ok(Ok(Some(records)))
        }
        MessageType::Alias => {
            let (Some(previous), Some(user)) = (
                super::message::id_of(&m.body["previousId"]),
                m.user_id.clone(),
            ) else {
                return Ok(Err(rejected("an alias needs `previousId` and `userId`")));
            };
            Ok(Ok(Some(join(w, &previous, &user)?)))
        }
        MessageType::Track | MessageType::Page | MessageType::Screen => {
            let customer = match (&m.user_id, &m.anonymous_id) {
                (Some(user), _) => Some(user.clone()),
                (None, Some(anonymous)) => w.anonymous_customer(anonymous)?,
                (None, None) => None,
            };
            match customer {
                Some(customer) => match event_record(m, &customer) {
                    Ok((_, record)) => Ok(Ok(Some(vec![record]))),
                    Err(reason) => Ok(Err(rejected(reason))),
                },
                None => {
                    let anonymous = m.anonymous_id.as_deref().unwrap_or_default();
                    match event_record(m, anonymous) {
                        Ok((record, _)) => {
                            w.keep_anonymous_event(anonymous, &record, now)?;
                            if let Some(id) = &m.message_id {
                                w.note_message(TRACKING_SOURCE, id, now)?;
                            }
                            Ok(Ok(None))
                        }
                        Err(reason) => Ok(Err(rejected(reason))),
                    }
                }
            }
        }
    }
}

/// Joins an anonymous visitor to `customer`: their kept events, now the
/// customer's. A kept event that no longer reads is dropped (it was
/// checked when it came, so only a change of flokk's rules does that).
fn join(w: &mut Writer<'_>, anonymous: &str, customer: &str) -> Result<Vec<Record>, StoreError> {
    Ok(w.join_anonymous(anonymous, customer)?
        .iter()
        .filter_map(|r| joined_event(r, customer).ok())
        .collect())
}
