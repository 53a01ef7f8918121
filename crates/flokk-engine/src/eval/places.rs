//! `customer_within_distance` and `anniversary`, and turning stored days
//! into instants.

use super::condition::{TimeTest, number, text};
use super::functions::Params;
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use flokk_lang::ast::ParamPredicate;
use flokk_lang::value::Value;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Turns days since 1970-01-01 into the first second of that day in the
/// store time zone, so stored days compare with whole-day values by the
/// rules of §3.
pub struct DayStarts<'a> {
    tz: &'a TimeZone,
}

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

impl<'a> DayStarts<'a> {
    /// For time zone `tz`.
    pub fn new(tz: &'a TimeZone) -> Self {
        DayStarts { tz }
    }

    /// The first second of day `days` (`i32::MIN`: unknown).
    pub fn start(&self, days: i32) -> Option<i64> {
        if days == i32::MIN {
            return None;
        }
        let date = EPOCH
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .ok()?;
        self.of(date)
    }

    /// The first second of `date`.
    pub fn of(&self, date: Date) -> Option<i64> {
        flokk_lang::time::start_of_day(date, self.tz)
            .ok()
            .map(|t| t.as_second())
    }
}

fn compare_value(pred: &ParamPredicate) -> Option<&Value> {
    match pred {
        ParamPredicate::Compare { value, .. } => Some(&value.value),
        _ => None,
    }
}

impl Evaluator<'_> {
    /// Customers with an address within the radius (inclusive) of the
    /// origin (see [`Evaluator::origin`]).
    pub(super) fn within_distance(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let radius_km = match (p.record("distance_km"), p.record("distance_mi")) {
            (Some(km), _) => number(literal(km)?)?,
            (None, Some(mi)) => number(literal(mi)?)? * flokk_geo::KM_PER_MILE,
            (None, None) => return Err(EvalError::Internal("no distance".into())),
        };
        let (lat, lon) = self.origin(p)?;
        let mut found = CustomerSet::new();
        let locations = &self.engine.locations;
        // A few customers (a write's, those left by an AND's cheap
        // clauses): their own positions, not every one in the circle.
        if (universe.len() as usize).saturating_mul(16) < locations.packed_len() {
            locations.within_of(universe, lat, lon, radius_km, |customer, _, _| {
                found.insert(customer);
            });
            return Ok(found);
        }
        locations.within(lat, lon, radius_km, |customer, _, _| {
            if universe.contains(customer) {
                found.insert(customer);
            }
        });
        Ok(found)
    }

    /// Where distances are measured from: the coordinates, the venue, the
    /// place or postcode (from the bundled gazetteer), or without any of
    /// them the home venue (setting `venue`). A venue, place or postcode
    /// that names nothing is an error, never a circle around nowhere that
    /// holds nobody.
    fn origin(&self, p: &Params) -> Result<(f64, f64), EvalError> {
        let text_of = |name: &str| -> Result<Option<String>, EvalError> {
            p.record(name).map(|v| text(literal(v)?)).transpose()
        };
        if let Some(c) = p.record("coordinates") {
            return match compare_value(c) {
                Some(Value::Coordinates(c)) => Ok((c.latitude, c.longitude)),
                _ => Err(EvalError::Internal("coordinates without a point".into())),
            };
        }
        let country = text_of("country")?;
        let gazetteer = flokk_geo::Gazetteer::global();
        if let Some(place) = text_of("place")? {
            let o = gazetteer.resolve_place(&place, country.as_deref())?;
            return Ok((o.lat, o.lon));
        }
        if let Some(code) = text_of("postcode")? {
            let country =
                country.ok_or_else(|| EvalError::Internal("postcode without a country".into()))?;
            let o = gazetteer.resolve_postcode(&code, &country)?;
            return Ok((o.lat, o.lon));
        }
        let id = match text_of("venue_id")? {
            Some(id) => id,
            None => self
                .engine
                .home_venue
                .clone()
                .filter(|v| !v.is_empty())
                .ok_or(EvalError::NoHomeVenue)?,
        };
        match self
            .engine
            .strings
            .get(&id)
            .and_then(|sym| self.engine.catalogue.venues.get(&sym))
        {
            Some(Some(at)) => Ok(*at),
            Some(None) => Err(EvalError::VenueWithoutCoordinates { id }),
            None => Err(EvalError::UnknownVenue { id }),
        }
    }

    /// Customers whose date attribute has a yearly occurrence that passes
    /// the `date` condition (29 February falls on 28 February in other
    /// years).
    pub(super) fn anniversary(
        &self,
        p: &Params,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let attribute =
            text(literal(p.record("attribute").ok_or_else(|| {
                EvalError::Internal("no attribute".into())
            })?)?)?;
        let date = p
            .record("date")
            .ok_or_else(|| EvalError::Internal("no date".into()))?;
        let test = self.clock_for_params().from_param(date)?;
        let cs = &self.engine.customers;
        let day_of = |c: u32| -> Option<i32> {
            if attribute == "birth_date" {
                let d = cs.birth_date[c as usize];
                (d != i32::MIN).then_some(d)
            } else {
                // `customer.metafields.ns.key` and `metafields.ns.key` name the same property.
                let key = attribute.strip_prefix("customer.").unwrap_or(&attribute);
                let key = key.strip_prefix("metafields.").unwrap_or(key);
                cs.properties.get(key)?.dates.get(c)
            }
        };
        let starts = DayStarts::new(&self.tz);
        let positive = TimeTest {
            outside: false,
            ..test
        };
        let mut hits = CustomerSet::new();
        for c in universe {
            let Some(days) = day_of(c) else { continue };
            let Ok(born) = EPOCH.checked_add(jiff::Span::new().days(i64::from(days))) else {
                continue;
            };
            if occurs(born, &positive, &starts) {
                hits.insert(c);
            }
        }
        // `!=` is the complement of `=` (customers without the date included).
        Ok(if test.outside { universe - &hits } else { hits })
    }
}

/// Whether some yearly occurrence of `born`'s month and day passes `test`.
fn occurs(born: Date, test: &TimeTest, starts: &DayStarts<'_>) -> bool {
    let (Some(start), Some(end)) = (test.range.start, test.range.end) else {
        // Unbounded on a side: some year's occurrence is always inside.
        return true;
    };
    let year_of = |s: i64| {
        jiff::Timestamp::from_second(s)
            .map(|t| t.to_zoned_datetime(TimeZone::UTC).year())
            .ok()
    };
    let (Some(first), Some(last)) = (year_of(start), year_of(end)) else {
        return false;
    };
    // One year of margin on each side covers any time zone offset.
    (first.saturating_sub(1)..=last.saturating_add(1)).any(|year| {
        let occurrence = born
            .with()
            .year(year)
            .build()
            .or_else(|_| Date::new(year, 2, 28));
        occurrence
            .ok()
            .and_then(|d| starts.of(d))
            .is_some_and(|s| test.holds(s))
    })
}

fn literal(p: &ParamPredicate) -> Result<&flokk_lang::value::Literal, EvalError> {
    match p {
        ParamPredicate::Compare { value, .. } => Ok(value),
        other => Err(EvalError::Internal(format!(
            "expected `= value`, got {other:?}"
        ))),
    }
}
