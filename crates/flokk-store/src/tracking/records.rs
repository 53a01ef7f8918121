//! What each message becomes (the mapping `docs/live-data.md` documents).
//!
//! Records are built as NDJSON records and read with the NDJSON parser,
//! so they are checked as an import checks them.
//!
//! Decisions:
//! - `identify` changes only the traits it carries (Segment merges traits;
//!   a trait sent as `null` is cleared). Known traits become customer
//!   fields (`email`, `phone`, `firstName`/`lastName` or `name` split at
//!   the first space, `title`, `gender`, `birthday`, `createdAt`,
//!   `address`); every other trait becomes the property `custom.<trait>`
//!   (`metafields.custom.<trait>`), its key with characters a property key
//!   cannot hold replaced by `_`. Nested objects (other than `address`)
//!   and lists of non-strings are left out: a property holds one value.
//! - An address's `country` is kept when it is an ISO 3166 alpha-2 code;
//!   another spelling (`Norway`) goes to the property
//!   `custom.address_country` rather than failing the identify.
//! - `track`: `event` is the name, `properties` the properties (as above),
//!   `properties.value`, else `properties.revenue`, the value summed by
//!   `sum_value`. The `messageId` is the event's id, so a replay upserts.
//! - `page`/`screen` with `properties.product_id` (or `productId`) is a
//!   storefront `product_viewed` of that product, with
//!   `properties.collection_id` a `collection_viewed`; other pages are the
//!   custom event `Page Viewed` (`Screen Viewed`) with `name`, `category`
//!   and the properties.

use flokk_model::{Customer, ParseOptions, Record, parse_record};
use serde_json::{Map, Value, json};

use super::message::{Message, MessageType, id_of};

/// A property key as flokk can hold it.
fn key(k: &str) -> String {
    let cleaned: String = k
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

/// A value a property can hold, if this is one.
fn property_value(v: &Value) -> Option<Value> {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(v.clone()),
        Value::Array(items) if items.iter().all(Value::is_string) => Some(v.clone()),
        _ => None,
    }
}

/// `properties` of a track or page call as event properties.
fn event_properties(props: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(props) = props.as_object() {
        for (k, v) in props {
            if let Some(v) = property_value(v) {
                out.insert(key(k), v);
            }
        }
    }
    // `value` is what sum_value adds; Segment's ecommerce events name it
    // `revenue`. A number sent as text counts as the number.
    let value = ["value", "revenue"].iter().find_map(|f| match &props[*f] {
        Value::Number(n) => Some(Value::Number(n.clone())),
        Value::String(s) => s.trim().parse::<f64>().ok().map(|x| json!(x)),
        _ => None,
    });
    match value {
        Some(v) => {
            out.insert("value".into(), v);
        }
        None => {
            out.remove("value");
        }
    }
    out
}

fn parse(record: Value) -> Result<Record, String> {
    parse_record(&record.to_string(), ParseOptions::default()).map_err(|e| e.to_string())
}

/// The event record of a `track`, `page` or `screen` for `customer_id`:
/// as NDJSON (what is kept for an anonymous visitor) and read.
pub(crate) fn event_record(m: &Message, customer_id: &str) -> Result<(String, Record), String> {
    let props = &m.body["properties"];
    let at = m.at.to_string();
    let mut record = match m.kind {
        MessageType::Track => {
            let name = m.body["event"]
                .as_str()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or("a track call needs its `event` name")?;
            json!({"kind": "event", "customer_id": customer_id, "name": name, "at": at,
                   "properties": event_properties(props)})
        }
        MessageType::Page | MessageType::Screen => {
            let product = id_of(&props["product_id"]).or_else(|| id_of(&props["productId"]));
            let collection =
                id_of(&props["collection_id"]).or_else(|| id_of(&props["collectionId"]));
            match (product, collection) {
                (Some(id), _) => json!({"kind": "storefront_event", "customer_id": customer_id,
                    "type": "product_viewed", "id": id, "at": at}),
                (None, Some(id)) => json!({"kind": "storefront_event", "customer_id": customer_id,
                    "type": "collection_viewed", "id": id, "at": at}),
                (None, None) => {
                    let mut properties = event_properties(props);
                    for field in ["name", "category"] {
                        if let Some(v) = m.body[field].as_str() {
                            properties.insert(field.into(), json!(v));
                        }
                    }
                    let name = if m.kind == MessageType::Page {
                        "Page Viewed"
                    } else {
                        "Screen Viewed"
                    };
                    json!({"kind": "event", "customer_id": customer_id, "name": name, "at": at,
                           "properties": properties})
                }
            }
        }
        _ => return Err("not an event".into()),
    };
    if let Some(id) = &m.message_id {
        let field = if record["kind"] == "storefront_event" {
            "event_id"
        } else {
            "id"
        };
        record[field] = json!(id);
    }
    // Read now, so a message that cannot become a record is refused when
    // it arrives, also when it waits for its customer.
    let text = record.to_string();
    let read = parse_record(&text, ParseOptions::default()).map_err(|e| e.to_string())?;
    Ok((text, read))
}

/// A kept event record (JSON) for `customer_id`.
pub(crate) fn joined_event(record: &str, customer_id: &str) -> Result<Record, String> {
    let mut v: Value = serde_json::from_str(record).map_err(|e| e.to_string())?;
    v["customer_id"] = json!(customer_id);
    parse(v)
}

fn set(c: &mut Map<String, Value>, field: &str, v: &Value) {
    match v {
        Value::Null => {
            c.remove(field);
        }
        Value::String(s) if s.trim().is_empty() => {
            c.remove(field);
        }
        v => {
            c.insert(field.into(), v.clone());
        }
    }
}

fn gender(v: &Value) -> Value {
    match v.as_str().map(|s| s.trim().to_lowercase()).as_deref() {
        Some("male" | "m" | "man") => json!("MALE"),
        Some("female" | "f" | "woman") => json!("FEMALE"),
        Some("") | None => Value::Null,
        Some(_) => json!("OTHER"),
    }
}

/// The traits' address as flokk's, over the stored default address.
fn address(
    stored: Option<&Value>,
    a: &Map<String, Value>,
    props: &mut Map<String, Value>,
) -> Value {
    let mut out = stored
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // A moved address is placed again from its new city and zip.
    out.remove("lat");
    out.remove("lon");
    for (from, to) in [
        ("street", "address1"),
        ("city", "city"),
        ("state", "region"),
        ("postalCode", "zip"),
        ("postal_code", "zip"),
    ] {
        if let Some(v) = a.get(from) {
            set(&mut out, to, v);
        }
    }
    if let Some(country) = a.get("country") {
        match country.as_str().map(str::trim) {
            Some(c) if c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()) => {
                out.insert("country".into(), json!(c.to_uppercase()));
            }
            Some(c) if !c.is_empty() => {
                out.remove("country");
                props.insert("custom.address_country".into(), json!(c));
            }
            _ => {
                out.remove("country");
            }
        }
    }
    out.insert("default".into(), json!(true));
    Value::Object(out)
}

/// The customer `stored` (or a new one, `id`) with an identify's traits.
pub(crate) fn identified_customer(
    id: &str,
    stored: Option<Customer>,
    traits: &Value,
    context_traits: &Value,
) -> Result<Record, String> {
    let base = stored.unwrap_or_else(|| Customer {
        id: id.to_owned(),
        ..Customer::default()
    });
    let mut c = match serde_json::to_value(&base).map_err(|e| e.to_string())? {
        Value::Object(c) => c,
        _ => return Err("a customer is an object".into()),
    };
    c.insert("kind".into(), json!("customer"));
    let mut props = c
        .remove("properties")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    // Traits in context.traits (analytics.js puts them there on every
    // call) first, the call's own traits over them.
    let mut all = Map::new();
    for t in [context_traits, traits] {
        if let Some(t) = t.as_object() {
            all.extend(t.clone());
        }
    }
    let has_first_or_last = ["firstName", "first_name", "lastName", "last_name"]
        .iter()
        .any(|k| all.contains_key(*k));
    for (k, v) in &all {
        match k.as_str() {
            "id" | "userId" | "anonymousId" => {}
            "email" => set(&mut c, "email", v),
            "phone" => set(&mut c, "phone", v),
            "firstName" | "first_name" => set(&mut c, "first_name", v),
            "lastName" | "last_name" => set(&mut c, "last_name", v),
            "title" => set(&mut c, "title", v),
            "gender" => set(&mut c, "gender", &gender(v)),
            "birthday" => {
                let day = v.as_str().map(|s| json!(s.get(..10).unwrap_or(s)));
                set(&mut c, "birth_date", &day.unwrap_or(Value::Null));
            }
            "createdAt" | "created_at" => set(&mut c, "created_at", v),
            "name" if !has_first_or_last => {
                if let Some(name) = v.as_str() {
                    let mut parts = name.trim().splitn(2, ' ');
                    set(&mut c, "first_name", &json!(parts.next().unwrap_or("")));
                    set(
                        &mut c,
                        "last_name",
                        &json!(parts.next().unwrap_or("").trim()),
                    );
                }
            }
            "address" => {
                if let Some(a) = v.as_object() {
                    let mut addresses = c
                        .remove("addresses")
                        .and_then(|a| a.as_array().cloned())
                        .unwrap_or_default();
                    let at = addresses.iter().position(|a| a["default"] == true);
                    let new = address(at.map(|i| &addresses[i]), a, &mut props);
                    match at {
                        Some(i) => addresses[i] = new,
                        None => addresses.insert(0, new),
                    }
                    c.insert("addresses".into(), Value::Array(addresses));
                }
            }
            other => {
                let name = format!("custom.{}", key(other));
                match property_value(v) {
                    Some(v) => {
                        props.insert(name, v);
                    }
                    None if v.is_null() => {
                        props.remove(&name);
                    }
                    None => {}
                }
            }
        }
    }
    c.insert("properties".into(), Value::Object(props));
    parse(Value::Object(c))
}
