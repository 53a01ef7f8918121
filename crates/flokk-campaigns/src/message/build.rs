//! The RFC 5322 message (lettre's builder): multipart/alternative with the
//! text and HTML parts, and the unsubscribe headers of RFC 2369 and RFC 8058
//! (`List-Unsubscribe` with the one-click URL, `List-Unsubscribe-Post`),
//! which the large mailbox providers require of bulk senders.

use crate::error::CampaignError;
use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

/// One recipient's rendered subject and bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageParts {
    /// Subject line.
    pub subject: String,
    /// The HTML part.
    pub html: String,
    /// The plain-text part.
    pub text: String,
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// Reads an address (`Name <a@b.c>` or `a@b.c`).
pub fn mailbox(s: &str) -> Result<Mailbox, CampaignError> {
    s.trim()
        .parse::<Mailbox>()
        .map_err(|_| CampaignError::Address(s.to_owned()))
}

/// Builds one recipient's message. `message_key` makes the Message-ID
/// (campaign and recipient, so a resend of the same message would carry the
/// same id and a receiving system could drop the duplicate).
pub fn build_message(
    from: &str,
    to: &str,
    parts: &MessageParts,
    unsubscribe_url: &str,
    message_key: &str,
) -> Result<Message, CampaignError> {
    let from = mailbox(from)?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from)
        .to(mailbox(to)?)
        .subject(parts.subject.clone())
        .message_id(Some(format!("<{message_key}@{domain}>")))
        .header(ListUnsubscribe(format!("<{unsubscribe_url}>")))
        .header(ListUnsubscribePost)
        .multipart(MultiPart::alternative_plain_html(
            parts.text.clone(),
            parts.html.clone(),
        ))
        .map_err(|e| CampaignError::Message(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_parts() {
        let parts = MessageParts {
            subject: "Hei Åse".into(),
            html: "<p>Hi</p>".into(),
            text: "Hi".into(),
        };
        let m = build_message(
            "Shop <news@shop.example>",
            "ase@example.no",
            &parts,
            "https://f.example/email/unsubscribe/abc.def",
            "flokk-1.1001",
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(
            raw.contains("List-Unsubscribe: <https://f.example/email/unsubscribe/abc.def>\r\n"),
            "{raw}"
        );
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        assert!(
            raw.contains("Message-ID: <flokk-1.1001@shop.example>\r\n"),
            "{raw}"
        );
        assert!(raw.contains("Content-Type: multipart/alternative;"));
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("Content-Type: text/html; charset=utf-8"));
        assert!(build_message("not an address", "a@b.no", &parts, "u", "k").is_err());
    }
}
