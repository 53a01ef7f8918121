//! What keeps one client from hurting the server: a request body size
//! limit (413 `payload_too_large`, [`BODY_LIMIT`], refused up front when
//! declared), URI and header limits (414, 431), a body idle timeout, a
//! per-client rate limit (429 `rate_limited`), the hosts the server answers
//! (421 `unknown_host`), the bounds on connections, and JSON for the errors
//! these layers answer.
//!
//! Layer 2, middleware: each takes the limits it checks, not the server
//! state. May use: `error_body`.

pub mod allowed_hosts;
pub mod connection_limits;
pub mod json_errors;
pub mod rate_limit;
pub mod request_size;

pub use allowed_hosts::{AllowedHosts, check_host};
pub use connection_limits::ConnectionLimits;
pub use json_errors::json_errors;
pub use rate_limit::{ClientRateLimiter, RateLimit, limit_rate};
pub use request_size::{RequestSizeLimits, limit_request_size};

/// The largest request body by default: 1 MiB, far above any JSON the API
/// takes. An endpoint that takes uploads sets its own with
/// `axum::extract::DefaultBodyLimit` on its route.
pub const BODY_LIMIT: usize = 1 << 20;
