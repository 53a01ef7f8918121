//! Putting it together: the shared records (venues, productions,
//! performances) first, then each customer followed by everything of
//! theirs, streamed to a sink one record at a time.

use crate::browsing::{Activity, before_order, browsing};
use crate::btyd::{BtydParams, at_daytime, purchase_times};
use crate::calendar::{DAY, Seasonality};
use crate::config::DemoConfig;
use crate::customer::{Spend, customer_record, profile};
use crate::email::{Campaign, campaigns, email_events, reader};
use crate::orders::{habits, product_order, ticket_order};
use crate::places::Markets;
use crate::randomness::{DemoRng, chance, customer_rng, exponential, unit};
use crate::ticketing::Schedule;
use flokk_model::{Channel, EmailEvent, Order, Record};
use jiff::civil::Date;
use rand::RngExt;

/// Years of history before `as_of`.
pub const HISTORY_YEARS: i16 = 3;
/// Share of customers who never order (newsletter sign-ups, accounts).
const PROSPECT_SHARE: f64 = 0.22;
/// Share of customers who go to performances.
const CULTURE_SHARE: f64 = 0.15;
/// Share of business customers.
const B2B_SHARE: f64 = 0.03;

/// Everything shared by all customers of one store, built once.
#[derive(Debug)]
pub struct Generator {
    cfg: DemoConfig,
    params: BtydParams,
    markets: Markets,
    season: Seasonality,
    campaigns: Vec<Campaign>,
    schedule: Schedule,
    /// First second of the history.
    start: i64,
    /// First second of `as_of`: nothing happens at or after it.
    end: i64,
}

/// Per-customer buffers, reused from one customer to the next so that the
/// generator allocates little beyond the records it hands out.
#[derive(Debug, Default)]
pub struct Scratch {
    times: Vec<i64>,
    orders: Vec<Order>,
    emails: Vec<EmailEvent>,
    activity: Activity,
}

impl Generator {
    /// Prepares the store: towns, campaigns, the performance schedule.
    pub fn new(cfg: &DemoConfig) -> Self {
        Self::with_params(cfg, BtydParams::default())
    }

    /// Like [`Generator::new`], with other purchase-process parameters
    /// (e.g. a larger `r / alpha` for a store with more orders per customer).
    pub fn with_params(cfg: &DemoConfig, params: BtydParams) -> Self {
        let first_day = cfg
            .as_of
            .checked_sub(jiff::Span::new().years(HISTORY_YEARS))
            .expect("in range");
        let end = cfg.end_second();
        let start = end
            - (crate::calendar::timestamp_of(cfg.as_of) - crate::calendar::timestamp_of(first_day));
        let season_from = first_day
            .checked_sub(jiff::Span::new().days(2))
            .expect("in range");
        let season_to = cfg
            .as_of
            .checked_add(jiff::Span::new().days(2))
            .expect("in range");
        Generator {
            cfg: cfg.clone(),
            params,
            markets: Markets::new(),
            season: Seasonality::new(season_from, season_to),
            campaigns: campaigns(cfg.seed, start, end),
            schedule: Schedule::new(cfg.seed, first_day, cfg.as_of),
            start,
            end,
        }
    }

    /// The purchase-process parameters the store was generated with.
    pub fn params(&self) -> &BtydParams {
        &self.params
    }

    /// The first day of the history.
    pub fn first_day(&self) -> Date {
        self.cfg
            .as_of
            .checked_sub(jiff::Span::new().years(HISTORY_YEARS))
            .expect("in range")
    }

    /// Venues, productions and performances.
    pub fn shared_records(&self, sink: &mut dyn FnMut(Record)) {
        let (venues, productions, performances) = self.schedule.records();
        venues.into_iter().for_each(|v| sink(Record::Venue(v)));
        productions
            .into_iter()
            .for_each(|p| sink(Record::Production(p)));
        performances
            .into_iter()
            .for_each(|p| sink(Record::Performance(p)));
    }

    /// A time in the history when someone became a customer: more recently
    /// more often (the shop grows), and more often on busy days.
    fn acquisition(&self, rng: &mut DemoRng) -> i64 {
        let span = (self.end - self.start) as f64;
        loop {
            // Density ∝ 1 + x on [0, 1): inverse of F(x) = (x + x²/2) / 1.5.
            let x = -1.0 + (1.0 + 3.0 * unit(rng)).sqrt();
            let t = self.start + (x * span) as i64;
            if t < self.end && unit(rng) * Seasonality::PEAK < self.season.weight(t) {
                return t;
            }
        }
    }

    /// Customer `index` and everything of theirs.
    pub fn customer_records(
        &self,
        index: u64,
        scratch: &mut Scratch,
        sink: &mut dyn FnMut(Record),
    ) {
        let rng = &mut customer_rng(self.cfg.seed, index);
        let market = self.markets.pick(rng);
        let profile = profile(rng, market, index);
        let country = market.locale.country;
        let habits = habits(rng);
        let culture = chance(rng, CULTURE_SHARE);
        let b2b = chance(rng, B2B_SHARE)
            .then(|| rng.random_range(0..(self.cfg.customers / 300).max(5) as u32));
        let mut first = [self.acquisition(rng)];
        at_daytime(rng, &mut first, market.locale.utc_offset, self.end);
        let mut first = first[0];
        scratch.orders.clear();
        scratch.times.clear();
        let buyer = (!chance(rng, PROSPECT_SHARE)).then(|| self.params.draw_buyer(rng));
        if let Some(buyer) = &buyer {
            purchase_times(
                rng,
                buyer,
                first,
                self.end,
                &self.season,
                &mut scratch.times,
            );
            at_daytime(rng, &mut scratch.times, market.locale.utc_offset, self.end);
            first = scratch.times.first().copied().unwrap_or(first);
        }
        // Accounts are made at the first purchase, or some time before it.
        let created_at = if chance(rng, 0.3) {
            (first - (exponential(rng, 40.0) * DAY as f64) as i64).max(self.start)
        } else {
            first - rng.random_range(60..1800)
        };
        if let Some(buyer) = &buyer {
            for (k, &t) in scratch.times.iter().enumerate() {
                let id = format!("{}-{}", profile.id, k + 1);
                let ticket = culture && chance(rng, 0.7);
                let box_office = chance(rng, habits.box_office);
                // A few tries: a culture customer looks for something on soon.
                let show = if ticket {
                    (0..3).find_map(|_| self.schedule.pick(rng, t, country, box_office))
                } else {
                    None
                };
                let scale = if b2b.is_some() { 3.0 } else { 1.0 };
                let value = self.params.order_value(rng, buyer) * scale;
                let order = match show {
                    Some(show) => ticket_order(rng, id, &profile.id, t, show, box_office, value),
                    None => product_order(rng, id, &profile.id, t, value, &habits),
                };
                scratch.orders.push(order);
            }
        }
        let mut spend = Spend::default();
        for o in scratch.orders.iter().filter(|o| !o.cancelled) {
            spend.amount += o.total.saturating_sub(o.refunded).to_f64();
            spend.orders += 1;
            spend.tickets |= o.lines.iter().any(|l| l.performance_id.is_some());
        }

        let customer = customer_record(
            rng,
            market,
            &profile,
            created_at,
            self.cfg.as_of,
            spend,
            b2b,
        );
        sink(Record::Customer(customer));

        let activity = &mut scratch.activity;
        activity.clear();
        for order in &scratch.orders {
            if matches!(order.channel, Some(Channel::Online | Channel::App))
                && order.lines.iter().all(|l| l.product_id.is_some())
            {
                before_order(rng, &profile.id, order, activity);
            }
        }
        let mut checkout_ids = 0;
        browsing(
            rng,
            &profile.id,
            created_at..self.end,
            market.locale.utc_offset,
            &mut checkout_ids,
            activity,
        );

        scratch.emails.clear();
        if let Some(email) = &profile.email {
            let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
            let reader = reader(rng, domain);
            email_events(
                rng,
                &self.campaigns,
                &profile.id,
                profile.email_status,
                &reader,
                created_at..self.end,
                &mut scratch.emails,
            );
        }

        let end = self.end;
        for o in scratch.orders.drain(..) {
            sink(Record::Order(o));
        }
        for c in activity
            .checkouts
            .drain(..)
            .filter(|c| c.abandoned_at.as_second() < end)
        {
            sink(Record::Checkout(c));
        }
        for e in scratch.emails.drain(..) {
            sink(Record::EmailEvent(e));
        }
        for e in activity
            .storefront
            .drain(..)
            .filter(|e| e.at.as_second() < end)
        {
            sink(Record::StorefrontEvent(e));
        }
        for e in activity.events.drain(..).filter(|e| e.at.as_second() < end) {
            sink(Record::Event(e));
        }
    }

    /// Customers `range` (by index) and everything of theirs, in index
    /// order: the unit of work for generating in parallel.
    pub fn customers(&self, range: std::ops::Range<u64>, sink: &mut dyn FnMut(Record)) {
        let mut scratch = Scratch::default();
        for index in range {
            self.customer_records(index, &mut scratch, sink);
        }
    }
}

/// Generates the whole store: the shared ticketing records, then every
/// customer followed by their orders, checkouts, e-mail, storefront and
/// custom events. Streams: memory use does not grow with `cfg.customers`.
pub fn generate(cfg: &DemoConfig, sink: &mut dyn FnMut(Record)) {
    let generator = Generator::new(cfg);
    generator.shared_records(sink);
    generator.customers(0..cfg.customers, sink);
}
