//! The session cookie: `flokk_session`, HttpOnly (page scripts never see
//! it), SameSite=Strict (other sites' requests do not carry it), Path=/,
//! and Secure unless the server listens on loopback.
//!
//! Why loopback goes without Secure: flokk speaks plain HTTP; on
//! 127.0.0.1 that traffic never leaves the machine, and a Secure cookie
//! would not be stored by every browser over plain http. Listening on
//! any other address means a TLS-terminating proxy in front (the
//! operator's job), so there the cookie is Secure and a browser never
//! sends it in the clear.

use axum::http::{HeaderMap, HeaderValue, header};
use jiff::SignedDuration;

/// The cookie's name.
pub const SESSION_COOKIE: &str = "flokk_session";

/// The `Set-Cookie` value that stores `secret` for `lifetime`.
pub fn session_cookie(secret: &str, lifetime: SignedDuration, secure: bool) -> HeaderValue {
    let value = format!(
        "{SESSION_COOKIE}={secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        lifetime.as_secs().max(0),
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&value).expect("session secrets are base64url")
}

/// The `Set-Cookie` value that removes the cookie (sign-out).
pub fn cleared_session_cookie(secure: bool) -> HeaderValue {
    session_cookie("", SignedDuration::ZERO, secure)
}

/// The session cookie's value in the request's `Cookie` headers.
pub fn session_cookie_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_off_loopback() {
        let hour = SignedDuration::from_hours(1);
        let local = session_cookie("abc", hour, false);
        assert_eq!(
            local,
            "flokk_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600"
        );
        let public = session_cookie("abc", hour, true);
        assert!(public.to_str().unwrap().ends_with("; Secure"));
        assert!(
            cleared_session_cookie(false)
                .to_str()
                .unwrap()
                .starts_with("flokk_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
        );
    }

    #[test]
    fn the_value_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; flokk_sessionx=2"),
        );
        assert_eq!(session_cookie_value(&headers), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("b=3;flokk_session=s3cret"),
        );
        assert_eq!(session_cookie_value(&headers), Some("s3cret"));
    }
}
