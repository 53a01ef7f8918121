//! Layer 2: per-recipient links signed with a store secret (HMAC-SHA256),
//! so the public tracking and unsubscribe endpoints need no sign-in and a
//! forged or altered link is refused.
//!
//! A token is `base64url(campaign \0 customer \0 extra) . base64url(mac)`;
//! the mac covers the link's kind too, so an open token is no unsubscribe
//! token. Decision: tokens carry no expiry. An unsubscribe link must keep
//! working (the law in most markets asks for at least 30 days, and a
//! customer unsubscribing from a year-old email is still right to); a
//! signing secret is rotated instead, which voids every link at once.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The name of the store secret links are signed with (`Store::signing_key`).
pub const LINK_KEY: &str = "email_links";

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The unsubscribe page.
    Unsubscribe,
    /// The open pixel.
    Open,
    /// A tracked click (extra: the target URL).
    Click,
}

impl LinkKind {
    fn tag(self) -> &'static [u8] {
        match self {
            LinkKind::Unsubscribe => b"unsubscribe",
            LinkKind::Open => b"open",
            LinkKind::Click => b"click",
        }
    }

    /// The path segment its URLs use under `public_url`.
    pub fn path(self) -> &'static str {
        match self {
            LinkKind::Unsubscribe => "/email/unsubscribe/",
            LinkKind::Open => "/email/open/",
            LinkKind::Click => "/email/click/",
        }
    }
}

/// Signs and checks per-recipient links.
#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
    public_url: String,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never in logs.
        f.debug_struct("LinkSigner")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl LinkSigner {
    /// A signer with the store's secret and the `public_url` links point at.
    pub fn new(secret: &str, public_url: &str) -> Self {
        LinkSigner {
            key: secret.as_bytes().to_vec(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    fn mac(&self, kind: LinkKind, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(kind.tag());
        mac.update(b"\0");
        mac.update(payload);
        mac
    }

    /// The token for one recipient of one campaign.
    pub fn token(&self, kind: LinkKind, campaign: &str, customer: &str, extra: &str) -> String {
        let payload = format!("{campaign}\0{customer}\0{extra}");
        let sig = self.mac(kind, payload.as_bytes()).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(sig)
        )
    }

    /// The full URL for a token.
    pub fn url(&self, kind: LinkKind, campaign: &str, customer: &str, extra: &str) -> String {
        format!(
            "{}{}{}",
            self.public_url,
            kind.path(),
            self.token(kind, campaign, customer, extra)
        )
    }

    /// The (campaign, customer, extra) a genuine token names; `None` for a
    /// forged, altered or malformed one (compared in constant time).
    pub fn verify(&self, kind: LinkKind, token: &str) -> Option<(String, String, String)> {
        let (payload, sig) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        self.mac(kind, &payload).verify_slice(&sig).ok()?;
        let text = String::from_utf8(payload).ok()?;
        let mut parts = text.splitn(3, '\0');
        Some((
            parts.next()?.to_owned(),
            parts.next()?.to_owned(),
            parts.next()?.to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_genuine_token_verifies_and_a_forged_one_does_not() {
        let s = LinkSigner::new("secret", "https://flokk.example.com/");
        let t = s.token(LinkKind::Unsubscribe, "flokk-1", "1001", "");
        assert_eq!(
            s.verify(LinkKind::Unsubscribe, &t),
            Some(("flokk-1".into(), "1001".into(), String::new()))
        );
        // Another kind, another key, another customer: refused.
        assert_eq!(s.verify(LinkKind::Open, &t), None);
        assert_eq!(
            LinkSigner::new("other", "x").verify(LinkKind::Unsubscribe, &t),
            None
        );
        let (_, sig) = t.split_once('.').unwrap();
        let forged = format!("{}.{sig}", URL_SAFE_NO_PAD.encode("flokk-1\u{0}1002\u{0}"));
        assert_eq!(s.verify(LinkKind::Unsubscribe, &forged), None);
        assert_eq!(s.verify(LinkKind::Unsubscribe, "garbage"), None);
        assert!(
            s.url(LinkKind::Click, "flokk-1", "1001", "https://shop/x")
                .starts_with("https://flokk.example.com/email/click/")
        );
    }
}
