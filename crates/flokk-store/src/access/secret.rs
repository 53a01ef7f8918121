//! Secrets handed out once (API tokens, session ids, CSRF tokens) and the
//! form credentials are kept in: the SHA-256 of the secret, so a copy of
//! the store (a backup, a dump) does not hand out access.
//!
//! A plain hash, not a slow password hash, is enough here: every secret is
//! 256 random bits, so there is nothing to guess that a slow hash would
//! protect.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 random bits, base64url without padding (43 characters), behind
/// `prefix` (which makes a leaked token recognisable to secret scanners).
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system supplies random bytes");
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret: lower-case hex SHA-256.
pub(crate) fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_distinct_and_hashes_are_sha256() {
        let a = random_secret("flokk_");
        assert!(a.starts_with("flokk_") && a.len() == 6 + 43, "{a}");
        assert_ne!(a, random_secret("flokk_"));
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
