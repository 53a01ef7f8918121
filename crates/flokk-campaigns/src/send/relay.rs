//! The SMTP relay from the `smtp_url` setting.
//!
//! `smtp://[user:pass@]host[:port]` (port 587) uses STARTTLS and refuses to
//! go on without it; `smtps://...` (port 465) is TLS from the first byte.
//! `?tls=none` is for a relay on a trusted local network only (and the test
//! suite); `?tls=opportunistic` takes TLS when offered. Certificates are
//! checked against the bundled web PKI roots (rustls). The password is
//! never printed: [`smtp_url_redacted`] is how the URL appears anywhere.

use crate::error::CampaignError;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

/// Why the relay did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayFailure {
    /// A 4xx answer: try again later.
    Transient(String),
    /// A 5xx answer: this address will not take it.
    Permanent(String),
    /// No answer about this message (connection refused, closed, timed
    /// out, TLS failed): the relay, not the recipient, is the problem.
    Unavailable(String),
}

/// Something that takes messages: the SMTP relay, in tests anything.
pub trait Relay {
    /// Hands one message over; `Ok` with the relay's reply when accepted.
    fn send(&self, message: &Message) -> Result<String, RelayFailure>;
}

/// The SMTP relay.
pub struct SmtpRelay {
    transport: SmtpTransport,
}

/// Seconds an SMTP command may wait for an answer.
pub const SMTP_TIMEOUT_SECONDS: u64 = 30;

impl SmtpRelay {
    /// The relay an `smtp_url` names.
    pub fn from_url(url: &str) -> Result<Self, CampaignError> {
        let bad = |why: &str| {
            CampaignError::Config(format!(
                "smtp_url {} {why} (like smtp://user:password@mail.example.com:587 or smtps://mail.example.com)",
                smtp_url_redacted(url)
            ))
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("is not an smtp:// or smtps:// address"))?;
        let (authority, query) = match rest.split_once('?') {
            Some((a, q)) => (a.trim_end_matches('/'), q),
            None => (rest.trim_end_matches('/'), ""),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            // `[::1]` alone has colons but no port.
            Some((h, p)) if !hostport.ends_with(']') => (
                h,
                Some(p.parse::<u16>().map_err(|_| bad("has a bad port"))?),
            ),
            _ => (hostport, None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        let tls_mode = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("tls="))
            .unwrap_or("required");
        let params = || {
            TlsParameters::new(host.to_owned())
                .map_err(|e| CampaignError::Config(format!("TLS for {host}: {e}")))
        };
        let (tls, default_port) = match (scheme, tls_mode) {
            ("smtps", _) => (Tls::Wrapper(params()?), 465),
            ("smtp", "required") => (Tls::Required(params()?), 587),
            ("smtp", "opportunistic") => (Tls::Opportunistic(params()?), 587),
            ("smtp", "none") => (Tls::None, 587),
            ("smtp", _) => return Err(bad("has tls= other than required, opportunistic or none")),
            _ => return Err(bad("is not an smtp:// or smtps:// address")),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port.unwrap_or(default_port))
            .tls(tls)
            .timeout(Some(Duration::from_secs(SMTP_TIMEOUT_SECONDS)));
        if let Some(userinfo) = userinfo {
            let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            builder =
                builder.credentials(Credentials::new(percent_decode(user), percent_decode(pass)));
        }
        Ok(SmtpRelay {
            transport: builder.build(),
        })
    }
}

impl Relay for SmtpRelay {
    fn send(&self, message: &Message) -> Result<String, RelayFailure> {
        match self.transport.send(message) {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.first_line().unwrap_or_default()
            )),
            Err(e) if e.is_permanent() => Err(RelayFailure::Permanent(e.to_string())),
            Err(e) if e.is_transient() => Err(RelayFailure::Transient(e.to_string())),
            Err(e) => Err(RelayFailure::Unavailable(e.to_string())),
        }
    }
}

/// The URL with its password replaced by `****`.
pub fn smtp_url_redacted(url: &str) -> String {
    flokk_store::url_without_password(url)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        assert_eq!(
            smtp_url_redacted("smtps://news%40shop:s3cr%3At@mail.example.com:465"),
            "smtps://news%40shop:****@mail.example.com:465"
        );
        assert_eq!(
            smtp_url_redacted("smtp://localhost:25"),
            "smtp://localhost:25"
        );
        let e = SmtpRelay::from_url("smtp://u:hunter2@mail.example.com:x")
            .err()
            .unwrap()
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert_eq!(percent_decode("a%40b%3Ac"), "a@b:c");
    }

    #[test]
    fn schemes_and_tls_modes() {
        assert!(SmtpRelay::from_url("smtp://mail.example.com").is_ok());
        assert!(SmtpRelay::from_url("smtps://mail.example.com").is_ok());
        assert!(SmtpRelay::from_url("smtp://127.0.0.1:2525?tls=none").is_ok());
        assert!(SmtpRelay::from_url("smtp://127.0.0.1:2525?tls=maybe").is_err());
        assert!(SmtpRelay::from_url("http://mail.example.com").is_err());
    }
}
