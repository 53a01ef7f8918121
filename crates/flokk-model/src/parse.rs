//! Reading one NDJSON line into a [`Record`], with errors that name the
//! field at fault.

use crate::property::normalise_keys;
use crate::skip_kind::SkipKind;
use crate::{Record, RecordError, RecordKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// How strictly to read records.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Drop unknown fields instead of rejecting the record.
    pub lenient: bool,
}

#[derive(Deserialize)]
struct KindOnly<'a> {
    #[serde(borrow)]
    kind: Option<std::borrow::Cow<'a, str>>,
}

/// Parses and validates one NDJSON line.
pub fn parse_record(line: &str, opts: ParseOptions) -> Result<Record, RecordError> {
    let kind: KindOnly =
        serde_json::from_str(line).map_err(|e| RecordError::Json(e.to_string()))?;
    let kind = match kind.kind.as_deref() {
        None => return Err(RecordError::Kind("the record has no \"kind\"".into())),
        Some(k) => RecordKind::parse(k).ok_or_else(|| {
            RecordError::Kind(format!(
                "unknown kind \"{k}\"; expected one of {}",
                RecordKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let record = match kind {
        RecordKind::Customer => {
            let mut c: crate::Customer = typed(line, opts)?;
            c.properties = normalise_keys(std::mem::take(&mut c.properties));
            Record::Customer(c)
        }
        RecordKind::CustomerPatch => {
            Record::CustomerPatch(crate::CustomerPatch::from_json(line, opts)?)
        }
        RecordKind::Order => Record::Order(typed(line, opts)?),
        RecordKind::Checkout => Record::Checkout(typed(line, opts)?),
        RecordKind::EmailEvent => Record::EmailEvent(typed(line, opts)?),
        RecordKind::StorefrontEvent => Record::StorefrontEvent(typed(line, opts)?),
        RecordKind::Event => Record::Event(typed(line, opts)?),
        RecordKind::Venue => Record::Venue(typed(line, opts)?),
        RecordKind::Production => Record::Production(typed(line, opts)?),
        RecordKind::Performance => Record::Performance(typed(line, opts)?),
        RecordKind::Subscription => Record::Subscription(typed(line, opts)?),
        RecordKind::Delete => Record::Delete(typed(line, opts)?),
    };
    record.validate()?;
    Ok(record)
}

/// Parses the line straight into `T`; only a line that fails pays for the
/// second, slower pass that names the bad field.
pub(crate) fn typed<T: DeserializeOwned>(line: &str, opts: ParseOptions) -> Result<T, RecordError> {
    let mut de = serde_json::Deserializer::from_str(line);
    if let Ok(t) = T::deserialize(SkipKind(&mut de))
        && de.end().is_ok()
    {
        return Ok(t);
    }
    typed_slow(line, opts)
}

/// Deserialises through `serde_path_to_error` so that a bad field is named
/// by its path (`addresses[0].lat`); in lenient mode unknown fields are
/// dropped one by one.
pub(crate) fn typed_slow<T: DeserializeOwned>(
    line: &str,
    opts: ParseOptions,
) -> Result<T, RecordError> {
    // An id written as an integer beyond 64 bits failed the fast pass as a
    // "fraction"; its digits survive the `Value` only in quotes.
    let quoted = crate::long_ids::quote_long_integer_ids(line);
    let line = quoted.as_deref().unwrap_or(line);
    let mut value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| RecordError::Json(e.to_string()))?;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("kind");
    }
    // Each pass removes one unknown field; a record with more unknown fields
    // than this is not worth guessing about.
    for _ in 0..64 {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return Ok(t),
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner().to_string();
                let unknown = inner
                    .strip_prefix("unknown field `")
                    .and_then(|rest| rest.split_once('`'))
                    .map(|(name, _)| name.to_owned());
                match unknown {
                    Some(name) => {
                        // The path ends with the unknown field itself.
                        let parent = path
                            .strip_suffix(name.as_str())
                            .map(|p| p.trim_end_matches('.'))
                            .unwrap_or(&path);
                        if opts.lenient && remove_at(&mut value, parent, &name) {
                            continue;
                        }
                        let at = if parent.is_empty() || parent == "." {
                            name.clone()
                        } else {
                            format!("{parent}.{name}")
                        };
                        return Err(RecordError::Field(format!(
                            "unknown field `{at}` (use --lenient to ignore unknown fields)"
                        )));
                    }
                    None => {
                        let at = if path == "." {
                            String::new()
                        } else {
                            format!("`{path}`: ")
                        };
                        return Err(RecordError::Field(format!("{at}{inner}")));
                    }
                }
            }
        }
    }
    Err(RecordError::Field("too many unknown fields".into()))
}

/// Removes `name` from the object at `path` (serde_path_to_error's
/// `a.b[0].c` form). Returns whether something was removed.
fn remove_at(value: &mut serde_json::Value, path: &str, name: &str) -> bool {
    let mut cur = value;
    if path != "." && !path.is_empty() {
        for seg in path.split('.') {
            let (key, idx) = match seg.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (seg, None),
            };
            if !key.is_empty() {
                match cur.get_mut(key) {
                    Some(v) => cur = v,
                    None => return false,
                }
            }
            if let Some(i) = idx {
                match cur.get_mut(i) {
                    Some(v) => cur = v,
                    None => return false,
                }
            }
        }
    }
    cur.as_object_mut()
        .is_some_and(|o| o.remove(name).is_some())
}

#[cfg(test)]
mod tests;
