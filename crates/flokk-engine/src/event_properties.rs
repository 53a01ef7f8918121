//! The properties of custom events, five bytes a value.
//!
//! Custom events are the largest table of a store that tracks them (on the
//! demo's 1M/11M-order shape, 9M events with 25M properties), so their
//! properties are held column-wise and without repetition:
//!
//! - the keys of an event are its *shape*, one interned list of keys
//!   shared by every event with the same keys in the same order (events of
//!   one name nearly always carry the same ones), so an event costs a shape
//!   id and the position of its first value, not a key per value;
//! - a value is a kind byte and a four-byte word: the boolean, the date
//!   (days since 1970-01-01), the text's symbol, or an index into the
//!   numbers (eight bytes each, only for numbers) or into the lists.
//!
//! A value decodes to an [`EventValue`], which is what evaluation tests.

use crate::interner::{Interner, Sym};
use flokk_model::PropertyValue;
use std::collections::{BTreeMap, HashMap};

const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

/// A decoded property value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventValue {
    /// `true` / `false`.
    Boolean(bool),
    /// A number.
    Number(f64),
    /// A date, as days since 1970-01-01.
    Date(i32),
    /// A text's symbol.
    Text(Sym),
    /// A list: [`EventProperties::list`] of `start` and `len`.
    List {
        /// First item.
        start: u32,
        /// How many items.
        len: u32,
    },
}

const BOOLEAN: u8 = 0;
const NUMBER: u8 = 1;
const DATE: u8 = 2;
const TEXT: u8 = 3;
const LIST: u8 = 4;

/// The properties of every custom event, by event index.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct EventProperties {
    /// Every distinct key list, in first-seen order.
    shapes: Vec<Vec<Sym>>,
    /// Shape id by key list, for [`EventProperties::push`]; rebuilt from
    /// `shapes` when a loaded snapshot is appended to.
    #[serde(skip)]
    shape_ids: HashMap<Vec<Sym>, u32>,
    /// Each event's shape.
    #[serde(with = "crate::column_bytes")]
    shape: Vec<u32>,
    /// Where each event's values start in `kind` and `word`.
    #[serde(with = "crate::column_bytes")]
    start: Vec<u32>,
    /// Each value's kind.
    #[serde(with = "crate::column_bytes")]
    kind: Vec<u8>,
    /// Each value's word (see the module doc).
    #[serde(with = "crate::column_bytes")]
    word: Vec<u32>,
    /// The numbers.
    #[serde(with = "crate::column_bytes")]
    numbers: Vec<f64>,
    /// Where each list starts in `items`; list `k` ends where `k + 1`
    /// starts, the last one at the end of `items`.
    #[serde(with = "crate::column_bytes")]
    list_start: Vec<u32>,
    /// The items of every list.
    #[serde(with = "crate::column_bytes")]
    items: Vec<Sym>,
}

impl EventProperties {
    /// Appends the properties of the next event.
    pub fn push(&mut self, properties: &BTreeMap<String, PropertyValue>, strings: &mut Interner) {
        let keys: Vec<Sym> = properties.keys().map(|k| strings.intern(k)).collect();
        if self.shape_ids.len() != self.shapes.len() {
            self.shape_ids = (0..)
                .zip(&self.shapes)
                .map(|(i, s)| (s.clone(), i))
                .collect();
        }
        let next = self.shapes.len() as u32;
        let shape = *self.shape_ids.entry(keys).or_insert_with_key(|keys| {
            self.shapes.push(keys.clone());
            next
        });
        self.shape.push(shape);
        self.start.push(self.kind.len() as u32);
        for value in properties.values() {
            let (kind, word) = match value {
                PropertyValue::Boolean(b) => (BOOLEAN, u32::from(*b)),
                PropertyValue::Number(n) => {
                    self.numbers.push(*n);
                    (NUMBER, self.numbers.len() as u32 - 1)
                }
                PropertyValue::Date(d) => (DATE, (*d - EPOCH).get_days() as u32),
                PropertyValue::String(s) => (TEXT, strings.intern(s)),
                PropertyValue::List(list) => {
                    self.list_start.push(self.items.len() as u32);
                    self.items
                        .extend(list.iter().map(|item| strings.intern(item)));
                    (LIST, self.list_start.len() as u32 - 1)
                }
            };
            self.kind.push(kind);
            self.word.push(word);
        }
    }

    /// How many events have properties here.
    pub fn len(&self) -> usize {
        self.shape.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.shape.is_empty()
    }

    /// How many property values there are, over every event.
    pub fn values(&self) -> usize {
        self.kind.len()
    }

    /// The value of property `key` of event `i`.
    pub fn get(&self, i: u32, key: Sym) -> Option<EventValue> {
        let keys = &self.shapes[self.shape[i as usize] as usize];
        let at = self.start[i as usize] as usize + keys.iter().position(|k| *k == key)?;
        let word = self.word[at];
        Some(match self.kind[at] {
            BOOLEAN => EventValue::Boolean(word != 0),
            NUMBER => EventValue::Number(self.numbers[word as usize]),
            DATE => EventValue::Date(word as i32),
            TEXT => EventValue::Text(word),
            _ => {
                let start = self.list_start[word as usize];
                let end = self
                    .list_start
                    .get(word as usize + 1)
                    .map_or(self.items.len() as u32, |e| *e);
                EventValue::List {
                    start,
                    len: end - start,
                }
            }
        })
    }

    /// The items of a list value.
    pub fn list(&self, start: u32, len: u32) -> &[Sym] {
        &self.items[start as usize..(start + len) as usize]
    }

    /// Every key some event has.
    pub fn keys(&self) -> impl Iterator<Item = Sym> + '_ {
        self.shapes.iter().flatten().copied()
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.shape.shrink_to_fit();
        self.start.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.word.shrink_to_fit();
        self.numbers.shrink_to_fit();
        self.list_start.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

impl crate::space_usage::HeapSize for EventProperties {
    fn heap_bytes(&self) -> usize {
        let shapes: usize = self
            .shapes
            .iter()
            .map(|s| size_of::<Vec<Sym>>() + s.capacity() * 4)
            .sum();
        // The map holds each key list again.
        let map = if self.shape_ids.is_empty() {
            0
        } else {
            (self.shape_ids.capacity() * 8 / 7).next_power_of_two()
                * (size_of::<(Vec<Sym>, u32)>() + 1)
                + self
                    .shape_ids
                    .keys()
                    .map(|k| k.capacity() * 4)
                    .sum::<usize>()
        };
        shapes
            + map
            + self.shape.heap_bytes()
            + self.start.heap_bytes()
            + self.kind.heap_bytes()
            + self.word.heap_bytes()
            + self.numbers.heap_bytes()
            + self.list_start.heap_bytes()
            + self.items.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, PropertyValue)]) -> BTreeMap<String, PropertyValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn values_of_every_kind_come_back_and_shapes_are_shared() {
        let mut strings = Interner::default();
        let mut p = EventProperties::default();
        let list = PropertyValue::List(vec!["a".into(), "b".into()]);
        p.push(
            &props(&[
                ("flag", PropertyValue::Boolean(true)),
                ("value", PropertyValue::Number(-2.5)),
                ("day", PropertyValue::Date(jiff::civil::date(1969, 12, 31))),
                ("title", PropertyValue::String("Hamlet".into())),
                ("seats", list),
            ]),
            &mut strings,
        );
        p.push(
            &props(&[("value", PropertyValue::Number(7.0))]),
            &mut strings,
        );
        p.push(
            &props(&[("value", PropertyValue::Number(8.0))]),
            &mut strings,
        );
        p.push(&props(&[]), &mut strings);
        assert_eq!(p.shapes.len(), 3, "one shape per distinct key list");
        let key = |k: &str| strings.get(k).unwrap();
        assert_eq!(p.get(0, key("flag")), Some(EventValue::Boolean(true)));
        assert_eq!(p.get(0, key("value")), Some(EventValue::Number(-2.5)));
        assert_eq!(p.get(0, key("day")), Some(EventValue::Date(-1)));
        assert_eq!(
            p.get(0, key("title")),
            Some(EventValue::Text(key("Hamlet")))
        );
        let Some(EventValue::List { start, len }) = p.get(0, key("seats")) else {
            panic!("a list");
        };
        assert_eq!(p.list(start, len), [key("a"), key("b")]);
        assert_eq!(p.get(2, key("value")), Some(EventValue::Number(8.0)));
        assert_eq!(p.get(2, key("flag")), None);
        assert_eq!(p.get(3, key("value")), None);

        // After a snapshot, appending reuses the shapes it holds.
        let bytes = postcard::to_stdvec(&p).unwrap();
        let mut back: EventProperties = postcard::from_bytes(&bytes).unwrap();
        back.push(
            &props(&[("value", PropertyValue::Number(9.0))]),
            &mut strings,
        );
        assert_eq!(back.shapes.len(), 3);
        let value = strings.get("value").unwrap();
        assert_eq!(back.get(4, value), Some(EventValue::Number(9.0)));
        assert_eq!(back.get(1, value), Some(EventValue::Number(7.0)));
    }
}
