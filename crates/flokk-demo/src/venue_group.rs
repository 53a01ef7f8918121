//! `flokk demo --ticketing`: a venue group in Oslo and Bergen. Two
//! organisations share one customer base: `Opera` (opera and ballet at
//! three stages) and `Philharmonic` (concerts at three halls). Sixty
//! productions (ten per organisation a season) play about 2,000
//! performances over three seasons, the last of them still on sale;
//! tickets are sold online and at the box office, with the usual lead
//! times; customers carry the demo's consents and e-mail activity.
//!
//! Season tickets: holders buy a bundle of performances of one
//! organisation at the start of a season (one order, app `season-ticket`),
//! hold a `subscription` record for the season (data.md §1.1: plan
//! `Opera 2026/27`, 1 August to 30 June, `EXPIRED` once the season is
//! over) and carry the plan as the custom property `ticketing.season_plan`
//! too, for stores that read it from metafields.

use crate::calendar::{DAY, HOUR, timestamp, timestamp_of};
use crate::customer::{Spend, customer_record, profile};
use crate::email::{Campaign, campaigns, email_events, reader};
use crate::orders::{cents, order_shell, settle};
use crate::places::Markets;
use crate::randomness::{DemoRng, Weighted, chance, customer_rng, exponential, stream_rng, unit};
use crate::{DemoConfig, ticketing::oslo_offset};
use flokk_model::{
    Channel, Order, OrderLine, Performance, Production, PropertyValue, Record, Subscription,
    SubscriptionState, Venue,
};
use jiff::civil::{Date, Weekday};
use rand::RngExt;

/// The organisations of the group.
pub const ORGANISATIONS: [&str; 2] = ["Opera", "Philharmonic"];

/// The group's venues: id, name, organisation (index into
/// [`ORGANISATIONS`]), latitude, longitude.
pub const GROUP_VENUES: [(&str, &str, usize, f64, f64); 6] = [
    ("operaen", "Operaen, Main Stage", 0, 59.9075, 10.7531),
    ("operaen-scene-2", "Operaen, Scene 2", 0, 59.9073, 10.7536),
    ("grieghallen", "Grieghallen", 0, 60.3883, 5.3289),
    ("oslo-konserthus", "Oslo Konserthus", 1, 59.9138, 10.7307),
    (
        "universitetets-aula",
        "Universitetets Aula",
        1,
        59.9155,
        10.7390,
    ),
    ("sentrum-scene", "Sentrum Scene", 1, 59.9149, 10.7500),
];

/// The repertoire of each organisation: title and base ticket price (NOK).
/// Each season plays ten of an organisation's titles, so sixty
/// productions in three seasons.
const REPERTOIRE: [&[(&str, f64)]; 2] = [
    &[
        ("Carmen", 650.0),
        ("La Bohème", 690.0),
        ("The Nutcracker", 520.0),
        ("Swan Lake", 560.0),
        ("Don Giovanni", 640.0),
        ("La Traviata", 680.0),
        ("Tosca", 650.0),
        ("The Magic Flute", 540.0),
        ("Rigoletto", 620.0),
        ("Madama Butterfly", 680.0),
        ("Aida", 740.0),
        ("Giselle", 540.0),
        ("Romeo and Juliet", 560.0),
        ("Peer Gynt", 480.0),
        ("Eugene Onegin", 640.0),
    ],
    &[
        ("Beethoven: Symphony No. 9", 420.0),
        ("Mahler: Symphony No. 2", 420.0),
        ("Handel: Messiah", 390.0),
        ("Grieg: Piano Concerto", 380.0),
        ("Sibelius: Symphony No. 5", 360.0),
        ("Brahms: A German Requiem", 400.0),
        ("Mozart: Requiem", 390.0),
        ("Dvořák: New World Symphony", 360.0),
        ("Tchaikovsky: Symphony No. 6", 380.0),
        ("Jazz Night", 290.0),
        ("Film Music Gala", 450.0),
        ("Family Concert", 180.0),
        ("Bach: St Matthew Passion", 410.0),
        ("New Year's Concert", 520.0),
        ("Chamber Music at the Aula", 260.0),
    ],
];

/// Seasons in the store: the one `as_of` falls in and the two before.
const SEASONS: i16 = 3;

/// One production of the group: a title in one season.
#[derive(Debug, Clone)]
struct GroupProduction {
    id: String,
    name: String,
    organisation: usize,
    /// Index into the seasons.
    season: usize,
    price: f64,
}

/// One performance.
#[derive(Debug, Clone)]
struct Show {
    id: String,
    production: usize,
    venue: usize,
    starts_at: i64,
}

/// The group's catalogue and schedule, built once.
#[derive(Debug)]
pub struct VenueGroup {
    cfg: DemoConfig,
    productions: Vec<GroupProduction>,
    /// Sorted by start.
    shows: Vec<Show>,
    /// Each organisation's shows (indexes into `shows`).
    by_organisation: [Vec<usize>; 2],
    /// The first day of each season (1 August).
    season_starts: Vec<Date>,
    markets: Markets,
    campaigns: Vec<Campaign>,
    start: i64,
    end: i64,
}

/// `Carmen` → `carmen`, `Dvořák: New World` → `dvorak-new-world`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let c = match c {
            'è' | 'é' => 'e',
            'ř' => 'r',
            'á' => 'a',
            'ø' => 'o',
            'å' => 'a',
            'æ' => 'a',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl VenueGroup {
    /// The catalogue and the schedule of three seasons ending with the one
    /// `cfg.as_of` falls in (a season runs from August to June).
    pub fn new(cfg: &DemoConfig) -> Self {
        let mut rng = stream_rng(cfg.seed, 0x7e4e);
        let last_season = if cfg.as_of.month() >= 8 {
            cfg.as_of.year()
        } else {
            cfg.as_of.year() - 1
        };
        let season_starts: Vec<Date> = (0..SEASONS)
            .map(|k| Date::constant(last_season - (SEASONS - 1) + k, 8, 1))
            .collect();
        let mut productions = Vec::new();
        let mut shows = Vec::new();
        for (season_index, &season) in season_starts.iter().enumerate() {
            for (org, repertoire) in REPERTOIRE.iter().enumerate() {
                // Ten titles this season, in a drawn order.
                let mut titles: Vec<usize> = (0..repertoire.len()).collect();
                for i in (1..titles.len()).rev() {
                    titles.swap(i, rng.random_range(0..=i));
                }
                titles.truncate(10);
                let venues: Vec<usize> = (0..GROUP_VENUES.len())
                    .filter(|&v| GROUP_VENUES[v].2 == org)
                    .collect();
                for (k, &t) in titles.iter().enumerate() {
                    let (title, price) = repertoire[t];
                    let production = productions.len();
                    productions.push(GroupProduction {
                        id: format!("{}-{}", slug(title), season.year()),
                        name: format!("{title} ({}/{})", season.year(), season.year() % 100 + 1),
                        organisation: org,
                        season: season_index,
                        price,
                    });
                    // Each venue plays its titles one after another, from
                    // September to May: a slice of the season each.
                    let venue = venues[k % venues.len()];
                    let per_venue = titles.len().div_ceil(venues.len());
                    let slot = k / venues.len();
                    let season_days = 270;
                    let slice = season_days / per_venue as i64;
                    let first = season
                        .checked_add(jiff::Span::new().days(31 + slot as i64 * slice))
                        .expect("in range");
                    let evenings = rng.random_range(24..=43).min(slice as usize * 6 / 7);
                    let mut day = first;
                    let mut made = 0;
                    while made < evenings {
                        if day.weekday() != Weekday::Monday {
                            let hour = if day.weekday() == Weekday::Sunday {
                                18
                            } else {
                                19
                            };
                            shows.push(Show {
                                id: format!("{}-{day}", productions[production].id),
                                production,
                                venue,
                                starts_at: timestamp_of(day) + hour * HOUR
                                    - oslo_offset(day) * HOUR,
                            });
                            made += 1;
                        }
                        day = day.tomorrow().expect("in range");
                    }
                }
            }
        }
        shows.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
        let mut by_organisation = [Vec::new(), Vec::new()];
        for (i, s) in shows.iter().enumerate() {
            by_organisation[productions[s.production].organisation].push(i);
        }
        let end = cfg.end_second();
        let start = timestamp_of(season_starts[0]).min(end);
        VenueGroup {
            cfg: cfg.clone(),
            productions,
            shows,
            by_organisation,
            season_starts,
            markets: Markets::new(),
            campaigns: campaigns(cfg.seed, start, end),
            start,
            end,
        }
    }

    /// Venues, productions and performances, each carrying its organisation.
    pub fn shared_records(&self, sink: &mut dyn FnMut(Record)) {
        for (id, name, org, lat, lon) in GROUP_VENUES {
            sink(Record::Venue(Venue {
                id: id.into(),
                name: name.into(),
                lat: Some(lat),
                lon: Some(lon),
                organisation: Some(ORGANISATIONS[org].into()),
            }));
        }
        for p in &self.productions {
            sink(Record::Production(Production {
                id: p.id.clone(),
                name: p.name.clone(),
                organisation: Some(ORGANISATIONS[p.organisation].into()),
            }));
        }
        for s in &self.shows {
            sink(Record::Performance(Performance {
                id: s.id.clone(),
                production_id: self.productions[s.production].id.clone(),
                venue_id: GROUP_VENUES[s.venue].0.into(),
                starts_at: timestamp(s.starts_at),
            }));
        }
    }

    /// A ticket order for `show` bought `placed_at`, online or at the box
    /// office.
    fn ticket_order(
        &self,
        rng: &mut DemoRng,
        id: String,
        customer_id: &str,
        placed_at: i64,
        shows: &[usize],
        box_office: bool,
    ) -> Order {
        let mut order = order_shell(id, customer_id, placed_at);
        let first = &self.shows[shows[0]];
        if box_office {
            order.channel = Some(Channel::BoxOffice);
            order.location_id = Some(GROUP_VENUES[first.venue].0.to_owned());
            order.app_id = Some("box-office".to_owned());
        } else {
            order.channel = Some(Channel::Online);
            order.location_id = Some("web".to_owned());
            order.app_id = Some("tickets-web".to_owned());
        }
        let quantity =
            crate::ticketing::ticket_quantity(rng).min(if shows.len() > 1 { 2 } else { 6 });
        let mut line_cents = Vec::new();
        for &i in shows {
            let show = &self.shows[i];
            let production = &self.productions[show.production];
            let band = [0.6, 0.85, 1.0, 1.5][rng.random_range(0..4)];
            let price = (production.price * band).round() as i64 * 100;
            line_cents.push(price * quantity);
            order.lines.push(OrderLine {
                performance_id: Some(show.id.clone()),
                title: Some(production.name.clone()),
                quantity,
                price: cents(price),
                ..OrderLine::default()
            });
        }
        let total = line_cents.iter().sum();
        settle(rng, &mut order, total, &line_cents);
        order
    }

    /// A performance of organisation `org` and when it was bought: a lead
    /// time from the usual mix (box office: mostly the same or the next
    /// day; online: mostly within two months, a tail of early birds), so
    /// that the purchase lies in the history (before `as_of`, after the
    /// customer's `since`). `None` after a few tries.
    /// The season ticket of `org` for `season` as a `subscription`: the
    /// plan named like the property (`Opera 2026/27`), from the season's
    /// first day to 30 June, expired once that day is past.
    fn season_ticket(&self, id: String, customer: &str, org: usize, season: usize) -> Subscription {
        let starts = self.season_starts[season];
        let ends = Date::constant(starts.year() + 1, 6, 30);
        Subscription {
            id,
            customer_id: customer.to_owned(),
            plan: season_plan_name(org, starts),
            starts,
            ends: Some(ends),
            status: if ends < self.cfg.as_of {
                SubscriptionState::Expired
            } else {
                SubscriptionState::Active
            },
        }
    }

    fn pick(
        &self,
        rng: &mut DemoRng,
        org: usize,
        since: i64,
        box_office: bool,
    ) -> Option<(usize, i64)> {
        let shows = &self.by_organisation[org];
        for _ in 0..6 {
            let i = shows[rng.random_range(0..shows.len())];
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
                    _ => 60.0 + 120.0 * unit(rng),
                }
            };
            let at = self.shows[i].starts_at - HOUR - (lead_days * DAY as f64) as i64;
            if at >= since && at < self.end {
                return Some((i, at));
            }
        }
        None
    }

    /// Customer `index` and everything of theirs.
    pub fn customer_records(&self, index: u64, sink: &mut dyn FnMut(Record)) {
        let rng = &mut customer_rng(self.cfg.seed ^ 0x7e4e_0000, index);
        let country = match unit(rng) {
            u if u < 0.88 => "NO",
            u if u < 0.94 => "SE",
            u if u < 0.98 => "DK",
            _ => "GB",
        };
        let market = self
            .markets
            .market(country)
            .unwrap_or_else(|| self.markets.pick(rng));
        let profile = profile(rng, market, index);
        // Who goes to what: the organisations' audiences overlap.
        let affinity = match unit(rng) {
            u if u < 0.45 => [0.9, 0.1],
            u if u < 0.8 => [0.1, 0.9],
            _ => [0.5, 0.5],
        };
        let box_office_share = if chance(rng, 0.3) { 0.7 } else { 0.15 };
        let created_at = self.start + (unit(rng) * (self.end - self.start) as f64 * 0.9) as i64;
        let visits = match unit(rng) {
            u if u < 0.2 => 0,
            u if u < 0.85 => 1 + crate::randomness::poisson(rng, 2.5),
            _ => 4 + crate::randomness::poisson(rng, 10.0),
        };
        let mut orders = Vec::new();
        let mut subscription = None;
        let plan = season_plan(rng, self, &affinity, created_at);
        if let Some((org, season)) = plan {
            // The season ticket: six performances of the organisation's
            // season, bought in one order in August.
            let opens = timestamp_of(self.season_starts[season]) + 10 * HOUR;
            let placed = opens + (exponential(rng, 6.0) * DAY as f64) as i64;
            if placed < self.end {
                let in_season: Vec<usize> = self.by_organisation[org]
                    .iter()
                    .copied()
                    .filter(|&i| {
                        self.shows[i].starts_at > placed
                            && self.productions[self.shows[i].production].season == season
                    })
                    .collect();
                let mut picked: Vec<usize> = if in_season.is_empty() {
                    Vec::new()
                } else {
                    (0..6)
                        .map(|_| in_season[rng.random_range(0..in_season.len())])
                        .collect()
                };
                picked.sort_unstable();
                picked.dedup();
                if !picked.is_empty() {
                    let id = format!("{}-s{}", profile.id, season + 1);
                    let mut order =
                        self.ticket_order(rng, id.clone(), &profile.id, placed, &picked, false);
                    order.app_id = Some("season-ticket".to_owned());
                    orders.push(order);
                    subscription = Some(self.season_ticket(id, &profile.id, org, season));
                }
            }
        }
        for k in 0..visits {
            let org = usize::from(unit(rng) >= affinity[0]);
            let box_office = chance(rng, box_office_share);
            if let Some((show, at)) = self.pick(rng, org, created_at, box_office) {
                let id = format!("{}-{}", profile.id, k + 1);
                orders.push(self.ticket_order(rng, id, &profile.id, at, &[show], box_office));
            }
        }
        orders.sort_by_key(|o| o.placed_at);
        let mut spend = Spend::default();
        for o in orders.iter().filter(|o| !o.cancelled) {
            spend.amount += o.total.saturating_sub(o.refunded).to_f64();
            spend.orders += 1;
            spend.tickets = true;
        }
        let created_at = orders
            .first()
            .map_or(created_at, |o| o.placed_at.as_second().min(created_at));
        let mut customer = customer_record(
            rng,
            market,
            &profile,
            created_at,
            self.cfg.as_of,
            spend,
            None,
        );
        if let Some((org, season)) = plan {
            customer.properties.insert(
                "ticketing.season_plan".into(),
                PropertyValue::String(season_plan_name(org, self.season_starts[season])),
            );
        }
        sink(Record::Customer(customer));
        for o in orders {
            sink(Record::Order(o));
        }
        if let Some(s) = subscription {
            sink(Record::Subscription(s));
        }
        if let Some(email) = &profile.email {
            let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
            let reader = reader(rng, domain);
            let mut events = Vec::new();
            email_events(
                rng,
                &self.campaigns,
                &profile.id,
                profile.email_status,
                &reader,
                created_at..self.end,
                &mut events,
            );
            for e in events {
                sink(Record::EmailEvent(e));
            }
        }
    }
}

/// A season ticket's plan: the organisation and its season, `Opera 2026/27`.
fn season_plan_name(org: usize, season_start: Date) -> String {
    let year = season_start.year();
    format!("{} {year}/{:02}", ORGANISATIONS[org], (year + 1) % 100)
}

/// The season ticket a customer holds, as (organisation, season index):
/// about one customer in twelve, of the organisation they favour, for a
/// season that began after they became a customer.
fn season_plan(
    rng: &mut DemoRng,
    group: &VenueGroup,
    affinity: &[f64; 2],
    since: i64,
) -> Option<(usize, usize)> {
    if !chance(rng, 0.08) {
        return None;
    }
    let org = usize::from(affinity[1] > affinity[0]);
    let seasons: Vec<usize> = (0..group.season_starts.len())
        .filter(|&s| timestamp_of(group.season_starts[s]) + 30 * DAY >= since)
        .collect();
    if seasons.is_empty() {
        return None;
    }
    let weights = Weighted::new(seasons.iter().map(|&s| (s, 1.0 + s as f64)));
    Some((org, *weights.pick(rng)))
}

/// Generates the venue group: its catalogue, then every customer followed
/// by their orders and e-mail events. The same config, the same records.
pub fn generate_venue_group(cfg: &DemoConfig, sink: &mut dyn FnMut(Record)) {
    let group = VenueGroup::new(cfg);
    group.shared_records(sink);
    for index in 0..cfg.customers {
        group.customer_records(index, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slug("Dvořák: New World Symphony"),
            "dvorak-new-world-symphony"
        );
        assert_eq!(slug("New Year's Concert"), "new-year-s-concert");
        assert_eq!(slug("La Bohème"), "la-boheme");
    }
}
