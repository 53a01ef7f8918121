//! What every request shares.

use crate::live::Live;
use std::sync::Arc;

/// The server's state: the live engine and segments, and the store's name.
pub struct ServerState {
    /// The engine, the saved segments and their membership, kept current.
    pub live: Arc<Live>,
    /// The store's display name.
    pub name: String,
}
