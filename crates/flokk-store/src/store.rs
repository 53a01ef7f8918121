//! Opening the store.

use crate::{Settings, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// A flokk store: one SQLite database in the data directory.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens the store in `dir`, creating it on first use.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("flokk.db"))?;
        Ok(Store { conn })
    }

    /// Store settings.
    pub fn settings(&self) -> Settings<'_> {
        Settings::new(&self.conn)
    }
}
