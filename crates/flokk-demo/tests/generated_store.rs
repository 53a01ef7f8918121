//! Properties of generated stores that the rest of flokk relies on.

use flokk_demo::{DemoConfig, generate};
use flokk_model::{
    BounceType, Channel, EmailEventType, Gender, ParseOptions, PropertyValue, Record,
    StorefrontEventType, SubscriptionStatus, parse_record,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher};
use std::sync::OnceLock;

fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

fn records(customers: u64, seed: u64) -> Vec<Record> {
    let mut out = Vec::new();
    generate(&DemoConfig::new(customers, seed, as_of()), &mut |r| {
        out.push(r)
    });
    out
}

/// One 20k-customer store shared by the statistical tests.
fn store() -> &'static [Record] {
    static STORE: OnceLock<Vec<Record>> = OnceLock::new();
    STORE.get_or_init(|| records(20_000, 7))
}

fn digest(customers: u64, seed: u64) -> (u64, usize) {
    let mut h = DefaultHasher::new();
    let mut n = 0;
    generate(&DemoConfig::new(customers, seed, as_of()), &mut |r| {
        h.write(serde_json::to_string(&r).unwrap().as_bytes());
        h.write_u8(b'\n');
        n += 1;
    });
    (h.finish(), n)
}

#[test]
fn same_config_gives_identical_output_and_seeds_differ() {
    let a = digest(2_000, 1);
    let b = digest(2_000, 1);
    assert_eq!(a, b);
    let c = digest(2_000, 2);
    assert_ne!(a.0, c.0);
    // A customer does not depend on how many come after it.
    let small = records(50, 1);
    let large = records(60, 1);
    let customers = |rs: &[Record]| -> Vec<String> {
        rs.iter()
            .filter(|r| r.customer_id().is_some_and(|id| id.as_bytes() < b"1000051"))
            .map(|r| serde_json::to_string(r).unwrap())
            .collect()
    };
    assert_eq!(customers(&small), customers(&large));
}

#[test]
fn every_record_is_valid_and_round_trips() {
    for r in store() {
        r.validate().unwrap_or_else(|e| panic!("{e}: {r:?}"));
        let line = serde_json::to_string(r).unwrap();
        let back =
            parse_record(&line, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(serde_json::to_string(&back).unwrap(), line);
    }
}

#[test]
fn nothing_happens_on_or_after_as_of() {
    let end = jiff::tz::TimeZone::UTC
        .to_timestamp(as_of().at(0, 0, 0, 0))
        .unwrap();
    let starts: HashMap<&str, jiff::Timestamp> = store()
        .iter()
        .filter_map(|r| match r {
            Record::Performance(p) => Some((p.id.as_str(), p.starts_at)),
            _ => None,
        })
        .collect();
    let mut future_performances = 0;
    for r in store() {
        let at = match r {
            Record::Customer(c) => c.created_at,
            Record::Order(o) => {
                for l in &o.lines {
                    if let Some(p) = &l.performance_id {
                        assert!(
                            starts[p.as_str()] > o.placed_at,
                            "ticket bought after the performance: {o:?}"
                        );
                    }
                }
                Some(o.placed_at)
            }
            Record::Checkout(c) => Some(c.abandoned_at),
            Record::EmailEvent(e) => Some(e.at),
            Record::StorefrontEvent(e) => Some(e.at),
            Record::Event(e) => Some(e.at),
            Record::Performance(p) => {
                future_performances += usize::from(p.starts_at >= end);
                None
            }
            _ => None,
        };
        if let Some(at) = at {
            assert!(at < end, "{at} is not before {end}: {r:?}");
        }
    }
    assert!(
        future_performances > 0,
        "the schedule reaches into the future"
    );
}

#[test]
fn order_totals_are_the_sum_of_their_lines() {
    for r in store() {
        if let Record::Order(o) = r {
            let sum: flokk_model::MoneySum =
                o.lines.iter().map(|l| l.price.times(l.quantity)).sum();
            assert!((o.total.to_f64() - sum.to_f64()).abs() < 0.005, "{o:?}");
            assert!(o.refunded <= o.total && !o.lines.is_empty() && o.lines.len() <= 4);
        }
    }
}

#[test]
fn every_filter_has_data() {
    let rs = store();
    let mut seen: HashSet<String> = HashSet::new();
    let mut see = |s: String| {
        seen.insert(s);
    };
    for r in rs {
        match r {
            Record::Customer(c) => {
                for a in &c.addresses {
                    see(format!("country:{}", a.country.as_deref().unwrap_or("")));
                    if a.lat.is_none() {
                        see("address without coordinates".into());
                    }
                }
                if c.addresses.len() > 1 {
                    see("two addresses".into());
                }
                see(format!("title:{}", c.title.as_deref().unwrap_or("none")));
                see(format!("gender:{:?}", c.gender));
                if c.title.is_some() && c.gender.is_none() {
                    see("title without gender".into());
                }
                see(format!("birth_date known:{}", c.birth_date.is_some()));
                see(format!(
                    "language:{}",
                    c.language.as_deref().unwrap_or("none")
                ));
                see(format!("account:{:?}", c.account_status));
                see(format!("email:{:?}", c.email_subscription));
                see(format!("sms:{:?}", c.sms_subscription));
                see(format!("product:{:?}", c.product_subscription));
                c.permissions
                    .iter()
                    .for_each(|p| see(format!("permission:{p}")));
                c.tags.iter().for_each(|t| see(format!("tag:{t}")));
                if !c.companies.is_empty() {
                    see("company".into());
                }
                if let Some(app) = &c.created_by_app_id {
                    see(format!("created_by_app:{app}"));
                }
                for (k, v) in &c.properties {
                    see(format!("property:{k}:{}", v.type_name()));
                }
                if let Some(d) = c.email_domain() {
                    see(format!("domain:{d}"));
                }
            }
            Record::Order(o) => {
                see(format!("channel:{:?}", o.channel));
                if o.cancelled {
                    see("cancelled".into());
                }
                if o.refunded > flokk_model::Money::ZERO {
                    see("refund".into());
                }
                if o.lines.iter().any(|l| l.performance_id.is_some()) {
                    see(format!("tickets via {:?}", o.channel));
                }
                if o.lines
                    .iter()
                    .any(|l| l.category.as_deref() == Some("Apparel > Shorts"))
                {
                    see("shorts".into());
                }
            }
            Record::Checkout(_) => see("checkout".into()),
            Record::EmailEvent(e) => {
                see(format!("email:{}", e.event_type.as_str()));
                if e.machine_open == Some(true) {
                    see("machine open".into());
                }
                if let Some(b) = e.bounce_type {
                    see(format!("bounce:{}", b.as_str()));
                }
            }
            Record::StorefrontEvent(e) => see(format!("storefront:{}", e.event_type.as_str())),
            Record::Event(e) => {
                see(format!("event:{}", e.name));
                if matches!(e.properties.get("value"), Some(PropertyValue::Number(_))) {
                    see("event with value".into());
                }
            }
            _ => {}
        }
    }
    let expected = [
        "country:NO",
        "country:SE",
        "country:DK",
        "country:FI",
        "country:IS",
        "country:NL",
        "country:DE",
        "country:GB",
        "country:US",
        "country:CA",
        "address without coordinates",
        "two addresses",
        "title:Hr",
        "title:Fru",
        "title:Frk",
        "title:Herr",
        "title:Frau",
        "title:Dhr",
        "title:Mevr",
        "title:Mr",
        "title:Mrs",
        "title:Ms",
        "title:Miss",
        "title:M.",
        "title:Mme",
        "title:none",
        "title without gender",
        "gender:None",
        "gender:Some(Female)",
        "gender:Some(Male)",
        "gender:Some(Other)",
        "birth_date known:true",
        "birth_date known:false",
        "language:nb",
        "language:fr",
        "language:en",
        "account:Some(Enabled)",
        "account:Some(Disabled)",
        "account:Some(Invited)",
        "account:Some(Declined)",
        "email:Some(Subscribed)",
        "email:Some(NotSubscribed)",
        "email:Some(Unsubscribed)",
        "email:Some(Pending)",
        "email:Some(Invalid)",
        "email:Some(Redacted)",
        "sms:Some(Subscribed)",
        "sms:Some(Invalid)",
        "product:Some(Subscribed)",
        "product:Some(Cancelled)",
        "product:Some(Expired)",
        "permission:newsletter",
        "permission:partner_offers",
        "permission:sms_offers",
        "tag:vip",
        "tag:VIP",
        "tag:wholesale",
        "tag:newsletter",
        "tag:student",
        "company",
        "created_by_app:pos",
        "property:custom.favorite_color:String",
        "property:custom.points_balance:Float",
        "property:facts.birth_date:Date",
        "property:loyalty.tier:String",
        "property:custom.interests:List",
        "property:custom.member:Boolean",
        "domain:gmail.com",
        "domain:online.no",
        "channel:Some(Online)",
        "channel:Some(Pos)",
        "channel:Some(App)",
        "channel:Some(BoxOffice)",
        "cancelled",
        "refund",
        "tickets via Some(Online)",
        "tickets via Some(BoxOffice)",
        "shorts",
        "checkout",
        "email:delivered",
        "email:opened",
        "email:clicked",
        "email:bounced",
        "email:marked_as_spam",
        "email:unsubscribed",
        "machine open",
        "bounce:SOFT",
        "bounce:HARD",
        "storefront:product_viewed",
        "storefront:collection_viewed",
        "event:Viewed Product",
        "event:Added to Cart",
        "event:Started Checkout",
        "event with value",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !seen.contains(*e))
        .collect();
    assert!(missing.is_empty(), "no data for {missing:?}");
    // Keep the imports honest.
    let _ = (
        BounceType::Hard,
        Channel::Pos,
        EmailEventType::Opened,
        Gender::Male,
        StorefrontEventType::ProductViewed,
    );
    let _ = SubscriptionStatus::Subscribed;
}

/// Net spend and order days per customer, as the predictive models see them.
fn buyers() -> BTreeMap<&'static str, (f64, HashSet<jiff::civil::Date>)> {
    let mut out: BTreeMap<&str, (f64, HashSet<jiff::civil::Date>)> = BTreeMap::new();
    for r in store() {
        if let Record::Order(o) = r
            && !o.cancelled
        {
            let e = out.entry(o.customer_id.as_str()).or_default();
            e.0 += o.total.saturating_sub(o.refunded).to_f64();
            e.1.insert(
                o.placed_at
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date(),
            );
        }
    }
    out
}

#[test]
fn spend_is_heavy_tailed() {
    let mut spend: Vec<f64> = buyers().values().map(|v| v.0).collect();
    spend.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = spend.iter().sum();
    let top: f64 = spend[..spend.len() / 10].iter().sum();
    assert!(
        top / total > 0.4,
        "top 10% of buyers hold {:.0}% of spend",
        100.0 * top / total
    );
}

#[test]
fn buy_till_you_die_shape() {
    let b = buyers();
    let one_time = b.values().filter(|v| v.1.len() == 1).count() as f64 / b.len() as f64;
    assert!(
        (0.40..=0.75).contains(&one_time),
        "one-time buyers: {:.1}%",
        one_time * 100.0
    );
    assert!(
        b.values().any(|v| v.1.len() >= 10),
        "some loyal customers buy often"
    );
    let customers = store()
        .iter()
        .filter(|r| matches!(r, Record::Customer(_)))
        .count();
    let prospects = customers - b.len();
    assert!(prospects > customers / 10, "customers without orders exist");
    // Predictions need recent orders (predictive.md, data sufficiency).
    let end = jiff::tz::TimeZone::UTC
        .to_timestamp(as_of().at(0, 0, 0, 0))
        .unwrap();
    let recent = store()
        .iter()
        .filter(|r| matches!(r, Record::Order(o) if end.as_second() - o.placed_at.as_second() < 30 * 86_400))
        .count();
    assert!(recent > 100);
}

#[test]
fn black_friday_sells_more_than_an_ordinary_friday() {
    let mut per_day: HashMap<jiff::civil::Date, usize> = HashMap::new();
    for r in store() {
        if let Record::Order(o) = r {
            *per_day
                .entry(
                    o.placed_at
                        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                        .date(),
                )
                .or_default() += 1;
        }
    }
    let bf = per_day[&jiff::civil::date(2025, 11, 28)];
    let ordinary: usize = (1..=4)
        .map(|w| {
            per_day
                .get(&jiff::civil::date(2025, 10, 3 + 7 * (w - 1)))
                .copied()
                .unwrap_or(0)
        })
        .sum::<usize>()
        / 4;
    assert!(
        bf > 2 * ordinary,
        "Black Friday {bf} orders, an October Friday {ordinary}"
    );
}

#[test]
fn ticket_lead_times_are_mostly_short() {
    let starts: HashMap<&str, i64> = store()
        .iter()
        .filter_map(|r| match r {
            Record::Performance(p) => Some((p.id.as_str(), p.starts_at.as_second())),
            _ => None,
        })
        .collect();
    let mut leads = Vec::new();
    for r in store() {
        if let Record::Order(o) = r {
            for l in o.lines.iter().filter_map(|l| l.performance_id.as_deref()) {
                leads.push((starts[l] - o.placed_at.as_second()) / 86_400);
            }
        }
    }
    assert!(leads.len() > 500, "{} ticket lines", leads.len());
    let within_60 = leads.iter().filter(|&&d| d <= 60).count() as f64 / leads.len() as f64;
    assert!(within_60 > 0.7, "{within_60}");
    assert!(leads.iter().any(|&d| d > 120), "a long tail of early birds");
    assert!(leads.contains(&0), "same-day buyers");
}

#[test]
fn ids_are_unique() {
    let mut ids = HashSet::new();
    for r in store() {
        let id = match r {
            Record::Customer(c) => format!("customer {}", c.id),
            Record::Order(o) => format!("order {}", o.id),
            Record::Checkout(c) => format!("checkout {}", c.id),
            Record::Performance(p) => format!("performance {}", p.id),
            _ => continue,
        };
        assert!(ids.insert(id.clone()), "duplicate {id}");
    }
}

#[test]
fn generating_in_ranges_gives_the_same_records() {
    let cfg = DemoConfig::new(300, 5, as_of());
    let whole: Vec<String> = records(300, 5)
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let generator = flokk_demo::Generator::new(&cfg);
    let mut parts = Vec::new();
    generator.shared_records(&mut |r| parts.push(serde_json::to_string(&r).unwrap()));
    for range in [0..120, 120..121, 121..300] {
        generator.customers(range, &mut |r| {
            parts.push(serde_json::to_string(&r).unwrap())
        });
    }
    assert_eq!(whole, parts);
}

#[test]
fn days_end_in_the_store_time_zone() {
    // In Oslo, 24 Nov starts at 23:00 UTC on the 23rd.
    let tz = jiff::tz::TimeZone::get("Europe/Oslo")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(1)));
    let end = tz.to_timestamp(as_of().at(0, 0, 0, 0)).unwrap();
    let cfg = DemoConfig {
        time_zone: Some(tz),
        ..DemoConfig::new(3_000, 3, as_of())
    };
    let mut latest = None;
    generate(&cfg, &mut |r| {
        let at = match &r {
            Record::Order(o) => Some(o.placed_at),
            Record::EmailEvent(e) => Some(e.at),
            Record::StorefrontEvent(e) => Some(e.at),
            Record::Event(e) => Some(e.at),
            Record::Checkout(c) => Some(c.abandoned_at),
            Record::Customer(c) => c.created_at,
            _ => None,
        };
        if let Some(at) = at {
            assert!(at < end, "{at} >= {end}");
            latest = latest.max(Some(at));
        }
    });
    assert!(
        latest.is_some_and(|l| end.as_second() - l.as_second() < 86_400),
        "the last day has records"
    );
}

#[test]
fn every_region_and_frequent_bouncers() {
    let mut regions = HashSet::new();
    let mut soft_bounces: HashMap<&str, usize> = HashMap::new();
    for r in store() {
        match r {
            Record::Customer(c) => {
                regions.extend(c.addresses.iter().filter_map(|a| a.region_code()))
            }
            Record::EmailEvent(e) if e.bounce_type == Some(BounceType::Soft) => {
                *soft_bounces.entry(e.customer_id.as_str()).or_default() += 1;
            }
            _ => {}
        }
    }
    for region in [
        "US-ME", "US-VT", "US-MA", "US-NY", "US-CA", "CA-QC", "CA-ON", "NO-03", "NO-46", "NO-55",
        "SE-AB", "DE-BY", "NL-NH", "GB-SCT", "IS-1", "FI-18", "DK-84",
    ] {
        assert!(regions.contains(region), "no customer in {region}");
    }
    let us_states = regions.iter().filter(|r| r.starts_with("US-")).count();
    assert!(us_states >= 50, "{us_states} US states and DC");
    assert!(
        soft_bounces.values().any(|&n| n > 7),
        "someone bounces softly more than 7 times"
    );
}
