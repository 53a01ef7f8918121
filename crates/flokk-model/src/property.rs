//! Custom properties: typed values under `namespace.key` names.

use crate::{Date, RecordError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Property values keyed by their full `namespace.key` name.
pub type Properties = BTreeMap<String, PropertyValue>;

/// The value of one custom property. A string that reads as a `YYYY-MM-DD`
/// date is typed as a date, so `metafields.facts.birth_date` can be compared
/// like any date filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PropertyValue {
    /// `true` / `false`.
    Boolean(bool),
    /// Any JSON number.
    Number(f64),
    /// A `YYYY-MM-DD` string.
    Date(Date),
    /// Any other string.
    String(String),
    /// A list of strings.
    List(Vec<String>),
}

impl PropertyValue {
    /// The name of the value's type, as the query language calls it.
    pub fn type_name(&self) -> &'static str {
        match self {
            PropertyValue::Boolean(_) => "Boolean",
            PropertyValue::Number(_) => "Float",
            PropertyValue::Date(_) => "Date",
            PropertyValue::String(_) => "String",
            PropertyValue::List(_) => "List",
        }
    }
}

/// The namespace a property key without a dot lives in.
pub const DEFAULT_NAMESPACE: &str = "custom";

/// Gives every key its namespace: `favorite_color` becomes
/// `custom.favorite_color`, `facts.birth_date` stays as it is.
pub(crate) fn normalise_keys(props: Properties) -> Properties {
    props
        .into_iter()
        .map(|(k, v)| {
            if k.contains('.') {
                (k, v)
            } else {
                (format!("{DEFAULT_NAMESPACE}.{k}"), v)
            }
        })
        .collect()
}

pub(crate) fn validate_keys(props: &Properties) -> Result<(), RecordError> {
    for key in props.keys() {
        let ok = key.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
        if !ok || key.split('.').count() != 2 {
            return Err(RecordError::invalid(
                format!("properties.{key}"),
                "a property key is `key` or `namespace.key` of letters, digits, `_` and `-`",
            ));
        }
    }
    Ok(())
}

impl<'de> Deserialize<'de> for PropertyValue {
    /// Reads a value by its JSON type directly (rather than trying each
    /// variant in turn), so bad values get one clear message.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> serde::de::Visitor<'de> for ValueVisitor {
            type Value = PropertyValue;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, number, boolean, date string or list of strings")
            }

            fn visit_bool<E>(self, v: bool) -> Result<PropertyValue, E> {
                Ok(PropertyValue::Boolean(v))
            }

            fn visit_i64<E>(self, v: i64) -> Result<PropertyValue, E> {
                Ok(PropertyValue::Number(v as f64))
            }

            fn visit_u64<E>(self, v: u64) -> Result<PropertyValue, E> {
                Ok(PropertyValue::Number(v as f64))
            }

            fn visit_f64<E>(self, v: f64) -> Result<PropertyValue, E> {
                Ok(PropertyValue::Number(v))
            }

            fn visit_str<E>(self, v: &str) -> Result<PropertyValue, E> {
                // Only the exact YYYY-MM-DD form is a date.
                if v.len() == 10
                    && let Ok(d) = v.parse::<Date>()
                {
                    return Ok(PropertyValue::Date(d));
                }
                Ok(PropertyValue::String(v.to_owned()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PropertyValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(PropertyValue::List(items))
            }
        }
        d.deserialize_any(ValueVisitor)
    }
}
