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
use super::credentials::Credentials;
use axum::http::{Method, Uri};
use flokk_lang::{Expr, Predicate};
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

/// The segments the request's `query` parameter names with
/// `customer_segments CONTAINS 'X'` (count, members, exports of a query,
/// the live count): reading a query over another organisation's segment
/// would read that segment's members.
pub fn segments_in_query(uri: &Uri) -> Vec<String> {
    let params: Option<axum::extract::Query<Vec<(String, String)>>> = uri
        .query()
        .and_then(|_| axum::extract::Query::try_from_uri(uri).ok());
    let Some(text) = params.and_then(|p| p.0.into_iter().find(|(k, _)| k == "query")) else {
        return Vec::new();
    };
    segments_in_text(&text.1)
}

/// The segments a query's text names with `customer_segments CONTAINS
/// 'X'`: also for queries that come in a request body (a saved segment's
/// or a campaign's), which the handler checks.
pub fn segments_in_text(text: &str) -> Vec<String> {
    // A query that does not parse is the endpoint's to refuse (400).
    let Ok(query) = flokk_lang::parse(text, &flokk_lang::Limits::default()) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    named_in(&query.expr, &mut names);
    names
}

fn named_in(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Or { operands, .. } | Expr::And { operands, .. } => {
            operands.iter().for_each(|e| named_in(e, out))
        }
        Expr::Not { operand, .. } => named_in(operand, out),
        Expr::Clause(c) => {
            if c.filter.text.eq_ignore_ascii_case("customer_segments")
                && let Predicate::Contains { value, .. } = &c.predicate
                && let Some(name) = value.value.as_id()
            {
                out.push(name);
            }
        }
    }
}

/// Applies a limited token's organisations to the segments `method uri`
/// names: in its path or `segment` parameter (read or changed by the
/// method), or in its `query` (read). Unknown names are left to the
/// endpoint (its 404 or 422).
pub fn gate(
    credentials: &Credentials,
    token: &ApiToken,
    method: &Method,
    uri: &Uri,
) -> Result<(), AuthError> {
    if token.organisations.is_empty() {
        return Ok(());
    }
    let named = named_segment(uri).map(|n| (n, method.clone()));
    let in_query = segments_in_query(uri).into_iter().map(|n| (n, Method::GET));
    for (name, method) in named.into_iter().chain(in_query) {
        if let Some(segment) = credentials.store(|s| s.segment(&name))? {
            check(token, &method, &name, segment.organisation.as_deref())?;
        }
    }
    Ok(())
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
        assert_eq!(
            at("/api/segments/Opera%20fans/members").as_deref(),
            Some("Opera fans")
        );
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
    fn the_segments_a_query_names_are_found() {
        let uri: Uri = "/api/count?query=number_of_orders%20%3E%201%20AND%20NOT%20(customer_segments%20CONTAINS%20%27Jazz%20fans%27%20OR%20customer_segments%20NOT%20CONTAINS%20%27B%27)"
            .parse()
            .unwrap();
        assert_eq!(segments_in_query(&uri), ["Jazz fans", "B"]);
        let none: Uri = "/api/count?query=amount_spent%20%3E".parse().unwrap();
        assert!(segments_in_query(&none).is_empty());
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
