//! A column of `i64` values (record times in seconds, quantities, money in
//! cents) held as offsets from a base in one, two or four bytes each while
//! they fit, in eight once they do not.
//!
//! A store's record times span years or decades, not the 136 years four
//! bytes of seconds cover, and a line's quantity is small; yet both are
//! `i64` in the model, and an engine holding them as `i64` spends most of
//! every record on zeros. The column is therefore "narrow": each value is
//! an unsigned offset from a base, in a [`UintColumn`] that is as wide as
//! the largest offset needs. A value below the base moves the base down
//! (rewriting the offsets) with as much room again below as the values
//! span, so a column fed in descending order is rebased a logarithmic
//! number of times, not once per value. The first value that would need
//! offsets over four bytes turns the column wide, once, for good: a store
//! with one order dated 1900 and one dated 2026 is answered exactly, only
//! with a larger column. Reads are [`I64Column::get`], two well-predicted
//! branches.

use crate::columns::uint_column::UintColumn;

/// A column of `i64` values (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum I64Column {
    /// Every value is `base + offset`.
    Narrow {
        /// What offset 0 stands for.
        base: i64,
        /// The smallest and largest value held (meaningless while empty).
        span: (i64, i64),
        /// The values as offsets from `base`.
        offsets: UintColumn,
    },
    /// The values themselves.
    Wide(#[serde(with = "crate::columns::column_bytes")] Vec<i64>),
}

impl Default for I64Column {
    fn default() -> Self {
        I64Column::Narrow {
            base: 0,
            span: (0, 0),
            offsets: UintColumn::default(),
        }
    }
}

impl I64Column {
    /// The `i`-th value.
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        match self {
            I64Column::Narrow { base, offsets, .. } => base + i64::from(offsets.get(i)),
            I64Column::Wide(values) => values[i],
        }
    }

    /// Asks for the cache line of the `i`-th value (see [`crate::columns::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self, i: usize) {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.prefetch(i),
            I64Column::Wide(values) => crate::columns::prefetch::prefetch(values, i),
        }
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.len(),
            I64Column::Wide(values) => values.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the values are held as offsets (not yet widened).
    pub fn is_narrow(&self) -> bool {
        matches!(self, I64Column::Narrow { .. })
    }

    /// Bytes per value now.
    pub fn width(&self) -> usize {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.width(),
            I64Column::Wide(_) => 8,
        }
    }

    /// Appends `v`.
    pub fn push(&mut self, v: i64) {
        if let I64Column::Narrow {
            base,
            span,
            offsets,
        } = self
            && offsets.is_empty()
        {
            *base = v;
            *span = (v, v);
        }
        self.make_room_for(v);
        match self {
            I64Column::Narrow {
                base,
                span,
                offsets,
            } => {
                offsets.push((v - *base) as u32);
                *span = (span.0.min(v), span.1.max(v));
            }
            I64Column::Wide(values) => values.push(v),
        }
    }

    /// Replaces the `i`-th value.
    pub fn set(&mut self, i: usize, v: i64) {
        self.make_room_for(v);
        match self {
            I64Column::Narrow {
                base,
                span,
                offsets,
            } => {
                offsets.set(i, (v - *base) as u32);
                *span = (span.0.min(v), span.1.max(v));
            }
            I64Column::Wide(values) => values[i] = v,
        }
    }

    /// Makes `v` representable: as it is, by moving the base down (see
    /// the module doc), or by turning the column wide.
    fn make_room_for(&mut self, v: i64) {
        let I64Column::Narrow {
            base,
            span,
            offsets,
        } = self
        else {
            return;
        };
        if v.checked_sub(*base)
            .and_then(|d| u32::try_from(d).ok())
            .is_some()
        {
            return;
        }
        let (low, high) = if offsets.is_empty() {
            (v, v)
        } else {
            (span.0.min(v), span.1.max(v))
        };
        let range = i128::from(high) - i128::from(low);
        if range <= i128::from(u32::MAX) {
            // Room below as large as what the values span (within what four
            // bytes allow), so descending values rebase rarely.
            let room = (range + 16).min(i128::from(u32::MAX) - range);
            let new_base = (i128::from(low) - room).max(i128::from(i64::MIN)) as i64;
            let old_base = *base;
            *offsets = offsets
                .iter()
                .map(|o| (old_base + i64::from(o) - new_base) as u32)
                .collect();
            *base = new_base;
            return;
        }
        let values = (0..offsets.len())
            .map(|i| *base + i64::from(offsets.get(i)))
            .collect();
        *self = I64Column::Wide(values);
    }

    /// Every value in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = i64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The column reordered so that its `i`-th value is the old
    /// `perm[i]`-th.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        match self {
            I64Column::Narrow {
                base,
                span,
                offsets,
            } => I64Column::Narrow {
                base: *base,
                span: *span,
                offsets: offsets.permuted(perm),
            },
            I64Column::Wide(values) => {
                I64Column::Wide(perm.iter().map(|&i| values[i as usize]).collect())
            }
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.shrink_to_fit(),
            I64Column::Wide(values) => values.shrink_to_fit(),
        }
    }
}

impl FromIterator<i64> for I64Column {
    fn from_iter<I: IntoIterator<Item = i64>>(values: I) -> Self {
        let mut column = I64Column::default();
        for v in values {
            column.push(v);
        }
        column
    }
}

impl crate::columns::heap_size::HeapSize for I64Column {
    fn heap_bytes(&self) -> usize {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.heap_bytes(),
            I64Column::Wide(values) => values.heap_bytes(),
        }
    }
}

/// One representation of an [`I64Column`], borrowed: see
/// [`i64_slice!`](crate::i64_slice).
pub trait I64Slice: Copy {
    /// The `i`-th value.
    fn at(self, i: usize) -> i64;
    /// Asks for the cache line of the `i`-th value (see [`crate::columns::prefetch`]).
    fn prefetch(self, i: usize);
}

/// Offsets of one width from a base.
#[derive(Clone, Copy)]
pub struct Offsets<S> {
    /// What offset 0 stands for.
    pub base: i64,
    /// The offsets.
    pub offsets: S,
}

impl<S: crate::columns::uint_column::UintSlice> I64Slice for Offsets<S> {
    #[inline(always)]
    fn at(self, i: usize) -> i64 {
        self.base + i64::from(self.offsets.at(i))
    }
    #[inline(always)]
    fn prefetch(self, i: usize) {
        self.offsets.prefetch(i);
    }
}

impl I64Slice for &[i64] {
    #[inline(always)]
    fn at(self, i: usize) -> i64 {
        self[i]
    }
    #[inline(always)]
    fn prefetch(self, i: usize) {
        crate::columns::prefetch::prefetch(self, i);
    }
}

/// `i64_slice!(column, s => body)`: `body` with `s` bound to the column's
/// values as an [`I64Slice`], instantiated once per representation, so a
/// loop over every value holds no branch on it.
#[macro_export]
macro_rules! i64_slice {
    ($column:expr, $s:ident => $body:expr) => {
        match $column {
            $crate::I64Column::Narrow { base, offsets, .. } => {
                $crate::uint_slice!(offsets, o => {
                    let $s = $crate::columns::i64_column::Offsets { base: *base, offsets: o };
                    $body
                })
            }
            $crate::I64Column::Wide(v) => {
                let $s: &[i64] = v;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn record_times_stay_narrow_and_an_outlier_widens_exactly() {
        let mut c = I64Column::default();
        for t in [1_700_000_000, 1_600_000_000, 1_795_000_000] {
            c.push(t);
        }
        assert_eq!(c.width(), 4);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            [1_700_000_000, 1_600_000_000, 1_795_000_000]
        );
        // 1900-01-01 is within 136 years of every value: rebased, narrow.
        c.push(-2_208_988_800);
        assert_eq!(c.width(), 4);
        // 1800-01-01 is not.
        c.push(-5_364_662_400);
        assert!(!c.is_narrow());
        assert_eq!(c.get(3), -2_208_988_800);
        assert_eq!(c.get(4), -5_364_662_400);
        assert_eq!(c.get(0), 1_700_000_000);
    }

    #[test]
    fn small_values_take_a_byte_whichever_way_they_arrive() {
        let q: I64Column = [3, 1, 2, 0, 5, -1, 4].into_iter().collect();
        assert_eq!(q.width(), 1);
        assert_eq!(q.iter().collect::<Vec<_>>(), [3, 1, 2, 0, 5, -1, 4]);
        // Descending one by one: rebased a few times, still two bytes.
        let down: I64Column = (0..10_000).rev().collect();
        assert_eq!(down.width(), 2);
        assert!(down.iter().eq((0..10_000).rev()));
        let mut tickets: I64Column = [0, 0, 0].into_iter().collect();
        tickets.set(1, 300);
        assert_eq!((tickets.width(), tickets.get(1)), (2, 300));
        tickets.set(2, -1);
        assert_eq!(tickets.iter().collect::<Vec<_>>(), [0, 300, -1]);
        let extremes: I64Column = [i64::MAX, i64::MAX - 1, i64::MIN + 1].into_iter().collect();
        assert!(!extremes.is_narrow());
        assert_eq!(
            extremes.iter().collect::<Vec<_>>(),
            [i64::MAX, i64::MAX - 1, i64::MIN + 1]
        );
    }

    proptest! {
        #[test]
        fn holds_any_values_and_survives_a_snapshot(
            values in prop::collection::vec(
                prop_oneof![any::<i64>(), -100i64..100, 1_500_000_000i64..1_900_000_000, Just(i64::MIN), Just(i64::MAX)],
                0..40,
            ),
            perm_seed in any::<u64>(),
            sets in prop::collection::vec(
                (any::<prop::sample::Index>(), prop_oneof![any::<i64>(), -100i64..100, 1_500_000_000i64..1_900_000_000]),
                0..10,
            ),
        ) {
            let c: I64Column = values.iter().copied().collect();
            prop_assert_eq!(c.iter().collect::<Vec<_>>(), values.clone());
            // Values replaced in any order, as the now-dependent columns are.
            if !values.is_empty() {
                let (mut model, mut column) = (values.clone(), c.clone());
                for (at, v) in &sets {
                    let i = at.index(values.len());
                    model[i] = *v;
                    column.set(i, *v);
                }
                prop_assert_eq!(column.iter().collect::<Vec<_>>(), model);
            }
            let bytes = postcard::to_stdvec(&c).unwrap();
            let back: I64Column = postcard::from_bytes(&bytes).unwrap();
            prop_assert_eq!(&back, &c);
            // A rotation as the permutation.
            let n = values.len() as u32;
            let perm: Vec<u32> = (0..n).map(|i| (i + perm_seed as u32 % n.max(1)) % n.max(1)).collect();
            let p = c.permuted(&perm);
            for (i, &old) in perm.iter().enumerate() {
                prop_assert_eq!(p.get(i), values[old as usize]);
            }
        }
    }
}
