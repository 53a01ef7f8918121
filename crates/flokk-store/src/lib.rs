//! The durable store: SQLite (WAL, `synchronous=FULL`), migrations, the
//! change sequence, importers and exporters.

mod error;
mod settings;
pub mod shopify;
mod store;

pub use error::StoreError;
pub use settings::Settings;
pub use store::Store;
