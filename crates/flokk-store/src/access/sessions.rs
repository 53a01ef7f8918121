//! Web UI sessions: a merchant signs in with a token and the browser keeps
//! a random session id in a cookie. The store keeps the id's SHA-256, the
//! token it stands for, its CSRF token and when it expires. A session
//! grants what its token grants, and ends with it (revocation deletes it).

use super::secret::{random_secret, secret_hash};
use super::tokens::{ApiToken, nanos, token_from_row};
use crate::error::StoreError;
use crate::schema::time::from_nanos;
use crate::store::Store;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{OptionalExtension, params};

/// A session just opened: the cookie value (not stored) and what the pages
/// need.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value.
    pub secret: String,
    /// The CSRF token the pages send back with every unsafe request.
    pub csrf: String,
    /// When the session ends.
    pub expires_at: Timestamp,
}

/// A live session and the token it stands for.
#[derive(Debug, Clone)]
pub struct SessionAccess {
    /// The token (not revoked).
    pub token: ApiToken,
    /// The session's CSRF token.
    pub csrf: String,
    /// When the session ends.
    pub expires_at: Timestamp,
}

impl Store {
    /// Opens a session for token `token_id` that lasts `lifetime`; sessions
    /// that have expired are cleared on the way.
    pub fn create_session(
        &self,
        token_id: i64,
        now: Timestamp,
        lifetime: SignedDuration,
    ) -> Result<NewSession, StoreError> {
        let expires_at = now
            .checked_add(lifetime)
            .map_err(|e| StoreError::Invalid(format!("session lifetime: {e}")))?;
        let session = NewSession {
            secret: random_secret(""),
            csrf: random_secret(""),
            expires_at,
        };
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [nanos(now)?])?;
        let live: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM api_tokens WHERE tid = ?1 AND revoked_at IS NULL)",
            [token_id],
            |r| r.get(0),
        )?;
        if !live {
            return Err(StoreError::NotFound(format!(
                "there is no live token {token_id}"
            )));
        }
        tx.execute(
            "INSERT INTO sessions(hash, tid, csrf, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                secret_hash(&session.secret),
                token_id,
                session.csrf,
                nanos(now)?,
                nanos(expires_at)?
            ],
        )?;
        tx.commit()?;
        Ok(session)
    }

    /// The session whose cookie value is `secret`, if it has not expired
    /// and its token is not revoked. Notes the token's use.
    pub fn authenticate_session(
        &self,
        secret: &str,
        now: Timestamp,
    ) -> Result<Option<SessionAccess>, StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT t.tid, t.name, t.scopes, t.created_at, t.last_used_at, t.revoked_at,
                        t.organisations, s.csrf, s.expires_at
                 FROM sessions s JOIN api_tokens t ON t.tid = s.tid
                 WHERE s.hash = ?1 AND s.expires_at > ?2 AND t.revoked_at IS NULL",
            )?
            .query_row(params![secret_hash(secret), nanos(now)?], |r| {
                Ok((token_from_row(r, 0), r.get::<_, String>(7)?, r.get(8)?))
            })
            .optional()?;
        let Some((token, csrf, expires_at)) = found else {
            return Ok(None);
        };
        let mut token = token?;
        self.note_token_use(&mut token, now)?;
        Ok(Some(SessionAccess {
            token,
            csrf,
            expires_at: from_nanos(expires_at)?,
        }))
    }

    /// Ends the session (sign-out); `false` when there was none.
    pub fn end_session(&self, secret: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM sessions WHERE hash = ?1",
            [secret_hash(secret)],
        )? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::scopes::Scopes;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_session_lasts_its_lifetime_and_ends_with_sign_out_or_revocation() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = at("2025-06-01T00:00:00Z");
        let token = store
            .create_token("ui", Scopes::parse("read").unwrap(), now)
            .unwrap()
            .token;
        let hour = SignedDuration::from_hours(1);
        let session = store.create_session(token.id, now, hour).unwrap();
        assert_ne!(session.secret, session.csrf);

        let inside = at("2025-06-01T00:59:59Z");
        let access = store
            .authenticate_session(&session.secret, inside)
            .unwrap()
            .unwrap();
        assert_eq!(
            (access.token.id, access.csrf.as_str()),
            (token.id, &*session.csrf)
        );
        assert!(
            store
                .authenticate_session(&session.secret, at("2025-06-01T01:00:00Z"))
                .unwrap()
                .is_none(),
            "expired"
        );
        assert!(
            store
                .authenticate_session(&session.csrf, inside)
                .unwrap()
                .is_none()
        );

        assert!(store.end_session(&session.secret).unwrap());
        assert!(
            store
                .authenticate_session(&session.secret, inside)
                .unwrap()
                .is_none()
        );

        let again = store.create_session(token.id, now, hour).unwrap();
        store.revoke_token("ui", now).unwrap();
        assert!(
            store
                .authenticate_session(&again.secret, inside)
                .unwrap()
                .is_none()
        );
        assert!(
            store.create_session(token.id, now, hour).is_err(),
            "revoked"
        );
    }
}
