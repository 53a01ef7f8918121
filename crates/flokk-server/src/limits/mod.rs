//! What keeps one client from hurting the server: a request body size
//! limit (413 `payload_too_large`, [`BODY_LIMIT`]), a per-client rate limit
//! (429 `rate_limited`), and JSON for the errors these layers answer.

pub mod allowed_hosts;
pub mod connection_limits;
pub mod json_errors;
pub mod rate_limit;
pub mod request_size;

pub use allowed_hosts::{AllowedHosts, check_host};
pub use connection_limits::ConnectionLimits;
pub use json_errors::json_errors;
pub use rate_limit::{ClientRateLimiter, RateLimit, limit_rate};
pub use request_size::limit_request_size;

/// The largest request body by default: 1 MiB, far above any JSON the API
/// takes. An endpoint that takes uploads sets its own with
/// `axum::extract::DefaultBodyLimit` on its route.
pub const BODY_LIMIT: usize = 1 << 20;
