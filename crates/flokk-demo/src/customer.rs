//! The customer record: identity, address, consents, tags, companies and
//! custom properties, drawn with realistic shares so that every customer
//! filter of language.md §7 has customers to find.

use crate::calendar::timestamp;
use crate::people::{self, Person};
use crate::places::{Location, Market};
use crate::randomness::{DemoRng, chance, one_of, unit};
use flokk_model::{
    AccountStatus, Address, Customer, Gender, ProductSubscriptionStatus, PropertyValue,
    SubscriptionStatus,
};
use jiff::civil::Date;
use rand::RngExt;

/// What the rest of the generator needs to know about a customer before
/// the record itself is written (it depends on their orders).
#[derive(Debug, Clone)]
pub struct Profile<'m> {
    /// Customer id.
    pub id: String,
    /// Name and title.
    pub person: Person,
    /// E-mail address, if any.
    pub email: Option<String>,
    /// E-mail consent.
    pub email_status: Option<SubscriptionStatus>,
    /// SMS consent.
    pub sms_status: Option<SubscriptionStatus>,
    /// French-speaking (most Québec customers).
    pub french: bool,
    /// Where they live (the default address).
    pub home: Location<'m>,
}

/// Draws a status from (status, share) pairs.
fn status<T: Copy>(rng: &mut DemoRng, shares: &[(T, f64)]) -> T {
    let u = unit(rng) * shares.iter().map(|s| s.1).sum::<f64>();
    let mut acc = 0.0;
    for &(s, w) in shares {
        acc += w;
        if u < acc {
            return s;
        }
    }
    shares[shares.len() - 1].0
}

/// Draws the profile of customer `index` in a market.
pub fn profile<'m>(rng: &mut DemoRng, market: &'m Market, index: u64) -> Profile<'m> {
    let locale = market.locale;
    let home = market.locate(rng);
    let in_quebec = home.town.city.region == Some("CA-QC");
    let french = locale.country == "CA" && chance(rng, if in_quebec { 0.8 } else { 0.03 });
    let person = people::person(rng, locale, french);
    let email = chance(rng, 0.97).then(|| people::email(rng, locale, &person, index + 1));
    use SubscriptionStatus::*;
    let email_status = email.as_ref().map(|_| {
        status(
            rng,
            &[
                (Subscribed, 0.46),
                (NotSubscribed, 0.33),
                (Unsubscribed, 0.12),
                (Pending, 0.03),
                (Invalid, 0.05),
                (Redacted, 0.01),
            ],
        )
    });
    let sms_status = Some(status(
        rng,
        &[
            (Subscribed, 0.16),
            (NotSubscribed, 0.72),
            (Unsubscribed, 0.06),
            (Pending, 0.02),
            (Invalid, 0.035),
            (Redacted, 0.005),
        ],
    ));
    Profile {
        home,
        id: (1_000_001 + index).to_string(),
        person,
        email,
        email_status,
        sms_status,
        french,
    }
}

/// What the customer's orders add to the record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spend {
    /// Net spend of the orders that count.
    pub amount: f64,
    /// Orders that count.
    pub orders: usize,
    /// Bought tickets.
    pub tickets: bool,
}

/// Writes the customer record.
#[allow(clippy::too_many_arguments)]
pub fn customer_record(
    rng: &mut DemoRng,
    market: &Market,
    profile: &Profile,
    created_at: i64,
    as_of: Date,
    spend: Spend,
    b2b_company: Option<u32>,
) -> Customer {
    let locale = market.locale;
    let person = &profile.person;
    let mut c = Customer::stub(profile.id.clone());
    c.first_name = Some(person.first_name.clone());
    c.last_name = Some(person.last_name.clone());
    c.title = person.title.map(str::to_owned);
    c.gender = person.gender;
    c.email = profile.email.clone();
    c.phone = chance(rng, 0.8).then(|| people::phone(rng, locale));
    // Nobody can consent to texts without a phone number.
    let sms_status = if c.phone.is_some() {
        profile.sms_status
    } else {
        None
    };
    c.language = if chance(rng, 0.08) {
        None
    } else if profile.french {
        Some("fr".to_owned())
    } else if locale.language != "en" && chance(rng, 0.1) {
        Some("en".to_owned())
    } else {
        Some(locale.language.to_owned())
    };
    c.created_at = Some(timestamp(created_at));
    c.birth_date = chance(rng, 0.7).then(|| {
        let year = as_of.year() - rng.random_range(18..86);
        let month = rng.random_range(1..=12);
        let days = Date::constant(year, month, 1).days_in_month();
        Date::constant(year, month, rng.random_range(1..=days))
    });
    // A few birthdays on 29 February, for the anniversary rule.
    if c.birth_date.is_some() && chance(rng, 0.003) {
        c.birth_date = Some(Date::constant(1988, 2, 29));
    }
    use AccountStatus::*;
    c.account_status = Some(status(
        rng,
        &[
            (Enabled, 0.48),
            (Disabled, 0.40),
            (Invited, 0.09),
            (Declined, 0.03),
        ],
    ));
    c.email_subscription = profile.email_status;
    c.sms_subscription = sms_status;
    use ProductSubscriptionStatus as P;
    c.product_subscription = Some(status(
        rng,
        &[
            (P::NeverSubscribed, 0.84),
            (P::Subscribed, 0.08),
            (P::Cancelled, 0.06),
            (P::Expired, 0.02),
        ],
    ));

    // Consents follow the subscriptions, with some noise.
    if profile.email_status == Some(SubscriptionStatus::Subscribed) && chance(rng, 0.92) {
        c.permissions.push("newsletter".into());
    }
    if chance(rng, 0.22) {
        c.permissions.push("partner_offers".into());
    }
    if sms_status == Some(SubscriptionStatus::Subscribed) {
        c.permissions.push("sms_offers".into());
    }
    if chance(rng, 0.3) {
        c.permissions.push("profiling".into());
    }

    // Tags: some written in capitals, as merchants do (CONTAINS ignores case).
    if spend.amount > 2500.0 {
        c.tags.push(if chance(rng, 0.2) {
            "VIP".into()
        } else {
            "vip".into()
        });
    }
    if c.permissions.iter().any(|p| p == "newsletter") {
        c.tags.push("newsletter".into());
    }
    if chance(rng, 0.07) && c.birth_date.is_none_or(|b| as_of.year() - b.year() < 30) {
        c.tags.push("student".into());
    }
    if spend.tickets {
        c.tags.push("culture".into());
    }
    if spend.orders >= 5 {
        c.tags.push("loyal".into());
    }
    if chance(rng, 0.005) {
        c.tags.push("staff".into());
    }
    if let Some(company) = b2b_company {
        c.tags.push("wholesale".into());
        c.companies.push(format!("{}", 900_000 + company));
        c.tax_exempt = chance(rng, 0.4);
        c.note = Some("Wholesale account; invoice monthly".into());
    } else if chance(rng, 0.02) {
        c.note = Some(
            one_of(
                rng,
                &[
                    "Prefers pick-up in store",
                    "Gift wrap every order",
                    "Allergic to wool",
                ],
            )
            .to_string(),
        );
    }
    c.created_by_app_id = match unit(rng) {
        u if u < 0.12 => Some("pos".into()),
        u if u < 0.18 => Some("shop-app".into()),
        u if u < 0.20 => Some("580111".into()),
        _ => None,
    };

    // Addresses: one default, some with a second (a summer house, work).
    let n_addresses = if chance(rng, 0.04) {
        0
    } else if chance(rng, 0.08) {
        2
    } else {
        1
    };
    for i in 0..n_addresses {
        let loc = if i == 0 {
            profile.home.clone()
        } else {
            market.locate(rng)
        };
        let city = loc.town.city;
        // Some addresses come without coordinates or without a region, as
        // real imports do; the gazetteer fills those in at import.
        let placed = chance(rng, 0.95);
        c.addresses.push(Address {
            address1: Some(people::street_address(rng, locale)),
            address2: chance(rng, 0.05).then(|| format!("Apt {}", rng.random_range(1..40))),
            company: b2b_company
                .filter(|_| i == 0)
                .map(|n| company_name(n, locale.country)),
            city: Some(city.name.to_owned()),
            region: city.region.filter(|_| chance(rng, 0.97)).map(str::to_owned),
            country: Some(locale.country.to_owned()),
            zip: loc.zip.map(str::to_owned),
            phone: None,
            lat: placed.then_some(loc.lat),
            lon: placed.then_some(loc.lon),
            default: i == 0,
        });
    }

    // Custom properties (metafields) of every value type.
    let p = &mut c.properties;
    if chance(rng, 0.4) {
        let colour = one_of(
            rng,
            &["blue", "green", "red", "black", "white", "yellow", "purple"],
        );
        p.insert(
            "custom.favorite_color".into(),
            PropertyValue::String(colour.to_string()),
        );
    }
    if spend.orders > 0 || chance(rng, 0.1) {
        let points = (spend.amount / 10.0).floor() + f64::from(rng.random_range(0..50u32));
        p.insert(
            "custom.points_balance".into(),
            PropertyValue::Number(points),
        );
    }
    if let Some(b) = c.birth_date.filter(|_| chance(rng, 0.5)) {
        p.insert("facts.birth_date".into(), PropertyValue::Date(b));
    }
    if spend.orders > 0 {
        let tier = match spend.amount {
            a if a >= 5000.0 => "platinum",
            a if a >= 2000.0 => "gold",
            a if a >= 500.0 => "silver",
            _ => "bronze",
        };
        p.insert("loyalty.tier".into(), PropertyValue::String(tier.into()));
    }
    if chance(rng, 0.3) {
        let all = [
            "running", "hiking", "opera", "ballet", "design", "cooking", "football",
        ];
        let mut interests: Vec<String> = all
            .iter()
            .filter(|_| chance(rng, 0.3))
            .map(|s| s.to_string())
            .collect();
        if interests.is_empty() {
            interests.push(one_of(rng, &all).to_string());
        }
        p.insert("custom.interests".into(), PropertyValue::List(interests));
    }
    if chance(rng, 0.25) {
        p.insert(
            "custom.member".into(),
            PropertyValue::Boolean(chance(rng, 0.6)),
        );
    }
    if person.gender == Some(Gender::Other) && chance(rng, 0.5) {
        p.insert(
            "custom.pronouns".into(),
            PropertyValue::String("they/them".into()),
        );
    }
    c
}

/// The name of B2B company `n`, with the legal-form suffix of its country.
fn company_name(n: u32, country: &str) -> String {
    const STEMS: &[&str] = &[
        "Nord", "Fjell", "Kyst", "Polar", "Linden", "Harbour", "Granite", "Aurora", "Maple",
        "Tulip",
    ];
    const TRADES: &[&str] = &[
        "Retail",
        "Sport",
        "Design",
        "Trading",
        "Outfitters",
        "Supply",
        "Events",
    ];
    let suffix = match country {
        "NO" => "AS",
        "SE" => "AB",
        "DK" => "ApS",
        "FI" => "Oy",
        "IS" => "ehf.",
        "NL" => "B.V.",
        "DE" => "GmbH",
        "GB" => "Ltd",
        _ => "Inc.",
    };
    let stem = STEMS[n as usize % STEMS.len()];
    let trade = TRADES[(n as usize / STEMS.len()) % TRADES.len()];
    format!("{stem} {trade} {suffix}")
}
