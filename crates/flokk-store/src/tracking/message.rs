//! One tracking API message, its common fields checked.

use flokk_model::Timestamp;
use serde_json::Value;

/// The largest message the Segment API takes (32 KB); larger ones are
/// refused one by one.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;

/// The message types flokk takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    /// `identify`: who the user is (traits).
    Identify,
    /// `track`: something the user did.
    Track,
    /// `page`: a web page viewed.
    Page,
    /// `screen`: an app screen viewed.
    Screen,
    /// `alias`: `previousId` is the same person as `userId`.
    Alias,
    /// `group`: answered, not kept (flokk has no accounts of users).
    Group,
}

impl MessageType {
    /// The spelling of `type` and of the endpoint (`/v1/track`).
    pub fn parse(s: &str) -> Option<MessageType> {
        Some(match s {
            "identify" => MessageType::Identify,
            "track" => MessageType::Track,
            "page" => MessageType::Page,
            "screen" => MessageType::Screen,
            "alias" => MessageType::Alias,
            "group" => MessageType::Group,
            _ => return None,
        })
    }
}

/// A message with its common fields read.
#[derive(Debug, Clone)]
pub struct Message {
    /// Its type.
    pub kind: MessageType,
    /// `messageId`, the de-duplication key (absent: never a duplicate).
    pub message_id: Option<String>,
    /// `userId`: the customer id.
    pub user_id: Option<String>,
    /// `anonymousId`: the visitor before they are known.
    pub anonymous_id: Option<String>,
    /// When it happened: `timestamp`, else `originalTimestamp`, else when
    /// it was received; never later than when it was received.
    pub at: Timestamp,
    /// The whole message (for the type's own fields).
    pub body: Value,
}

/// An id as the Segment libraries send it: a string, or a number.
pub(crate) fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one message. `kind` is the endpoint's type (`None` in a batch:
/// each message says its own `type`). `may_be_large`: whether the request
/// was over 32 KB, so this message may be (otherwise its size is not
/// measured again).
pub fn read_message(
    body: Value,
    kind: Option<MessageType>,
    received_at: Timestamp,
    may_be_large: bool,
) -> Result<Message, String> {
    if !body.is_object() {
        return Err("a message is a JSON object".into());
    }
    if may_be_large {
        let size = body.to_string().len();
        if size > MAX_MESSAGE_BYTES {
            return Err(format!(
                "the message is {size} bytes; a message may be at most 32 KB"
            ));
        }
    }
    let kind = match kind {
        Some(k) => k,
        None => {
            let t = body["type"]
                .as_str()
                .ok_or("a message in a batch needs its `type`")?;
            MessageType::parse(t).ok_or_else(|| {
                format!("`type` {t:?} is not identify, track, page, screen, alias or group")
            })?
        }
    };
    let at = match ["timestamp", "originalTimestamp"]
        .iter()
        .find_map(|f| body[*f].as_str().map(|s| (*f, s)))
    {
        Some((field, text)) => flokk_model::parse_instant(text)
            .map_err(|_| format!("`{field}` {text:?} is not an ISO 8601 time with its offset"))?,
        None => received_at,
    };
    // A time after the message arrived is the sender's clock running
    // ahead: flokk takes it as arriving now. (Records after now are
    // invisible to segments, and a customer is looked at again only when
    // their records change, so a future time would keep them out.)
    let at = at.min(received_at);
    let user_id = id_of(&body["userId"]);
    let anonymous_id = id_of(&body["anonymousId"]);
    if user_id.is_none() && anonymous_id.is_none() && kind != MessageType::Alias {
        return Err("a message needs a `userId` or an `anonymousId`".into());
    }
    Ok(Message {
        kind,
        message_id: id_of(&body["messageId"]),
        user_id,
        anonymous_id,
        at,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_come_from_the_message_but_never_from_the_future() {
        let received: Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
        let read = |m: Value| read_message(m, Some(MessageType::Track), received, false);
        let m = read(json!({"userId": "1", "timestamp": "2026-01-01T11:00:00+01:00"})).unwrap();
        assert_eq!(m.at.to_string(), "2026-01-01T10:00:00Z");
        let m = read(json!({"userId": "1", "originalTimestamp": "2026-01-01T11:30:00Z"})).unwrap();
        assert_eq!(m.at.to_string(), "2026-01-01T11:30:00Z");
        // A sender's clock running ahead.
        let m = read(json!({"userId": "1", "timestamp": "2026-01-01T12:00:09Z"})).unwrap();
        assert_eq!(m.at, received);
        assert_eq!(read(json!({"userId": "1"})).unwrap().at, received);
        assert!(read(json!({"userId": "1", "timestamp": "2026-01-01T12:00:00"})).is_err());
        assert!(read(json!({"timestamp": "2026-01-01T12:00:00Z"})).is_err());
    }
}
