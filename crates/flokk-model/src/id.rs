//! Ids are strings in flokk; a JSON number is accepted and read as its
//! decimal string so that Shopify's numeric ids survive unchanged.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id (string or integer)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if v.is_empty() {
            return Err(E::custom("an id may not be empty"));
        }
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if v.is_empty() {
            return Err(E::custom("an id may not be empty"));
        }
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // Integers beyond 64 bits never get here (`long_ids` quotes them),
        // so this is a fraction or an exponent form such as 1e3.
        Err(E::custom(format!(
            "an id must be a string or an integer written in digits, not {v}"
        )))
    }
}

/// Deserialises a required id.
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(IdVisitor)
}

/// Deserialises an optional id (`null` or absent is `None`).
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an id (string or integer) or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            id(d).map(Some)
        }
    }
    d.deserialize_option(OptVisitor)
}

/// Deserialises a list of ids.
pub(crate) fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "id")] String);
    let v: Option<Vec<Wrapped>> = serde::Deserialize::deserialize(d)?;
    Ok(v.unwrap_or_default().into_iter().map(|w| w.0).collect())
}
