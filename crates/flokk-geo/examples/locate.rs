//! Places an address with the bundled gazetteer and says how long loading
//! took: `cargo run --release -p flokk-geo --example locate -- NO "" Tromsø [region]`
//! (country, postcode or "", city or "", region or nothing).

use flokk_geo::Gazetteer;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).filter(|s| !s.is_empty());
    let start = Instant::now();
    let g = Gazetteer::global();
    let loaded = start.elapsed();
    let country = arg(0).unwrap_or("NO");
    let place = g.locate(country, arg(1), arg(2), arg(3));
    let first = start.elapsed();
    let again = Instant::now();
    let _ = g.locate(country, arg(1), arg(2), arg(3));
    let again = again.elapsed();
    let all = Instant::now();
    let countries: Vec<&str> = g.countries().collect();
    let cities: usize = countries.iter().map(|c| g.cities(c).len()).sum();
    let all = all.elapsed();
    println!("{place:?}");
    println!(
        "loaded in {loaded:?}; first lookup (indexing {country}) done after {first:?}; \
         next lookup {again:?}; indexing all {} countries ({cities} cities) {all:?}",
        countries.len()
    );
}
