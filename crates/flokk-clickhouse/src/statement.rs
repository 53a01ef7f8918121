//! A compiled statement: SQL text with `{name:Type}` placeholders and the
//! values bound to them. Values never enter the SQL text: ClickHouse
//! receives them as `param_<name>` (HTTP) and parses each as its declared
//! type, so no quote, backslash or `'; DROP` in a value can change the
//! statement.

use jiff::civil::Date;
use std::fmt::Write as _;

/// The ClickHouse type a parameter is declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// Text.
    String,
    /// Whole numbers: counts, unix seconds, day numbers.
    Int64,
    /// Amounts and other numbers written with a decimal point.
    Float64,
    /// `true` / `false`.
    Bool,
    /// A list of texts.
    Strings,
    /// A list of whole numbers.
    Ints,
}

impl ParamType {
    /// The name ClickHouse knows it by.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "String",
            ParamType::Int64 => "Int64",
            ParamType::Float64 => "Float64",
            ParamType::Bool => "Bool",
            ParamType::Strings => "Array(String)",
            ParamType::Ints => "Array(Int64)",
        }
    }
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// Text.
    String(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// A truth value.
    Bool(bool),
    /// Texts (ids of customers to re-write).
    Strings(Vec<String>),
    /// Whole numbers (store keys).
    Ints(Vec<i64>),
}

impl ParamValue {
    /// The type it is declared with.
    pub fn ty(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Int(_) => ParamType::Int64,
            ParamValue::Float(_) => ParamType::Float64,
            ParamValue::Bool(_) => ParamType::Bool,
            ParamValue::Strings(_) => ParamType::Strings,
            ParamValue::Ints(_) => ParamType::Ints,
        }
    }

    /// The value as ClickHouse reads a `param_<name>` of its type: the
    /// "escaped" text format, where a backslash starts an escape, so a
    /// string's backslashes, tabs and newlines are escaped and nothing
    /// else changes (quotes are plain characters here).
    pub fn wire_text(&self) -> String {
        match self {
            ParamValue::String(s) => {
                let mut out = String::with_capacity(s.len());
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\0' => out.push_str("\\0"),
                        c => out.push(c),
                    }
                }
                out
            }
            ParamValue::Int(i) => i.to_string(),
            // Rust prints the shortest text that reads back as the same
            // f64, never in exponent form; ClickHouse parses it exactly.
            ParamValue::Float(f) => f.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            // An array in the text format: quoted elements, a quote or
            // backslash inside escaped by a backslash.
            ParamValue::Strings(items) => {
                let quoted: Vec<String> = items
                    .iter()
                    .map(|s| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")))
                    .collect();
                format!("[{}]", quoted.join(","))
            }
            ParamValue::Ints(items) => {
                let items: Vec<String> = items.iter().map(i64::to_string).collect();
                format!("[{}]", items.join(","))
            }
        }
    }
}

/// One bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundParam {
    /// The placeholder's name (`p1`).
    pub name: String,
    /// The value.
    pub value: ParamValue,
}

/// A statement and its parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    /// The SQL, with `{name:Type}` placeholders.
    pub sql: String,
    /// The values, in placeholder order.
    pub params: Vec<BoundParam>,
}

impl Statement {
    /// The statement as a `clickhouse-client` script: one `SET param_…`
    /// per value (the value as a quoted literal, the form that command
    /// takes), then the statement. For people and `flokk sql`; programs
    /// send [`Statement::sql`] and each [`ParamValue::wire_text`] instead.
    pub fn client_script(&self) -> String {
        let mut out = String::new();
        for p in &self.params {
            let text = p.value.wire_text();
            // Inside the quoted literal a quote is escaped too; the
            // backslashes are already escaped for the text format, and the
            // literal's own unescaping is undone by escaping them again.
            let quoted = text.replace('\\', "\\\\").replace('\'', "\\'");
            let _ = writeln!(out, "SET param_{} = '{}';", p.name, quoted);
        }
        out.push_str(&self.sql);
        out.push_str(";\n");
        out
    }

    /// The parameters as a JSON object, name to value.
    pub fn params_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for p in &self.params {
            let v = match &p.value {
                ParamValue::String(s) => serde_json::Value::from(s.clone()),
                ParamValue::Int(i) => serde_json::Value::from(*i),
                ParamValue::Float(f) => serde_json::Value::from(*f),
                ParamValue::Bool(b) => serde_json::Value::from(*b),
                ParamValue::Strings(items) => serde_json::Value::from(items.clone()),
                ParamValue::Ints(items) => serde_json::Value::from(items.clone()),
            };
            map.insert(p.name.clone(), v);
        }
        serde_json::Value::Object(map)
    }
}

/// Hands out placeholders for values while a statement is built.
#[derive(Debug, Default)]
pub(crate) struct Binder {
    pub(crate) params: Vec<BoundParam>,
}

impl Binder {
    /// A placeholder holding `value`, as it goes into the SQL; an equal
    /// value bound before gets the same placeholder, so a clause repeated
    /// (a count's clause columns, a segment named twice) compiles to the
    /// same text and its aggregates are computed once.
    pub(crate) fn bind(&mut self, value: ParamValue) -> String {
        if let Some(p) = self.params.iter().find(|p| p.value == value) {
            return format!("{{{}:{}}}", p.name, value.ty().name());
        }
        let name = format!("p{}", self.params.len() + 1);
        let placeholder = format!("{{{name}:{}}}", value.ty().name());
        self.params.push(BoundParam { name, value });
        placeholder
    }

    pub(crate) fn text(&mut self, s: impl Into<String>) -> String {
        self.bind(ParamValue::String(s.into()))
    }

    pub(crate) fn int(&mut self, i: i64) -> String {
        self.bind(ParamValue::Int(i))
    }
}

/// Days since 1970-01-01 (negative before), the number ClickHouse's
/// `toInt32(Date32)` gives; flokk writes calendar days as these numbers
/// (any year), so dates compare as integers.
pub fn day_number(d: Date) -> i64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    i64::from((d - epoch).get_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_only_what_the_text_format_reads() {
        let v = ParamValue::String("it's \\ a\ttab '; DROP TABLE x; --".into());
        assert_eq!(v.wire_text(), "it's \\\\ a\\ttab '; DROP TABLE x; --");
    }

    #[test]
    fn client_script_quotes_each_value() {
        let mut b = Binder::default();
        let p = b.text("o'neil\\");
        let s = Statement {
            sql: format!("SELECT {p}"),
            params: b.params,
        };
        assert_eq!(
            s.client_script(),
            "SET param_p1 = 'o\\'neil\\\\\\\\';\nSELECT {p1:String};\n"
        );
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number(jiff::civil::date(1970, 1, 1)), 0);
        assert_eq!(day_number(jiff::civil::date(1969, 12, 31)), -1);
        assert_eq!(day_number(jiff::civil::date(2000, 3, 1)), 11_017);
    }
}
