//! What keeps one client from hurting the server: a request body size
//! limit (413 `payload_too_large`, [`BODY_LIMIT`]), a per-client rate limit
//! (429 `rate_limited`), and JSON for the errors these layers answer.
//!
//! Layer 2, middleware: `limit_rate` takes the limiter it checks, not the
//! server state. May use: `error_body`.

pub mod json_errors;
pub mod rate_limit;

pub use json_errors::json_errors;
pub use rate_limit::{ClientRateLimiter, RateLimit, limit_rate};

/// The largest request body by default: 1 MiB, far above any JSON the API
/// takes. An endpoint that takes uploads sets its own with
/// `axum::extract::DefaultBodyLimit` on its route.
pub const BODY_LIMIT: usize = 1 << 20;
