//! Value suggestions against counts taken straight from the demo records:
//! the most used tags (customers, case-folded), product ids (order lines)
//! and custom event names (events), in order, with prefixes.

use flokk_demo::{DemoConfig, generate};
use flokk_engine::{Engine, ValueSource};
use flokk_model::Record;
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn demo() -> (Engine, Vec<Record>) {
    let mut engine = Engine::new();
    let mut keys: HashMap<String, i64> = HashMap::new();
    let mut records = Vec::new();
    generate(
        &DemoConfig::new(800, 3, jiff::civil::date(2026, 11, 24)),
        &mut |r| {
            let key = r.customer_id().map(|id| {
                let next = keys.len() as i64 + 1;
                *keys.entry(id.to_owned()).or_insert(next)
            });
            engine.add(key, &[], &r);
            records.push(r);
        },
    );
    (engine, records)
}

/// The top `n` of `counts`, most frequent first, ties by value.
fn top(counts: BTreeMap<String, u64>, prefix: &str, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts
        .into_iter()
        .filter(|(k, _)| k.to_lowercase().starts_with(&prefix.to_lowercase()))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

fn got(engine: &Engine, source: ValueSource, prefix: &str, n: usize) -> Vec<(String, u64)> {
    engine
        .suggest(source, None, prefix, n)
        .into_iter()
        .map(|s| (s.value, s.count))
        .collect()
}

#[test]
fn tags_products_and_event_names_are_suggested_by_use() {
    let (engine, records) = demo();
    let mut tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut products: BTreeMap<String, u64> = BTreeMap::new();
    let mut events: BTreeMap<String, u64> = BTreeMap::new();
    for r in &records {
        match r {
            Record::Customer(c) => {
                for t in &c.tags {
                    tags.entry(t.to_lowercase())
                        .or_default()
                        .insert(c.id.clone());
                }
            }
            Record::Order(o) => {
                for l in &o.lines {
                    if let Some(p) = &l.product_id {
                        *products.entry(p.clone()).or_default() += 1;
                    }
                }
            }
            Record::Event(e) => *events.entry(e.name.clone()).or_default() += 1,
            _ => {}
        }
    }
    let tags: BTreeMap<String, u64> = tags.into_iter().map(|(k, v)| (k, v.len() as u64)).collect();
    assert!(tags.len() > 3 && products.len() > 3 && events.len() > 1);
    assert_eq!(
        got(&engine, ValueSource::CustomerTags, "", 5),
        top(tags.clone(), "", 5)
    );
    let first = tags.keys().next().unwrap()[..1].to_uppercase();
    assert_eq!(
        got(&engine, ValueSource::CustomerTags, &first, 50),
        top(tags, &first, 50)
    );
    assert_eq!(
        got(&engine, ValueSource::Products, "", 10),
        top(products, "", 10)
    );
    assert_eq!(
        got(&engine, ValueSource::EventNames, "", 10),
        top(events, "", 10)
    );
    assert!(got(&engine, ValueSource::EventNames, "no such prefix", 10).is_empty());
}

#[test]
fn sources_follow_filters_and_parameters() {
    assert_eq!(
        ValueSource::of("customer_tags", None),
        Some(ValueSource::CustomerTags)
    );
    assert_eq!(
        ValueSource::of("tickets_purchased", Some("venue_id")),
        Some(ValueSource::Venues)
    );
    assert_eq!(
        ValueSource::of("shopify_email.opened", Some("activity_id")),
        Some(ValueSource::EmailActivities)
    );
    assert_eq!(ValueSource::of("amount_spent", None), None);
    assert_eq!(ValueSource::of("orders_placed", Some("channel")), None);
}

#[test]
fn productions_are_labelled_with_their_names() {
    let (engine, records) = demo();
    let names: BTreeMap<String, String> = records
        .iter()
        .filter_map(|r| match r {
            Record::Production(p) => Some((p.id.clone(), p.name.clone())),
            _ => None,
        })
        .collect();
    let found = engine.suggest(ValueSource::Productions, None, "", 1000);
    assert_eq!(found.len(), names.len());
    for s in found {
        assert_eq!(s.label.as_ref(), names.get(&s.value));
    }
}

#[test]
fn cities_keep_their_stored_spelling_and_match_by_name_not_only_by_code() {
    let (engine, records) = demo();
    let oslo = got(&engine, ValueSource::Cities, "oslo", 5);
    assert!(!oslo.is_empty(), "the demo has customers in Oslo");
    for (value, _) in &oslo {
        assert!(
            value.ends_with("-Oslo"),
            "{value}: stored spelling, matched by name"
        );
    }
    // The code prefix still finds it, spelt as stored.
    let by_code = got(&engine, ValueSource::Cities, "no-03", 5);
    assert!(by_code.iter().any(|(v, _)| v == &oslo[0].0), "{by_code:?}");
    // Tags keep theirs too: every suggested tag is spelt as some customer has it.
    let stored: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) => Some(c.tags.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    for (tag, _) in got(&engine, ValueSource::CustomerTags, "", 1000) {
        assert!(stored.contains(tag.as_str()), "{tag}");
    }
}
