//! What every request shares.

use flokk_engine::{Engine, Evaluator};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The server's state: the engine and how to evaluate.
pub struct ServerState {
    /// The engine, built from the store at start.
    pub engine: Engine,
    /// The store time zone.
    pub time_zone: TimeZone,
    /// A fixed evaluation instant (`--now`), else the clock.
    pub now: Option<Timestamp>,
    /// The store's display name.
    pub name: String,
}

impl ServerState {
    /// An evaluator as of now.
    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator::new(
            &self.engine,
            self.now.unwrap_or_else(Timestamp::now),
            self.time_zone.clone(),
        )
    }
}
