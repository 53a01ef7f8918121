//! Origins for proximity filters, named as a user names them:
//! `place = 'Boston, US'` or `postcode = '02108', country = 'US'`
//! (`customer_within_distance`, language.md §7.1).
//!
//! Unlike placing an address (`locate`, which takes its best guess, since an
//! import must go on), an origin decides who a segment holds, so a guess is
//! never taken silently:
//! - a name that matches cities in more than one region (`Portland, US`:
//!   Oregon and Maine) is ambiguous, and the error lists each with the
//!   spelling that picks it (`'Portland, US-OR, US'`), unless the largest
//!   has at least ten times the people of every namesake elsewhere (the
//!   spec's `'Boston, US'` is Boston, Massachusetts, not the villages of New
//!   York and Georgia; `'London'` is London, England, not Ontario);
//!   namesakes within one region are not told apart by a name, so the most
//!   populous is taken;
//! - a name without a country is looked up in every country, and is taken
//!   only when one region of one country has it (`'Tromsø'`);
//! - an unknown name or postcode lists the nearest spellings the
//!   gazetteer has.

use super::{CountryData, Gazetteer, key_hash};
use crate::name_key;
use std::fmt;

/// Where a named origin is.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// What was found, as it would be asked for (`Boston, US-MA, US`,
    /// `02108 Boston, US`).
    pub name: String,
}

/// Why a place or postcode names no single origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceError {
    /// Nothing has that name or code.
    Unknown {
        /// What was asked, as written.
        asked: String,
        /// Near spellings the gazetteer has, most likely first (maybe none).
        candidates: Vec<String>,
    },
    /// Several places in different regions have that name.
    Ambiguous {
        /// What was asked, as written.
        asked: String,
        /// Each place, spelled so that it is found alone, largest first.
        candidates: Vec<String>,
    },
    /// The country is not an ISO code the gazetteer knows, or has no
    /// postcodes bundled.
    Country {
        /// The country as given.
        country: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed = |c: &[String]| {
            c.iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            PlaceError::Unknown { asked, candidates } if candidates.is_empty() => {
                write!(f, "the gazetteer has no place '{asked}'")
            }
            PlaceError::Unknown { asked, candidates } => write!(
                f,
                "the gazetteer has no place '{asked}'; did you mean {}?",
                listed(candidates)
            ),
            PlaceError::Ambiguous { asked, candidates } => write!(
                f,
                "'{asked}' names several places; write one of {}",
                listed(candidates)
            ),
            PlaceError::Country { country, reason } => write!(f, "country '{country}': {reason}"),
        }
    }
}

impl std::error::Error for PlaceError {}

/// How many times the people of every namesake elsewhere the largest place
/// of a name has when the name alone picks it.
const DOMINANT: u64 = 10;

/// How many candidates an error lists at most.
const CANDIDATES: usize = 6;

/// One city or postcode place that matched a name.
struct Found {
    country: &'static str,
    name: &'static str,
    region: Option<&'static str>,
    lat: f64,
    lon: f64,
    population: u64,
}

impl Found {
    fn spelled(&self) -> String {
        match self.region {
            Some(r) => format!("{}, {r}, {}", self.name, self.country),
            None => format!("{}, {}", self.name, self.country),
        }
    }
}

impl Gazetteer {
    /// The origin a place name stands for: `'Boston, US'`, `'Portland,
    /// US-OR, US'` (or `'Portland, OR, US'`), `'Tromsø'` (any country), or
    /// a name with `country` given apart. Case and diacritics do not matter.
    pub fn resolve_place(&self, place: &str, country: Option<&str>) -> Result<Origin, PlaceError> {
        let parts: Vec<&str> = place
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let unknown = |candidates| PlaceError::Unknown {
            asked: place.trim().to_owned(),
            candidates,
        };
        let Some((&name, rest)) = parts.split_first() else {
            return Err(unknown(Vec::new()));
        };
        let mut rest = rest.to_vec();
        // The country: given apart, else the last part when it is a code
        // the gazetteer knows.
        let country = match country.map(str::trim) {
            Some(c) => {
                let c = self.known_country(c)?;
                if rest.last().is_some_and(|l| l.eq_ignore_ascii_case(c)) {
                    rest.pop();
                }
                Some(c)
            }
            None => match rest.last() {
                Some(last) => {
                    let c = self.known_country(last)?;
                    rest.pop();
                    Some(c)
                }
                None => None,
            },
        };
        let region = match rest.as_slice() {
            [] => None,
            [r] => Some(*r),
            _ => return Err(unknown(Vec::new())),
        };
        let countries: Vec<&'static str> = match country {
            Some(c) => vec![c],
            None => self.countries().collect(),
        };
        let key = name_key(name);
        let mut found = Vec::new();
        for c in &countries {
            let Some(data) = self.country(c) else {
                continue;
            };
            found.extend(matches(data, &key, c, region));
        }
        if found.is_empty() {
            let mut near = Vec::new();
            for c in &countries {
                if let Some(data) = self.country(c) {
                    near.extend(near_names(data, &key, c));
                }
            }
            near.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            near.dedup_by(|a, b| a.2 == b.2);
            return Err(unknown(
                near.into_iter().take(CANDIDATES).map(|n| n.2).collect(),
            ));
        }
        // Namesakes within one region are one choice: its most populous.
        found.sort_by_key(|f| std::cmp::Reverse(f.population));
        let mut chosen: Vec<Found> = Vec::new();
        for f in found {
            if !chosen
                .iter()
                .any(|c| c.country == f.country && c.region == f.region)
            {
                chosen.push(f);
            }
        }
        // A town a tenth the size or less is not what a user means by the
        // name (see the module doc).
        let dominant = chosen.len() == 1
            || chosen[0].population >= chosen[1].population.saturating_mul(DOMINANT);
        if !dominant {
            return Err(PlaceError::Ambiguous {
                asked: place.trim().to_owned(),
                candidates: chosen.iter().take(CANDIDATES).map(Found::spelled).collect(),
            });
        }
        let f = &chosen[0];
        Ok(Origin {
            lat: f.lat,
            lon: f.lon,
            name: f.spelled(),
        })
    }

    /// The origin of a postcode in a country (`'02108'`, `'US'`). Codes
    /// given more finely than the bundled areas find their area (`SW1A 1AA`
    /// finds `SW1A`).
    pub fn resolve_postcode(&self, postcode: &str, country: &str) -> Result<Origin, PlaceError> {
        let country = self.known_country(country)?;
        let Some(data) = self.country(country).filter(|d| !d.postcodes.is_empty()) else {
            let with: Vec<&str> = self
                .countries()
                .filter(|c| !self.postcodes(c).is_empty())
                .collect();
            return Err(PlaceError::Country {
                country: country.to_owned(),
                reason: format!(
                    "no postcodes are bundled for it (postcodes are bundled for {}); use place or coordinates",
                    with.join(", ")
                ),
            });
        };
        if let Some(p) = data.locate_zip(postcode) {
            return Ok(Origin {
                lat: p.lat,
                lon: p.lon,
                name: format!("{} {}, {country}", p.zip.unwrap_or(postcode), p.name),
            });
        }
        // The bundled codes sharing the longest prefix with the one asked.
        let zip = crate::zip_key(postcode);
        let shared = |code: &str| {
            crate::zip_key(code)
                .bytes()
                .zip(zip.bytes())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let best = data
            .postcodes
            .iter()
            .map(|p| shared(p.zip))
            .max()
            .unwrap_or(0);
        let candidates = if best == 0 {
            Vec::new()
        } else {
            data.postcodes
                .iter()
                .filter(|p| shared(p.zip) == best)
                .take(CANDIDATES)
                .map(|p| format!("{} {}", p.zip, p.place))
                .collect()
        };
        Err(PlaceError::Unknown {
            asked: format!("{}, {country}", postcode.trim()),
            candidates,
        })
    }

    /// `code` as the gazetteer's country code, or why not.
    fn known_country(&self, code: &str) -> Result<&'static str, PlaceError> {
        let up = code.trim().to_ascii_uppercase();
        self.countries()
            .find(|c| *c == up)
            .ok_or_else(|| PlaceError::Country {
                country: code.trim().to_owned(),
                reason:
                    "not an ISO 3166-1 alpha-2 country code the gazetteer knows (like US, NO, DE)"
                        .to_owned(),
            })
    }
}

/// The places of one country named `key`: cities, else other names of
/// large cities, else postcode place names (one per region, at the
/// centroid of its postcodes); only those in `region` when one is given
/// (`US-OR` or `OR`).
fn matches(
    data: &CountryData,
    key: &str,
    country: &'static str,
    region: Option<&str>,
) -> Vec<Found> {
    let region = region.map(|r| {
        let r = r.to_ascii_uppercase();
        if r.contains('-') {
            r
        } else {
            format!("{country}-{r}")
        }
    });
    let wanted = |r: Option<&str>| region.as_deref().is_none_or(|w| r == Some(w));
    let hash = key_hash(key);
    for index in [&data.city_names, &data.city_aliases] {
        let found: Vec<Found> = index
            .get(hash)
            .map(|i| &data.cities[i as usize])
            .filter(|c| wanted(c.region))
            .map(|c| Found {
                country,
                name: c.name,
                region: c.region,
                lat: c.lat,
                lon: c.lon,
                population: c.population,
            })
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    // Postcode places: villages too small to be cities. Their postcodes
    // are averaged per region.
    let mut by_region: Vec<(Option<&'static str>, &'static str, f64, f64, u64)> = Vec::new();
    for i in data.places.get(hash) {
        let p = &data.postcodes[i as usize];
        if !wanted(p.region) {
            continue;
        }
        match by_region.iter_mut().find(|r| r.0 == p.region) {
            Some(r) => {
                r.2 += p.lat;
                r.3 += p.lon;
                r.4 += 1;
            }
            None => by_region.push((p.region, p.place, p.lat, p.lon, 1)),
        }
    }
    by_region
        .into_iter()
        .map(|(region, name, lat, lon, n)| Found {
            country,
            name,
            region,
            lat: lat / n as f64,
            lon: lon / n as f64,
            // Not a population: postcodes are what there is to rank by.
            population: n,
        })
        .collect()
}

/// Cities of one country whose name is within a few edits of `key`:
/// (edits, population, spelling).
fn near_names(data: &CountryData, key: &str, country: &str) -> Vec<(usize, u64, String)> {
    let limit = (key.chars().count() / 4).clamp(1, 3);
    data.cities
        .iter()
        .filter_map(|c| {
            let d = edits(&name_key(c.name), key, limit)?;
            Some((d, c.population, format!("{}, {country}", c.name)))
        })
        .collect()
}

/// The edit distance between `a` and `b` when it is at most `limit`.
fn edits(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|m| *m > limit) {
            return None;
        }
        prev = cur;
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::haversine_km;

    fn g() -> &'static Gazetteer {
        Gazetteer::global()
    }

    #[test]
    fn a_city_with_its_country() {
        let boston = g().resolve_place("Boston, US", None).unwrap();
        assert!(haversine_km(boston.lat, boston.lon, 42.3601, -71.0589) < 3.0);
        assert_eq!(boston.name, "Boston, US-MA, US");
        let same = g().resolve_place("boston", Some("us")).unwrap();
        assert_eq!(same, boston);
        let tromso = g().resolve_place("TROMSO, no", None).unwrap();
        assert_eq!(tromso.name, "Tromsø, NO-55, NO");
    }

    #[test]
    fn namesakes_in_several_regions_are_ambiguous_and_listed() {
        let e = g().resolve_place("Portland, US", None).unwrap_err();
        let PlaceError::Ambiguous { candidates, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(candidates[0], "Portland, US-OR, US");
        assert!(
            candidates.contains(&"Portland, US-ME, US".to_owned()),
            "{candidates:?}"
        );
        assert!(e.to_string().contains("'Portland, US-ME, US'"), "{e}");
        // Each listed spelling finds its place alone.
        let maine = g().resolve_place("Portland, US-ME, US", None).unwrap();
        assert!(haversine_km(maine.lat, maine.lon, 43.66, -70.26) < 5.0);
        let maine = g().resolve_place("Portland, ME, US", None).unwrap();
        assert_eq!(maine.name, "Portland, US-ME, US");
    }

    #[test]
    fn without_a_country_every_country_is_asked() {
        let tromso = g().resolve_place("Tromsø", None).unwrap();
        assert_eq!(tromso.name, "Tromsø, NO-55, NO");
        // London, England is twenty times London, Ontario.
        assert_eq!(
            g().resolve_place("London", None).unwrap().name,
            "London, GB-ENG, GB"
        );
        let e = g().resolve_place("London, US", None).unwrap_err();
        assert!(
            matches!(&e, PlaceError::Ambiguous { candidates, .. } if candidates[0] == "London, US-OH, US"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_places_and_countries_say_so_with_near_spellings() {
        let e = g().resolve_place("Bostn, US", None).unwrap_err();
        let PlaceError::Unknown { candidates, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(
            candidates.contains(&"Boston, US".to_owned()),
            "{candidates:?}"
        );
        let e = g().resolve_place("Oslo, XX", None).unwrap_err();
        assert!(matches!(e, PlaceError::Country { .. }), "{e:?}");
        assert!(e.to_string().contains("'XX'"), "{e}");
        assert!(g().resolve_place("  ", None).is_err());
    }

    #[test]
    fn postcodes_with_their_country() {
        let p = g().resolve_postcode("02108", "US").unwrap();
        assert!(haversine_km(p.lat, p.lon, 42.3576, -71.0684) < 1.0);
        assert_eq!(p.name, "02108 Boston, US");
        let oslo = g().resolve_postcode("0154", "no").unwrap();
        assert!(haversine_km(oslo.lat, oslo.lon, 59.91, 10.75) < 3.0);
        let e = g().resolve_postcode("00000", "US").unwrap_err();
        assert!(matches!(e, PlaceError::Unknown { .. }), "{e:?}");
        let e = g().resolve_postcode("75001", "FR").unwrap_err();
        assert!(e.to_string().contains("no postcodes are bundled"), "{e}");
    }
}
