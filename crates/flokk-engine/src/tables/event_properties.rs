//! The properties of custom events, about four bytes a value.
//!
//! Custom events are the largest table of a store that tracks them (on the
//! demo's 1M/11M-order shape, 9M events with 25M properties), so their
//! properties are held column-wise and without repetition:
//!
//! - the keys of an event and the kind of each value are its *shape*, one
//!   interned list shared by every event with the same keys and kinds in
//!   the same order (events of one name nearly always carry the same
//!   ones), so an event costs a shape number (one or two bytes), not a key
//!   and a kind per value;
//! - a value is a four-byte word: the boolean, the date (days since
//!   1970-01-01), the text's symbol, a number that is a whole number of
//!   cents (`43.0`, `19.99`: most are) as signed cents, or an index into
//!   the other numbers (eight bytes more) or into the lists;
//! - where an event's values start is kept for every sixteenth event only;
//!   the others add up the value counts of the shapes before them in their
//!   block (four bytes an event less, a few additions a read).
//!
//! A value decodes to an [`EventValue`], which is what evaluation tests.

use crate::columns::interner::{Interner, Sym};
use crate::columns::uint_column::UintColumn;
use flokk_model::PropertyValue;
use std::collections::{BTreeMap, HashMap};

const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

/// Events per stored start.
const BLOCK: usize = 16;

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

/// What a value's word holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
enum Kind {
    Boolean,
    /// Signed cents.
    Cents,
    /// An index into `numbers`.
    Number,
    Date,
    Text,
    /// An index into `list_start`.
    List,
}

/// The properties of every custom event, by event index.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct EventProperties {
    /// Every distinct list of (key, kind), in first-seen order.
    shapes: Vec<Vec<(Sym, Kind)>>,
    /// Shape number by list; rebuilt from `shapes` when a loaded snapshot
    /// is appended to.
    #[serde(skip)]
    shape_ids: HashMap<Vec<(Sym, Kind)>, u32>,
    /// Each event's shape.
    shape: UintColumn,
    /// Where the values of every [`BLOCK`]-th event start in `word`.
    block_start: crate::I64Column,
    /// Every value, event after event, key after key.
    #[serde(with = "crate::columns::column_bytes")]
    word: Vec<u32>,
    /// Numbers that are not a whole number of cents.
    #[serde(with = "crate::columns::column_bytes")]
    numbers: Vec<f64>,
    /// Where each list value starts in `items`.
    #[serde(with = "crate::columns::column_bytes")]
    list_start: Vec<u32>,
    /// List items, list after list.
    #[serde(with = "crate::columns::column_bytes")]
    items: Vec<Sym>,
}

/// `n` as signed cents in a word, when that is exact (as in
/// [`crate::columns::number_column`]).
fn cents(n: f64) -> Option<u32> {
    let c = (n * 100.0).round();
    if c.is_nan() || c.abs() > f64::from(i32::MAX) {
        return None;
    }
    let c = c as i32;
    ((f64::from(c) / 100.0).to_bits() == n.to_bits()).then_some(c as u32)
}

impl EventProperties {
    /// Appends the properties of the next event.
    pub fn push(&mut self, properties: &BTreeMap<String, PropertyValue>, strings: &mut Interner) {
        if self.shape.len().is_multiple_of(BLOCK) {
            self.block_start.push(self.word.len() as i64);
        }
        let mut shape = Vec::with_capacity(properties.len());
        for (key, value) in properties {
            let (kind, word) = match value {
                PropertyValue::Boolean(b) => (Kind::Boolean, u32::from(*b)),
                PropertyValue::Number(n) => match cents(*n) {
                    Some(c) => (Kind::Cents, c),
                    None => {
                        self.numbers.push(*n);
                        (Kind::Number, self.numbers.len() as u32 - 1)
                    }
                },
                PropertyValue::Date(d) => (Kind::Date, (*d - EPOCH).get_days() as u32),
                PropertyValue::String(s) => (Kind::Text, strings.intern(s)),
                PropertyValue::List(list) => {
                    self.list_start.push(self.items.len() as u32);
                    self.items
                        .extend(list.iter().map(|item| strings.intern(item)));
                    (Kind::List, self.list_start.len() as u32 - 1)
                }
            };
            shape.push((strings.intern(key), kind));
            self.word.push(word);
        }
        if self.shape_ids.len() != self.shapes.len() {
            self.shape_ids = (0..)
                .zip(&self.shapes)
                .map(|(i, s)| (s.clone(), i))
                .collect();
        }
        let next = self.shapes.len() as u32;
        let id = *self.shape_ids.entry(shape).or_insert_with_key(|shape| {
            self.shapes.push(shape.clone());
            next
        });
        self.shape.push(id);
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.shape.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.shape.is_empty()
    }

    /// How many values all events hold together.
    pub fn values(&self) -> usize {
        self.word.len()
    }

    /// Where event `i`'s values start in `word`.
    fn start(&self, i: usize) -> usize {
        let block = i / BLOCK;
        self.block_start.get(block) as usize
            + (block * BLOCK..i)
                .map(|j| self.shapes[self.shape.get(j) as usize].len())
                .sum::<usize>()
    }

    /// The value of property `key` of event `i`.
    pub fn get(&self, i: u32, key: Sym) -> Option<EventValue> {
        let i = i as usize;
        let shape = &self.shapes[self.shape.get(i) as usize];
        let position = shape.iter().position(|(k, _)| *k == key)?;
        let word = self.word[self.start(i) + position];
        Some(match shape[position].1 {
            Kind::Boolean => EventValue::Boolean(word != 0),
            Kind::Cents => EventValue::Number(f64::from(word as i32) / 100.0),
            Kind::Number => EventValue::Number(self.numbers[word as usize]),
            Kind::Date => EventValue::Date(word as i32),
            Kind::Text => EventValue::Text(word),
            Kind::List => {
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
        self.shapes.iter().flatten().map(|(k, _)| *k)
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.shape.shrink_to_fit();
        self.block_start.shrink_to_fit();
        self.word.shrink_to_fit();
        self.numbers.shrink_to_fit();
        self.list_start.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for EventProperties {
    fn heap_bytes(&self) -> usize {
        let list = |s: &Vec<(Sym, Kind)>| s.capacity() * size_of::<(Sym, Kind)>();
        let shapes: usize = self
            .shapes
            .iter()
            .map(|s| size_of::<Vec<(Sym, Kind)>>() + list(s))
            .sum();
        // The map holds each list again.
        let map = if self.shape_ids.is_empty() {
            0
        } else {
            (self.shape_ids.capacity() * 8 / 7).next_power_of_two()
                * (size_of::<(Vec<(Sym, Kind)>, u32)>() + 1)
                + self.shape_ids.keys().map(list).sum::<usize>()
        };
        shapes
            + map
            + self.shape.heap_bytes()
            + self.block_start.heap_bytes()
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
        // A number that is not a whole number of cents is its own kind.
        p.push(
            &props(&[("value", PropertyValue::Number(1.0 / 3.0))]),
            &mut strings,
        );
        assert_eq!(
            p.shapes.len(),
            4,
            "one shape per distinct key and kind list"
        );
        // Across blocks of stored starts, with shapes of different sizes.
        for i in 0..40 {
            let pairs: Vec<(&str, PropertyValue)> = (0..(i % 4))
                .map(|k| (["a", "b", "c"][k], PropertyValue::Number(i as f64)))
                .collect();
            p.push(&props(&pairs), &mut strings);
        }

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
        assert_eq!(p.get(4, key("value")), Some(EventValue::Number(1.0 / 3.0)));
        for i in 0..40u32 {
            let want = (i % 4 > 0).then_some(EventValue::Number(f64::from(i)));
            assert_eq!(p.get(5 + i, key("a")), want, "event {}", 5 + i);
        }

        // After a snapshot, appending reuses the shapes it holds.
        let bytes = postcard::to_stdvec(&p).unwrap();
        let mut back: EventProperties = postcard::from_bytes(&bytes).unwrap();
        back.push(
            &props(&[("value", PropertyValue::Number(9.0))]),
            &mut strings,
        );
        assert_eq!(back.shapes.len(), 7);
        let value = strings.get("value").unwrap();
        assert_eq!(back.get(45, value), Some(EventValue::Number(9.0)));
        assert_eq!(back.get(1, value), Some(EventValue::Number(7.0)));
    }
}
