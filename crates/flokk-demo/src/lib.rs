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
//!
//! What a store holds (shares are of customers unless said otherwise):
//!
//! | | |
//! |---|---|
//! | markets | NO 30 %, SE 12 %, DE 12 %, US 12 %, DK 8 %, NL 8 %, GB 8 %, FI 5 %, CA 4 % (a fifth of them French-speaking), IS 1 %; regions by population |
//! | people | local names and titles (Hr/Fru/Frk, Herr/Frau, Dhr/Mevr, Mr/Mrs/Ms/Miss, M./Mme/Mlle); 40 % without a title, 23 % without a gender, 2 % OTHER; 30 % without a birth date |
//! | contact | 97 % e-mail (global and local providers), 80 % phone; e-mail SUBSCRIBED 46 %, NOT_SUBSCRIBED 33 %, UNSUBSCRIBED 12 %, INVALID 5 %, PENDING 3 %, REDACTED 1 % |
//! | orders | 22 % never order; buyers follow MBG/NBD ([`BtydParams`]), about 54 % buy once; ~2 orders per customer on average; 2 % cancelled, 4 % partly refunded; online / app / POS / box office |
//! | tickets | 15 % go to performances: ticket orders for ~300 performances of 20 productions at 11 real venues, 1-6 tickets, online or at the box office |
//! | activity | e-mail campaigns every 2-4 days (deliveries, opens incl. machine opens, clicks, bounces, spam, unsubscribes); storefront views; `Viewed Product` / `Added to Cart` / `Started Checkout` events; abandoned checkouts |
//!
//! `flokk demo --ticketing` builds a venue group instead
//! ([`generate_venue_group`]): two organisations sharing one customer
//! base, six venues, sixty productions and about 2,000 performances over
//! three seasons, sold online and at the box office.
//!
//! At 1M customers this is about 11.9M records (2M orders), generated in
//! about 10 s on one core (see `BENCHMARKS.md`). Fitting MBG/NBD to the
//! orders recovers the generator's parameters (`validation/fit_btyd.py`).

mod browsing;
mod btyd;
mod calendar;
mod catalogue;
mod config;
mod customer;
mod email;
mod generator;
mod locales;
mod orders;
mod people;
mod places;
mod randomness;
mod ticketing;
mod venue_group;

pub use btyd::{BtydParams, Buyer};
pub use catalogue::{PRODUCT_COUNT, Product, catalogue};
pub use config::DemoConfig;
pub use generator::{Generator, HISTORY_YEARS, Scratch, generate};
pub use ticketing::{PRODUCTIONS, VENUES};
pub use venue_group::{GROUP_VENUES, ORGANISATIONS, VenueGroup, generate_venue_group};
