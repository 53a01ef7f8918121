//! Bringing an engine up to the store's last write by its change sequence
//! (the engine does the replacing; this reads what to replace).

use flokk_engine::{CatchUp, Engine, KeyedRecord, ReplacedCustomer, RetaggedCustomer};
use flokk_store::{ScannedRecord, Store, StoreError};

fn keyed(r: ScannedRecord) -> KeyedRecord {
    KeyedRecord {
        customer_key: r.customer_key,
        coordinates: r.coordinates,
        record: r.record,
    }
}

/// Builds an engine from every record in the store, as of one consistent
/// state (one read transaction).
pub fn build_engine(store: &Store) -> Result<Engine, StoreError> {
    let mut engine = Engine::new();
    let sequence = store.scan(&mut |r| {
        engine.add(r.customer_key, &r.coordinates, &r.record);
        Ok(())
    })?;
    engine.sequence = sequence;
    engine.compact();
    Ok(engine)
}

/// Catches `engine` up with the store's writes since `engine.sequence`.
/// `Ok(None)` when so many customers changed (more than a twentieth, and
/// more than a thousand) that rebuilding the engine is cheaper; customers
/// only tagged (`flokk tag`) do not count: their tags are replaced alone.
pub fn catch_up_engine(store: &Store, engine: &mut Engine) -> Result<Option<CatchUp>, StoreError> {
    let limit = (engine.customers.len() as usize / 20).max(1000);
    let Some(changes) = store.changes_since(engine.sequence, limit)? else {
        return Ok(None);
    };
    let customers = changes
        .customers
        .into_iter()
        .map(|c| ReplacedCustomer {
            key: c.key,
            records: c.records.map(|r| r.into_iter().map(keyed).collect()),
        })
        .collect();
    let catalogue = changes
        .catalogue
        .map(|c| c.into_iter().map(keyed).collect());
    let retagged = changes
        .retagged
        .into_iter()
        .map(|(key, tags)| RetaggedCustomer { key, tags })
        .collect();
    Ok(Some(engine.catch_up_with_tags(
        customers,
        retagged,
        catalogue,
        changes.sequence,
    )))
}
