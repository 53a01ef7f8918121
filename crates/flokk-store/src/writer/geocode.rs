//! Placing addresses that arrive without coordinates (data.md §1): the
//! bundled gazetteer by country and postcode, else by city name.

use flokk_geo::Gazetteer;
use flokk_model::Address;

/// Coordinates for an address without them, when the gazetteer knows the
/// place.
pub(crate) fn place(address: &Address) -> Option<(f64, f64)> {
    let country = address.country_code()?;
    Gazetteer::global()
        .locate(
            &country,
            address.zip.as_deref(),
            address.city.as_deref(),
            address.region_code().as_deref(),
        )
        .map(|p| (p.lat, p.lon))
}
