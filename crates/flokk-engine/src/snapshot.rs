//! Engine snapshots: the derived model written to a file, so a restart
//! reads it back instead of rebuilding from every record in the store.
//!
//! A snapshot is trusted only when everything about it checks out: the
//! magic and format version, the store change sequence it reflects (it
//! must equal the store's now), its length and a CRC-32 of its contents.
//! Anything else (an older sequence, a truncated or altered file, another
//! format) is reported as stale or corrupt, and the caller rebuilds.
//!
//! Layout: `FLOKKENG` · format version (u32 LE) · store sequence (u64 LE) ·
//! payload length (u64 LE) · CRC-32 of the payload (u32 LE) · payload
//! (postcard-encoded tables).

use crate::Activity;
use crate::Engine;
use crate::columns::interner::Interner;
use crate::indexes::key_buckets::KeyBuckets;
use crate::indexes::location_grid::LocationGrid;
use crate::tables::catalogue::Catalogue;
use crate::tables::customers::Customers;
use crate::tables::orders::OrderTables;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

const MAGIC: &[u8; 8] = b"FLOKKENG";
/// Bump whenever any serialised table changes shape (or order). 11: list
/// indexes keep each element's stored spelling; 12: ticket lines stay
/// ascending by order after clustering too; 13: money as exact
/// ten-thousandths (`flokk_model::Money`), not `f64` or cents, and orders'
/// discount codes; 14: subscriptions (issue 22, h22a).
const FORMAT_VERSION: u32 = 14;
const HEADER: usize = 8 + 4 + 8 + 8 + 4;

/// Why a snapshot was not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// There is none.
    #[error("no snapshot")]
    Missing,
    /// It reflects another state of the store.
    #[error("the snapshot reflects store sequence {found}, the store is at {expected}")]
    Stale {
        /// Sequence in the snapshot.
        found: u64,
        /// The store's sequence.
        expected: u64,
    },
    /// It is not a snapshot this build can read, or it is damaged.
    #[error("the snapshot is unreadable: {0}")]
    Corrupt(String),
    /// Reading or writing failed.
    #[error("snapshot I/O failed: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Serialize)]
struct TablesRef<'a> {
    customers: &'a Customers,
    locations: &'a LocationGrid,
    orders: &'a OrderTables,
    key_buckets: &'a Option<KeyBuckets>,
    activity: &'a Activity,
    catalogue: &'a Catalogue,
    strings: &'a Interner,
    newest: i64,
}

#[derive(Deserialize)]
struct Tables {
    customers: Customers,
    locations: LocationGrid,
    orders: OrderTables,
    key_buckets: Option<KeyBuckets>,
    activity: Activity,
    catalogue: Catalogue,
    strings: Interner,
    newest: i64,
}

impl Engine {
    /// Writes the engine to `path` (via a temporary file and a rename, so a
    /// crash never leaves a half-written snapshot under the real name).
    pub fn save_snapshot(&self, path: &Path) -> Result<(), SnapshotError> {
        let payload = postcard::to_stdvec(&TablesRef {
            customers: &self.customers,
            locations: &self.locations,
            orders: &self.orders,
            key_buckets: &self.key_buckets,
            activity: &self.activity,
            catalogue: &self.catalogue,
            strings: &self.strings,
            newest: self.newest,
        })
        .map_err(|e| SnapshotError::Corrupt(format!("cannot encode: {e}")))?;
        let tmp = path.with_extension("tmp");
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            f.write_all(MAGIC)?;
            f.write_all(&FORMAT_VERSION.to_le_bytes())?;
            f.write_all(&self.sequence.to_le_bytes())?;
            f.write_all(&(payload.len() as u64).to_le_bytes())?;
            f.write_all(&crc32fast::hash(&payload).to_le_bytes())?;
            f.write_all(&payload)?;
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        Ok(())
    }

    /// Reads the snapshot at `path` if it reflects store sequence
    /// `expected_sequence` and is intact.
    pub fn load_snapshot(path: &Path, expected_sequence: u64) -> Result<Engine, SnapshotError> {
        Self::read_snapshot(path, expected_sequence, |found| found == expected_sequence)
    }

    /// Reads the snapshot at `path` if it is intact and reflects a store
    /// sequence no later than `store_sequence` (the caller catches it up
    /// with the changes after it; a later one cannot be of this store).
    pub fn load_snapshot_upto(path: &Path, store_sequence: u64) -> Result<Engine, SnapshotError> {
        Self::read_snapshot(path, store_sequence, |found| found <= store_sequence)
    }

    fn read_snapshot(
        path: &Path,
        expected_sequence: u64,
        acceptable: impl Fn(u64) -> bool,
    ) -> Result<Engine, SnapshotError> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SnapshotError::Missing);
            }
            Err(e) => return Err(e.into()),
        };
        // Mapped, not read: reading a snapshot of gigabytes into a buffer
        // made the kernel zero and then fill as many fresh pages, over a
        // third of a restart; the mapping shares the page cache's.
        // SAFETY: the map is read-only and lives only while decoding. flokk
        // never writes a snapshot in place (a new one is written beside it
        // and renamed over it, leaving this file's contents as they are);
        // only a process truncating the file by hand while it is read could
        // change it under the map.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        let bytes: &[u8] = &map;
        let corrupt = |why: &str| SnapshotError::Corrupt(why.to_owned());
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(corrupt("not an engine snapshot"));
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let version = u32_at(8);
        if version != FORMAT_VERSION {
            return Err(SnapshotError::Corrupt(format!(
                "format version {version}, this build reads {FORMAT_VERSION}"
            )));
        }
        let sequence = u64_at(12);
        if !acceptable(sequence) {
            return Err(SnapshotError::Stale {
                found: sequence,
                expected: expected_sequence,
            });
        }
        let len = u64_at(20) as usize;
        let payload = &bytes[HEADER..];
        if payload.len() != len {
            return Err(corrupt("truncated"));
        }
        if crc32fast::hash(payload) != u32_at(28) {
            return Err(corrupt("checksum mismatch"));
        }
        let t: Tables = postcard::from_bytes(payload)
            .map_err(|e| SnapshotError::Corrupt(format!("cannot decode: {e}")))?;
        let mut engine = Engine::new();
        engine.customers = t.customers;
        engine.locations = t.locations;
        engine.orders = t.orders;
        engine.key_buckets = t.key_buckets;
        engine.activity = t.activity;
        engine.catalogue = t.catalogue;
        engine.strings = t.strings;
        engine.newest = t.newest;
        engine.sequence = sequence;
        engine.index_orders_by_customer();
        Ok(engine)
    }
}
