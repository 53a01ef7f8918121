//! Answering only requests meant for this server (DNS rebinding).
//!
//! A web page can point its own domain name at 127.0.0.1 (or at a shop's
//! internal address) and have the visitor's browser talk to flokk as if it
//! were the page's own server; the browser then sends that domain in
//! `Host`. The server answers only hosts it knows: IP addresses (a browser
//! that typed the address is not being rebound), `localhost`, and the host
//! of the `public_url` setting. Anything else gets 421 `unknown_host`,
//! which says how to add the name. A request without `Host` (not a browser)
//! passes.

use crate::error_body::ErrorBody;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

/// The host names the server answers besides IP addresses and `localhost`.
/// Clones share the names: `public_url` set by another process (`flokk
/// config set`) reaches the running server's check through
/// [`AllowedHosts::set`].
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Arc<RwLock<Vec<String>>>,
}

impl AllowedHosts {
    /// IP addresses, `localhost` and `names` (case-insensitive).
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let hosts = AllowedHosts::default();
        hosts.set(names);
        hosts
    }

    /// Replaces the names (for this value and every clone of it).
    pub fn set(&self, names: impl IntoIterator<Item = String>) {
        *self.names.write().expect("hosts lock") =
            names.into_iter().map(|n| n.to_ascii_lowercase()).collect();
    }

    /// Whether a `Host` header value (`name[:port]`, `[v6]:port`) is one of
    /// this server's.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = if let Some(v6) = host.strip_prefix('[') {
            v6.split(']').next().unwrap_or("").to_owned()
        } else {
            host.rsplit_once(':')
                .map_or(host.as_str(), |(name, _port)| name)
                .to_owned()
        };
        let name = name.trim_end_matches('.');
        name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self
                .names
                .read()
                .expect("hosts lock")
                .iter()
                .any(|n| n == name)
    }
}

/// The middleware: 421 for a `Host` the server does not answer to.
pub async fn check_host(
    State(allowed): State<Option<Arc<AllowedHosts>>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(allowed) = &allowed
        && let Some(host) = request.headers().get(header::HOST)
    {
        let host = host.to_str().unwrap_or("");
        if !allowed.allows(host) {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                Json(ErrorBody::new(
                    "unknown_host",
                    format!(
                        "this server does not answer to the host {host:?}; if that is its address, \
                         set it with `flokk config set public_url https://{host}`"
                    ),
                )),
            )
                .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[test]
    fn addresses_localhost_and_the_public_name_are_answered() {
        let hosts = AllowedHosts::new(["Flokk.Example.com".to_owned()]);
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "[::1]:8080",
            "10.1.2.3",
            "localhost:8080",
            "LOCALHOST",
            "app.localhost:3000",
            "flokk.example.com",
            "flokk.example.com:443",
            "flokk.example.com.",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:8080",
            "flokk.example.com.evil.example",
            "127.0.0.1.nip.io",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
    }
}
