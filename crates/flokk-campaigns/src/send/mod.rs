//! Layer 4: sending. `relay.rs` is the SMTP relay (lettre, rustls) behind a
//! small trait; `drain.rs` takes recipients off a campaign's queue one SMTP
//! transaction at a time, recording each outcome and its email event. May
//! use: everything below.

pub mod drain;
pub mod lock;
pub mod relay;
pub mod start;
