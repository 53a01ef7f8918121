//! API tokens: named, with scopes, shown once and stored as a SHA-256 hash.
//!
//! A token is `flokk_` followed by 256 random bits (base64url). Its name is
//! unique among the tokens not revoked and is never all digits, so
//! `flokk token revoke NAME|ID` is never ambiguous. Revoking a token ends
//! its web sessions too. `last_used_at` is written at most once a minute
//! per token, so authenticating a busy client does not turn every read
//! request into a durable write.

use super::scopes::Scopes;
use super::secret::{random_secret, secret_hash};
use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "flokk_";

/// How stale `last_used_at` may get before an authentication writes it.
const LAST_USED_RESOLUTION_SECONDS: i64 = 60;

/// The longest token name.
const MAX_NAME_CHARS: usize = 64;

/// A stored token (never its secret).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    /// Stable id.
    pub id: i64,
    /// The name it was given (`admin`, `newsletter-sync`).
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last authenticated a request (to the minute).
    pub last_used_at: Option<Timestamp>,
    /// When it was revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<Timestamp>,
    /// The organisations it is limited to, by name; empty: not limited.
    /// A limited token reads and changes only its organisations' segments
    /// (and reads the shared ones); customers stay shared.
    pub organisations: Vec<String>,
}

impl ApiToken {
    /// Whether the token may change a segment of `organisation` (`None`:
    /// shared by all organisations). Unlimited tokens may change any.
    pub fn may_change(&self, organisation: Option<&str>) -> bool {
        self.organisations.is_empty()
            || organisation.is_some_and(|o| self.organisations.iter().any(|t| t == o))
    }

    /// Whether the token may read a segment of `organisation`: its own
    /// organisations' and the shared ones (`None`).
    pub fn may_read(&self, organisation: Option<&str>) -> bool {
        organisation.is_none() || self.may_change(organisation)
    }
}

/// A token just created, with the secret that is shown only this once.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The stored token.
    pub token: ApiToken,
    /// The secret to hand to the client (`flokk_...`).
    pub secret: String,
}

const COLUMNS: &str = "tid, name, scopes, created_at, last_used_at, revoked_at, organisations";

pub(crate) fn nanos(t: Timestamp) -> Result<i64, StoreError> {
    to_nanos(t).ok_or_else(|| StoreError::Invalid(format!("{t} is out of range")))
}

/// Reads a token from the columns of [`COLUMNS`], starting at `first`.
pub(crate) fn token_from_row(r: &Row<'_>, first: usize) -> Result<ApiToken, StoreError> {
    let scopes: String = r.get(first + 2)?;
    Ok(ApiToken {
        id: r.get(first)?,
        name: r.get(first + 1)?,
        scopes: Scopes::parse(&scopes)
            .map_err(|e| StoreError::Corrupt(format!("token scopes {scopes:?}: {e}")))?,
        created_at: from_nanos(r.get(first + 3)?)?,
        last_used_at: r
            .get::<_, Option<i64>>(first + 4)?
            .map(from_nanos)
            .transpose()?,
        revoked_at: r
            .get::<_, Option<i64>>(first + 5)?
            .map(from_nanos)
            .transpose()?,
        organisations: r
            .get::<_, Option<String>>(first + 6)?
            .map(|list| list.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

fn validate_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid(format!(
            "a token name has 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return Err(StoreError::Invalid(format!(
            "{name:?} looks like a token id; give the token a name with a letter in it"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "a token name has no control characters".into(),
        ));
    }
    Ok(name)
}

impl Store {
    /// Creates a token named `name` with `scopes`; the secret in the answer
    /// is not stored and cannot be shown again.
    pub fn create_token(
        &self,
        name: &str,
        scopes: Scopes,
        now: Timestamp,
    ) -> Result<NewToken, StoreError> {
        self.create_limited_token(name, scopes, &[], now)
    }

    /// Creates a token (as [`Store::create_token`]) limited to
    /// `organisations` (each one the store knows); none: not limited.
    pub fn create_limited_token(
        &self,
        name: &str,
        scopes: Scopes,
        organisations: &[String],
        now: Timestamp,
    ) -> Result<NewToken, StoreError> {
        let name = validate_name(name)?;
        let mut limited: Vec<String> = Vec::new();
        for o in organisations {
            let o = crate::organisations::known_organisation(&self.conn, o)?;
            if !limited.contains(&o) {
                limited.push(o);
            }
        }
        let limited = (!limited.is_empty()).then(|| limited.join(","));
        if scopes == Scopes::default() {
            return Err(StoreError::Invalid(
                "a token needs at least one scope".into(),
            ));
        }
        let secret = random_secret(TOKEN_PREFIX);
        // One statement, so two creators cannot both take the name.
        let inserted = self.conn.execute(
            "INSERT INTO api_tokens(name, hash, scopes, created_at, organisations)
             SELECT ?1, ?2, ?3, ?4, ?5
             WHERE NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = ?1 AND revoked_at IS NULL)",
            params![
                name,
                secret_hash(&secret),
                scopes.to_string(),
                nanos(now)?,
                limited
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::Conflict(format!(
                "a token named {name:?} exists already; revoke it first or pick another name"
            )));
        }
        let id = self.conn.last_insert_rowid();
        let token = self
            .token_by_id(id)?
            .ok_or_else(|| StoreError::Corrupt("a token vanished".into()))?;
        Ok(NewToken { token, secret })
    }

    /// On a store that has never had a token, creates an `admin` token
    /// named `admin`, so the first start of a server can print it; `None`
    /// once any token exists or existed (a merchant who revoked every
    /// token meant it, and `flokk token create` is there).
    pub fn create_first_admin_token(&self, now: Timestamp) -> Result<Option<NewToken>, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let any: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM api_tokens)", [], |r| r.get(0))?;
        if any {
            return Ok(None);
        }
        let created = self.create_token("admin", Scopes::ADMIN, now)?;
        tx.commit()?;
        Ok(Some(created))
    }

    /// Every token, revoked ones included, by id.
    pub fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM api_tokens ORDER BY tid"))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(token_from_row(r, 0)?);
        }
        Ok(out)
    }

    fn token_by_id(&self, id: i64) -> Result<Option<ApiToken>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM api_tokens WHERE tid = ?1"),
                [id],
                |r| Ok(token_from_row(r, 0)),
            )
            .optional()?
            .transpose()
    }

    /// The token named `name_or_id` (among those not revoked) or with that
    /// id (revoked or not).
    pub fn token(&self, name_or_id: &str) -> Result<Option<ApiToken>, StoreError> {
        let by_name = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM api_tokens WHERE name = ?1 AND revoked_at IS NULL"),
                [name_or_id.trim()],
                |r| Ok(token_from_row(r, 0)),
            )
            .optional()?
            .transpose()?;
        match (by_name, name_or_id.trim().parse::<i64>()) {
            (Some(token), _) => Ok(Some(token)),
            (None, Ok(id)) => self.token_by_id(id),
            (None, Err(_)) => Ok(None),
        }
    }

    /// Revokes a token (by name or id) and ends its sessions. Revoking a
    /// revoked token changes nothing and answers it as it is.
    pub fn revoke_token(&self, name_or_id: &str, now: Timestamp) -> Result<ApiToken, StoreError> {
        let token = self.token(name_or_id)?.ok_or_else(|| {
            StoreError::NotFound(format!(
                "there is no token named or numbered {name_or_id:?}"
            ))
        })?;
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        tx.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE tid = ?1 AND revoked_at IS NULL",
            params![token.id, nanos(now)?],
        )?;
        tx.execute("DELETE FROM sessions WHERE tid = ?1", [token.id])?;
        tx.commit()?;
        self.token_by_id(token.id)?
            .ok_or_else(|| StoreError::Corrupt("a token vanished".into()))
    }

    /// The live token whose secret is `secret`, or `None` for an unknown or
    /// revoked one. Notes the use (to the minute).
    pub fn authenticate_token(
        &self,
        secret: &str,
        now: Timestamp,
    ) -> Result<Option<ApiToken>, StoreError> {
        let token = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL"
            ))?
            .query_row([secret_hash(secret)], |r| Ok(token_from_row(r, 0)))
            .optional()?
            .transpose()?;
        let Some(mut token) = token else {
            return Ok(None);
        };
        self.note_token_use(&mut token, now)?;
        Ok(Some(token))
    }

    /// Writes `last_used_at` when the stored one is over a minute old.
    pub(crate) fn note_token_use(
        &self,
        token: &mut ApiToken,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let stale = token
            .last_used_at
            .is_none_or(|t| now.duration_since(t).as_secs() >= LAST_USED_RESOLUTION_SECONDS);
        if stale {
            self.conn
                .prepare_cached("UPDATE api_tokens SET last_used_at = ?2 WHERE tid = ?1")?
                .execute(params![token.id, nanos(now)?])?;
            token.last_used_at = Some(now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::scopes::Scope;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_token_authenticates_until_revoked_and_only_its_hash_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = at("2025-06-01T00:00:00Z");
        let new = store
            .create_token("sync", Scopes::parse("read,write").unwrap(), now)
            .unwrap();
        assert!(new.secret.starts_with(TOKEN_PREFIX));
        let stored: String = store
            .conn
            .query_row("SELECT hash FROM api_tokens", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, new.secret);
        assert!(!stored.contains(&new.secret[TOKEN_PREFIX.len()..]));

        let later = at("2025-06-01T00:05:00Z");
        let found = store
            .authenticate_token(&new.secret, later)
            .unwrap()
            .unwrap();
        assert_eq!(found.name, "sync");
        assert!(found.scopes.grants(Scope::Write) && !found.scopes.grants(Scope::Export));
        assert_eq!(
            store.token("sync").unwrap().unwrap().last_used_at,
            Some(later)
        );
        assert!(
            store
                .authenticate_token("flokk_nope", later)
                .unwrap()
                .is_none()
        );

        // Names are unique among live tokens; digits-only names are ids.
        let clash = store.create_token("sync", Scopes::ADMIN, now).unwrap_err();
        assert!(matches!(clash, StoreError::Conflict(_)), "{clash}");
        assert!(store.create_token("42", Scopes::ADMIN, now).is_err());

        let revoked = store
            .revoke_token(&new.token.id.to_string(), later)
            .unwrap();
        assert_eq!(revoked.revoked_at, Some(later));
        assert!(
            store
                .authenticate_token(&new.secret, later)
                .unwrap()
                .is_none()
        );
        // The name is free again; the old token is still listed.
        store.create_token("sync", Scopes::ADMIN, now).unwrap();
        assert_eq!(store.tokens().unwrap().len(), 2);
        assert!(matches!(
            store.revoke_token("nobody", now),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn use_is_noted_to_the_minute() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let new = store
            .create_token("t", Scopes::ADMIN, at("2025-06-01T00:00:00Z"))
            .unwrap();
        let first = at("2025-06-01T01:00:00Z");
        store.authenticate_token(&new.secret, first).unwrap();
        store
            .authenticate_token(&new.secret, at("2025-06-01T01:00:30Z"))
            .unwrap();
        assert_eq!(store.token("t").unwrap().unwrap().last_used_at, Some(first));
        let minute_on = at("2025-06-01T01:01:00Z");
        store.authenticate_token(&new.secret, minute_on).unwrap();
        assert_eq!(
            store.token("t").unwrap().unwrap().last_used_at,
            Some(minute_on)
        );
    }

    #[test]
    fn the_first_admin_token_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = at("2025-06-01T00:00:00Z");
        let first = store.create_first_admin_token(now).unwrap().unwrap();
        assert_eq!(first.token.scopes, Scopes::ADMIN);
        store.revoke_token("admin", now).unwrap();
        assert!(store.create_first_admin_token(now).unwrap().is_none());
    }
}
