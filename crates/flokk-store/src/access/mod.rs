//! Layer 4, who may use the store: API tokens (`tokens`), web sessions
//! (`sessions`), the scopes a token grants (`scopes`) and the random
//! secrets behind them, kept hashed (`secret`).
//!
//! May use: `store`, `schema`, `error`.

pub(crate) mod scopes;
pub(crate) mod secret;
pub(crate) mod sessions;
pub(crate) mod tokens;
