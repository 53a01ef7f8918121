//! Checking credentials against the store: a bearer token or the session
//! cookie, on a store connection of its own.
//!
//! Its own connection because every API request is authenticated: with
//! the shared one, a count would wait behind a long segment write. SQLite
//! in WAL mode lets this connection read while the other writes.

use super::access::{AuthError, Principal, Via};
use super::session_cookie::session_cookie_value;
use axum::http::{HeaderMap, header};
use flokk_store::{ApiToken, NewSession, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::path::Path;
use std::sync::Mutex;

/// The credentials side of the store.
pub struct Credentials {
    store: Mutex<Store>,
}

/// What a request presents.
enum Presented<'a> {
    Bearer(&'a str),
    Session(&'a str),
}

/// The credential of a request: the Authorization header when there is
/// one (an explicit token wins over a cookie the browser happened to
/// send), else the session cookie.
fn presented(headers: &HeaderMap) -> Result<Presented<'_>, AuthError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or("");
        return match value.split_once(' ') {
            Some((scheme, token))
                if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
            {
                Ok(Presented::Bearer(token.trim()))
            }
            _ => Err(AuthError::Unauthorized(
                "the Authorization header must be `Bearer <token>`".into(),
            )),
        };
    }
    match session_cookie_value(headers) {
        Some(secret) => Ok(Presented::Session(secret)),
        None => Err(AuthError::Unauthorized(
            "sign in, or send an API token as `Authorization: Bearer <token>`".into(),
        )),
    }
}

impl Credentials {
    /// Opens a connection of its own to the store in `dir`.
    pub fn open(dir: &Path) -> Result<Credentials, StoreError> {
        Ok(Credentials {
            store: Mutex::new(Store::open(dir)?),
        })
    }

    /// Runs `f` with this connection (token management).
    pub fn store<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        f(&self.store.lock().expect("credentials lock"))
    }

    /// Who sent a request with these headers (bearer token or session
    /// cookie), as of `now`.
    pub fn identify(&self, headers: &HeaderMap, now: Timestamp) -> Result<Principal, AuthError> {
        match presented(headers)? {
            Presented::Bearer(secret) => self
                .store(|s| s.authenticate_token(secret, now))?
                .map(|token| Principal {
                    token,
                    via: Via::Bearer,
                })
                .ok_or_else(|| AuthError::Unauthorized("the token is unknown or revoked".into())),
            Presented::Session(secret) => self.session(secret, now),
        }
    }

    /// The signed-in browser behind these headers: the session cookie only,
    /// since pages are never fetched with a bearer token.
    pub fn identify_session(
        &self,
        headers: &HeaderMap,
        now: Timestamp,
    ) -> Result<Principal, AuthError> {
        match session_cookie_value(headers) {
            Some(secret) => self.session(secret, now),
            None => Err(AuthError::Unauthorized("not signed in".into())),
        }
    }

    fn session(&self, secret: &str, now: Timestamp) -> Result<Principal, AuthError> {
        self.store(|s| s.authenticate_session(secret, now))?
            .map(|access| Principal {
                token: access.token,
                via: Via::Session {
                    csrf: access.csrf,
                    expires_at: access.expires_at,
                },
            })
            .ok_or_else(|| {
                AuthError::Unauthorized(
                    "the session has ended or is not valid; sign in again".into(),
                )
            })
    }

    /// Signs in with a token's secret: the token and a new session.
    pub fn sign_in(
        &self,
        secret: &str,
        now: Timestamp,
        lifetime: SignedDuration,
    ) -> Result<(ApiToken, NewSession), AuthError> {
        let token = self
            .store(|s| s.authenticate_token(secret.trim(), now))?
            .ok_or_else(|| AuthError::Unauthorized("the token is unknown or revoked".into()))?;
        let session = self.store(|s| s.create_session(token.id, now, lifetime))?;
        Ok((token, session))
    }

    /// Opens a session for token `token_id` (a one-time sign-in link).
    pub fn open_session(
        &self,
        token_id: i64,
        now: Timestamp,
        lifetime: SignedDuration,
    ) -> Result<NewSession, StoreError> {
        self.store(|s| s.create_session(token_id, now, lifetime))
    }

    /// Ends the session of the request's cookie, if it has one.
    pub fn sign_out(&self, headers: &HeaderMap) -> Result<(), StoreError> {
        if let Some(secret) = session_cookie_value(headers) {
            self.store(|s| s.end_session(secret))?;
        }
        Ok(())
    }
}
