//! The bundled gazetteer: city and postcode centroids that place an address
//! given only as country + postcode or country + city name.
//!
//! The data (`data/gazetteer.tsv`, GeoNames, CC BY 4.0) is compiled into
//! the binary as plain text (decompressing it cost more than the 100 ms
//! budget for loading allows on a busy machine) and indexed once, on first
//! use. Every string handed out borrows from that text, and the indexes are
//! sorted vectors of 64-bit name hashes, so loading allocates almost nothing
//! per place.

use crate::name_key::{name_key_into, zip_key};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

static GAZETTEER_TSV: &str = include_str!("../data/gazetteer.tsv");

/// A city (or town, village) centroid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct City {
    /// ISO 3166-1 alpha-2 country code (`NO`).
    pub country: &'static str,
    /// The GeoNames name (`Tromsø`, `New York City`).
    pub name: &'static str,
    /// Whole ISO 3166-2 code (`NO-55`, `US-NY`), when known.
    pub region: Option<&'static str>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Population as GeoNames records it.
    pub population: u64,
    /// A representative postcode of the city, when the country has postcodes.
    pub zip: Option<&'static str>,
}

/// A postcode centroid. Some countries' codes are areas rather than
/// delivery points: GB ships outward codes (`SW1A`), CA forward sortation
/// areas (`K1A`), NL four-digit codes (`1011`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Postcode {
    /// ISO 3166-1 alpha-2 country code.
    pub country: &'static str,
    /// The postcode as GeoNames writes it.
    pub zip: &'static str,
    /// Whole ISO 3166-2 code, when known.
    pub region: Option<&'static str>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// The place name the postcode belongs to.
    pub place: &'static str,
}

/// What an address was placed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The postcode (or its area prefix, e.g. a GB outward code).
    Postcode,
    /// A city's name.
    City,
    /// One of a large city's other names (`København` for Copenhagen).
    CityAlias,
    /// The place name of a postcode (villages too small to be cities,
    /// `New York` as US postcodes write it).
    PostcodePlace,
}

/// Where the gazetteer put an address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Whole ISO 3166-2 code of the match, when known.
    pub region: Option<&'static str>,
    /// The city or postcode place name matched.
    pub name: &'static str,
    /// The postcode matched (postcode matches only).
    pub zip: Option<&'static str>,
    /// What matched.
    pub matched: MatchKind,
}

/// City and postcode centroids with lookup by postcode and by name.
pub struct Gazetteer {
    /// Grouped by country, each group largest first.
    cities: Vec<City>,
    /// Grouped by country, each group sorted by code.
    postcodes: Vec<Postcode>,
    cities_by_country: HashMap<&'static str, Range<usize>>,
    postcodes_by_country: HashMap<&'static str, Range<usize>>,
    /// Country + city name key → city indexes, largest first.
    city_names: HashIndex,
    /// Country + alias key → city indexes, largest first.
    city_aliases: HashIndex,
    /// Country + zip key → postcode index.
    zips: HashIndex,
    /// Country + place key → postcode indexes.
    places: HashIndex,
}

/// A multimap from a 64-bit hash of (country, key) to record indexes, kept
/// as one sorted vector: building it is a push and one sort, where a map of
/// strings would allocate per entry. With 64-bit hashes and a few hundred
/// thousand keys a collision is a one-in-a-billion event, and would only
/// return a wrong namesake, so keys are not stored to be compared.
#[derive(Default)]
struct HashIndex(Vec<(u64, u32)>);

impl HashIndex {
    fn insert(&mut self, hash: u64, index: u32) {
        self.0.push((hash, index));
    }

    fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    /// The indexes under `hash`, in ascending order.
    fn get(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.0.partition_point(|&(h, _)| h < hash);
        self.0[start..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, i)| i)
    }
}

/// FNV-1a over the country and the key: fast, and stable across runs.
fn key_hash(country: &str, key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in country.bytes().chain([0]).chain(key.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("cities", &self.cities.len())
            .field("postcodes", &self.postcodes.len())
            .finish()
    }
}

impl Gazetteer {
    /// The bundled gazetteer, decoded on first use (tens of milliseconds)
    /// and shared for the life of the process.
    pub fn global() -> &'static Gazetteer {
        static GLOBAL: OnceLock<Gazetteer> = OnceLock::new();
        GLOBAL.get_or_init(|| Gazetteer::from_tsv(GAZETTEER_TSV))
    }

    /// Builds a gazetteer from text in the bundled format (see
    /// `data/build/build_gazetteer.py`). Malformed lines are skipped.
    pub fn from_tsv(text: &'static str) -> Gazetteer {
        let mut g = Gazetteer {
            cities: Vec::with_capacity(70_000),
            postcodes: Vec::with_capacity(90_000),
            cities_by_country: HashMap::new(),
            postcodes_by_country: HashMap::new(),
            city_names: HashIndex::default(),
            city_aliases: HashIndex::default(),
            zips: HashIndex::default(),
            places: HashIndex::default(),
        };
        let mut key = String::new();
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(tag), Some(country), Some(a), Some(region), Some(lat), Some(lon), Some(b)) = (
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
                f.next(),
            ) else {
                continue;
            };
            let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                continue;
            };
            let region = (!region.is_empty()).then_some(region);
            match tag {
                "C" => {
                    let zip = f.next().filter(|z| !z.is_empty());
                    let aliases = f.next().unwrap_or("");
                    let i = g.cities.len() as u32;
                    g.cities.push(City {
                        country,
                        name: a,
                        region,
                        lat,
                        lon,
                        population: b.parse().unwrap_or(0),
                        zip,
                    });
                    name_key_into(a, &mut key);
                    g.city_names.insert(key_hash(country, &key), i);
                    for alias in aliases.split('|').filter(|s| !s.is_empty()) {
                        name_key_into(alias, &mut key);
                        g.city_aliases.insert(key_hash(country, &key), i);
                    }
                }
                "P" => {
                    let i = g.postcodes.len() as u32;
                    g.postcodes.push(Postcode {
                        country,
                        zip: a,
                        region,
                        lat,
                        lon,
                        place: b,
                    });
                    g.zips.insert(key_hash(country, &zip_key(a)), i);
                    name_key_into(b, &mut key);
                    g.places.insert(key_hash(country, &key), i);
                }
                _ => {}
            }
        }
        for index in [
            &mut g.city_names,
            &mut g.city_aliases,
            &mut g.zips,
            &mut g.places,
        ] {
            index.finish();
        }
        g.cities_by_country = group_ranges(g.cities.iter().map(|c| c.country));
        g.postcodes_by_country = group_ranges(g.postcodes.iter().map(|p| p.country));
        g
    }

    /// The cities of a country (ISO alpha-2, any case), largest first; empty
    /// for a country the gazetteer does not know.
    pub fn cities(&self, country: &str) -> &[City] {
        let country = country.trim().to_ascii_uppercase();
        self.cities_by_country
            .get(country.as_str())
            .map_or(&[], |r| &self.cities[r.clone()])
    }

    /// The postcodes of a country, sorted by code; empty where none are bundled.
    pub fn postcodes(&self, country: &str) -> &[Postcode] {
        let country = country.trim().to_ascii_uppercase();
        self.postcodes_by_country
            .get(country.as_str())
            .map_or(&[], |r| &self.postcodes[r.clone()])
    }

    /// The postcodes whose place name matches `place` (case- and
    /// diacritic-insensitive), e.g. every `Oslo` postcode.
    pub fn postcodes_of_place(&self, country: &str, place: &str) -> Vec<&Postcode> {
        let hash = key_hash(
            &country.trim().to_ascii_uppercase(),
            &crate::name_key(place),
        );
        self.places
            .get(hash)
            .map(|i| &self.postcodes[i as usize])
            .collect()
    }

    /// Every country with cities in the gazetteer.
    pub fn countries(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.cities_by_country.keys().copied()
    }

    /// Places an address: by country + postcode first (the longest known
    /// prefix of the code, so `SW1A 1AA` finds the outward code `SW1A` and
    /// `10001-1234` finds `10001`), else by city name within the country —
    /// case- and diacritic-insensitive, preferring `region` (whole ISO code
    /// `US-NY` or bare `NY`) and then the most populous — then by other
    /// names of large cities, then by postcode place names. `None` when
    /// nothing matches.
    pub fn locate(
        &self,
        country: &str,
        zip: Option<&str>,
        city: Option<&str>,
        region: Option<&str>,
    ) -> Option<Place> {
        let country = country.trim().to_ascii_uppercase();
        if country.len() != 2 {
            return None;
        }
        if let Some(place) = zip.and_then(|z| self.locate_zip(&country, z)) {
            return Some(place);
        }
        let city = city.map(crate::name_key).filter(|k| !k.is_empty())?;
        let hash = key_hash(&country, &city);
        let region = region.map(str::trim).filter(|r| !r.is_empty()).map(|r| {
            let r = r.to_ascii_uppercase();
            if r.contains('-') {
                r
            } else {
                format!("{country}-{r}")
            }
        });
        // The first index is the most populous city (or the lowest
        // postcode); a namesake in the wanted region wins over it.
        let prefer = |index: &HashIndex, region_of: &dyn Fn(u32) -> Option<&'static str>| {
            let wanted = region.as_deref();
            let first = index.get(hash).next()?;
            let in_region = index
                .get(hash)
                .find(|&i| wanted.is_some() && region_of(i) == wanted);
            Some(in_region.unwrap_or(first))
        };
        let city_region = |i: u32| self.cities[i as usize].region;
        for (map, matched) in [
            (&self.city_names, MatchKind::City),
            (&self.city_aliases, MatchKind::CityAlias),
        ] {
            if let Some(i) = prefer(map, &city_region) {
                let c = &self.cities[i as usize];
                return Some(Place {
                    lat: c.lat,
                    lon: c.lon,
                    region: c.region,
                    name: c.name,
                    zip: None,
                    matched,
                });
            }
        }
        let postcode_region = |i: u32| self.postcodes[i as usize].region;
        let i = prefer(&self.places, &postcode_region)?;
        let p = &self.postcodes[i as usize];
        Some(Place {
            lat: p.lat,
            lon: p.lon,
            region: p.region,
            name: p.place,
            zip: None,
            matched: MatchKind::PostcodePlace,
        })
    }

    fn locate_zip(&self, country: &str, zip: &str) -> Option<Place> {
        let zip = zip_key(zip);
        // Longest known prefix, down to two characters: codes are often
        // given more finely than the bundled areas (GB, CA, NL, ZIP+4).
        (2..=zip.len()).rev().find_map(|len| {
            let i = self.zips.get(key_hash(country, &zip[..len])).next()?;
            let p = &self.postcodes[i as usize];
            Some(Place {
                lat: p.lat,
                lon: p.lon,
                region: p.region,
                name: p.place,
                zip: Some(p.zip),
                matched: MatchKind::Postcode,
            })
        })
    }
}

/// Index ranges of consecutive runs of equal countries.
fn group_ranges(
    countries: impl Iterator<Item = &'static str>,
) -> HashMap<&'static str, Range<usize>> {
    let mut out: HashMap<&'static str, Range<usize>> = HashMap::new();
    for (i, c) in countries.enumerate() {
        out.entry(c)
            .and_modify(|r| r.end = i + 1)
            .or_insert(i..i + 1);
    }
    out
}

#[cfg(test)]
mod tests;
