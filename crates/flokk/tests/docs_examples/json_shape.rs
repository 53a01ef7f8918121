//! Comparing the shape of a documented JSON document with real output:
//! the same keys in every object, recursively; arrays by their first
//! element. Values are not compared (they depend on the store and the day).

use serde_json::Value;

/// The differences between `documented` and `actual`, as `path: ...` lines.
pub fn differences(documented: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare("$", documented, actual, &mut out);
    out
}

fn compare(path: &str, documented: &Value, actual: &Value, out: &mut Vec<String>) {
    match (documented, actual) {
        (Value::Object(d), Value::Object(a)) => {
            for key in d.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!(
                    "{path}: the docs show `{key}`, the output has none"
                ));
            }
            for key in a.keys().filter(|k| !d.contains_key(*k)) {
                out.push(format!(
                    "{path}: the output has `{key}`, the docs do not show it"
                ));
            }
            for (key, dv) in d {
                if let Some(av) = a.get(key) {
                    compare(&format!("{path}.{key}"), dv, av, out);
                }
            }
        }
        (Value::Array(d), Value::Array(a)) => {
            if let (Some(dv), Some(av)) = (d.first(), a.first()) {
                compare(&format!("{path}[0]"), dv, av, out);
            }
        }
        // A documented null stands for a value that may be absent; other
        // kinds differing (an object shown where a list comes) is drift.
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(_), _)
        | (Value::Array(_), _)
        | (_, Value::Object(_))
        | (_, Value::Array(_)) => {
            out.push(format!(
                "{path}: the docs show {}, the output has {}",
                kind(documented),
                kind(actual)
            ));
        }
        _ => {}
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_missing_and_extra_keys_at_any_depth() {
        let doc = json!({"count": 1, "clauses": [{"text": "a", "count": 1}]});
        let same = json!({"count": 7, "clauses": [{"text": "b", "count": 2}, {"x": 1}]});
        assert!(differences(&doc, &same).is_empty());
        let drifted = json!({"count": 7, "total": 9, "clauses": [{"text": "b"}]});
        let d = differences(&doc, &drifted);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].contains("`total`") && d[1].contains("$.clauses[0]"));
    }
}
