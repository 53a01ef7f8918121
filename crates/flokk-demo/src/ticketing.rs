//! The ticketing side: real venues, a repertoire of productions, their
//! performances over the three years of history and the next six months,
//! and how far ahead people buy tickets.

use crate::calendar::{DAY, HOUR};
use crate::locales::{LOCALES, MARKET_SHARES};
use crate::randomness::{DemoRng, Weighted, chance, exponential, stream_rng, unit};
use flokk_model::{Performance, Production, Venue};
use jiff::civil::{Date, Weekday};
use rand::RngExt;

/// A venue: id, name, country, coordinates, time zone, standard UTC offset
/// (used if the system has no time-zone database).
pub const VENUES: &[(&str, &str, &str, f64, f64, &str, i8)] = &[
    (
        "operaen",
        "Operaen",
        "NO",
        59.9075,
        10.7531,
        "Europe/Oslo",
        1,
    ),
    (
        "grieghallen",
        "Grieghallen",
        "NO",
        60.3883,
        5.3289,
        "Europe/Oslo",
        1,
    ),
    (
        "konserthuset",
        "Konserthuset Stockholm",
        "SE",
        59.3352,
        18.0630,
        "Europe/Stockholm",
        1,
    ),
    (
        "operaen-kbh",
        "Operaen København",
        "DK",
        55.6818,
        12.6009,
        "Europe/Copenhagen",
        1,
    ),
    (
        "musiikkitalo",
        "Musiikkitalo",
        "FI",
        60.1726,
        24.9337,
        "Europe/Helsinki",
        2,
    ),
    (
        "harpa",
        "Harpa",
        "IS",
        64.1504,
        -21.9327,
        "Atlantic/Reykjavik",
        0,
    ),
    (
        "concertgebouw",
        "Concertgebouw",
        "NL",
        52.3563,
        4.8790,
        "Europe/Amsterdam",
        1,
    ),
    (
        "elbphilharmonie",
        "Elbphilharmonie",
        "DE",
        53.5413,
        9.9841,
        "Europe/Berlin",
        1,
    ),
    (
        "royal-albert-hall",
        "Royal Albert Hall",
        "GB",
        51.5009,
        -0.1774,
        "Europe/London",
        0,
    ),
    (
        "carnegie-hall",
        "Carnegie Hall",
        "US",
        40.7651,
        -73.9799,
        "America/New_York",
        -5,
    ),
    (
        "roy-thomson-hall",
        "Roy Thomson Hall",
        "CA",
        43.6466,
        -79.3864,
        "America/Toronto",
        -5,
    ),
];

/// Productions: id, name, typical ticket price (store currency).
pub const PRODUCTIONS: &[(&str, &str, f64)] = &[
    ("carmen", "Carmen", 90.0),
    ("la-boheme", "La Bohème", 96.0),
    ("the-nutcracker", "The Nutcracker", 78.0),
    ("swan-lake", "Swan Lake", 84.0),
    ("peer-gynt", "Peer Gynt", 70.0),
    ("don-giovanni", "Don Giovanni", 92.0),
    ("la-traviata", "La Traviata", 94.0),
    ("tosca", "Tosca", 90.0),
    ("the-magic-flute", "The Magic Flute", 76.0),
    ("rigoletto", "Rigoletto", 86.0),
    ("madama-butterfly", "Madama Butterfly", 94.0),
    ("aida", "Aida", 104.0),
    ("giselle", "Giselle", 80.0),
    ("romeo-and-juliet", "Romeo and Juliet", 82.0),
    ("a-dolls-house", "A Doll's House", 64.0),
    ("hamlet", "Hamlet", 66.0),
    ("messiah", "Handel: Messiah", 60.0),
    ("beethoven-9", "Beethoven: Symphony No. 9", 58.0),
    ("mahler-2", "Mahler: Symphony No. 2", 58.0),
    ("jazz-night", "Jazz Night", 50.0),
];

/// One scheduled performance.
#[derive(Debug, Clone)]
pub struct Show {
    /// Performance id (`carmen-2026-01-10`).
    pub id: String,
    /// Index into [`PRODUCTIONS`].
    pub production: usize,
    /// Index into [`VENUES`].
    pub venue: usize,
    /// Start, Unix seconds.
    pub starts_at: i64,
}

/// The schedule: every performance, sorted by start.
#[derive(Debug, Clone)]
pub struct Schedule {
    shows: Vec<Show>,
}

/// The UTC offset (hours) of a venue on a day. Computed from the EU and
/// North American summer-time rules rather than the system's time-zone
/// database, so that the schedule (and so the whole output) is the same on
/// every machine. Performances start in the evening or afternoon, far from
/// the small-hours switch, so the day decides.
fn venue_offset(v: usize, day: Date) -> i64 {
    let (_, _, country, _, _, zone, standard) = VENUES[v];
    let year = day.year();
    let summer = match country {
        "US" | "CA" => {
            let from = Date::constant(year, 3, 1).nth_weekday_of_month(2, Weekday::Sunday);
            let to = Date::constant(year, 11, 1).nth_weekday_of_month(1, Weekday::Sunday);
            matches!((from, to), (Ok(f), Ok(t)) if day >= f && day < t)
        }
        // Iceland keeps UTC all year.
        _ if zone == "Atlantic/Reykjavik" => false,
        _ => {
            let from = Date::constant(year, 3, 31).nth_weekday(-1, Weekday::Sunday);
            let to = Date::constant(year, 10, 31).nth_weekday(-1, Weekday::Sunday);
            // nth_weekday(-1) from the 31st is the last Sunday before it;
            // the 31st itself may be the last Sunday.
            let last_sunday = |d: Date, prev: Result<Date, jiff::Error>| {
                if d.weekday() == Weekday::Sunday {
                    d
                } else {
                    prev.unwrap_or(d)
                }
            };
            let from = last_sunday(Date::constant(year, 3, 31), from);
            let to = last_sunday(Date::constant(year, 10, 31), to);
            day >= from && day < to
        }
    };
    i64::from(standard) + i64::from(summer)
}

/// The UTC offset (hours) in Oslo on a day.
pub(crate) fn oslo_offset(day: Date) -> i64 {
    venue_offset(0, day)
}

impl Schedule {
    /// Builds the schedule for a store whose history runs from `first_day`
    /// to `as_of`: runs of productions until six months after `as_of`.
    pub fn new(seed: u64, first_day: Date, as_of: Date) -> Self {
        let mut rng = stream_rng(seed, 0x71c4e7);
        let last_day = as_of
            .checked_add(jiff::Span::new().months(6))
            .expect("in range");
        let span_days = (crate::calendar::timestamp_of(last_day)
            - crate::calendar::timestamp_of(first_day))
            / DAY;
        let mut shows: Vec<Show> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        // Runs are spread over the venues like the customers over the
        // markets (the two Oslo venues share Norway's part).
        let venues = Weighted::new((0..VENUES.len()).map(|v| {
            let market = LOCALES
                .iter()
                .position(|l| l.country == VENUES[v].2)
                .unwrap_or(0);
            let at_home = VENUES.iter().filter(|w| w.2 == VENUES[v].2).count() as f64;
            (v, (MARKET_SHARES[market] / at_home).max(0.03))
        }));
        // About 300 performances: 30 runs of 6-14 evenings (plus matinées).
        for run in 0..30 {
            let production = run % PRODUCTIONS.len();
            // The two Oslo venues host a third of the runs: the store is Norwegian.
            let venue = *venues.pick(&mut rng);
            let start_offset = rng.random_range(0..span_days.max(15) - 14);
            let mut day = first_day
                .checked_add(jiff::Span::new().days(start_offset))
                .expect("in range");
            let evenings = rng.random_range(6..=14);
            let mut made = 0;
            while made < evenings && day < last_day {
                if day.weekday() != Weekday::Monday {
                    let mut times = vec![(19, 0)];
                    if day.weekday() == Weekday::Saturday && chance(&mut rng, 0.5) {
                        times.push((14, 0));
                    }
                    for (h, m) in times {
                        let starts_at = crate::calendar::timestamp_of(day)
                            + (h * 60 + m) as i64 * 60
                            - venue_offset(venue, day) * HOUR;
                        let (pid, _, _) = PRODUCTIONS[production];
                        let mut id = format!("{pid}-{day}");
                        if !ids.insert(id.clone()) {
                            id = format!("{pid}-{day}-{}{h:02}", VENUES[venue].0);
                            ids.insert(id.clone());
                        }
                        shows.push(Show {
                            id,
                            production,
                            venue,
                            starts_at,
                        });
                    }
                    made += 1;
                }
                day = day.tomorrow().expect("in range");
            }
        }
        shows.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
        Schedule { shows }
    }

    /// The venue, production and performance records.
    pub fn records(&self) -> (Vec<Venue>, Vec<Production>, Vec<Performance>) {
        let venues = VENUES
            .iter()
            .map(|&(id, name, _, lat, lon, _, _)| Venue {
                id: id.into(),
                name: name.into(),
                lat: Some(lat),
                lon: Some(lon),
                organisation: None,
            })
            .collect();
        let productions = PRODUCTIONS
            .iter()
            .map(|&(id, name, _)| Production {
                id: id.into(),
                name: name.into(),
                organisation: None,
            })
            .collect();
        let performances = self
            .shows
            .iter()
            .map(|s| Performance {
                id: s.id.clone(),
                production_id: PRODUCTIONS[s.production].0.into(),
                venue_id: VENUES[s.venue].0.into(),
                starts_at: crate::calendar::timestamp(s.starts_at),
            })
            .collect();
        (venues, productions, performances)
    }

    /// A performance for a purchase at `at` by a customer from `country`,
    /// online or at the box office. A lead time is drawn from the usual mix
    /// (mostly within 60 days with a long tail of early birds; at the box
    /// office mostly the same or the next day) and the performance starting
    /// closest to `at` + lead is taken, at a venue in the customer's country
    /// (nine times in ten, where there is one) — provided it starts within
    /// a quarter of the lead (plus three days) of that target. `None` when
    /// nothing is on then: the customer buys something else instead, so
    /// ticket sales cluster around runs as they do in life.
    pub fn pick(
        &self,
        rng: &mut DemoRng,
        at: i64,
        country: &str,
        box_office: bool,
    ) -> Option<&Show> {
        let lead_days = if box_office {
            if chance(rng, 0.7) {
                exponential(rng, 0.6)
            } else {
                exponential(rng, 8.0)
            }
        } else {
            match unit(rng) {
                u if u < 0.55 => exponential(rng, 10.0),
                u if u < 0.91 => 10.0 + 50.0 * unit(rng),
                _ => 60.0 + 180.0 * unit(rng),
            }
        };
        let target = at + (lead_days * DAY as f64) as i64;
        let slack = (lead_days * DAY as f64 / 4.0) as i64 + 3 * DAY;
        // Nobody buys in the last hour before curtain here.
        let earliest = (target - slack).max(at + HOUR);
        let latest = target + slack;
        let at_home = VENUES.iter().any(|v| v.2 == country) && chance(rng, 0.9);
        let first = self.shows.partition_point(|s| s.starts_at < earliest);
        self.shows[first..]
            .iter()
            .take_while(|s| s.starts_at <= latest)
            .filter(|s| !at_home || VENUES[s.venue].2 == country)
            .min_by_key(|s| ((s.starts_at - target).abs(), s.starts_at))
    }
}

/// Tickets on one line: mostly pairs, singles next, families of 4.
pub fn ticket_quantity(rng: &mut DemoRng) -> i64 {
    match rng.random_range(0..100) {
        0..=29 => 1,
        30..=74 => 2,
        75..=82 => 3,
        83..=94 => 4,
        95..=96 => 5,
        _ => 6,
    }
}

/// The tickets of an order worth about `value`: how many (mostly pairs)
/// and the unit price in cents, the production's price in one of four
/// bands — usually the band that brings the order closest to `value`, so
/// that big spenders sit in the stalls (and the Gamma-Gamma spend model
/// sees their spending level in tickets too).
pub fn ticket_line(rng: &mut DemoRng, production: usize, value: f64) -> (i64, i64) {
    const BANDS: [f64; 4] = [0.6, 0.85, 1.0, 1.5];
    let base = PRODUCTIONS[production].2;
    let quantity = ticket_quantity(rng);
    let band = if chance(rng, 0.25) {
        BANDS[rng.random_range(0..BANDS.len())]
    } else {
        let miss = |b: f64| (quantity as f64 * base * b - value).abs();
        BANDS
            .into_iter()
            .min_by(|x, y| miss(*x).total_cmp(&miss(*y)))
            .expect("bands")
    };
    (quantity, (base * band).round() as i64 * 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_time_follows_the_eu_and_us_rules() {
        // EU 2026: 29 March - 25 October; US 2026: 8 March - 1 November.
        let oslo = 0;
        assert_eq!(venue_offset(oslo, Date::constant(2026, 3, 28)), 1);
        assert_eq!(venue_offset(oslo, Date::constant(2026, 3, 29)), 2);
        assert_eq!(venue_offset(oslo, Date::constant(2026, 10, 24)), 2);
        assert_eq!(venue_offset(oslo, Date::constant(2026, 10, 25)), 1);
        let carnegie = VENUES.iter().position(|v| v.0 == "carnegie-hall").unwrap();
        assert_eq!(venue_offset(carnegie, Date::constant(2026, 3, 7)), -5);
        assert_eq!(venue_offset(carnegie, Date::constant(2026, 3, 8)), -4);
        assert_eq!(venue_offset(carnegie, Date::constant(2026, 10, 31)), -4);
        assert_eq!(venue_offset(carnegie, Date::constant(2026, 11, 1)), -5);
        let harpa = VENUES.iter().position(|v| v.0 == "harpa").unwrap();
        assert_eq!(venue_offset(harpa, Date::constant(2026, 7, 1)), 0);
        // 2024: the EU switch on 31 March, itself a Sunday.
        assert_eq!(venue_offset(oslo, Date::constant(2024, 3, 31)), 2);
        assert_eq!(venue_offset(oslo, Date::constant(2024, 3, 30)), 1);
    }

    #[test]
    fn oslo_evenings_start_at_19_local() {
        let s = Schedule::new(1, Date::constant(2024, 1, 1), Date::constant(2026, 11, 24));
        for show in s.shows.iter().filter(|s| s.venue == 0) {
            let utc_hour = show.starts_at.rem_euclid(DAY) / HOUR;
            assert!([17, 18, 12, 13].contains(&utc_hour), "{show:?}");
        }
    }
}
