use super::*;
use crate::haversine_km;

fn near(place: Option<Place>, lat: f64, lon: f64, km: f64) -> Place {
    let place = place.expect("the address is located");
    let d = haversine_km(place.lat, place.lon, lat, lon);
    assert!(
        d <= km,
        "{place:?} is {d:.1} km from ({lat}, {lon}), more than {km} km"
    );
    place
}

#[test]
fn capitals_and_large_cities_by_name() {
    let g = Gazetteer::global();
    let oslo = near(
        g.locate("NO", None, Some("Oslo"), None),
        59.9139,
        10.7522,
        5.0,
    );
    assert_eq!(oslo.region, Some("NO-03"));
    assert_eq!(oslo.matched, MatchKind::City);
    let bergen = near(
        g.locate("no", None, Some("Bergen"), None),
        60.3913,
        5.3221,
        5.0,
    );
    assert_eq!(bergen.region, Some("NO-46"));
    let amsterdam = near(
        g.locate("NL", None, Some("Amsterdam"), None),
        52.3676,
        4.9041,
        5.0,
    );
    assert_eq!(amsterdam.region, Some("NL-NH"));
    let toronto = near(
        g.locate("CA", None, Some("Toronto"), None),
        43.6532,
        -79.3832,
        8.0,
    );
    assert_eq!(toronto.region, Some("CA-ON"));
    let nyc = near(
        g.locate("US", None, Some("New York City"), None),
        40.7128,
        -74.0060,
        5.0,
    );
    assert_eq!(nyc.region, Some("US-NY"));
    // US postcodes write the city "New York"; that finds it too.
    near(
        g.locate("US", None, Some("New York"), Some("NY")),
        40.7128,
        -74.0060,
        8.0,
    );
    near(
        g.locate("DE", None, Some("München"), None),
        48.1351,
        11.5820,
        5.0,
    );
    near(
        g.locate("GB", None, Some("London"), None),
        51.5074,
        -0.1278,
        5.0,
    );
    near(
        g.locate("SE", None, Some("Stockholm"), None),
        59.3293,
        18.0686,
        5.0,
    );
    near(
        g.locate("FI", None, Some("Helsinki"), None),
        60.1699,
        24.9384,
        5.0,
    );
    near(
        g.locate("IS", None, Some("Reykjavik"), None),
        64.1466,
        -21.9426,
        5.0,
    );
}

#[test]
fn other_names_of_large_cities() {
    let g = Gazetteer::global();
    let cph = near(
        g.locate("DK", None, Some("København"), None),
        55.6761,
        12.5683,
        5.0,
    );
    assert!(
        matches!(cph.matched, MatchKind::CityAlias | MatchKind::PostcodePlace),
        "{cph:?}"
    );
    near(
        g.locate("SE", None, Some("Göteborg"), None),
        57.7089,
        11.9746,
        8.0,
    );
}

#[test]
fn postcodes() {
    let g = Gazetteer::global();
    let p = near(
        g.locate("US", Some("10001"), None, None),
        40.7484,
        -73.9967,
        2.0,
    );
    assert_eq!(p.matched, MatchKind::Postcode);
    assert_eq!(p.zip, Some("10001"));
    assert_eq!(p.region, Some("US-NY"));
    near(
        g.locate("US", Some("90210-1234"), None, None),
        34.0901,
        -118.4065,
        3.0,
    );
    let oslo = near(
        g.locate("NO", Some("0154"), Some("Nowhere"), None),
        59.9127,
        10.7461,
        3.0,
    );
    assert_eq!(oslo.region, Some("NO-03"));
    near(
        g.locate("NL", Some("1011 AB"), None, None),
        52.3740,
        4.9000,
        5.0,
    );
    near(
        g.locate("GB", Some("SW1A 1AA"), None, None),
        51.501,
        -0.1416,
        5.0,
    );
    near(
        g.locate("CA", Some("M5V 3L9"), None, None),
        43.6426,
        -79.3871,
        8.0,
    );
    near(
        g.locate("DE", Some("10115"), None, None),
        52.5320,
        13.3849,
        3.0,
    );
    near(
        g.locate("SE", Some("111 22"), None, None),
        59.3326,
        18.0649,
        5.0,
    );
    near(
        g.locate("DK", Some("8000"), None, None),
        56.1567,
        10.2108,
        5.0,
    );
    near(
        g.locate("FI", Some("00100"), None, None),
        60.1699,
        24.9384,
        5.0,
    );
    near(
        g.locate("IS", Some("101"), None, None),
        64.1466,
        -21.9426,
        5.0,
    );
    // An unknown postcode falls back to the city.
    near(
        g.locate("NO", Some("ZZZZ"), Some("Bergen"), None),
        60.3913,
        5.3221,
        5.0,
    );
}

#[test]
fn case_and_diacritics_do_not_matter() {
    let g = Gazetteer::global();
    for spelling in ["Tromsø", "TROMSØ", "tromso", "  Tromso "] {
        let p = near(
            g.locate("NO", None, Some(spelling), None),
            69.6492,
            18.9553,
            5.0,
        );
        assert_eq!(p.region, Some("NO-55"), "{spelling}");
    }
}

#[test]
fn region_breaks_ties_between_namesakes() {
    let g = Gazetteer::global();
    // The most populous Portland is Oregon's; with a region, Maine's.
    let or = g.locate("US", None, Some("Portland"), None).unwrap();
    assert_eq!(or.region, Some("US-OR"));
    let me = g.locate("US", None, Some("Portland"), Some("ME")).unwrap();
    assert_eq!(me.region, Some("US-ME"));
    let me2 = g
        .locate("US", None, Some("Portland"), Some("US-ME"))
        .unwrap();
    assert_eq!(me, me2);
}

#[test]
fn unknown_places_are_none() {
    let g = Gazetteer::global();
    assert_eq!(
        g.locate("NO", None, Some("Atlantis Under The Sea"), None),
        None
    );
    assert_eq!(g.locate("NO", None, None, None), None);
    assert_eq!(g.locate("XX", None, Some("Oslo"), None), None);
    assert_eq!(g.locate("", Some("0154"), Some("Oslo"), None), None);
    // Oslo is not in Sweden.
    assert_eq!(g.locate("SE", None, Some("Oslo"), None), None);
}

#[test]
fn cities_are_largest_first_with_regions_and_zips() {
    let g = Gazetteer::global();
    for country in ["NO", "SE", "DK", "FI", "IS", "NL", "DE", "GB", "US", "CA"] {
        let cities = g.cities(country);
        assert!(cities.len() >= 30, "{country}: {} cities", cities.len());
        assert!(
            cities
                .windows(2)
                .all(|w| w[0].population >= w[1].population),
            "{country}"
        );
        let top = &cities[..20];
        assert!(
            top.iter()
                .all(|c| c.region.is_some_and(|r| r.starts_with(country))),
            "{country}"
        );
        assert!(
            top.iter().filter(|c| c.zip.is_some()).count() >= 15,
            "{country}: {top:?}"
        );
        assert!(!g.postcodes(country).is_empty(), "{country}");
    }
    assert_eq!(g.cities("no")[0].name, "Oslo");
    assert!(g.cities("ZZ").is_empty());
    assert!(!g.postcodes_of_place("NO", "oslo").is_empty());
}

#[test]
fn world_cities_are_known_without_regions() {
    let g = Gazetteer::global();
    near(
        g.locate("FR", None, Some("Paris"), None),
        48.8566,
        2.3522,
        5.0,
    );
    near(
        g.locate("JP", None, Some("Tokyo"), None),
        35.6762,
        139.6503,
        20.0,
    );
}

#[test]
fn loads_quickly() {
    // The first call may have happened in another test; time a fresh one,
    // including indexing Norway (what an import of a Norwegian shop needs).
    let start = std::time::Instant::now();
    let g = Gazetteer::from_tsv(GAZETTEER_TSV);
    let found = g.locate("NO", Some("0154"), None, None);
    let took = start.elapsed();
    assert!(found.is_some());
    // A release build takes a few milliseconds; an unoptimised one on a
    // shared machine can take far longer for no fault of the code, so
    // there the bound only catches a blow-up (a quadratic index, a hang).
    let bound_ms = if cfg!(debug_assertions) {
        20_000
    } else {
        1_000
    };
    assert!(took.as_millis() < bound_ms, "loading took {took:?}");
    eprintln!("gazetteer loaded and Norway indexed in {took:?}");
}

#[test]
fn every_country_parses() {
    let g = Gazetteer::global();
    let countries: Vec<&str> = g.countries().collect();
    assert!(countries.len() > 150, "{}", countries.len());
    let cities: usize = countries.iter().map(|c| g.cities(c).len()).sum();
    let postcodes: usize = countries.iter().map(|c| g.postcodes(c).len()).sum();
    assert!(
        cities > 45_000 && postcodes > 80_000,
        "{cities} cities, {postcodes} postcodes"
    );
    assert!(g.cities("US").iter().all(|c| c.country == "US"));
}
