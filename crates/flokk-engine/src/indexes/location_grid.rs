//! Address positions in a grid of quarter-degree cells, so a distance
//! filter tests only the positions in the cells its circle touches, not
//! every address in the store.
//!
//! A cell is 0.25° of latitude by 0.25° of longitude (about 28 km by
//! 28·cos(latitude) km): a city-sized radius touches a handful of cells.
//! The cells a circle may touch come from its bounding box on the sphere
//! (the longitude half-width is asin(sin(r/R) / cos(lat))); a circle that
//! reaches a pole, or is wide enough, takes every longitude. Longitudes
//! wrap at ±180°, so a circle across the antimeridian finds both sides.
//!
//! Positions repeat: the gazetteer places an address without coordinates
//! at its postcode or city, so a city's customers share a handful of
//! points. The grid therefore holds each distinct point once (exact `f64`
//! coordinates), with the customers at it, packed into sorted arrays
//! ([`LocationGrid::pack`], at [`crate::Engine::compact`]): about four
//! bytes an address instead of 24 plus a map entry, and one distance
//! computed per point instead of per address. Positions added after
//! packing (a catch-up) wait in a plain list; a customer whose addresses
//! are replaced or removed is marked stale, and their packed positions
//! are skipped until the next packing.

use crate::CustomerSet;
use flokk_model::Customer;

/// One address position, for distance filters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The customer's ordinal.
    pub customer: u32,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

/// Cells per degree.
const PER_DEGREE: f64 = 4.0;
/// Longitude cells around the globe.
const LON_CELLS: i64 = 360 * 4;
/// Latitude cells from pole to pole.
const LAT_CELLS: i64 = 180 * 4;

fn lat_index(lat: f64) -> i64 {
    (((lat + 90.0) * PER_DEGREE).floor() as i64).clamp(0, LAT_CELLS - 1)
}

fn lon_index(lon: f64) -> i64 {
    (((lon + 180.0) * PER_DEGREE).floor() as i64).rem_euclid(LON_CELLS)
}

fn cell(lat: f64, lon: f64) -> u32 {
    (lat_index(lat) * LON_CELLS + lon_index(lon)) as u32
}

/// Every address position, by cell (see the module doc).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct LocationGrid {
    /// The cells with packed points, ascending.
    #[serde(with = "crate::columns::column_bytes")]
    cells: Vec<u32>,
    /// Where each cell's points start (one more entry than `cells`).
    #[serde(with = "crate::columns::column_bytes")]
    cell_start: Vec<u32>,
    /// Each packed point's latitude.
    #[serde(with = "crate::columns::column_bytes")]
    lat: Vec<f64>,
    /// Each packed point's longitude.
    #[serde(with = "crate::columns::column_bytes")]
    lon: Vec<f64>,
    /// Where each point's customers start (one more entry than points).
    #[serde(with = "crate::columns::column_bytes")]
    point_start: Vec<u32>,
    /// The customers at each point, point after point.
    #[serde(with = "crate::columns::column_bytes")]
    customers: Vec<u32>,
    /// Customers whose packed positions no longer count.
    stale: CustomerSet,
    /// Positions added since the last packing.
    later: Vec<Location>,
    /// The customers with a position in `later`.
    later_customers: CustomerSet,
    /// The packed points of each customer, built on the first question
    /// about a few customers ([`LocationGrid::within_of`]); packing makes a
    /// new grid, so it never goes stale.
    #[serde(skip)]
    points_of: std::sync::OnceLock<PointsOfCustomers>,
}

/// Customer `c`'s packed points are `points[start[c]..start[c + 1]]`.
#[derive(Debug, Default, Clone)]
struct PointsOfCustomers {
    start: Vec<u32>,
    points: Vec<u32>,
}

impl PointsOfCustomers {
    /// By a counting sort of every packed (point, customer) pair.
    fn build(grid: &LocationGrid) -> Self {
        let customers = grid.customers.iter().max().map_or(0, |m| *m as usize + 1);
        let mut start = vec![0u32; customers + 1];
        for &c in &grid.customers {
            start[c as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut points = vec![0u32; grid.customers.len()];
        for p in 0..grid.lat.len() {
            for &c in grid.at_point(p) {
                points[next[c as usize] as usize] = p as u32;
                next[c as usize] += 1;
            }
        }
        PointsOfCustomers { start, points }
    }

    fn of(&self, c: u32) -> &[u32] {
        match (self.start.get(c as usize), self.start.get(c as usize + 1)) {
            (Some(&s), Some(&e)) => &self.points[s as usize..e as usize],
            _ => &[],
        }
    }
}

impl LocationGrid {
    /// Adds the positions of customer `o`'s addresses: `coordinates` are
    /// the positions given or placed by the gazetteer, address by address;
    /// an address without one counts with its own `lat`/`lon`, if any.
    pub fn add_customer(&mut self, o: u32, c: &Customer, coordinates: &[Option<(f64, f64)>]) {
        for (a, coords) in c
            .addresses
            .iter()
            .zip(coordinates.iter().chain(std::iter::repeat(&None)))
        {
            let coords = coords.or(a.lat.zip(a.lon));
            if let Some((lat, lon)) = coords {
                self.push(Location {
                    customer: o,
                    lat,
                    lon,
                });
            }
        }
    }

    /// Adds a position.
    pub fn push(&mut self, location: Location) {
        self.later_customers.insert(location.customer);
        self.later.push(location);
    }

    /// Removes every position of customer `customer`.
    pub fn remove_customer(&mut self, customer: u32) {
        if self.later_customers.remove(customer) {
            self.later.retain(|l| l.customer != customer);
        }
        if !self.customers.is_empty() {
            self.stale.insert(customer);
        }
    }

    /// Packs every position that counts into the sorted arrays (see the
    /// module doc), dropping stale ones.
    pub fn pack(&mut self) {
        let mut all: Vec<(u32, u64, u64, u32)> =
            Vec::with_capacity(self.customers.len() + self.later.len());
        self.for_each(|customer, lat, lon| {
            all.push((cell(lat, lon), lat.to_bits(), lon.to_bits(), customer));
        });
        all.sort_unstable();
        all.dedup();
        let mut packed = LocationGrid::default();
        for (cell, lat, lon, customer) in all {
            if packed.cells.last() != Some(&cell) {
                packed.cells.push(cell);
                packed.cell_start.push(packed.lat.len() as u32);
            }
            let (lat, lon) = (f64::from_bits(lat), f64::from_bits(lon));
            let same_point = packed.lat.len() > *packed.cell_start.last().unwrap_or(&0) as usize
                && packed.lat.last().map(|x| x.to_bits()) == Some(lat.to_bits())
                && packed.lon.last().map(|x| x.to_bits()) == Some(lon.to_bits());
            if !same_point {
                packed.lat.push(lat);
                packed.lon.push(lon);
                packed.point_start.push(packed.customers.len() as u32);
            }
            packed.customers.push(customer);
        }
        packed.cell_start.push(packed.lat.len() as u32);
        packed.point_start.push(packed.customers.len() as u32);
        if packed.customers.is_empty() {
            packed = LocationGrid::default();
        }
        *self = packed;
    }

    /// Calls `f` with every position that counts (customer, latitude,
    /// longitude), in no particular order.
    fn for_each(&self, mut f: impl FnMut(u32, f64, f64)) {
        for p in 0..self.lat.len() {
            for &c in self.at_point(p) {
                if !self.stale.contains(c) {
                    f(c, self.lat[p], self.lon[p]);
                }
            }
        }
        for l in &self.later {
            f(l.customer, l.lat, l.lon);
        }
    }

    fn at_point(&self, p: usize) -> &[u32] {
        &self.customers[self.point_start[p] as usize..self.point_start[p + 1] as usize]
    }

    /// How many positions count.
    pub fn len(&self) -> usize {
        let mut n = 0;
        self.for_each(|_, _, _| n += 1);
        n
    }

    /// Whether no position counts.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `found` with the customer, latitude and longitude of every
    /// position within `radius_km` (inclusive, by
    /// `flokk_geo::haversine_km`) of (`lat`, `lon`).
    pub fn within(&self, lat: f64, lon: f64, radius_km: f64, mut found: impl FnMut(u32, f64, f64)) {
        if !(lat.is_finite() && lon.is_finite() && radius_km >= 0.0) {
            return;
        }
        let near =
            |plat: f64, plon: f64| flokk_geo::haversine_km(lat, lon, plat, plon) <= radius_km;
        for l in &self.later {
            if near(l.lat, l.lon) {
                found(l.customer, l.lat, l.lon);
            }
        }
        let mut test_cell = |i: usize| {
            for p in self.cell_start[i] as usize..self.cell_start[i + 1] as usize {
                if near(self.lat[p], self.lon[p]) {
                    for &c in self.at_point(p) {
                        if self.stale.is_empty() || !self.stale.contains(c) {
                            found(c, self.lat[p], self.lon[p]);
                        }
                    }
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
            for (i, key) in self.cells.iter().enumerate() {
                if lat_range.contains(&(i64::from(*key) / LON_CELLS)) {
                    test_cell(i);
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
                if let Ok(i) = self.cells.binary_search(&((la * LON_CELLS + lo) as u32)) {
                    test_cell(i);
                }
            }
        }
    }

    /// [`LocationGrid::within`] for the customers of `of` alone, at the
    /// cost of their own positions rather than of every position in the
    /// circle (a write checks the customers it touched against a distance
    /// segment; a big city's circle holds a good share of the store).
    pub fn within_of(
        &self,
        of: &CustomerSet,
        lat: f64,
        lon: f64,
        radius_km: f64,
        mut found: impl FnMut(u32, f64, f64),
    ) {
        if !(lat.is_finite() && lon.is_finite() && radius_km >= 0.0) {
            return;
        }
        let near =
            |plat: f64, plon: f64| flokk_geo::haversine_km(lat, lon, plat, plon) <= radius_km;
        if !self.later_customers.is_disjoint(of) {
            for l in &self.later {
                if of.contains(l.customer) && near(l.lat, l.lon) {
                    found(l.customer, l.lat, l.lon);
                }
            }
        }
        let points = self
            .points_of
            .get_or_init(|| PointsOfCustomers::build(self));
        for c in of {
            if self.stale.contains(c) {
                continue;
            }
            for &p in points.of(c) {
                let p = p as usize;
                if near(self.lat[p], self.lon[p]) {
                    found(c, self.lat[p], self.lon[p]);
                }
            }
        }
    }

    /// How many positions are packed (a distance question about fewer
    /// customers than this reads theirs alone).
    pub fn packed_len(&self) -> usize {
        self.customers.len()
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.later.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for Location {
    fn heap_bytes(&self) -> usize {
        0
    }
}

impl crate::columns::heap_size::HeapSize for LocationGrid {
    fn heap_bytes(&self) -> usize {
        self.cells.heap_bytes()
            + self.cell_start.heap_bytes()
            + self.lat.heap_bytes()
            + self.lon.heap_bytes()
            + self.point_start.heap_bytes()
            + self.customers.heap_bytes()
            + self.stale.heap_bytes()
            + self.later.heap_bytes()
            + self.later_customers.heap_bytes()
            + self
                .points_of
                .get()
                .map_or(0, |p| p.start.heap_bytes() + p.points.heap_bytes())
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
        // As a set: a customer twice at one point is one answer.
        v.sort_unstable();
        v.dedup();
        v
    }

    fn grid_answer(g: &LocationGrid, lat: f64, lon: f64, r: f64) -> Vec<(u32, u64, u64)> {
        let mut v = Vec::new();
        g.within(lat, lon, r, |customer, lat, lon| {
            v.push((customer, lat.to_bits(), lon.to_bits()))
        });
        v.sort_unstable();
        v.dedup();
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
            packed_at in 0usize..130,
            added in locations(),
        ) {
            // Positions before and after a packing, customers removed after
            // it (stale packed positions), and positions added for them
            // again.
            let mut g = LocationGrid::default();
            for (i, l) in all.iter().enumerate() {
                if i == packed_at {
                    g.pack();
                }
                g.push(*l);
            }
            for c in &removed {
                g.remove_customer(*c);
            }
            let again: Vec<Location> = added.into_iter().filter(|l| removed.contains(&l.customer)).collect();
            for l in &again {
                g.push(*l);
            }
            let mut kept: Vec<Location> = all.iter().copied().filter(|l| !removed.contains(&l.customer)).collect();
            kept.extend(again);
            prop_assert_eq!(grid_answer(&g, lat, lon, r), brute(&kept, lat, lon, r));
            // Asked about some customers only (a write's touched ones).
            let some: CustomerSet = removed.iter().copied().chain([0, 7, 13]).collect();
            let of_some = |g: &LocationGrid| {
                let mut v = Vec::new();
                g.within_of(&some, lat, lon, r, |c, lat, lon| v.push((c, lat.to_bits(), lon.to_bits())));
                v.sort_unstable();
                v.dedup();
                v
            };
            let mut wanted = brute(&kept, lat, lon, r);
            wanted.retain(|(c, _, _)| some.contains(*c));
            prop_assert_eq!(&of_some(&g), &wanted);
            g.pack();
            prop_assert_eq!(grid_answer(&g, lat, lon, r), brute(&kept, lat, lon, r));
            prop_assert_eq!(&of_some(&g), &wanted);

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
