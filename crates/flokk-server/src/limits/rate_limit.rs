//! A per-client rate limit: a GCRA bucket (the `governor` crate) per peer
//! IP address, refusing with 429 `rate_limited` and `Retry-After`.
//!
//! It runs before authentication, so guessing tokens is throttled too.
//! Clients are told apart by the connection's peer address: behind a
//! reverse proxy every client shares the proxy's bucket (forwarded headers
//! are not trusted, since any client could set them), so a proxy in front
//! should do its own limiting or the limit be raised with `--rate-limit`.

use crate::error_body::ErrorBody;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Requests a client may make: one more every `interval`, up to `burst`
/// kept in hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// How long it takes to earn one request back.
    pub interval: Duration,
    /// Requests allowed back to back before the rate applies.
    pub burst: NonZeroU32,
}

impl RateLimit {
    /// The default: 20 requests a second with bursts of 100, roomy for the
    /// web UI (a page load makes a handful of calls, typing in the editor
    /// a few a second) and for scripts, tight for a flood.
    pub const DEFAULT: RateLimit = RateLimit {
        interval: Duration::from_millis(50),
        burst: NonZeroU32::new(100).unwrap(),
    };

    /// `per_second` requests a second with bursts of five seconds' worth.
    pub fn per_second(per_second: NonZeroU32) -> RateLimit {
        RateLimit {
            interval: Duration::from_secs(1) / per_second.get(),
            burst: per_second.saturating_mul(NonZeroU32::new(5).unwrap()),
        }
    }
}

/// How many checks pass between sweeps of idle clients' buckets.
const SWEEP_EVERY: u64 = 4096;

/// The buckets of every client.
pub struct ClientRateLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl ClientRateLimiter {
    /// Buckets for `limit`.
    pub fn new(limit: RateLimit) -> ClientRateLimiter {
        let quota = Quota::with_period(limit.interval.max(Duration::from_nanos(1)))
            .expect("the period is not zero")
            .allow_burst(limit.burst);
        ClientRateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            checks: AtomicU64::new(0),
        }
    }

    /// Takes one request from `client`'s bucket, or says how long to wait.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            // Forget clients whose buckets are full again: bounded memory.
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

/// The middleware: 429 with `Retry-After` (whole seconds, at least 1)
/// once the client's bucket is empty. It meters the API (`/api/...`) only:
/// one page of the web UI fetches a dozen static assets compiled into the
/// binary, and counting those against the API's rate made a quick walk
/// through the pages answer a module or the settings with 429.
pub async fn limit_rate(
    State(limiter): State<Option<std::sync::Arc<ClientRateLimiter>>>,
    request: Request,
    next: Next,
) -> Response {
    let metered = request.uri().path().starts_with("/api/");
    if let Some(limiter) = limiter.as_ref().filter(|_| metered) {
        // In-process callers (tests) have no peer address; they share one bucket.
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        if let Err(wait) = limiter.check(client) {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let seconds = seconds.max(1);
            let mut response = ErrorBody::new(
                "rate_limited",
                format!("too many requests; try again in {seconds} s"),
            )
            .into_response_with(StatusCode::TOO_MANY_REQUESTS);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            return response;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_bucket() {
        let limiter = ClientRateLimiter::new(RateLimit {
            interval: Duration::from_secs(60),
            burst: NonZeroU32::new(2).unwrap(),
        });
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        let wait = limiter.check(a).unwrap_err();
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(limiter.check(b).is_ok(), "another client is not held back");
    }

    #[test]
    fn the_cli_rate_is_per_second_with_five_seconds_of_burst() {
        assert_eq!(
            RateLimit::per_second(NonZeroU32::new(20).unwrap()),
            RateLimit::DEFAULT
        );
    }
}
