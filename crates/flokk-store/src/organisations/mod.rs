//! Organisations of a venue group: several organisations (an opera, a
//! concert hall, a festival) sharing one customer base. Venues and
//! productions name theirs in their records; segments and API tokens are
//! given one (or, for tokens, several) here. A store whose records name no
//! organisation has none, and nothing shows them.
//!
//! The customers stay shared: an organisation is a label on catalogue
//! entries and on the things people make (segments, tokens), never on a
//! customer.

use crate::error::StoreError;
use crate::store::Store;
use std::collections::BTreeSet;

/// The longest organisation name.
const MAX_NAME_CHARS: usize = 64;

/// `name` trimmed, or why it cannot name an organisation.
pub fn validate_organisation(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid(format!(
            "an organisation name has 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    // A comma would split it in a token's list.
    if name.chars().any(|c| c.is_control() || c == ',') {
        return Err(StoreError::Invalid(format!(
            "an organisation name has no commas or control characters: {name:?}"
        )));
    }
    Ok(name)
}

/// The catalogue of one organisation: the ids of its venues, productions
/// and performances.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationCatalogue {
    /// Its venues.
    pub venues: BTreeSet<String>,
    /// Its productions.
    pub productions: BTreeSet<String>,
    /// Performances of its productions, and performances of productions
    /// without an organisation at its venues.
    pub performances: BTreeSet<String>,
}

/// Every organisation `conn`'s store knows (see [`Store::organisations`]).
pub(crate) fn organisations(conn: &rusqlite::Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT organisation FROM venues WHERE organisation IS NOT NULL
         UNION SELECT organisation FROM productions WHERE organisation IS NOT NULL
         UNION SELECT organisation FROM segments WHERE organisation IS NOT NULL
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `name` as one of `conn`'s known organisations (see
/// [`Store::known_organisation`]).
pub(crate) fn known_organisation(
    conn: &rusqlite::Connection,
    name: &str,
) -> Result<String, StoreError> {
    let name = validate_organisation(name)?;
    let known = organisations(conn)?;
    if known.iter().any(|k| k == name) {
        return Ok(name.to_owned());
    }
    Err(StoreError::Invalid(if known.is_empty() {
        format!(
            "there is no organisation {name:?}: no venue or production names one \
             (give venues and productions an \"organisation\" when importing them)"
        )
    } else {
        format!(
            "there is no organisation {name:?}; the store knows {}",
            known
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }))
}

impl Store {
    /// Every organisation the store knows, by name: those its venues,
    /// productions and segments name.
    pub fn organisations(&self) -> Result<Vec<String>, StoreError> {
        organisations(&self.conn)
    }

    /// `name` as a known organisation (see [`Store::organisations`]), or
    /// an error naming the known ones: a typo would otherwise make an
    /// organisation nobody's venues belong to, so venues and productions
    /// (imported records) are what make an organisation known.
    pub fn known_organisation(&self, name: &str) -> Result<String, StoreError> {
        known_organisation(&self.conn, name)
    }

    /// The venues, productions and performances of `organisation`. A
    /// performance belongs to its production's organisation; when the
    /// production has none, to its venue's.
    pub fn organisation_catalogue(
        &self,
        organisation: &str,
    ) -> Result<OrganisationCatalogue, StoreError> {
        let ids = |sql: &str| -> Result<BTreeSet<String>, StoreError> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([organisation], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(OrganisationCatalogue {
            venues: ids("SELECT id FROM venues WHERE organisation = ?1")?,
            productions: ids("SELECT id FROM productions WHERE organisation = ?1")?,
            performances: ids("SELECT f.id FROM performances f
                 LEFT JOIN productions p ON p.id = f.production_id
                 LEFT JOIN venues v ON v.id = f.venue_id
                 WHERE coalesce(p.organisation, v.organisation) = ?1")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_commas_refused() {
        assert_eq!(validate_organisation("  Opera ").unwrap(), "Opera");
        assert!(validate_organisation("").is_err());
        assert!(validate_organisation("A,B").is_err());
        assert!(validate_organisation(&"x".repeat(65)).is_err());
    }
}
