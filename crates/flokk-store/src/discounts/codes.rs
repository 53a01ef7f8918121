//! Discount codes: the alphabet unique codes are drawn from, drawing them,
//! and checking a shared code a merchant types.
//!
//! The alphabet has no look-alike characters: no `0`/`O`, `1`/`I`/`L`, so a
//! code read off a printed voucher or spoken on the phone is typed right.
//! Codes compare ignoring case (as Shopify's do), so each is stored with its
//! upper-cased key and two discounts never share a code in any case.

use crate::error::StoreError;

/// The characters of a drawn code.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The key a code is unique and looked up by.
pub fn code_key(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// A shared code as typed: 3 to 64 letters, digits, `-` or `_`.
pub fn checked_code(code: &str) -> Result<&str, StoreError> {
    let code = code.trim();
    let ok = (3..=64).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(StoreError::Invalid(format!(
            "a discount code is 3 to 64 letters, digits, '-' or '_', not {code:?}"
        )));
    }
    Ok(code)
}

/// A prefix for drawn codes: up to 32 letters, digits, `-` or `_`.
pub fn checked_prefix(prefix: &str) -> Result<&str, StoreError> {
    let prefix = prefix.trim();
    if prefix.len() > 32
        || !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(StoreError::Invalid(format!(
            "a code prefix is up to 32 letters, digits, '-' or '_', not {prefix:?}"
        )));
    }
    Ok(prefix)
}

/// Checks that `length` random characters leave room for `count` codes:
/// at least 4 characters, at most 32, and a space of codes at least a
/// million times the codes drawn, so drawing again after a collision is
/// rare and a guessed code is almost never a real one.
pub fn checked_length(length: usize, count: usize) -> Result<(), StoreError> {
    if !(4..=32).contains(&length) {
        return Err(StoreError::Invalid(format!(
            "a code length is 4 to 32 characters, not {length}"
        )));
    }
    let space = (CODE_ALPHABET.len() as f64).powi(length as i32);
    if space < count as f64 * 1e6 {
        return Err(StoreError::Invalid(format!(
            "{length} characters are too few for {count} unique codes that cannot be guessed; \
             use --length {} or more",
            minimum_length(count)
        )));
    }
    Ok(())
}

/// The shortest length [`checked_length`] accepts for `count` codes.
pub fn minimum_length(count: usize) -> usize {
    (4..=32)
        .find(|&l| (CODE_ALPHABET.len() as f64).powi(l as i32) >= count as f64 * 1e6)
        .unwrap_or(32)
}

/// A random code: `prefix` then `length` characters of [`CODE_ALPHABET`].
pub fn draw_code(prefix: &str, length: usize) -> String {
    let mut out = String::with_capacity(prefix.len() + length);
    out.push_str(&prefix.to_ascii_uppercase());
    let mut bytes = vec![0u8; length * 2];
    getrandom::fill(&mut bytes).expect("the operating system supplies random bytes");
    for pair in bytes.chunks(2) {
        // 16 random bits mod 31: a bias under 0.05 %, harmless for codes.
        let n = u16::from_le_bytes([pair[0], pair[1]]) as usize;
        out.push(CODE_ALPHABET[n % CODE_ALPHABET.len()] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_codes_have_no_look_alikes() {
        for _ in 0..200 {
            let code = draw_code("vip-", 8);
            assert!(code.starts_with("VIP-"));
            assert_eq!(code.len(), 12);
            assert!(!code[4..].contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }

    #[test]
    fn codes_and_lengths_are_checked() {
        assert!(checked_code("SUMMER10").is_ok());
        assert!(checked_code("ab").is_err());
        assert!(checked_code("SUM MER").is_err());
        assert!(checked_length(8, 10_000).is_ok());
        assert!(checked_length(4, 10_000).is_err());
        assert_eq!(code_key(" summer10 "), "SUMMER10");
    }
}
