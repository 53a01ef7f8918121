//! The public pages email recipients reach from a campaign message, with
//! no sign-in: the link's signed token (`flokk_campaigns::LinkSigner`,
//! HMAC with a store secret) is the authority. A forged, altered or foreign
//! token is refused (404) and nothing is recorded.
//!
//! - `GET /email/unsubscribe/{token}`: a confirmation page with a form (no
//!   JavaScript), so a mail scanner that follows links unsubscribes no one;
//! - `POST /email/unsubscribe/{token}`: unsubscribes (the form, and the
//!   one-click POST of RFC 8058 that mail clients send for the
//!   `List-Unsubscribe-Post` header).
//!
//! Same layer as the API routes: uses the server state below.

pub mod unsubscribe;
