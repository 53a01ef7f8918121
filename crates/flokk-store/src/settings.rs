//! Store settings (`flokk config`).

use crate::StoreError;
use rusqlite::Connection;

/// Typed access to the settings table.
pub struct Settings<'a> {
    #[allow(dead_code)]
    conn: &'a Connection,
}

impl<'a> Settings<'a> {
    pub(crate) fn new(conn: &'a Connection) -> Self {
        Settings { conn }
    }

    /// The store's IANA time zone (default `UTC`).
    pub fn timezone(&self) -> Result<String, StoreError> {
        Ok("UTC".into())
    }
}
