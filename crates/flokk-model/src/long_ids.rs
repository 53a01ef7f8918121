//! Integer ids too long for 64 bits, kept as the digits written.
//!
//! `data.md` accepts an id as a string or a JSON integer and reads the
//! integer as its decimal string. serde_json hands an integer beyond
//! `u64`/`i64` to the visitor as an `f64`, whose digits are already lost
//! (123456789012345678901234567890 would become 1.2345678901234568e29), so
//! the id visitor cannot tell it from a fraction. Such a line fails the fast
//! typed parse; before the slower second pass reads it into a
//! `serde_json::Value`, [`quote_long_integer_ids`] rewrites each long integer
//! that stands where an id field is as the same digits in quotes, which the
//! id visitor takes as they are.
//!
//! Why not serde_json's `arbitrary_precision` feature: features are unified
//! across the workspace, and with it every JSON number that is not a 64-bit
//! integer (1.5 included) reaches a `deserialize_any` visitor as a map, which
//! would change how properties, amounts and API bodies are read everywhere.
//!
//! Only id fields are rewritten: a long integer elsewhere (an amount, a
//! custom property) keeps the meaning of a number and is judged as one.

/// The fields read as ids (with `crate::id`), at whatever depth they stand
/// (`lines[].product_id` too), outside the free-form `properties`.
const ID_FIELDS: &[&str] = &[
    "id",
    "customer_id",
    "production_id",
    "venue_id",
    "performance_id",
    "product_id",
    "location_id",
    "app_id",
    "activity_id",
    "event_id",
    "created_by_app_id",
];

/// The fields that are lists of ids.
const ID_LIST_FIELDS: &[&str] = &["companies"];

/// Free-form objects, whose members are not ids whatever their names.
const FREE_FORM_FIELDS: &[&str] = &["properties"];

/// One open object or array, and for an object the name of the member whose
/// value is being read.
enum Open<'a> {
    Object(Option<&'a str>),
    Array,
}

/// Returns `line` with every integer literal that does not fit 64 bits and
/// stands as the value of an id field (or an element of an id list) put in
/// quotes; `None` when there is none. Invalid JSON is left for the parser to
/// report: this only looks at what it can recognise.
pub(crate) fn quote_long_integer_ids(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let text = line.get(start..i.min(bytes.len())).unwrap_or("");
                i += 1;
                // A string followed by `:` is a member name.
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b':')
                    && let Some(Open::Object(key)) = stack.last_mut()
                {
                    *key = Some(text);
                }
            }
            b'{' => {
                stack.push(Open::Object(None));
                i += 1;
            }
            b'[' => {
                stack.push(Open::Array);
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                let literal = &line[start..i];
                if is_long_integer(literal) && stands_for_an_id(&stack) {
                    let out = out.get_or_insert_with(|| String::with_capacity(line.len() + 8));
                    out.push_str(&line[copied..start]);
                    out.push('"');
                    out.push_str(literal);
                    out.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.map(|mut out| {
        out.push_str(&line[copied..]);
        out
    })
}

/// An integer literal (no fraction, no exponent) outside `u64` and `i64`.
fn is_long_integer(literal: &str) -> bool {
    let digits = literal.strip_prefix('-').unwrap_or(literal);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && literal.parse::<u64>().is_err()
        && literal.parse::<i64>().is_err()
}

/// Whether a value read now is an id: the value of an id field, or an
/// element of an id list, and not inside a free-form object.
fn stands_for_an_id(stack: &[Open]) -> bool {
    let names = || {
        stack.iter().filter_map(|open| match open {
            Open::Object(key) => *key,
            Open::Array => None,
        })
    };
    if names().any(|name| FREE_FORM_FIELDS.contains(&name)) {
        return false;
    }
    match stack {
        [.., Open::Object(Some(key))] => ID_FIELDS.contains(key),
        [.., Open::Object(Some(key)), Open::Array] => ID_LIST_FIELDS.contains(key),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_integer_ids_are_quoted_and_nothing_else() {
        let line = r#"{"kind":"order","id":18446744073709551616,"customer_id":-9223372036854775809,"total":100000000000000000000,"lines":[{"product_id":123456789012345678901234567890,"quantity":1}],"location_id":7}"#;
        assert_eq!(
            quote_long_integer_ids(line).unwrap(),
            r#"{"kind":"order","id":"18446744073709551616","customer_id":"-9223372036854775809","total":100000000000000000000,"lines":[{"product_id":"123456789012345678901234567890","quantity":1}],"location_id":7}"#
        );
    }

    #[test]
    fn lists_of_ids_but_not_properties_or_fractions() {
        let line = r#"{"id":"a","companies":[1,99999999999999999999],"properties":{"id":99999999999999999999},"note":"\"id\":99999999999999999999","x":1.5e30}"#;
        assert_eq!(
            quote_long_integer_ids(line).unwrap(),
            r#"{"id":"a","companies":[1,"99999999999999999999"],"properties":{"id":99999999999999999999},"note":"\"id\":99999999999999999999","x":1.5e30}"#
        );
        assert_eq!(
            quote_long_integer_ids(r#"{"id":18446744073709551615}"#),
            None
        );
        assert_eq!(quote_long_integer_ids(r#"{"id":1.5}"#), None);
        assert_eq!(
            quote_long_integer_ids(r#"{"id":184467440737095516160.0}"#),
            None
        );
    }

    #[test]
    fn broken_json_does_not_panic() {
        for text in [
            r#"{"id":"#,
            r#"{"id"#,
            r#"{"\"#,
            "]]]}}}",
            r#"{"id":-"#,
            "\"é\\",
        ] {
            let _ = quote_long_integer_ids(text);
        }
    }
}
