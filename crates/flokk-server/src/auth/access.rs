//! Who is asking and whether they may: the decision itself, free of HTTP
//! plumbing, so every boundary (scope, CSRF) is tested as a unit and an
//! endpoint added later (exports) gets the same decision by naming its
//! scope.

use crate::error_body::ErrorBody;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_store::{ApiToken, Scope, Scopes, StoreError};
use jiff::Timestamp;
use subtle::ConstantTimeEq;
use thiserror::Error;

/// What an endpoint asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Any valid token or session (`/api/session`).
    SignedIn,
    /// A token or session whose token grants this scope.
    Scope(Scope),
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// The session cookie of a signed-in browser.
    Session {
        /// The session's CSRF token, which unsafe requests must echo.
        csrf: String,
        /// When the session ends.
        expires_at: Timestamp,
    },
}

/// An authenticated caller, put in the request's extensions for handlers.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The token (directly, or behind the session).
    pub token: ApiToken,
    /// Bearer or session.
    pub via: Via,
}

/// Why a request is refused.
#[derive(Debug, Error)]
pub enum AuthError {
    /// No credentials, or ones that are unknown, revoked or expired: 401.
    #[error("{0}")]
    Unauthorized(String),
    /// The token lacks the scope the endpoint needs: 403 `forbidden`.
    #[error("this request needs a token with the {needed} scope (this one has {held})")]
    Forbidden {
        /// The scope the endpoint needs.
        needed: Scope,
        /// The scopes the token has.
        held: Scopes,
    },
    /// A cookie-authenticated unsafe request without the session's CSRF
    /// token: 403 `csrf`.
    #[error(
        "the X-CSRF-Token header is missing or wrong; send the csrf-token of the page (the meta tag) with every change"
    )]
    Csrf,
    /// The token is limited to other organisations than the segment's:
    /// 403 `organisation_forbidden`.
    #[error("{}", organisation_refusal(segment, organisation.as_deref(), held))]
    Organisation {
        /// The segment as the request named it.
        segment: String,
        /// Its organisation (`None`: shared by all).
        organisation: Option<String>,
        /// The organisations the token is limited to.
        held: Vec<String>,
    },
    /// The credentials could not be checked.
    #[error("could not check the credentials: {0}")]
    Store(#[from] StoreError),
}

fn organisation_refusal(segment: &str, organisation: Option<&str>, held: &[String]) -> String {
    let held = held.join(", ");
    match organisation {
        Some(o) => format!(
            "segment {segment:?} belongs to organisation {o:?}; this token is limited to {held}"
        ),
        None => format!(
            "segment {segment:?} is shared by every organisation: a token limited to {held} may read it but not change it"
        ),
    }
}

/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Methods that change nothing, which CSRF cannot abuse.
fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether `principal` may make a `method` request that needs `access`.
/// `csrf_header` is the request's `X-CSRF-Token`, which only matters for
/// cookie sessions: a browser attaches the cookie to requests other sites
/// start, but only the page itself can read the token it must echo.
pub fn authorize(
    principal: &Principal,
    access: Access,
    method: &Method,
    csrf_header: Option<&str>,
) -> Result<(), AuthError> {
    if let Via::Session { csrf, .. } = &principal.via
        && !is_safe(method)
    {
        let matches =
            csrf_header.is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(csrf.as_bytes())));
        if !matches {
            return Err(AuthError::Csrf);
        }
    }
    if let Access::Scope(needed) = access
        && !principal.token.scopes.grants(needed)
    {
        return Err(AuthError::Forbidden {
            needed,
            held: principal.token.scopes,
        });
    }
    Ok(())
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        match self {
            AuthError::Unauthorized(_) => {
                let mut response = ErrorBody::new("unauthorized", message)
                    .into_response_with(StatusCode::UNAUTHORIZED);
                // RFC 6750: say which scheme would be accepted.
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            AuthError::Forbidden { needed, .. } => {
                let mut body = ErrorBody::new("forbidden", message);
                body.error.scope = Some(needed);
                body.into_response_with(StatusCode::FORBIDDEN)
            }
            AuthError::Organisation { .. } => ErrorBody::new("organisation_forbidden", message)
                .into_response_with(StatusCode::FORBIDDEN),
            AuthError::Csrf => {
                ErrorBody::new("csrf", message).into_response_with(StatusCode::FORBIDDEN)
            }
            AuthError::Store(e) => ErrorBody::new(e.code(), message)
                .into_response_with(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(scopes: &str, via: Via) -> Principal {
        Principal {
            token: ApiToken {
                id: 1,
                name: "t".into(),
                scopes: Scopes::parse(scopes).unwrap(),
                created_at: Timestamp::UNIX_EPOCH,
                last_used_at: None,
                revoked_at: None,
                organisations: Vec::new(),
            },
            via,
        }
    }

    fn session() -> Via {
        Via::Session {
            csrf: "the-csrf-token".into(),
            expires_at: Timestamp::MAX,
        }
    }

    fn needs(scope: Scope) -> Access {
        Access::Scope(scope)
    }

    #[test]
    fn a_read_token_cannot_write_export_or_administer() {
        let read = principal("read", Via::Bearer);
        assert!(authorize(&read, needs(Scope::Read), &Method::GET, None).is_ok());
        for needed in [Scope::Write, Scope::Export, Scope::Admin] {
            match authorize(&read, needs(needed), &Method::POST, None) {
                Err(AuthError::Forbidden { needed: n, .. }) => assert_eq!(n, needed),
                other => panic!("{needed}: {other:?}"),
            }
        }
    }

    #[test]
    fn export_needs_its_own_scope_or_admin() {
        let get = &Method::GET;
        let export = needs(Scope::Export);
        assert!(authorize(&principal("read,write", Via::Bearer), export, get, None).is_err());
        assert!(authorize(&principal("export", Via::Bearer), export, get, None).is_ok());
        assert!(authorize(&principal("admin", Via::Bearer), export, get, None).is_ok());
        let response = authorize(&principal("read", Via::Bearer), export, get, None)
            .unwrap_err()
            .into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn admin_passes_every_scope_and_signed_in_needs_none() {
        let admin = principal("admin", Via::Bearer);
        for scope in Scope::ALL {
            assert!(authorize(&admin, needs(scope), &Method::DELETE, None).is_ok());
        }
        let write_only = principal("write", Via::Bearer);
        assert!(authorize(&write_only, Access::SignedIn, &Method::GET, None).is_ok());
    }

    #[test]
    fn cookie_sessions_must_echo_the_csrf_token_on_unsafe_methods() {
        let p = principal("admin", session());
        let write = needs(Scope::Write);
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(matches!(
                authorize(&p, write, &method, None),
                Err(AuthError::Csrf)
            ));
            assert!(matches!(
                authorize(&p, write, &method, Some("the-csrf-tokeN")),
                Err(AuthError::Csrf)
            ));
            assert!(authorize(&p, write, &method, Some("the-csrf-token")).is_ok());
        }
        // Reads need no token; bearer callers never do (no browser attaches
        // an Authorization header on another site's behalf).
        assert!(authorize(&p, needs(Scope::Read), &Method::GET, None).is_ok());
        let bearer = principal("admin", Via::Bearer);
        assert!(authorize(&bearer, write, &Method::POST, None).is_ok());
    }

    #[test]
    fn csrf_is_checked_before_the_scope() {
        // A forged cross-site request learns nothing about the token's scopes.
        let p = principal("read", session());
        assert!(matches!(
            authorize(&p, needs(Scope::Admin), &Method::POST, None),
            Err(AuthError::Csrf)
        ));
    }
}
