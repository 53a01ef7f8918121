//! The organisation limit of a token, applied to the segment a request
//! names. In a venue group each organisation's segments are its own: a
//! token limited to organisation A reads A's segments and the shared ones
//! (no organisation), changes only A's, and is refused (403
//! `organisation_forbidden`) on B's, whatever the endpoint: the segment's
//! page, members, tags, samples, drafts, its change feed and its exports.
//!
//! Customers are shared by the whole group, so a limited token reads and
//! (with `write`) patches customers, counts and lists queries like any
//! other; only what belongs to another organisation is closed to it.

use super::access::AuthError;
use axum::http::{Method, Uri};
use flokk_store::ApiToken;

/// The segment (name or id) a request names: `/api/segments/{name}` and
/// everything under it, or a `segment` query parameter (exports, the
/// change feed).
pub fn named_segment(uri: &Uri) -> Option<String> {
    if let Some(rest) = uri.path().strip_prefix("/api/segments/") {
        let name = rest.split('/').next().unwrap_or("");
        if !name.is_empty() {
            return Some(percent_decoded(name));
        }
    }
    uri.query()?;
    let params: axum::extract::Query<Vec<(String, String)>> =
        axum::extract::Query::try_from_uri(uri).ok()?;
    params
        .0
        .into_iter()
        .find(|(k, _)| k == "segment")
        .map(|(_, v)| v)
}

/// A path segment with `%XX` escapes decoded (invalid UTF-8 replaced).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `token` may make a `method` request on a segment named `name`
/// that belongs to `organisation` (`None`: shared): reads need
/// [`ApiToken::may_read`], changes [`ApiToken::may_change`].
pub fn check(
    token: &ApiToken,
    method: &Method,
    name: &str,
    organisation: Option<&str>,
) -> Result<(), AuthError> {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let allowed = if safe {
        token.may_read(organisation)
    } else {
        token.may_change(organisation)
    };
    if allowed {
        return Ok(());
    }
    Err(AuthError::Organisation {
        segment: name.to_owned(),
        organisation: organisation.map(str::to_owned),
        held: token.organisations.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_store::Scopes;
    use jiff::Timestamp;

    fn token(orgs: &[&str]) -> ApiToken {
        ApiToken {
            id: 1,
            name: "t".into(),
            scopes: Scopes::parse("read,write").unwrap(),
            created_at: Timestamp::UNIX_EPOCH,
            last_used_at: None,
            revoked_at: None,
            organisations: orgs.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn the_segment_is_found_in_the_path_or_the_query() {
        let at = |s: &str| named_segment(&s.parse().unwrap());
        assert_eq!(at("/api/segments/Opera%20fans/members").as_deref(), Some("Opera fans"));
        assert_eq!(at("/api/segments/7").as_deref(), Some("7"));
        assert_eq!(at("/api/segments?search=x"), None);
        assert_eq!(at("/api/segments/"), None);
        assert_eq!(
            at("/api/exports?format=csv&segment=Jazz+fans").as_deref(),
            Some("Jazz fans")
        );
        assert_eq!(at("/api/count?query=x"), None);
        assert_eq!(at("/api/segments/100%25").as_deref(), Some("100%"));
    }

    #[test]
    fn a_limited_token_reads_shared_segments_but_changes_only_its_own() {
        let a = token(&["A"]);
        assert!(check(&a, &Method::GET, "s", Some("A")).is_ok());
        assert!(check(&a, &Method::PATCH, "s", Some("A")).is_ok());
        assert!(check(&a, &Method::GET, "s", None).is_ok());
        assert!(check(&a, &Method::DELETE, "s", None).is_err());
        assert!(check(&a, &Method::GET, "s", Some("B")).is_err());
        assert!(check(&a, &Method::POST, "s", Some("B")).is_err());
        let all = token(&[]);
        assert!(check(&all, &Method::DELETE, "s", Some("B")).is_ok());
    }
}
