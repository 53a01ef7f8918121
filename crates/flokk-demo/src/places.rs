//! Where customers live: real cities of each market from the bundled
//! gazetteer, picked in proportion to population, with real postcodes.

use crate::locales::{LOCALES, Locale, MARKET_SHARES};
use crate::randomness::{DemoRng, Weighted, one_of};
use flokk_geo::{City, Gazetteer};
use std::collections::HashMap;

/// How many of a market's largest cities customers are spread over.
const CITIES_PER_MARKET: usize = 250;

/// One city customers can live in, with the postcodes that belong to it.
#[derive(Debug, Clone)]
pub struct Town {
    /// The gazetteer's city.
    pub city: City,
    /// Postcodes of the city (with their centroids); empty when the
    /// gazetteer has none under the city's name.
    pub postcodes: Vec<(&'static str, f64, f64)>,
}

/// A market: its locale and its weighted towns.
#[derive(Debug, Clone)]
pub struct Market {
    /// Names, titles, phone formats.
    pub locale: &'static Locale,
    /// Towns weighted by population (damped, so that smaller towns appear).
    pub towns: Weighted<Town>,
}

/// Every market, weighted by its share of customers.
#[derive(Debug, Clone)]
pub struct Markets {
    markets: Weighted<usize>,
    list: Vec<Market>,
}

/// A placed address.
#[derive(Debug, Clone)]
pub struct Location<'a> {
    /// The town.
    pub town: &'a Town,
    /// Postcode, when known.
    pub zip: Option<&'static str>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

impl Markets {
    /// Builds the town tables from the global gazetteer.
    pub fn new() -> Self {
        let g = Gazetteer::global();
        let list: Vec<Market> = LOCALES
            .iter()
            .map(|locale| {
                // The largest towns, plus the largest town of every region
                // so that each region (every US state, say) has customers.
                let cities = g.cities(locale.country);
                let mut chosen: Vec<&City> = cities
                    .iter()
                    .filter(|c| c.region.is_some())
                    .take(CITIES_PER_MARKET)
                    .collect();
                let mut regions: Vec<&str> = chosen.iter().filter_map(|c| c.region).collect();
                for c in cities {
                    if let Some(r) = c.region
                        && !regions.contains(&r)
                    {
                        regions.push(r);
                        chosen.push(c);
                    }
                }
                // Each region gets customers in proportion to the population
                // of all its towns; within it, the chosen towns share them by
                // damped population (big cities a little less dominant).
                let mut region_population: HashMap<&str, f64> = HashMap::new();
                for c in cities {
                    *region_population.entry(c.region.unwrap_or("")).or_default() +=
                        c.population as f64;
                }
                let damped = |c: &City| (c.population as f64).max(1.0).powf(0.8);
                let mut chosen_weight: HashMap<&str, f64> = HashMap::new();
                for c in &chosen {
                    *chosen_weight.entry(c.region.unwrap_or("")).or_default() += damped(c);
                }
                let towns = chosen.into_iter().map(|c| {
                    let region = c.region.unwrap_or("");
                    let weight = region_population[region] * damped(c) / chosen_weight[region];
                    let mut postcodes: Vec<_> = g
                        .postcodes_of_place(c.country, c.name)
                        .into_iter()
                        .map(|p| (p.zip, p.lat, p.lon))
                        .collect();
                    // Keep postcodes near the centroid: namesakes elsewhere
                    // in the country share the place name.
                    postcodes.retain(|&(_, lat, lon)| {
                        flokk_geo::haversine_km(lat, lon, c.lat, c.lon) < 30.0
                    });
                    (
                        Town {
                            city: *c,
                            postcodes,
                        },
                        weight,
                    )
                });
                Market {
                    locale,
                    towns: Weighted::new(towns),
                }
            })
            .collect();
        let markets = Weighted::new(MARKET_SHARES.iter().enumerate().map(|(i, &w)| (i, w)));
        Markets { markets, list }
    }

    /// A random market.
    /// The market of `country` (ISO alpha-2), if the demo has one.
    pub fn market(&self, country: &str) -> Option<&Market> {
        self.list.iter().find(|m| m.locale.country == country)
    }

    pub fn pick(&self, rng: &mut DemoRng) -> &Market {
        &self.list[*self.markets.pick(rng)]
    }
}

impl Default for Markets {
    fn default() -> Self {
        Self::new()
    }
}

impl Market {
    /// A random address in this market.
    pub fn locate(&self, rng: &mut DemoRng) -> Location<'_> {
        let town = self.towns.pick(rng);
        match town.postcodes.as_slice() {
            [] => Location {
                town,
                zip: town.city.zip,
                lat: round4(town.city.lat),
                lon: round4(town.city.lon),
            },
            codes => {
                let &(zip, lat, lon) = one_of(rng, codes);
                Location {
                    town,
                    zip: Some(zip),
                    lat: round4(lat),
                    lon: round4(lon),
                }
            }
        }
    }
}

/// Rounds coordinates to 4 decimals (~10 m), as the gazetteer stores them.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
