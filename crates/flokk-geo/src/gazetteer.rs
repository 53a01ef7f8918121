//! The bundled gazetteer: city and postcode centroids that place an address
//! given only as country + postcode or country + city name.
//!
//! The data (`data/gazetteer.tsv`, GeoNames, CC BY 4.0) is compiled into
//! the binary as plain text (decompressing it alone cost most of the 100 ms
//! that loading may take). Loading only finds where each country's lines
//! are; a country is parsed and indexed the first time it is asked about,
//! so an import of Nordic customers never pays for the US. Every string
//! handed out borrows from the text, and the indexes are sorted vectors of
//! 64-bit name hashes, so indexing allocates almost nothing per place.

use crate::name_key::{name_key_into, zip_key};
use std::collections::BTreeMap;
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
    countries: BTreeMap<&'static str, Country>,
}

/// One country's lines of the data, indexed on first use.
struct Country {
    /// The country's city lines (contiguous in the data).
    city_lines: &'static str,
    /// The country's postcode lines (contiguous in the data).
    postcode_lines: &'static str,
    data: OnceLock<CountryData>,
}

/// One country's places and indexes.
#[derive(Default)]
struct CountryData {
    /// Largest first.
    cities: Vec<City>,
    /// Sorted by code.
    postcodes: Vec<Postcode>,
    /// Name key → city indexes, largest first.
    city_names: HashIndex,
    /// Alias key → city indexes, largest first.
    city_aliases: HashIndex,
    /// Zip key → postcode index.
    zips: HashIndex,
    /// Place key → postcode indexes.
    places: HashIndex,
}

/// A multimap from a 64-bit hash of a key to record indexes, kept as one
/// sorted vector: building it is a push and one sort, where a map of
/// strings would allocate per entry. With 64-bit hashes and at most tens of
/// thousands of keys per country a collision is a one-in-a-trillion event,
/// and would only return a wrong namesake, so keys are not stored.
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

/// FNV-1a: fast, and stable across runs.
fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let indexed = self
            .countries
            .values()
            .filter(|c| c.data.get().is_some())
            .count();
        f.debug_struct("Gazetteer")
            .field("countries", &self.countries.len())
            .field("indexed", &indexed)
            .finish()
    }
}

impl Gazetteer {
    /// The bundled gazetteer, shared for the life of the process. The first
    /// call finds each country's lines (a few milliseconds); each country
    /// is indexed on its first lookup (the largest, the US, in about 20 ms).
    pub fn global() -> &'static Gazetteer {
        static GLOBAL: OnceLock<Gazetteer> = OnceLock::new();
        GLOBAL.get_or_init(|| Gazetteer::from_tsv(GAZETTEER_TSV))
    }

    /// A gazetteer over text in the bundled format (see
    /// `data/build/build_gazetteer.py`): lines `C` (city) and `P`
    /// (postcode), each kind grouped by country. Malformed lines are skipped.
    pub fn from_tsv(text: &'static str) -> Gazetteer {
        // (tag, country) → byte range of its block of lines. Blocks are
        // contiguous, so a line costs one prefix comparison ("C\tNO\t")
        // unless it starts a new block.
        let mut blocks: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
        let mut current: Option<(&str, &str, &str, usize)> = None; // prefix, tag, country, start
        let mut offset = 0;
        let mut finish = |current: Option<(&'static str, &'static str, &'static str, usize)>,
                          end: usize| {
            if let Some((_, tag, country, start)) = current {
                // A block seen twice (unsorted data) spans both; `parse`
                // skips other countries' lines in between.
                let block = blocks.entry((tag, country)).or_insert((start, end));
                block.0 = block.0.min(start);
                block.1 = block.1.max(end);
            }
        };
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if current.is_some_and(|(prefix, ..)| line.starts_with(prefix)) {
                continue;
            }
            let Some(prefix_len) = line.match_indices('\t').nth(1).map(|(i, _)| i + 1) else {
                continue;
            };
            let prefix = &line[..prefix_len];
            let Some((tag, country)) = prefix[..prefix_len - 1].split_once('\t') else {
                continue;
            };
            finish(current, start);
            current = Some((prefix, tag, country, start));
        }
        finish(current, offset);
        let mut countries: BTreeMap<&'static str, Country> = BTreeMap::new();
        for ((tag, country), (start, end)) in blocks {
            let entry = countries.entry(country).or_insert_with(|| Country {
                city_lines: "",
                postcode_lines: "",
                data: OnceLock::new(),
            });
            match tag {
                "C" => entry.city_lines = &text[start..end],
                "P" => entry.postcode_lines = &text[start..end],
                _ => {}
            }
        }
        Gazetteer { countries }
    }

    /// A country's places, indexing it on first use.
    fn country(&self, country: &str) -> Option<&CountryData> {
        let code = country.trim().to_ascii_uppercase();
        let c = self.countries.get(code.as_str())?;
        Some(
            c.data
                .get_or_init(|| CountryData::parse(&code, c.city_lines, c.postcode_lines)),
        )
    }

    /// The cities of a country (ISO alpha-2, any case), largest first; empty
    /// for a country the gazetteer does not know.
    pub fn cities(&self, country: &str) -> &[City] {
        self.country(country).map_or(&[], |c| &c.cities)
    }

    /// The postcodes of a country, sorted by code; empty where none are bundled.
    pub fn postcodes(&self, country: &str) -> &[Postcode] {
        self.country(country).map_or(&[], |c| &c.postcodes)
    }

    /// The postcodes whose place name matches `place` (case- and
    /// diacritic-insensitive), e.g. every `Oslo` postcode.
    pub fn postcodes_of_place(&self, country: &str, place: &str) -> Vec<&Postcode> {
        let Some(c) = self.country(country) else {
            return Vec::new();
        };
        c.places
            .get(key_hash(&crate::name_key(place)))
            .map(|i| &c.postcodes[i as usize])
            .collect()
    }

    /// Every country with places in the gazetteer, in code order.
    pub fn countries(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.countries.keys().copied()
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
        let data = self.country(&country)?;
        if let Some(place) = zip.and_then(|z| data.locate_zip(z)) {
            return Some(place);
        }
        let city = city.map(crate::name_key).filter(|k| !k.is_empty())?;
        let hash = key_hash(&city);
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
        let city_region = |i: u32| data.cities[i as usize].region;
        for (index, matched) in [
            (&data.city_names, MatchKind::City),
            (&data.city_aliases, MatchKind::CityAlias),
        ] {
            if let Some(i) = prefer(index, &city_region) {
                let c = &data.cities[i as usize];
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
        let postcode_region = |i: u32| data.postcodes[i as usize].region;
        let i = prefer(&data.places, &postcode_region)?;
        let p = &data.postcodes[i as usize];
        Some(Place {
            lat: p.lat,
            lon: p.lon,
            region: p.region,
            name: p.place,
            zip: None,
            matched: MatchKind::PostcodePlace,
        })
    }
}

impl CountryData {
    fn parse(code: &str, city_lines: &'static str, postcode_lines: &'static str) -> CountryData {
        let mut d = CountryData::default();
        let mut key = String::new();
        for line in city_lines.lines().chain(postcode_lines.lines()) {
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
            if country != code {
                continue;
            }
            let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                continue;
            };
            let region = (!region.is_empty()).then_some(region);
            match tag {
                "C" => {
                    let zip = f.next().filter(|z| !z.is_empty());
                    let aliases = f.next().unwrap_or("");
                    let i = d.cities.len() as u32;
                    d.cities.push(City {
                        country,
                        name: a,
                        region,
                        lat,
                        lon,
                        population: b.parse().unwrap_or(0),
                        zip,
                    });
                    name_key_into(a, &mut key);
                    d.city_names.insert(key_hash(&key), i);
                    for alias in aliases.split('|').filter(|s| !s.is_empty()) {
                        name_key_into(alias, &mut key);
                        d.city_aliases.insert(key_hash(&key), i);
                    }
                }
                "P" => {
                    let i = d.postcodes.len() as u32;
                    d.postcodes.push(Postcode {
                        country,
                        zip: a,
                        region,
                        lat,
                        lon,
                        place: b,
                    });
                    d.zips.insert(key_hash(&zip_key(a)), i);
                    name_key_into(b, &mut key);
                    d.places.insert(key_hash(&key), i);
                }
                _ => {}
            }
        }
        for index in [
            &mut d.city_names,
            &mut d.city_aliases,
            &mut d.zips,
            &mut d.places,
        ] {
            index.finish();
        }
        d
    }

    fn locate_zip(&self, zip: &str) -> Option<Place> {
        let zip = zip_key(zip);
        // Longest known prefix, down to two characters: codes are often
        // given more finely than the bundled areas (GB, CA, NL, ZIP+4).
        (2..=zip.len()).rev().find_map(|len| {
            let i = self.zips.get(key_hash(&zip[..len])).next()?;
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

mod origin;
pub use origin::{Origin, PlaceError};

#[cfg(test)]
mod tests;
