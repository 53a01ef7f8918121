//! A random store from a seed: customers with every kind of record, NULL
//! fields, cancelled and refunded orders, tickets for known and unknown
//! performances, addresses with and without positions, and properties of
//! each type.

use super::moments::{day_offset, moment};
use super::vocabulary::*;
use crate::reference::{AsOf, Store, StoreCustomer};
use flokk_lang::ValueType;
use flokk_model::{
    AccountStatus, Address, BounceType, Channel, Checkout, CustomEvent, Customer, EmailEvent,
    EmailEventType, Gender, Money, Order, OrderLine, Performance, ProductSubscriptionStatus,
    Production, PropertyValue, StorefrontEvent, StorefrontEventType, Subscription,
    SubscriptionState, SubscriptionStatus, Venue,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A small deterministic random source (SplitMix64): stores must be
/// reproducible from the seed a failing case prints.
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    /// Dice for `seed`.
    pub fn new(seed: u64) -> Self {
        Dice(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// lo..=hi.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Some element with probability `p`, else `None`.
    pub fn maybe<T: Clone>(&mut self, p: f64, items: &[T]) -> Option<T> {
        self.chance(p).then(|| self.pick(items).clone())
    }

    /// A random subset, in order.
    pub fn subset(&mut self, items: &[&str], p: f64) -> Vec<String> {
        items
            .iter()
            .filter(|_| self.chance(p))
            .map(|s| s.to_string())
            .collect()
    }
}

/// A store and the instant and zone to evaluate it at.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The seed it was built from.
    pub seed: u64,
    /// The store.
    pub store: Store,
    /// Evaluation instant and zone.
    pub as_of: AsOf,
}

/// The custom properties every generated store declares.
pub fn property_types() -> flokk_lang::PropertyTypes {
    [
        ("custom.points", ValueType::Float),
        ("custom.since", ValueType::Date),
        ("custom.color", ValueType::String),
        ("custom.member", ValueType::Boolean),
        ("custom.interests", ValueType::List),
    ]
    .into_iter()
    .map(|(k, t)| (k.to_owned(), t))
    .collect()
}

/// The scenario of `seed` with `customers` customers (at least one).
pub fn random_scenario(seed: u64, customers: usize) -> Scenario {
    let mut dice = Dice::new(seed);
    let zone: &str = ZONES[dice.below(ZONES.len() as u64) as usize];
    let tz = TimeZone::get(zone).expect("known zone");
    let now: Timestamp = (*dice.pick(NOWS)).parse().expect("valid");
    let mut store = Store {
        property_types: property_types(),
        home_venue: Some((*dice.pick(HOME_VENUES)).to_owned()),
        ..Default::default()
    };
    for (id, position) in VENUES {
        store.venues.push(Venue {
            id: id.to_string(),
            name: id.to_string(),
            lat: position.map(|p| p.0),
            lon: position.map(|p| p.1),
            organisation: None,
        });
    }
    for id in PRODUCTIONS {
        store.productions.push(Production {
            id: id.to_string(),
            name: id.to_string(),
            organisation: None,
        });
    }
    for id in PERFORMANCES {
        let production = id.split('-').next().expect("named after the production");
        store.performances.push(Performance {
            id: id.to_string(),
            production_id: production.to_owned(),
            venue_id: dice.pick(VENUES).0.to_owned(),
            starts_at: moment(&mut dice, now, &tz),
        });
    }
    for i in 0..customers {
        let c = random_customer(&mut dice, i, &store.performances, now, &tz);
        store.customers.push(c);
    }
    Scenario {
        seed,
        store,
        as_of: AsOf { now, tz },
    }
}

fn random_address(dice: &mut Dice) -> (Address, Option<(f64, f64)>) {
    let (city, region, country, position) = *dice.pick(PLACES);
    let address = Address {
        city: city.map(str::to_owned),
        region: region.map(str::to_owned),
        country: country.map(str::to_owned),
        lat: position.filter(|_| dice.chance(0.7)).map(|p| p.0),
        ..Default::default()
    };
    let address = Address {
        lon: address.lat.and(position.map(|p| p.1)),
        ..address
    };
    // The store places addresses without coordinates by the gazetteer,
    // which sometimes knows the city and sometimes does not.
    let placed = address
        .lat
        .zip(address.lon)
        .or(position.filter(|_| dice.chance(0.5)));
    (address, placed)
}

fn random_birth_date(dice: &mut Dice, now: Timestamp, tz: &TimeZone) -> Option<jiff::civil::Date> {
    match dice.below(6) {
        0 => None,
        1 => Some(jiff::civil::date(*dice.pick(&[1996, 2000, 2004]), 2, 29)),
        _ => {
            // Near today's month and day, so anniversaries and ages turn
            // over inside the queried ranges.
            let today = flokk_lang::time::today(now, tz);
            let near = today
                .checked_add(jiff::Span::new().days(day_offset(dice).clamp(-40, 40)))
                .expect("in range");
            // A few ages only, so queries written "N years ago" meet
            // birthdays on their exact day often.
            let year = today.year() - *dice.pick(BIRTH_AGES) as i16;
            Some(
                near.with()
                    .year(year)
                    .build()
                    .unwrap_or_else(|_| jiff::civil::date(year, 2, 28)),
            )
        }
    }
}

/// A date property: a birthday-like day years ago, or a day near today.
fn random_day(dice: &mut Dice, now: Timestamp, tz: &TimeZone) -> Option<jiff::civil::Date> {
    if dice.chance(0.5) {
        return random_birth_date(dice, now, tz);
    }
    let today = flokk_lang::time::today(now, tz);
    today
        .checked_add(jiff::Span::new().days(day_offset(dice)))
        .ok()
}

fn random_properties(dice: &mut Dice, now: Timestamp, tz: &TimeZone) -> flokk_model::Properties {
    let mut props = flokk_model::Properties::new();
    if dice.chance(0.6) {
        props.insert(
            "custom.points".into(),
            PropertyValue::Number(*dice.pick(&[0.0, 5.0, 120.5])),
        );
    }
    if dice.chance(0.6)
        && let Some(d) = random_day(dice, now, tz)
    {
        props.insert("custom.since".into(), PropertyValue::Date(d));
    }
    if dice.chance(0.6) {
        props.insert(
            "custom.color".into(),
            PropertyValue::String(dice.pick(&["blue", "Blue", "red"]).to_string()),
        );
    }
    if dice.chance(0.6) {
        props.insert(
            "custom.member".into(),
            PropertyValue::Boolean(dice.chance(0.5)),
        );
    }
    if dice.chance(0.6) {
        props.insert(
            "custom.interests".into(),
            PropertyValue::List(dice.subset(&["opera", "Jazz", "rock"], 0.5)),
        );
    }
    props
}

fn random_customer(
    dice: &mut Dice,
    i: usize,
    performances: &[Performance],
    now: Timestamp,
    tz: &TimeZone,
) -> StoreCustomer {
    let id = format!("{}", 1000 + i);
    let (addresses, positions): (Vec<Address>, Vec<Option<(f64, f64)>>) =
        (0..dice.below(3)).map(|_| random_address(dice)).unzip();
    let record = Customer {
        id: id.clone(),
        email: dice.maybe(0.8, EMAILS).map(str::to_owned),
        gender: dice.maybe(0.7, Gender::ALL),
        birth_date: random_birth_date(dice, now, tz),
        language: dice.maybe(0.7, LANGUAGES).map(str::to_owned),
        created_at: dice.chance(0.9).then(|| {
            let t = moment(dice, now, tz);
            // Customers are never created after now (see the report).
            t.min(now)
        }),
        account_status: dice.maybe(0.8, AccountStatus::ALL),
        email_subscription: dice.maybe(0.8, SubscriptionStatus::ALL),
        sms_subscription: dice.maybe(0.6, SubscriptionStatus::ALL),
        product_subscription: dice.maybe(0.6, ProductSubscriptionStatus::ALL),
        permissions: dice.subset(PERMISSIONS, 0.4),
        tags: dice.subset(CUSTOMER_TAGS, 0.3),
        companies: dice.subset(COMPANIES, 0.2),
        created_by_app_id: dice.maybe(0.5, APPS).map(str::to_owned),
        addresses,
        properties: random_properties(dice, now, tz),
        ..Customer::stub(id.clone())
    };
    let mut c = StoreCustomer {
        record,
        positions,
        ..Default::default()
    };
    for k in 0..dice.below(6) {
        c.orders
            .push(random_order(dice, &id, k, performances, now, tz));
    }
    // Subscriptions around today: ended, running, starting later; open-ended
    // ones; every state; plans in two spellings.
    let today = flokk_lang::time::today(now, tz);
    for k in 0..dice.below(3) {
        let day = |dice: &mut Dice, span: i64| {
            today
                .checked_add(jiff::Span::new().days(dice.below(span as u64) as i64 - span / 2))
                .expect("near today")
        };
        let starts = day(dice, 1000);
        let ends = dice.chance(0.8).then(|| {
            starts
                .checked_add(jiff::Span::new().days(dice.below(400) as i64))
                .expect("near today")
        });
        c.subscriptions.push(Subscription {
            id: format!("s{id}-{k}"),
            customer_id: id.clone(),
            plan: (*dice.pick(PLANS)).to_owned(),
            starts,
            ends,
            status: *dice.pick(&SubscriptionState::ALL),
        });
    }
    for k in 0..dice.below(3) {
        c.checkouts.push(Checkout {
            id: format!("k{id}-{k}"),
            customer_id: id.clone(),
            abandoned_at: moment(dice, now, tz),
            total: amount(dice, AMOUNTS),
        });
    }
    for _ in 0..dice.below(9) {
        let event_type = *dice.pick(EmailEventType::ALL);
        c.email.push(EmailEvent {
            id: None,
            customer_id: id.clone(),
            event_type,
            activity_id: dice.maybe(0.8, ACTIVITIES).map(str::to_owned),
            at: moment(dice, now, tz),
            machine_open: (event_type == EmailEventType::Opened)
                .then(|| dice.maybe(0.8, &[true, false]))
                .flatten(),
            bounce_type: (event_type == EmailEventType::Bounced)
                .then(|| dice.maybe(0.8, &[BounceType::Soft, BounceType::Hard]))
                .flatten(),
        });
    }
    for _ in 0..dice.below(5) {
        c.storefront.push(StorefrontEvent {
            event_id: None,
            customer_id: id.clone(),
            event_type: *dice.pick(&[
                StorefrontEventType::ProductViewed,
                StorefrontEventType::CollectionViewed,
            ]),
            id: dice.pick(VIEWED).to_string(),
            at: moment(dice, now, tz),
        });
    }
    for _ in 0..dice.below(5) {
        c.custom.push(random_custom_event(dice, &id, now, tz));
    }
    if dice.chance(0.1) {
        // Known only by id, as when an order names an unknown customer.
        c.record = Customer::stub(id);
        c.positions.clear();
    }
    c
}

/// One of the amounts `from` (decimal text), exactly.
fn amount(dice: &mut Dice, from: &[&str]) -> Money {
    let text: &&str = dice.pick(from);
    Money::parse(text).expect("an amount")
}

fn random_order(
    dice: &mut Dice,
    customer: &str,
    k: u64,
    performances: &[Performance],
    now: Timestamp,
    tz: &TimeZone,
) -> Order {
    let total = amount(dice, AMOUNTS);
    let mut lines = Vec::new();
    for _ in 0..dice.below(4) {
        if dice.chance(0.65) {
            lines.push(OrderLine {
                product_id: Some(dice.pick(PRODUCTS).to_string()),
                tags: dice.subset(LINE_TAGS, 0.3),
                category: dice.maybe(0.7, CATEGORIES).map(str::to_owned),
                vendor: dice.maybe(0.7, VENDORS).map(str::to_owned),
                quantity: dice.between(1, 3),
                price: amount(dice, AMOUNTS),
                ..Default::default()
            });
        } else {
            let performance = if dice.chance(0.2) {
                UNKNOWN_PERFORMANCE
            } else {
                dice.pick(PERFORMANCES)
            };
            lines.push(OrderLine {
                performance_id: Some(performance.to_owned()),
                quantity: dice.between(1, 4),
                price: amount(dice, &["99.5", "450", "0", "59.82"]),
                ..Default::default()
            });
        }
    }
    let mut placed_at = moment(dice, now, tz);
    let first_show = lines
        .iter()
        .filter_map(|l| l.performance_id.as_deref())
        .find_map(|id| performances.iter().find(|p| p.id == id));
    if let Some(show) = first_show
        && dice.chance(0.5)
    {
        // Bought shortly before (or after) the show, where whole-day lead
        // times turn over.
        let before = *dice.pick(&[
            -90_000, -3_600, 1_800, 86_399, 86_400, 86_401, 172_799, 172_801,
        ]);
        placed_at = show
            .starts_at
            .checked_sub(jiff::SignedDuration::from_secs(before))
            .expect("in range");
    }
    Order {
        id: format!("o{customer}-{k}"),
        customer_id: customer.to_owned(),
        placed_at,
        total,
        refunded: if dice.chance(0.2) {
            // Half, to the ten-thousandth (rounded down): still an amount.
            Money::from_units(total.units() / 2)
        } else {
            Money::ZERO
        },
        cancelled: dice.chance(0.12),
        channel: dice.maybe(0.8, Channel::ALL),
        location_id: dice.maybe(0.6, LOCATIONS).map(str::to_owned),
        app_id: dice.maybe(0.6, ORDER_APPS).map(str::to_owned),
        tags: Vec::new(),
        discount_codes: dice.subset(DISCOUNT_CODES, 0.25),
        lines,
    }
}

fn random_custom_event(
    dice: &mut Dice,
    customer: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> CustomEvent {
    let mut properties = flokk_model::Properties::new();
    if dice.chance(0.7) {
        properties.insert(
            "ProductName".into(),
            PropertyValue::String(dice.pick(PRODUCT_NAMES).to_string()),
        );
    }
    match dice.below(4) {
        0 => {}
        1 => {
            properties.insert("value".into(), PropertyValue::String("n/a".into()));
        }
        _ => {
            properties.insert(
                "value".into(),
                PropertyValue::Number(*dice.pick(&[0.0, 12.5, 79.0])),
            );
        }
    }
    if dice.chance(0.5) {
        properties.insert(
            "size".into(),
            PropertyValue::Number(dice.between(1, 3) as f64),
        );
    }
    if dice.chance(0.4)
        && let Some(d) = random_day(dice, now, tz)
    {
        properties.insert("launched".into(), PropertyValue::Date(d));
    }
    if dice.chance(0.4) {
        properties.insert("gift".into(), PropertyValue::Boolean(dice.chance(0.5)));
    }
    CustomEvent {
        id: None,
        customer_id: customer.to_owned(),
        name: dice.pick(EVENT_NAMES).to_string(),
        at: moment(dice, now, tz),
        properties,
    }
}
