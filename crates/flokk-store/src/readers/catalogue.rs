//! Whether the ticketing catalogue knows a venue, production or
//! performance: what `--shown-for`, the `venue` setting and venue queries
//! check, so a typo is an error naming the id, never a silent 0.

use crate::error::StoreError;
use crate::store::Store;

/// How many ids an "unknown id" error lists as what the catalogue holds.
const SHOWN_IDS: usize = 10;

impl Store {
    /// Whether a venue with `id` is stored.
    pub fn venue_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.exists("SELECT EXISTS(SELECT 1 FROM venues WHERE id = ?1)", id)
    }

    /// Whether a production with `id` is stored, or a stored performance
    /// names it (its production record may arrive later).
    pub fn production_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.exists(
            "SELECT EXISTS(SELECT 1 FROM productions WHERE id = ?1)
                 OR EXISTS(SELECT 1 FROM performances WHERE production_id = ?1)",
            id,
        )
    }

    /// Whether a performance with `id` is stored.
    pub fn performance_exists(&self, id: &str) -> Result<bool, StoreError> {
        self.exists(
            "SELECT EXISTS(SELECT 1 FROM performances WHERE id = ?1)",
            id,
        )
    }

    /// Fails with [`Store::unknown_catalogue_id`] unless the `kind`
    /// (`venue`, `production`, `performance`) with `id` is known.
    pub fn ensure_catalogue_id(&self, kind: &str, id: &str) -> Result<(), StoreError> {
        let known = match kind {
            "venue" => self.venue_exists(id)?,
            "production" => self.production_exists(id)?,
            "performance" => self.performance_exists(id)?,
            _ => {
                return Err(StoreError::Invalid(format!(
                    "{kind:?} is not in the catalogue"
                )));
            }
        };
        if known {
            Ok(())
        } else {
            Err(self.unknown_catalogue_id(kind, id))
        }
    }

    /// A `NotFound` error for an unknown `kind` (`venue`, `production`,
    /// `performance`) id, listing some of the ids the store has.
    pub fn unknown_catalogue_id(&self, kind: &str, id: &str) -> StoreError {
        let table = match kind {
            "venue" => "venues",
            "production" => "productions",
            _ => "performances",
        };
        let known: Vec<String> = self
            .conn
            .prepare(&format!(
                "SELECT id FROM {table} ORDER BY id LIMIT {}",
                SHOWN_IDS + 1
            ))
            .and_then(|mut st| {
                st.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap_or_default();
        let listed = match known.len() {
            0 => format!("the store has no {kind}s"),
            n if n > SHOWN_IDS => {
                format!("known {kind}s include {}, ...", quoted(&known[..SHOWN_IDS]))
            }
            _ => format!("known {kind}s: {}", quoted(&known)),
        };
        StoreError::NotFound(format!("there is no {kind} '{id}' ({listed})"))
    }

    fn exists(&self, sql: &str, id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(sql, [id], |r| r.get(0))?)
    }
}

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
