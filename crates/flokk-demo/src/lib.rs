//! A seeded generator of realistic synthetic stores for `flokk demo` and
//! the benchmarks.
//!
//! ```
//! use flokk_demo::{DemoConfig, generate};
//! let cfg = DemoConfig::new(100, 42, jiff::civil::date(2026, 11, 24));
//! let mut n = 0;
//! generate(&cfg, &mut |_record| n += 1);
//! assert!(n > 100);
//! ```
//!
//! The same [`DemoConfig`] always produces the same records in the same
//! order. Customers live in real towns of ten markets (the Nordics, the
//! Netherlands, Germany, the UK, the US and Canada, placed by the bundled
//! gazetteer), buy by a buy-till-you-die process (MBG/NBD purchases with
//! Gamma-Gamma spend, seasonal peaks), buy tickets for performances at real
//! venues, receive and react to e-mail campaigns, and browse the shop.

mod browsing;
mod btyd;
mod calendar;
mod catalogue;
mod config;
mod customer;
mod email;
mod generator;
mod orders;
mod people;
mod places;
mod randomness;
mod ticketing;

pub use btyd::{BtydParams, Buyer};
pub use catalogue::{PRODUCT_COUNT, Product, catalogue};
pub use config::DemoConfig;
pub use generator::{Generator, HISTORY_YEARS, Scratch, generate};
pub use ticketing::{PRODUCTIONS, VENUES};
