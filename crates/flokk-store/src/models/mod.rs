//! Fitted models kept in the store (`models` table), so a process scores
//! with the last fit instead of fitting again; the body is the fitting
//! crate's JSON, opaque here.
//!
//! Layer 4, a table group beside the writer and the readers. May use:
//! `store`, `schema`, `error`.

use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

/// One saved model.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredModel {
    /// Its name (`predictive`).
    pub name: String,
    /// When the fit ran.
    pub fitted_at: Timestamp,
    /// The instant the data were cut at.
    pub as_of: Timestamp,
    /// The store change sequence the fit saw.
    pub sequence: u64,
    /// The parameters (JSON).
    pub body: String,
}

fn nanos(t: Timestamp) -> Result<i64, StoreError> {
    to_nanos(t).ok_or_else(|| StoreError::Invalid(format!("{t} is out of range")))
}

impl Store {
    /// Saves (replaces) a model.
    pub fn save_model(&self, model: &StoredModel) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO models(name, fitted_at, as_of, sequence, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET fitted_at = excluded.fitted_at,
                 as_of = excluded.as_of, sequence = excluded.sequence, body = excluded.body",
            params![
                model.name,
                nanos(model.fitted_at)?,
                nanos(model.as_of)?,
                model.sequence as i64,
                model.body
            ],
        )?;
        Ok(())
    }

    /// The model called `name`, if one was saved.
    pub fn model(&self, name: &str) -> Result<Option<StoredModel>, StoreError> {
        let row: Option<(i64, i64, i64, String)> = self
            .conn
            .query_row(
                "SELECT fitted_at, as_of, sequence, body FROM models WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(fitted_at, as_of, sequence, body)| {
            Ok(StoredModel {
                name: name.to_owned(),
                fitted_at: from_nanos(fitted_at)?,
                as_of: from_nanos(as_of)?,
                sequence: sequence as u64,
                body,
            })
        })
        .transpose()
    }

    /// Forgets the model called `name` (a refit found the data no longer
    /// sufficient).
    pub fn delete_model(&self, name: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM models WHERE name = ?1", [name])?;
        Ok(())
    }
}
