//! The demo data both benchmark examples read (`engine_profile` builds an
//! engine from it, `duckdb_tables` writes it out for DuckDB): one place, so
//! the two see the same records and their counts can be compared.

use flokk_demo::{BtydParams, DemoConfig, Generator};
use std::collections::HashMap;

/// The generator for `customers` customers (seed 42, as of 2026-11-24),
/// with about 11 orders per customer when `dense`.
pub fn generator(customers: u64, dense: bool) -> Generator {
    let config = DemoConfig::new(customers, 42, jiff::civil::date(2026, 11, 24));
    let params = if dense {
        BtydParams::dense()
    } else {
        BtydParams::default()
    };
    Generator::with_params(&config, params)
}

/// Customer keys in the order the records name them, as a store assigns
/// them.
#[derive(Default)]
pub struct CustomerKeys(HashMap<String, i64>);

impl CustomerKeys {
    /// The key of customer `id`, given on first sight.
    pub fn key(&mut self, id: &str) -> i64 {
        let next = self.0.len() as i64 + 1;
        *self.0.entry(id.to_owned()).or_insert(next)
    }
}
