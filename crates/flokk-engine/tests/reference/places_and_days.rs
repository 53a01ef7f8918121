//! The two functions that test a customer attribute rather than records:
//! `customer_within_distance` (haversine, R = 6371.0088 km, inclusive
//! radius) and `anniversary` (yearly occurrences of a date, 29 February
//! falling on 28 February in other years).

use super::TypedParam;
use super::conditions::{literal_number, literal_text};
use super::customer_fields::day_start;
use super::record_functions::equal_value;
use super::{AsOf, Store, StoreCustomer};
use flokk_lang::ast::{CompareOp, ParamPredicate};
use flokk_lang::time::{self, InstantRange, TimeCondition};
use flokk_lang::value::Value;
use flokk_model::PropertyValue;
use jiff::civil::Date;

/// Mean Earth radius the spec names.
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// One international mile.
const KM_PER_MILE: f64 = 1.609344;

/// Great-circle distance by the haversine formula.
pub fn haversine_km(from: (f64, f64), to: (f64, f64)) -> f64 {
    let (lat1, lat2) = (from.0.to_radians(), to.0.to_radians());
    let half_dlat = (to.0 - from.0).to_radians() / 2.0;
    let half_dlon = (to.1 - from.1).to_radians() / 2.0;
    let a = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// `customer_within_distance MATCHES (...)`: some address of the customer
/// lies within the radius of the point or venue.
pub fn within_distance(store: &Store, customer: &StoreCustomer, params: &[TypedParam]) -> bool {
    let radius_km = match (
        equal_value(params, "distance_km"),
        equal_value(params, "distance_mi"),
    ) {
        (Some(km), _) => literal_number(km),
        (None, Some(mi)) => literal_number(mi) * KM_PER_MILE,
        (None, None) => panic!("the checker requires a distance"),
    };
    // The origin: coordinates, a venue, a place or a postcode from the
    // gazetteer, else the home venue. An origin that names nothing is an
    // error (tests/origins.rs); generated queries name known ones.
    let text = |name: &str| equal_value(params, name).map(literal_text);
    let gazetteer = flokk_geo::Gazetteer::global();
    let centre = if let Some(Value::Coordinates(c)) = equal_value(params, "coordinates") {
        (c.latitude, c.longitude)
    } else if let Some(place) = text("place") {
        let o = gazetteer
            .resolve_place(&place, text("country").as_deref())
            .unwrap_or_else(|e| panic!("generated places are known: {e}"));
        (o.lat, o.lon)
    } else if let Some(code) = text("postcode") {
        let country = text("country").expect("the checker requires a country");
        let o = gazetteer
            .resolve_postcode(&code, &country)
            .unwrap_or_else(|e| panic!("generated postcodes are known: {e}"));
        (o.lat, o.lon)
    } else {
        let venue = text("venue_id")
            .or_else(|| store.home_venue.clone())
            .expect("generated stores have a home venue");
        store
            .venue(&venue)
            .and_then(|v| v.lat.zip(v.lon))
            .expect("generated origins are venues with a position")
    };
    customer
        .positions
        .iter()
        .flatten()
        .any(|p| haversine_km(centre, *p) <= radius_km)
}

/// The date an `attribute` names for this customer.
fn attribute_date(customer: &StoreCustomer, attribute: &str) -> Option<Date> {
    if attribute == "birth_date" {
        return customer.record.birth_date;
    }
    let key = attribute
        .strip_prefix("customer.")
        .unwrap_or(attribute)
        .strip_prefix("metafields.")
        .expect("the checker only accepts birth_date or metafields.ns.key");
    match customer.record.properties.get(key) {
        Some(PropertyValue::Date(d)) => Some(*d),
        _ => None,
    }
}

/// The day `born`'s month and day fall on in `year`.
fn occurrence(born: Date, year: i16) -> Option<Date> {
    if born.month() == 2 && born.day() == 29 && !Date::new(year, 1, 1).ok()?.in_leap_year() {
        return Date::new(year, 2, 28).ok();
    }
    Date::new(year, born.month(), born.day()).ok()
}

/// Whether some yearly occurrence of `born` starts inside `range`.
fn occurs_within(born: Date, range: InstantRange, as_of: &AsOf) -> bool {
    let (Some(start), Some(end)) = (range.start, range.end) else {
        // Half-open to one side: some year's occurrence is always in it.
        return true;
    };
    let first = start.to_zoned_datetime(as_of.tz.clone()).year();
    let last = end.to_zoned_datetime(as_of.tz.clone()).year();
    (first..=last)
        .any(|year| occurrence(born, year).is_some_and(|day| range.contains(day_start(day, as_of))))
}

/// `anniversary MATCHES (attribute = ..., date ...)`. `date != D` is the
/// complement of `date = D` (§4), customers without the date included.
pub fn anniversary_matches(customer: &StoreCustomer, params: &[TypedParam], as_of: &AsOf) -> bool {
    let attribute = literal_text(equal_value(params, "attribute").expect("attribute is required"));
    let date = params
        .iter()
        .find(|p| p.param.name.text == "date")
        .expect("date is required");
    let range = match &date.param.predicate {
        ParamPredicate::Compare {
            op: CompareOp::Ne,
            value,
        } => {
            let equal = ParamPredicate::Compare {
                op: CompareOp::Eq,
                value: value.clone(),
            };
            let mut flipped = params.to_vec();
            for p in &mut flipped {
                if p.param.name.text == "date" {
                    p.param.predicate = equal.clone();
                }
            }
            return !anniversary_matches(customer, &flipped, as_of);
        }
        ParamPredicate::Compare { op, value } => {
            match time::compare(*op, &value.value, as_of.now, &as_of.tz).expect("date in range") {
                TimeCondition::Within(r) => r,
                TimeCondition::Outside(_) => unreachable!("only != gives Outside"),
            }
        }
        ParamPredicate::Between { low, high } => {
            time::between(&low.value, &high.value, as_of.now, &as_of.tz).expect("date in range")
        }
        ParamPredicate::In { .. } => panic!("dates take no IN"),
    };
    attribute_date(customer, &attribute).is_some_and(|born| occurs_within(born, range, as_of))
}
