//! Strings that repeat across records (product ids, tags, activity ids,
//! event names) are stored once and referred to by a dense `u32`.

use std::collections::HashMap;

/// A dense id for an interned string.
pub type Sym = u32;

/// No symbol (a missing optional id).
pub const NO_SYM: Sym = Sym::MAX;

/// Maps strings to dense ids and back.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Interner {
    ids: HashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Interner {
    /// The id of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.strings.len() as Sym;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` if it was ever interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    /// The string of an id.
    pub fn resolve(&self, id: Sym) -> &str {
        &self.strings[id as usize]
    }

    /// How many strings are interned.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Every interned string with its id.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        self.strings
            .iter()
            .enumerate()
            .map(|(i, s)| (i as Sym, &**s))
    }
}

/// Case folding for the comparisons the spec makes case-insensitive (list
/// CONTAINS, `tag`/`category`/`vendor` parameters): full Unicode lower-casing,
/// so `TROMSØ` = `tromsø`.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
}
