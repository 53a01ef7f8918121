//! A column of exact money amounts: flokk-model's [`Money`] units (ten-
//! thousandths of the store currency) in an [`I64Column`], so in four bytes a
//! value while a store's amounts span less than 429,496 currency units.
//!
//! Amounts used to be `f64`s held as cents when exact; sums over them were
//! `f64` sums (`22768.919999999995`). Integers sum exactly in any order.

use crate::I64Column;
use flokk_model::Money;

/// Money amounts (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MoneyColumn(I64Column);

impl MoneyColumn {
    /// The `i`-th amount.
    #[inline]
    pub fn get(&self, i: usize) -> Money {
        Money::from_units(self.0.get(i))
    }

    /// Asks for the cache line of the `i`-th amount (see [`crate::columns::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self, i: usize) {
        self.0.prefetch(i)
    }

    /// How many amounts there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// Appends `v`.
    pub fn push(&mut self, v: Money) {
        self.0.push(v.units())
    }

    /// Replaces the `i`-th amount.
    pub fn set(&mut self, i: usize, v: Money) {
        self.0.set(i, v.units())
    }

    /// The column reordered so that its `i`-th amount is the old
    /// `perm[i]`-th.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        MoneyColumn(self.0.permuted(perm))
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit()
    }
}

impl crate::columns::heap_size::HeapSize for MoneyColumn {
    fn heap_bytes(&self) -> usize {
        self.0.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_come_back_exactly() {
        let mut m = MoneyColumn::default();
        let amounts = ["81.9", "0", "149.9", "1000000000000", "-12.34", "0.0001"];
        for a in amounts {
            m.push(Money::parse(a).unwrap());
        }
        m.set(1, Money::parse("119.64").unwrap());
        let back: MoneyColumn = postcard::from_bytes(&postcard::to_stdvec(&m).unwrap()).unwrap();
        let shown: Vec<String> = (0..back.len()).map(|i| back.get(i).to_string()).collect();
        assert_eq!(
            shown,
            [
                "81.9",
                "119.64",
                "149.9",
                "1000000000000",
                "-12.34",
                "0.0001"
            ]
        );
    }
}
