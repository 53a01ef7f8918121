//! One-time sign-in links (`/signin/once/{code}`), which `flokk demo` and a
//! store's first `flokk serve` print so the merchant is signed in by one
//! click instead of pasting the token.
//!
//! A link is good once, for [`LINK_LIFETIME`], and only in the process that
//! printed it (codes live in memory): whoever can read the server's output
//! can run `flokk token create` in its data directory anyway, so the link
//! grants nothing new, and a copy found later in a terminal's scrollback is
//! dead.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a printed link stays good.
pub const LINK_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The codes handed out and not yet used.
#[derive(Default)]
pub struct SignInLinks {
    codes: Mutex<HashMap<String, (i64, Instant)>>,
}

impl SignInLinks {
    /// A new code that signs in as token `token_id`.
    pub fn issue(&self, token_id: i64) -> String {
        let code = flokk_store::random_secret("");
        let mut codes = self.codes.lock().expect("links lock");
        codes.retain(|_, (_, issued)| issued.elapsed() < LINK_LIFETIME);
        codes.insert(code.clone(), (token_id, Instant::now()));
        code
    }

    /// The token a code signs in as, once: a used, unknown or stale code
    /// gives `None`.
    pub fn redeem(&self, code: &str) -> Option<i64> {
        let (token_id, issued) = self.codes.lock().expect("links lock").remove(code)?;
        (issued.elapsed() < LINK_LIFETIME).then_some(token_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_once() {
        let links = SignInLinks::default();
        let code = links.issue(7);
        assert_eq!(links.redeem("nope"), None);
        assert_eq!(links.redeem(&code), Some(7));
        assert_eq!(links.redeem(&code), None);
    }
}
