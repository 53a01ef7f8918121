//! What every command shares: the global options, the store, the clock and
//! the time zone.

use crate::cli::GlobalArgs;
use crate::failure::Failure;
use anyhow::Context as _;
use flokk_store::Store;

/// The global options, resolved on demand.
pub struct Context {
    pub global: GlobalArgs,
}

impl Context {
    pub fn new(global: GlobalArgs) -> Self {
        Context { global }
    }

    /// Opens (creating on first use) the store in `--data`.
    pub fn store(&self) -> Result<Store, Failure> {
        Store::open(&self.global.data)
            .with_context(|| format!("cannot open the store in {}", self.global.data.display()))
            .map_err(Failure::from)
    }

    /// The evaluation instant: `--now` or the clock.
    pub fn now(&self) -> Result<jiff::Timestamp, Failure> {
        match &self.global.now {
            None => Ok(jiff::Timestamp::now()),
            Some(s) => s.parse::<jiff::Timestamp>().map_err(|e| {
                Failure::user(anyhow::anyhow!(
                    "--now {s:?} is not an RFC 3339 instant (like 2025-03-01T12:00:00Z): {e}"
                ))
            }),
        }
    }

    /// The time zone: `--timezone`, else the store's setting, else UTC.
    pub fn timezone(&self, store: &Store) -> Result<jiff::tz::TimeZone, Failure> {
        let name = match &self.global.timezone {
            Some(tz) => tz.clone(),
            None => store.settings().timezone()?,
        };
        jiff::tz::TimeZone::get(&name).map_err(|e| {
            Failure::user(anyhow::anyhow!(
                "{name:?} is not an IANA time zone name: {e}"
            ))
        })
    }
}
