//! Layer 2: merge-field templates (`{{ first_name | default: "friend" }}`).
//!
//! A small strict renderer rather than a Liquid implementation: flokk needs
//! fields and one filter, and strictness a general engine does not give
//! (an unknown field is an error at create time, with its position, not an
//! empty string in ten thousand sent emails). May use: `error`.

pub mod computed;
pub mod fields;
pub mod parse;
