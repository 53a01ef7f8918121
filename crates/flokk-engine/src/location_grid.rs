//! Address positions in a grid of quarter-degree cells, so a distance
//! filter tests only the addresses in the cells its circle touches, not
//! every address in the store.
//!
//! A cell is 0.25° of latitude by 0.25° of longitude (about 28 km by
//! 28·cos(latitude) km): a city-sized radius touches a handful of cells.
//! The cells a circle may touch come from its bounding box on the sphere
//! (the longitude half-width is asin(sin(r/R) / cos(lat))); a circle that
//! reaches a pole, or is wide enough, takes every longitude. Longitudes
//! wrap at ±180°, so a circle across the antimeridian finds both sides.
//! Each customer's cells are remembered so that replacing a customer's
//! addresses (catch-up) touches only those cells.

use crate::customers::Location;
use std::collections::HashMap;

/// Cells per degree.
const PER_DEGREE: f64 = 4.0;
/// Longitude cells around the globe.
const LON_CELLS: i64 = 360 * 4;
/// Latitude cells from pole to pole.
const LAT_CELLS: i64 = 180 * 4;
/// `cell_of` for a customer without locations.
const NONE: u32 = u32::MAX;
/// `cell_of` for a customer with locations in several cells (see `spread`).
const SEVERAL: u32 = u32::MAX - 1;

fn lat_index(lat: f64) -> i64 {
    (((lat + 90.0) * PER_DEGREE).floor() as i64).clamp(0, LAT_CELLS - 1)
}

fn lon_index(lon: f64) -> i64 {
    (((lon + 180.0) * PER_DEGREE).floor() as i64).rem_euclid(LON_CELLS)
}

fn cell(lat: f64, lon: f64) -> u32 {
    (lat_index(lat) * LON_CELLS + lon_index(lon)) as u32
}

/// Every address position, by cell.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct LocationGrid {
    cells: HashMap<u32, Vec<Location>>,
    /// The cell of each customer's locations by ordinal, or [`NONE`] /
    /// [`SEVERAL`].
    cell_of: Vec<u32>,
    /// The cells of customers with locations in more than one.
    spread: HashMap<u32, Vec<u32>>,
}

impl LocationGrid {
    /// Adds a position.
    pub fn push(&mut self, location: Location) {
        let c = location.customer as usize;
        let key = cell(location.lat, location.lon);
        self.cells.entry(key).or_default().push(location);
        if self.cell_of.len() <= c {
            self.cell_of.resize(c + 1, NONE);
        }
        match self.cell_of[c] {
            NONE => self.cell_of[c] = key,
            SEVERAL => {
                let cells = self.spread.entry(location.customer).or_default();
                if !cells.contains(&key) {
                    cells.push(key);
                }
            }
            one if one != key => {
                self.cell_of[c] = SEVERAL;
                self.spread.insert(location.customer, vec![one, key]);
            }
            _ => {}
        }
    }

    /// Removes every position of customer `customer`.
    pub fn remove_customer(&mut self, customer: u32) {
        let Some(&at) = self.cell_of.get(customer as usize) else {
            return;
        };
        let cells = match at {
            NONE => return,
            SEVERAL => self.spread.remove(&customer).unwrap_or_default(),
            one => vec![one],
        };
        for key in cells {
            if let Some(list) = self.cells.get_mut(&key) {
                list.retain(|l| l.customer != customer);
                if list.is_empty() {
                    self.cells.remove(&key);
                }
            }
        }
        self.cell_of[customer as usize] = NONE;
    }

    /// How many positions are held.
    pub fn len(&self) -> usize {
        self.cells.values().map(Vec::len).sum()
    }

    /// Whether no position is held.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Every position, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Location> {
        self.cells.values().flatten()
    }

    /// Calls `found` with every position within `radius_km` (inclusive,
    /// by `flokk_geo::haversine_km`) of (`lat`, `lon`).
    pub fn within(&self, lat: f64, lon: f64, radius_km: f64, mut found: impl FnMut(&Location)) {
        if !(lat.is_finite() && lon.is_finite() && radius_km >= 0.0) {
            return;
        }
        let mut test = |list: &Vec<Location>| {
            for l in list {
                if flokk_geo::haversine_km(lat, lon, l.lat, l.lon) <= radius_km {
                    found(l);
                }
            }
        };
        // Angular radius, with a margin for rounding at the cell edges.
        let angle = radius_km / flokk_geo::EARTH_RADIUS_KM;
        let dlat = angle.to_degrees() + 1e-6;
        let (south, north) = (lat - dlat, lat + dlat);
        let lat_range = lat_index(south)..=lat_index(north);
        let reaches_pole = north >= 90.0 || south <= -90.0;
        let cos_lat = lat.to_radians().cos();
        let every_longitude =
            reaches_pole || angle >= std::f64::consts::FRAC_PI_2 || angle.sin() >= cos_lat;
        if every_longitude {
            for (key, list) in &self.cells {
                if lat_range.contains(&(i64::from(*key) / LON_CELLS)) {
                    test(list);
                }
            }
            return;
        }
        let dlon = (angle.sin() / cos_lat).asin().to_degrees() + 1e-6;
        let west = ((lon - dlon + 180.0) * PER_DEGREE).floor() as i64;
        let east = ((lon + dlon + 180.0) * PER_DEGREE).floor() as i64;
        let lon_cells: Vec<i64> = if east - west + 1 >= LON_CELLS {
            (0..LON_CELLS).collect()
        } else {
            (west..=east).map(|i| i.rem_euclid(LON_CELLS)).collect()
        };
        for la in lat_range {
            for lo in &lon_cells {
                if let Some(list) = self.cells.get(&((la * LON_CELLS + lo) as u32)) {
                    test(list);
                }
            }
        }
    }
}

impl crate::space_usage::HeapSize for LocationGrid {
    fn heap_bytes(&self) -> usize {
        self.cells.heap_bytes() + self.cell_of.heap_bytes() + self.spread.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(all: &[Location], lat: f64, lon: f64, r: f64) -> Vec<(u32, u64, u64)> {
        let mut v: Vec<_> = all
            .iter()
            .filter(|l| flokk_geo::haversine_km(lat, lon, l.lat, l.lon) <= r)
            .map(|l| (l.customer, l.lat.to_bits(), l.lon.to_bits()))
            .collect();
        v.sort_unstable();
        v
    }

    fn grid_answer(g: &LocationGrid, lat: f64, lon: f64, r: f64) -> Vec<(u32, u64, u64)> {
        let mut v = Vec::new();
        g.within(lat, lon, r, |l| {
            v.push((l.customer, l.lat.to_bits(), l.lon.to_bits()))
        });
        v.sort_unstable();
        v
    }

    /// Points near the centre as well as anywhere, so circles find some.
    fn locations() -> impl Strategy<Value = Vec<Location>> {
        proptest::collection::vec(
            (0u32..40, -90.0f64..=90.0, -180.0f64..180.0, any::<bool>()),
            0..120,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(customer, lat, lon, near)| {
                    let (lat, lon) = if near {
                        (59.9 + lat / 90.0, 179.9 + lon / 180.0 * 0.4)
                    } else {
                        (lat, lon)
                    };
                    let lon = if lon >= 180.0 { lon - 360.0 } else { lon };
                    Location { customer, lat, lon }
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_grid_finds_exactly_what_testing_every_address_finds(
            all in locations(),
            lat in prop_oneof![-90.0f64..=90.0, 59.0f64..61.0, 88.0f64..=90.0],
            lon in prop_oneof![-180.0f64..180.0, 179.0f64..180.0, -180.0f64..-179.0],
            r in prop_oneof![0.0f64..5.0, 0.0f64..200.0, 0.0f64..25_000.0],
            removed in proptest::collection::vec(0u32..40, 0..5),
        ) {
            let mut g = LocationGrid::default();
            for l in &all {
                g.push(*l);
            }
            for c in &removed {
                g.remove_customer(*c);
            }
            let kept: Vec<Location> = all.iter().copied().filter(|l| !removed.contains(&l.customer)).collect();
            prop_assert_eq!(g.len(), kept.len());
            prop_assert_eq!(grid_answer(&g, lat, lon, r), brute(&kept, lat, lon, r));
        }
    }

    #[test]
    fn a_circle_across_the_antimeridian_finds_both_sides() {
        let mut g = LocationGrid::default();
        g.push(Location {
            customer: 1,
            lat: 0.0,
            lon: 179.9,
        });
        g.push(Location {
            customer: 2,
            lat: 0.0,
            lon: -179.9,
        });
        g.push(Location {
            customer: 3,
            lat: 0.0,
            lon: 0.0,
        });
        assert_eq!(grid_answer(&g, 0.0, 180.0, 20.0).len(), 2);
    }
}
