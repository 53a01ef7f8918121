//! A column of symbols (an order's location or app, an email's campaign,
//! a viewed product) as codes into the column's own dictionary, so that a
//! column with a few hundred distinct values takes one or two bytes a row
//! instead of the four of a global [`Sym`].
//!
//! A filter on the column is decided once per distinct value
//! ([`SymColumn::codes_where`]) and then read per row as one lookup.

use crate::columns::interner::Sym;
use crate::columns::uint_column::UintColumn;
use std::collections::HashMap;

/// Symbols by row (see the module doc).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct SymColumn {
    /// The distinct symbols, by code.
    dict: Vec<Sym>,
    /// Each row's code.
    codes: UintColumn,
    /// Code by symbol; rebuilt from `dict` after a snapshot load.
    #[serde(skip)]
    code_of: HashMap<Sym, u32>,
}

impl SymColumn {
    /// The symbol of row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Sym {
        self.dict[self.codes.get(i) as usize]
    }

    /// The code of row `i` (an index into [`SymColumn::codes_where`]'s answer).
    #[inline]
    pub fn code(&self, i: usize) -> u32 {
        self.codes.get(i)
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Appends a row holding `sym`.
    pub fn push(&mut self, sym: Sym) {
        if self.code_of.len() != self.dict.len() {
            self.code_of = (0..).zip(&self.dict).map(|(i, s)| (*s, i)).collect();
        }
        let next = self.dict.len() as u32;
        let code = *self.code_of.entry(sym).or_insert(next);
        if code == next {
            self.dict.push(sym);
        }
        self.codes.push(code);
    }

    /// For each code, whether its symbol passes `test` (asked once per
    /// distinct symbol).
    pub fn codes_where(&self, mut test: impl FnMut(Sym) -> bool) -> Vec<bool> {
        self.dict.iter().map(|s| test(*s)).collect()
    }

    /// Every row's symbol.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Sym> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The column reordered so that its `i`-th row is the old `perm[i]`-th.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        SymColumn {
            dict: self.dict.clone(),
            codes: self.codes.permuted(perm),
            code_of: self.code_of.clone(),
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.dict.shrink_to_fit();
        self.codes.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for SymColumn {
    fn heap_bytes(&self) -> usize {
        self.dict.heap_bytes() + self.codes.heap_bytes() + self.code_of.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_symbols_through_a_snapshot_and_more_rows() {
        let mut c = SymColumn::default();
        for s in [7, 9, 7, u32::MAX] {
            c.push(s);
        }
        assert_eq!(c.iter().collect::<Vec<_>>(), [7, 9, 7, u32::MAX]);
        assert_eq!(c.codes_where(|s| s == 7), [true, false, false]);
        let mut back: SymColumn = postcard::from_bytes(&postcard::to_stdvec(&c).unwrap()).unwrap();
        back.push(9);
        back.push(3);
        assert_eq!(back.iter().collect::<Vec<_>>(), [7, 9, 7, u32::MAX, 9, 3]);
        assert_eq!(back.code(4), back.code(1));
        let many: SymColumn = {
            let mut m = SymColumn::default();
            (0..1000).for_each(|s| m.push(s * 3));
            m
        };
        assert_eq!(many.get(999), 2997);
    }
}
