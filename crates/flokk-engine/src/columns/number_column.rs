//! A column of numbers (event property values) held as whole cents in an [`I64Column`]
//! (usually four bytes a value) while every amount is exactly a number of
//! cents, as `f64` once one is not.
//!
//! Exactly means bit for bit: an amount is held as cents `n` only when
//! `n as f64 / 100.0` is the very `f64` it was (`81.9` is; `0.125` and
//! `-0.0` are not). A decimal with at most two places, read from JSON, is
//! the correctly rounded `f64` of that decimal, and so is `n / 100.0`, so
//! every such amount qualifies and sums over the column are the sums over
//! the original values. The first amount that does not qualify turns the
//! column into plain `f64`s, once, for good.

use crate::I64Column;

/// Money amounts (see the module doc).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum NumberColumn {
    /// Every amount is `cents / 100`.
    Cents(I64Column),
    /// The amounts themselves.
    Exact(#[serde(with = "crate::columns::column_bytes")] Vec<f64>),
}

impl Default for NumberColumn {
    fn default() -> Self {
        NumberColumn::Cents(I64Column::default())
    }
}

/// `v` as whole cents, when that is exact (see the module doc).
fn cents(v: f64) -> Option<i64> {
    let n = (v * 100.0).round();
    // Beyond 2^53 cents not every integer is an f64; none occur as money.
    // (NaN and the infinities fail this too.)
    if n.is_nan() || n.abs() >= 9.0e15 {
        return None;
    }
    // From the integer, so that -0.0 (whose cents are 0) does not qualify.
    let n = n as i64;
    ((n as f64 / 100.0).to_bits() == v.to_bits()).then_some(n)
}

impl NumberColumn {
    /// The `i`-th amount.
    #[inline]
    pub fn get(&self, i: usize) -> f64 {
        match self {
            NumberColumn::Cents(c) => c.get(i) as f64 / 100.0,
            NumberColumn::Exact(v) => v[i],
        }
    }

    /// Asks for the cache line of the `i`-th amount (see [`crate::columns::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self, i: usize) {
        match self {
            NumberColumn::Cents(c) => c.prefetch(i),
            NumberColumn::Exact(v) => crate::columns::prefetch::prefetch(v, i),
        }
    }

    /// How many amounts there are.
    pub fn len(&self) -> usize {
        match self {
            NumberColumn::Cents(c) => c.len(),
            NumberColumn::Exact(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the amounts are held as cents.
    pub fn in_cents(&self) -> bool {
        matches!(self, NumberColumn::Cents(_))
    }

    /// Appends `v`.
    pub fn push(&mut self, v: f64) {
        match (&mut *self, cents(v)) {
            (NumberColumn::Cents(column), Some(n)) => column.push(n),
            _ => self.exact().push(v),
        }
    }

    /// The amounts as `f64`s, turning the column into them first.
    fn exact(&mut self) -> &mut Vec<f64> {
        if let NumberColumn::Cents(column) = self {
            let values = (0..column.len())
                .map(|i| column.get(i) as f64 / 100.0)
                .collect();
            *self = NumberColumn::Exact(values);
        }
        match self {
            NumberColumn::Exact(values) => values,
            NumberColumn::Cents(_) => unreachable!("turned into f64s above"),
        }
    }

    /// Replaces the `i`-th amount.
    pub fn set(&mut self, i: usize, v: f64) {
        match (&mut *self, cents(v)) {
            (NumberColumn::Cents(column), Some(n)) => column.set(i, n),
            _ => self.exact()[i] = v,
        }
    }

    /// The column reordered so that its `i`-th amount is the old
    /// `perm[i]`-th.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        match self {
            NumberColumn::Cents(c) => NumberColumn::Cents(c.permuted(perm)),
            NumberColumn::Exact(v) => {
                NumberColumn::Exact(perm.iter().map(|&i| v[i as usize]).collect())
            }
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            NumberColumn::Cents(c) => c.shrink_to_fit(),
            NumberColumn::Exact(v) => v.shrink_to_fit(),
        }
    }
}

impl crate::columns::heap_size::HeapSize for NumberColumn {
    fn heap_bytes(&self) -> usize {
        match self {
            NumberColumn::Cents(c) => c.heap_bytes(),
            NumberColumn::Exact(v) => v.heap_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimal_amounts_are_cents_and_the_rest_exact() {
        let mut m = NumberColumn::default();
        for v in [81.9, 0.0, 149.9, 1e9, -12.34, 0.07] {
            m.push(v);
        }
        assert!(m.in_cents(), "{m:?}");
        // 0.1 + 0.2 is not the f64 of any decimal with two places.
        let mut sum = NumberColumn::default();
        sum.push(0.1 + 0.2);
        assert!(!sum.in_cents());
        m.push(0.125);
        assert!(!m.in_cents());
        assert_eq!(
            (0..m.len()).map(|i| m.get(i)).collect::<Vec<_>>(),
            [81.9, 0.0, 149.9, 1e9, -12.34, 0.07, 0.125]
        );
        let mut z = NumberColumn::default();
        z.push(-0.0);
        assert!(z.get(0).is_sign_negative());
        let mut s = NumberColumn::default();
        (0..3).for_each(|_| s.push(0.0));
        s.set(2, 19.99);
        s.set(0, -5.5);
        assert!(s.in_cents());
        s.set(1, 1.0 / 3.0);
        assert!(!s.in_cents());
        assert_eq!((s.get(0), s.get(1), s.get(2)), (-5.5, 1.0 / 3.0, 19.99));
    }

    proptest! {
        /// Every amount comes back bit for bit, whether held as cents or not.
        #[test]
        fn amounts_come_back_bit_for_bit(
            cents_values in proptest::collection::vec(-10_000_000i64..10_000_000, 0..50),
            other in proptest::option::of(any::<f64>()),
        ) {
            let mut values: Vec<f64> = cents_values.iter().map(|c| *c as f64 / 100.0).collect();
            values.extend(other);
            let mut m = NumberColumn::default();
            for v in &values {
                m.push(*v);
            }
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(m.get(i).to_bits(), v.to_bits());
            }
            let back: NumberColumn = postcard::from_bytes(&postcard::to_stdvec(&m).unwrap()).unwrap();
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(back.get(i).to_bits(), v.to_bits());
            }
        }
    }
}
