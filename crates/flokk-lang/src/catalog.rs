//! The filter catalog: every filter and function of the language with its
//! type, and for functions their MATCHES parameters.
//!
//! The catalog is data (see `catalog/filters.rs` and `catalog/functions.rs`);
//! type checking reads it instead of matching on names, so adding a filter
//! is adding a row.

mod filters;
mod functions;

pub use filters::FILTERS;
pub use functions::FUNCTIONS;

use crate::ast::CompareOp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// The type of a custom property, as the store knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Whole numbers.
    Integer,
    /// Decimal numbers.
    Float,
    /// Dates or instants.
    Date,
    /// Text.
    String,
    /// true / false.
    Boolean,
    /// A list of texts.
    List,
}

/// The type of a filter or parameter, which fixes its operators and values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Whole numbers: comparisons, BETWEEN, IS NULL (IN inside MATCHES).
    Integer,
    /// Numbers: comparisons, BETWEEN, IS NULL.
    Float,
    /// Days or instants: comparisons, BETWEEN, IS NULL.
    Date,
    /// Text: `=`, `!=`, IS NULL (IN inside MATCHES).
    String,
    /// Text from a fixed set, compared case-sensitively.
    Enum(&'static [&'static str]),
    /// `=`, `!=`.
    Boolean,
    /// A set of texts: CONTAINS, NOT CONTAINS, IS NULL (empty), IS NOT NULL.
    List,
    /// An id: a quoted text or an unquoted digit run; `=`, `!=`, IN.
    Id,
    /// An id that picks something rather than being compared (the venue a
    /// distance is measured from): a quoted text or a digit run, `=` only.
    /// `venue_id != 'x'` has no meaning as an origin, so it is refused
    /// when checked instead of being measured as `=` (it was, silently).
    OriginId,
    /// `(latitude, longitude)`, with `=` only.
    Coordinates,
    /// A radius (non-negative number), with `=` only: "within this distance".
    Distance,
    /// The name of a date field: `'birth_date'` or `'metafields.ns.key'`.
    DateAttribute,
    /// A place name, postcode or country code for the gazetteer (quoted
    /// text), with `=` only: it picks an origin, it is not compared.
    Place,
}

/// An operator, for checking it against a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `= != > >= < <=`
    Compare(CompareOp),
    /// `BETWEEN`
    Between,
    /// `IS NULL`, `IS NOT NULL`
    IsNull,
    /// `CONTAINS`, `NOT CONTAINS`
    Contains,
    /// `MATCHES`, `NOT MATCHES`
    Matches,
    /// `IN`, `NOT IN` (parameters only)
    In,
}

impl Operator {
    /// How the operator is written.
    pub fn spelling(self) -> &'static str {
        match self {
            Operator::Compare(op) => op.as_str(),
            Operator::Between => "BETWEEN",
            Operator::IsNull => "IS NULL",
            Operator::Contains => "CONTAINS",
            Operator::Matches => "MATCHES",
            Operator::In => "IN",
        }
    }
}

const ORDERED: &[&str] = &[
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "BETWEEN",
    "IS NULL",
    "IS NOT NULL",
];
const EQUALITY: &[&str] = &["=", "!=", "IS NULL", "IS NOT NULL"];
const BOOLEAN: &[&str] = &["=", "!="];
const LIST: &[&str] = &["CONTAINS", "NOT CONTAINS", "IS NULL", "IS NOT NULL"];
const ID: &[&str] = &["=", "!=", "IN", "NOT IN"];
const ONLY_EQUAL: &[&str] = &["="];

impl Type {
    /// Whether `op` applies to this type.
    pub fn allows(self, op: Operator) -> bool {
        use CompareOp::{Eq, Ne};
        match self {
            Type::Integer => !matches!(op, Operator::Contains | Operator::Matches),
            Type::Float | Type::Date => {
                !matches!(op, Operator::Contains | Operator::Matches | Operator::In)
            }
            Type::String | Type::Enum(_) => matches!(
                op,
                Operator::Compare(Eq | Ne) | Operator::IsNull | Operator::In
            ),
            Type::Boolean => matches!(op, Operator::Compare(Eq | Ne)),
            Type::List => matches!(op, Operator::Contains | Operator::IsNull),
            Type::Id => matches!(op, Operator::Compare(Eq | Ne) | Operator::In),
            Type::OriginId
            | Type::Coordinates
            | Type::Distance
            | Type::DateAttribute
            | Type::Place => matches!(op, Operator::Compare(Eq)),
        }
    }

    /// The operators this type allows, for error messages.
    pub fn operator_names(self) -> &'static [&'static str] {
        match self {
            Type::Integer | Type::Float | Type::Date => ORDERED,
            Type::String | Type::Enum(_) => EQUALITY,
            Type::Boolean => BOOLEAN,
            Type::List => LIST,
            Type::Id => ID,
            Type::OriginId
            | Type::Coordinates
            | Type::Distance
            | Type::DateAttribute
            | Type::Place => ONLY_EQUAL,
        }
    }

    /// A merchant-readable name of the type.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Integer => "a whole number",
            Type::Float => "a number",
            Type::Date => "a date",
            Type::String => "a text",
            Type::Enum(_) => "one of a fixed set of values",
            Type::Boolean => "true or false",
            Type::List => "a list",
            Type::Id => "an id",
            Type::OriginId => "the id of the venue measured from",
            Type::Coordinates => "coordinates",
            Type::Distance => "a distance",
            Type::DateAttribute => "the name of a date field",
            Type::Place => "a place name or code",
        }
    }
}

impl From<ValueType> for Type {
    fn from(t: ValueType) -> Self {
        match t {
            ValueType::Integer => Type::Integer,
            ValueType::Float => Type::Float,
            ValueType::Date => Type::Date,
            ValueType::String => Type::String,
            ValueType::Boolean => Type::Boolean,
            ValueType::List => Type::List,
        }
    }
}

/// A filter with a value per customer.
#[derive(Debug, PartialEq, Eq)]
pub struct FilterSpec {
    /// The name in queries.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// A flokk extension (not in Shopify's language).
    pub extension: bool,
}

/// Whether a parameter selects records or tests their aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamRole {
    /// A record counts only if it meets every record filter.
    Record,
    /// Compared with an aggregate over the records that pass the filters.
    Aggregate,
}

/// A parameter of a function.
#[derive(Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name in queries.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// Record filter or aggregate condition.
    pub role: ParamRole,
}

/// A function used with MATCHES.
#[derive(Debug, PartialEq, Eq)]
pub struct FunctionSpec {
    /// The name in queries.
    pub name: &'static str,
    /// Other names for it (`email.opened` for `shopify_email.opened`).
    pub aliases: &'static [&'static str],
    /// Its parameters.
    pub params: &'static [ParamSpec],
    /// Parameters named `<prefix><key>` (custom_event's `property.`), typed
    /// from their value.
    pub open_prefix: Option<&'static str>,
    /// Groups of parameters of which exactly one must be given.
    pub exactly_one_of: &'static [&'static [&'static str]],
    /// Groups of parameters of which at most one may be given.
    pub at_most_one_of: &'static [&'static [&'static str]],
    /// Parameters that need one of some others beside them (`postcode`
    /// needs `country`).
    pub requires: &'static [(&'static str, &'static [&'static str])],
    /// A flokk extension (not in Shopify's language).
    pub extension: bool,
}

impl FunctionSpec {
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        let params: &'static [ParamSpec] = self.params;
        params.iter().find(|p| p.name == name)
    }
}

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A filter.
    Filter(&'static FilterSpec),
    /// A function.
    Function(&'static FunctionSpec),
}

/// FNV-1a: names are short and not attacker-chosen keys of a growing map,
/// so a simple fast hash beats the default SipHash here.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type NameMap = HashMap<&'static str, Entry, BuildHasherDefault<NameHasher>>;

fn index() -> &'static NameMap {
    static INDEX: OnceLock<NameMap> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = NameMap::default();
        for f in FILTERS {
            map.insert(f.name, Entry::Filter(f));
        }
        for f in FUNCTIONS {
            map.insert(f.name, Entry::Function(f));
            for alias in f.aliases {
                map.insert(*alias, Entry::Function(f));
            }
        }
        map
    })
}

/// The filter or function called `name` (aliases included).
pub fn lookup(name: &str) -> Option<Entry> {
    index().get(name).copied()
}

/// Every name the catalog knows, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    FILTERS
        .iter()
        .map(|f| f.name)
        .chain(FUNCTIONS.iter().map(|f| f.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lowercase() {
        let all: Vec<&str> = names()
            .chain(FUNCTIONS.iter().flat_map(|f| f.aliases.iter().copied()))
            .collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
        assert!(all.iter().all(|n| *n == n.to_lowercase()));
    }

    #[test]
    fn aliases_resolve_to_the_shopify_function() {
        let Some(Entry::Function(f)) = lookup("email.opened") else {
            panic!("no alias")
        };
        assert_eq!(f.name, "shopify_email.opened");
        assert!(f.param("machine_open").is_some());
        assert!(lookup("shopify_email.clicked").is_some_and(|e| match e {
            Entry::Function(f) => f.param("machine_open").is_none(),
            Entry::Filter(_) => false,
        }));
    }

    #[test]
    fn every_required_group_names_real_parameters() {
        for f in FUNCTIONS {
            for group in f.exactly_one_of {
                for name in *group {
                    assert!(f.param(name).is_some(), "{}: {name}", f.name);
                }
            }
        }
    }
}
