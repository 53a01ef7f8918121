//! The JSON form of a token, shared by the API and `flokk token ... --json`.

use crate::error_body::ScopeName;
use flokk_store::{ApiToken, NewToken, Scopes};
use serde::Serialize;
use utoipa::ToSchema;

/// A token as listed (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    /// Stable id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// What it may do.
    #[schema(value_type = Vec<ScopeName>)]
    pub scopes: Scopes,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, to the minute.
    pub last_used_at: Option<String>,
    /// RFC 3339; a revoked token authenticates nothing.
    pub revoked_at: Option<String>,
    /// The organisations of a venue group it is limited to; left out when
    /// it is not limited.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
}

impl From<&ApiToken> for TokenView {
    fn from(t: &ApiToken) -> TokenView {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            scopes: t.scopes,
            created_at: t.created_at.to_string(),
            last_used_at: t.last_used_at.map(|x| x.to_string()),
            revoked_at: t.revoked_at.map(|x| x.to_string()),
            organisations: t.organisations.clone(),
        }
    }
}

/// A token just created, with its secret (shown this once only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedTokenView {
    /// The token.
    pub token: TokenView,
    /// The secret to send as `Authorization: Bearer <secret>`.
    #[schema(example = "flokk_3q2-7wEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE")]
    pub secret: String,
}

impl From<&NewToken> for CreatedTokenView {
    fn from(t: &NewToken) -> CreatedTokenView {
        CreatedTokenView {
            token: TokenView::from(&t.token),
            secret: t.secret.clone(),
        }
    }
}
