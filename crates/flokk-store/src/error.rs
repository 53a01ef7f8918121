//! Layer 1, the bottom: the store's errors. Uses nothing else of the crate.

use thiserror::Error;

/// Errors of the store. User errors (bad input, bad settings) are kept
/// apart from internal ones so the CLI and API can map them to exit codes
/// and status codes.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Reading or writing a file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The store was written by a newer flokk.
    #[error(
        "the store has schema version {found}, newer than this flokk understands ({supported})"
    )]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A setting key or value is not acceptable.
    #[error("{0}")]
    InvalidSetting(String),
    /// A request the store cannot carry out as asked (bad name, bad value).
    #[error("{0}")]
    Invalid(String),
    /// What was named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request clashes with what is stored (a name already taken).
    #[error("{0}")]
    Conflict(String),
    /// Data in the store could not be decoded.
    #[error("corrupt store: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the caller's input was at fault.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::InvalidSetting(_)
                | StoreError::Invalid(_)
                | StoreError::NotFound(_)
                | StoreError::Conflict(_)
        )
    }

    /// A stable code for the API and the CLI's JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Sqlite(_) => "database",
            StoreError::Io(_) => "io",
            StoreError::TooNew { .. } => "store_too_new",
            StoreError::InvalidSetting(_) => "invalid_setting",
            StoreError::Invalid(_) => "invalid",
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::Corrupt(_) => "corrupt_store",
        }
    }
}
