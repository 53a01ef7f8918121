//! Custom properties: typed values under `namespace.key` names.

use crate::{Date, RecordError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Property values keyed by their full `namespace.key` name.
pub type Properties = BTreeMap<String, PropertyValue>;

/// The value of one custom property. A string that reads as a `YYYY-MM-DD`
/// date is typed as a date, so `metafields.facts.birth_date` can be compared
/// like any date filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
