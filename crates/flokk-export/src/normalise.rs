//! Normalising identifiers for ad platforms, and hashing them.

use sha2::{Digest, Sha256};

/// Lower-case SHA-256 hex of `s`.
pub(crate) fn sha256_hex(s: &str) -> String {
    // By table: an audience hashes several values a row.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(s.as_bytes());
    let mut hex = Vec::with_capacity(64);
    for b in digest {
        hex.push(DIGITS[usize::from(b >> 4)]);
        hex.push(DIGITS[usize::from(b & 0xf)]);
    }
    String::from_utf8(hex).expect("hex digits are ASCII")
}

/// Trimmed and lower-case; `None` unless it looks like an address
/// (something on both sides of one `@`, no spaces).
pub(crate) fn email(s: Option<&str>) -> Option<String> {
    let e = s?.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let usable = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !e.chars().any(char::is_whitespace);
    usable.then_some(e)
}

/// [`email`], and for Gmail addresses the dots before the `@` removed,
/// as Google asks.
pub(crate) fn google_email(s: Option<&str>) -> Option<String> {
    let e = email(s)?;
    let (local, domain) = e.split_once('@')?;
    if domain == "gmail.com" || domain == "googlemail.com" {
        Some(format!("{}@{domain}", local.replace('.', "")))
    } else {
        Some(e)
    }
}

/// Lower-case letters only (any script: `ø`, `é` stay), for Meta's names
/// and city.
pub(crate) fn letters(s: Option<&str>) -> Option<String> {
    let out: String = s?
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// Lower-case letters and single spaces, trimmed, for Google's names.
pub(crate) fn letters_and_spaces(s: Option<&str>) -> Option<String> {
    let kept: String = s?
        .chars()
        .filter(|c| c.is_alphabetic() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let out = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// Lower-case letters and digits only (Meta's `st`).
pub(crate) fn alphanumeric(s: Option<&str>) -> Option<String> {
    let out: String = s?
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// Lower-case without whitespace; a US zip code cut to its 5 digits
/// (Meta's `zip`).
pub(crate) fn meta_zip(zip: Option<&str>, country: Option<&str>) -> Option<String> {
    let z: String = zip?
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let z = if country.is_some_and(|c| c.eq_ignore_ascii_case("US"))
        && z.len() > 5
        && z.is_char_boundary(5)
        && z[..5].chars().all(|c| c.is_ascii_digit())
    {
        z[..5].to_owned()
    } else {
        z
    };
    (!z.is_empty()).then_some(z)
}

/// Trimmed, or `None` when empty.
pub(crate) fn trimmed(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_values() {
        // `printf %s test@example.com | sha256sum`
        assert_eq!(
            sha256_hex("test@example.com"),
            "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"
        );
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(Some("  Test@Example.COM ")).as_deref(),
            Some("test@example.com")
        );
        assert_eq!(email(Some("no-at-sign")), None);
        assert_eq!(email(Some("a b@x.no")), None);
        assert_eq!(email(Some("@x.no")), None);
        assert_eq!(email(None), None);
        assert_eq!(
            google_email(Some("John.Smith@GMail.com")).as_deref(),
            Some("johnsmith@gmail.com")
        );
        assert_eq!(
            google_email(Some("j.s@googlemail.com")).as_deref(),
            Some("js@googlemail.com")
        );
        assert_eq!(
            google_email(Some("j.s@example.no")).as_deref(),
            Some("j.s@example.no")
        );
    }

    #[test]
    fn names_and_places() {
        assert_eq!(
            letters(Some(" Bjørn-Émile O'Neil ")).as_deref(),
            Some("bjørnémileoneil")
        );
        assert_eq!(letters(Some("123")), None);
        assert_eq!(
            letters_and_spaces(Some("  Mary   Ann-Lee ")).as_deref(),
            Some("mary annlee")
        );
        assert_eq!(
            meta_zip(Some("SW1A 1AA"), Some("GB")).as_deref(),
            Some("sw1a1aa")
        );
        assert_eq!(
            meta_zip(Some("02108-1234"), Some("us")).as_deref(),
            Some("02108")
        );
        assert_eq!(meta_zip(Some("0150"), Some("NO")).as_deref(), Some("0150"));
        assert_eq!(alphanumeric(Some("NO-03")).as_deref(), Some("no03"));
    }
}
