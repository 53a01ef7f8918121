//! What an API token may do.
//!
//! Five scopes: `read` (queries, segments, customers, settings),
//! `write` (changes to segments, settings, webhooks, imports), `export`
//! (downloads of customer lists, which carry personal data, so reading the
//! API does not grant it), `admin` (tokens; implies every other scope) and
//! `ingest` (sending tracking data through `/v1/*` only).
//! `checkout` (only asking whether a customer may use a discount code: the
//! token a shop's checkout holds, which reads no customer data).
//! Only `admin` implies anything: a `write`-only token is a legitimate
//! least-privilege token for a system that pushes data and never reads it.

use crate::error::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Read queries, segments, customers and settings.
    Read,
    /// Change segments, settings and webhooks.
    Write,
    /// Download customer lists (personal data).
    Export,
    /// Manage tokens; grants every scope.
    Admin,
    /// Send tracking data (the Segment-style `/v1/*` API) and nothing
    /// else: the key a website or app embeds, so it can read nothing.
    Ingest,
    /// Check discount codes at a checkout, nothing else.
    Checkout,
}

impl Scope {
    /// Every scope, in the order they are listed.
    pub const ALL: [Scope; 6] = [
        Scope::Read,
        Scope::Write,
        Scope::Export,
        Scope::Admin,
        Scope::Ingest,
        Scope::Checkout,
    ];

    /// The scope's name (`read`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Export => "export",
            Scope::Admin => "admin",
            Scope::Ingest => "ingest",
            Scope::Checkout => "checkout",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Scope {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Scope, StoreError> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s.trim())
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "{s:?} is not a scope; scopes are read, write, export, admin, ingest and checkout"
                ))
            })
    }
}

/// The set of scopes a token holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u8);

impl Scopes {
    /// Every scope through `admin`.
    pub const ADMIN: Scopes = Scopes(1 << Scope::Admin as u8);

    /// A set of the given scopes.
    pub fn of(scopes: &[Scope]) -> Scopes {
        Scopes(scopes.iter().fold(0, |bits, s| bits | s.bit()))
    }

    /// Parses a comma-separated list (`read,write`); an empty list or an
    /// unknown name is an error.
    pub fn parse(list: &str) -> Result<Scopes, StoreError> {
        let scopes = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Scope>, _>>()?;
        if scopes.is_empty() {
            return Err(StoreError::Invalid(
                "give at least one scope: read, write, export, admin, ingest or checkout".into(),
            ));
        }
        Ok(Scopes::of(&scopes))
    }

    /// Whether the set holds `scope` itself (not through `admin`).
    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether a token with these scopes may do what needs `needed`:
    /// it holds that scope, or `admin`.
    pub fn grants(self, needed: Scope) -> bool {
        self.contains(needed) || self.contains(Scope::Admin)
    }

    /// The scopes held, in the order of [`Scope::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

/// The stored and printed form: `read,write`.
impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(","))
    }
}

impl Serialize for Scopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_grants_every_scope_and_nothing_else_implies_another() {
        for needed in Scope::ALL {
            assert!(Scopes::ADMIN.grants(needed), "admin grants {needed}");
        }
        let read = Scopes::of(&[Scope::Read]);
        assert!(read.grants(Scope::Read));
        assert!(!read.grants(Scope::Write));
        assert!(!read.grants(Scope::Export), "exports carry personal data");
        assert!(!read.grants(Scope::Admin));
        let write = Scopes::of(&[Scope::Write]);
        assert!(!write.grants(Scope::Read), "write does not imply read");
    }

    #[test]
    fn lists_parse_and_print_in_a_canonical_order() {
        let s = Scopes::parse("write, read").unwrap();
        assert_eq!(s.to_string(), "read,write");
        assert_eq!(Scopes::parse(&s.to_string()).unwrap(), s);
        assert!(Scopes::parse("read,wirte").is_err());
        assert!(Scopes::parse(" , ").is_err());
        assert_eq!(
            serde_json::to_value(Scopes::parse("export,admin").unwrap()).unwrap(),
            serde_json::json!(["export", "admin"])
        );
    }
}
