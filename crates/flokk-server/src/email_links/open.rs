//! The open pixel: records an `opened` event and answers a 1×1 GIF.
//!
//! A machine open (`machine_open = true`) is one fetched by a privacy
//! proxy rather than a person: Apple's Mail Privacy Protection fetches
//! every image of every message on delivery, through Apple's network
//! (17.0.0.0/8) with the bare user agent `Mozilla/5.0`; flokk recognises
//! either sign, as the large senders do; and an open within
//! `email_machine_open_seconds` (default 10) of the relay accepting the
//! message, which no person manages but a proxy or a security scanner
//! fetching on arrival does. Decision on the default: proxies and scanners
//! fetch within a second or two of arrival; a person needs longer to see
//! the message and open it, and the time counts from the relay's acceptance
//! (before the mailbox's delivery), so a short window errs towards counting
//! a person. Decision: one human and one machine open event per recipient and
//! campaign (the latest time), so a client that fetches the pixel at every
//! view does not inflate `count`.

use super::{event, verify_and_write};
use crate::state::ServerState;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_campaigns::LinkKind;
use flokk_model::{EmailEventType, Record};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// A transparent 1×1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// Whether the fetch looks like a privacy proxy's pre-fetch.
pub fn is_machine_open(user_agent: Option<&str>, client: Option<IpAddr>) -> bool {
    let apple_network = matches!(client, Some(IpAddr::V4(ip)) if ip.octets()[0] == 17);
    apple_network || user_agent.map(str::trim) == Some("Mozilla/5.0")
}

/// Whether an open at `at` came within `window` seconds of the message's
/// acceptance at `sent` (an open before it, by a clock a little off,
/// counts as within; a window of 0 never).
pub fn is_too_soon(sent: Option<jiff::Timestamp>, at: jiff::Timestamp, window: i64) -> bool {
    window > 0 && sent.is_some_and(|s| at.duration_since(s).as_secs() < window)
}

/// The client's address: the first `X-Forwarded-For` hop behind a proxy,
/// else the connection's peer.
fn client(headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().parse().ok())
        .or(peer.map(|p| p.ip()))
}

/// `GET /email/open/{token}`.
pub async fn open(
    State(state): State<Arc<ServerState>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let by_proxy = is_machine_open(
        ua,
        client(&headers, peer.map(|Extension(ConnectInfo(p))| p)),
    );
    let now = state.live.now();
    // Timing is by the wall clock, as the queue's times are (not `--now`).
    let wall = jiff::Timestamp::now();
    let written = verify_and_write(&state, LinkKind::Open, token, move |store, v| {
        let sent = store.sent_at(&v.campaign, &v.customer.id).ok().flatten();
        let window = store
            .settings()
            .get("email_machine_open_seconds")
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(10);
        let machine = by_proxy || is_too_soon(sent, wall, window);
        let suffix = if machine { ":machine" } else { "" };
        vec![Record::EmailEvent(event(
            v,
            EmailEventType::Opened,
            suffix,
            now,
            Some(machine),
        ))]
    })
    .await;
    match written {
        Ok(Some(_)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "image/gif"),
                (header::CACHE_CONTROL, "no-store, private"),
            ],
            PIXEL,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_proxy_fetches_are_machine_opens() {
        assert!(is_machine_open(Some("Mozilla/5.0"), None));
        assert!(is_machine_open(None, Some("17.58.1.2".parse().unwrap())));
        assert!(!is_machine_open(
            Some("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"),
            Some("84.210.1.2".parse().unwrap())
        ));
        assert_eq!(PIXEL.len(), 43);
    }

    #[test]
    fn an_open_within_seconds_of_delivery_is_a_machine_open() {
        let sent: jiff::Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        assert!(is_too_soon(Some(sent), at("2026-12-01T10:00:01Z"), 10));
        assert!(is_too_soon(Some(sent), at("2026-12-01T10:00:09.900Z"), 10));
        assert!(is_too_soon(Some(sent), at("2026-12-01T09:59:59Z"), 10));
        assert!(!is_too_soon(Some(sent), at("2026-12-01T10:00:10Z"), 10));
        assert!(!is_too_soon(Some(sent), at("2026-12-01T11:00:00Z"), 10));
        assert!(!is_too_soon(Some(sent), at("2026-12-01T10:00:01Z"), 0));
        // Not sent by flokk (or not yet): timing says nothing.
        assert!(!is_too_soon(None, at("2026-12-01T10:00:01Z"), 10));
    }
}
