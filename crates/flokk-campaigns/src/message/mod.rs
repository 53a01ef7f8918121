//! Layer 3: the message. `body.rs` compiles a campaign's subject and body
//! once (Markdown to HTML, the plain-text part, the unsubscribe footer);
//! rendering a recipient is then filling in fields. `build.rs` makes the
//! RFC 5322 message with lettre. May use: `template`, `links`, `error`.

pub mod body;
pub mod build;
pub mod recipient;
pub mod text;
