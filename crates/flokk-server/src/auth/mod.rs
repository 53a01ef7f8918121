//! Authentication and authorisation.
//!
//! Callers prove who they are with an API token (`Authorization: Bearer
//! flokk_...`) or, in the web UI, with the session cookie a sign-in set.
//! Every API endpoint is registered with the [`Access`] it needs (see
//! `api/router.rs`); the [`require`](require::require) layer refuses the
//! rest with 401 `unauthorized`, 403 `forbidden` (naming the scope) or,
//! for a cookie-authenticated change without the session's CSRF token,
//! 403 `csrf`.
//!
//! CSRF scheme: each session has a random token, stored with it and
//! written into every page as `<meta name="csrf-token">`; the pages send
//! it as `X-CSRF-Token` and unsafe methods (POST, PUT, PATCH, DELETE) of a
//! cookie session must carry it. SameSite=Strict already keeps the cookie
//! off other sites' requests; the token is the second lock for browsers
//! or setups where that does not hold. Sign-in itself takes JSON only, so
//! a cross-site form cannot sign a browser in as someone else.
//!
//! Layer 2, middleware: who the caller is and what they may do; the
//! `require` layer takes the credentials it checks, not the server state.
//! May use: `error_body`.

pub mod access;
pub mod credentials;
pub mod organisation_gate;
pub mod require;
pub mod session_cookie;
pub mod sign_in_links;

pub use access::{Access, AuthError, CSRF_HEADER, Principal, Via, authorize};
pub use credentials::Credentials;
pub use session_cookie::SESSION_COOKIE;
pub use sign_in_links::SignInLinks;
