//! API tokens with scopes, and the web UI's sessions. Both are random
//! secrets shown once and stored only as SHA-256 hashes: a copy of the
//! store does not hand out access. A token's scopes are `read`, `write`,
//! `export` (exports carry personal data) and `admin` (everything).

use crate::time::{from_nanos, to_nanos};
use crate::{Store, StoreError};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Read segments, counts, customers, the feed.
    Read,
    /// Change segments, settings, webhooks; import.
    Write,
    /// Export member lists (personal data).
    Export,
    /// Everything, tokens included.
    Admin,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 4] = [Scope::Read, Scope::Write, Scope::Export, Scope::Admin];

    /// The name (`read`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Export => "export",
            Scope::Admin => "admin",
        }
    }

    /// The scope called `name`.
    pub fn parse(name: &str) -> Result<Scope, StoreError> {
        Scope::ALL
            .into_iter()
            .find(|s| s.as_str() == name.trim())
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "{name:?} is not a scope (read, write, export, admin)"
                ))
            })
    }
}

/// A token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TokenInfo {
    /// Stable id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it was last used.
    pub last_used_at: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl TokenInfo {
    /// Whether the token grants `scope` (admin grants every scope).
    pub fn allows(&self, scope: Scope) -> bool {
        self.revoked_at.is_none()
            && (self.scopes.contains(&Scope::Admin) || self.scopes.contains(&scope))
    }
}

/// A new random secret with a recognisable prefix.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system supplies random bytes");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// The stored form of a secret.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn nanos(t: Timestamp) -> Result<i64, StoreError> {
    to_nanos(t).ok_or_else(|| StoreError::Invalid(format!("{t} is out of range")))
}

fn time(n: Option<i64>) -> Result<Option<String>, StoreError> {
    Ok(n.map(from_nanos).transpose()?.map(|t| t.to_string()))
}

const TOKEN_COLUMNS: &str = "tid, name, scopes, created_at, last_used_at, revoked_at";

fn token(r: &rusqlite::Row<'_>) -> Result<TokenInfo, StoreError> {
    let scopes: String = r.get(2)?;
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        scopes: scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(Scope::parse)
            .collect::<Result<_, _>>()?,
        created_at: time(Some(r.get(3)?))?.unwrap_or_default(),
        last_used_at: time(r.get(4)?)?,
        revoked_at: time(r.get(5)?)?,
    })
}

/// How long a web UI session lasts.
pub const SESSION_HOURS: i64 = 12;

impl Store {
    /// Makes a token; returns it with its secret, which is not kept.
    pub fn create_token(
        &self,
        name: &str,
        scopes: &[Scope],
        now: Timestamp,
    ) -> Result<(TokenInfo, String), StoreError> {
        if name.trim().is_empty() {
            return Err(StoreError::Invalid("a token needs a name".into()));
        }
        if scopes.is_empty() {
            return Err(StoreError::Invalid(
                "a token needs at least one scope".into(),
            ));
        }
        let secret = new_secret("flk_");
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        self.conn.execute(
            "INSERT INTO api_tokens(name, hash, scopes, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                name.trim(),
                secret_hash(&secret),
                names.join(","),
                nanos(now)?
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        let info = self
            .tokens()?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| StoreError::Corrupt("a token vanished".into()))?;
        Ok((info, secret))
    }

    /// Every token, by id (revoked ones included).
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY tid"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(token(r)?);
        }
        Ok(out)
    }

    /// Revokes a token (and its sessions); false when there is none.
    pub fn revoke_token(&self, id: i64, now: Timestamp) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE tid = ?1 AND revoked_at IS NULL",
            params![id, nanos(now)?],
        )?;
        self.conn
            .execute("DELETE FROM sessions WHERE tid = ?1", [id])?;
        Ok(n > 0)
    }

    /// The live token with this secret (noting its use), if any.
    pub fn authenticate(
        &self,
        secret: &str,
        now: Timestamp,
    ) -> Result<Option<TokenInfo>, StoreError> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL"
            ))?
            .query_row([secret_hash(secret)], |r| Ok(token(r)))
            .optional()?
            .transpose()?;
        if let Some(t) = &found {
            self.conn
                .prepare_cached("UPDATE api_tokens SET last_used_at = ?2 WHERE tid = ?1")?
                .execute(params![t.id, nanos(now)?])?;
        }
        Ok(found)
    }

    /// Opens a web UI session for a token: returns the session secret (for
    /// the cookie) and its CSRF token (for the page).
    pub fn create_session(
        &self,
        token: i64,
        now: Timestamp,
    ) -> Result<(String, String), StoreError> {
        let secret = new_secret("");
        let csrf = new_secret("");
        let expires = now
            .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
            .unwrap_or(now);
        self.conn
            .execute("DELETE FROM sessions WHERE expires_at < ?1", [nanos(now)?])?;
        self.conn.execute(
            "INSERT INTO sessions(hash, tid, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![secret_hash(&secret), token, csrf, nanos(now)?, nanos(expires)?],
        )?;
        Ok((secret, csrf))
    }

    /// The token and CSRF token of a live session, if the secret names one.
    pub fn session(
        &self,
        secret: &str,
        now: Timestamp,
    ) -> Result<Option<(TokenInfo, String)>, StoreError> {
        let row: Option<(i64, String)> = self
            .conn
            .prepare_cached("SELECT tid, csrf FROM sessions WHERE hash = ?1 AND expires_at > ?2")?
            .query_row(params![secret_hash(secret), nanos(now)?], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((tid, csrf)) = row else {
            return Ok(None);
        };
        let token = self
            .conn
            .prepare_cached(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE tid = ?1 AND revoked_at IS NULL"
            ))?
            .query_row([tid], |r| Ok(token(r)))
            .optional()?
            .transpose()?;
        Ok(token.map(|t| (t, csrf)))
    }

    /// Ends a session.
    pub fn end_session(&self, secret: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sessions WHERE hash = ?1",
            [secret_hash(secret)],
        )?;
        Ok(())
    }
}
