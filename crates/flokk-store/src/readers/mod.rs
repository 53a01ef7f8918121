//! Layer 4, records out: rows decoded back into records (`rows`), the
//! streaming scan that builds derived models (`scan`), what changed since a
//! sequence number (`changes`), every customer in id order for exports
//! (`customers_by_id`), `flokk dump` (`dump`) and everything about
//! one customer (`profile`), and whether the ticketing catalogue knows an id
//! (`catalogue`).
//!
//! May use: `store`, `schema`, `error`. Never the writer or the tables
//! above (settings, access, segments, ...).

pub(crate) mod catalogue;
pub(crate) mod changes;
pub(crate) mod children;
pub(crate) mod customers_by_id;
pub(crate) mod dump;
pub(crate) mod profile;
pub(crate) mod rows;
pub(crate) mod scan;
