//! Rows of a child table ordered by their parent's key, read alongside the
//! parents (a merge join): one query per table instead of one per parent.
//! The scan joins on the store key, exports on the customer id.

use crate::error::StoreError;
use rusqlite::{Row, Rows, Statement};
use std::borrow::Borrow;

/// A child table's rows, each with its parent's key `K` first.
pub(crate) struct Children<'s, K, T> {
    rows: Rows<'s>,
    read: fn(&Row) -> Result<(K, T), StoreError>,
    peeked: Option<(K, T)>,
}

impl<'s, K, T> Children<'s, K, T> {
    /// Runs `stmt` (ordered by the parent's key) and reads each row with `read`.
    pub(crate) fn new(
        stmt: &'s mut Statement<'_>,
        read: fn(&Row) -> Result<(K, T), StoreError>,
    ) -> Result<Self, StoreError> {
        Ok(Children {
            rows: stmt.query([])?,
            read,
            peeked: None,
        })
    }

    /// The children of `key`; keys must be asked for in ascending order.
    pub(crate) fn of<Q>(&mut self, key: &Q) -> Result<Vec<T>, StoreError>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let mut out = Vec::new();
        loop {
            if self.peeked.is_none() {
                match self.rows.next()? {
                    Some(row) => self.peeked = Some((self.read)(row)?),
                    None => return Ok(out),
                }
            }
            match &self.peeked {
                // A child whose parent is gone (or was skipped) is passed over.
                Some((k, _)) if k.borrow() < key => self.peeked = None,
                Some((k, _)) if k.borrow() == key => {
                    out.push(self.peeked.take().expect("peeked").1)
                }
                _ => return Ok(out),
            }
        }
    }
}
