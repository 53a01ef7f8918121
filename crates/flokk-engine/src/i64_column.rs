//! A column of `i64` values (record times in seconds, quantities) held in
//! four bytes each while they fit, in eight once one does not.
//!
//! A store's record times span years or decades, not the 136 years four
//! bytes of seconds cover, and a line's quantity is small; yet both are
//! `i64` in the model, and an engine holding them as `i64` spends four
//! bytes of every record on zeros (on the 1M-customer, 11M-order shape,
//! about 150 MiB). The column is therefore "narrow": each value is an
//! unsigned offset from a base chosen at the first value (2^31 below it,
//! so values up to 68 years either side of the first one fit). The first
//! value that does not fit turns the column wide, once, for good: a store
//! with one order dated 1900 and one dated 2026 is answered exactly, only
//! with a larger column. Reads are [`I64Column::get`], one well-predicted
//! branch.

/// Values `2^31` below the first one map to offset 0.
const HALF: i64 = 1 << 31;

/// A column of `i64` values (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum I64Column {
    /// Every value is `base + offset`.
    Narrow {
        /// What offset 0 stands for.
        base: i64,
        /// The values as offsets from `base`.
        #[serde(with = "crate::column_bytes")]
        offsets: Vec<u32>,
    },
    /// The values themselves.
    Wide(#[serde(with = "crate::column_bytes")] Vec<i64>),
}

impl Default for I64Column {
    fn default() -> Self {
        I64Column::Narrow {
            base: 0,
            offsets: Vec::new(),
        }
    }
}

impl I64Column {
    /// The `i`-th value.
    ///
    /// # Panics
    /// When `i` is out of bounds, like a slice.
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        match self {
            I64Column::Narrow { base, offsets } => base + i64::from(offsets[i]),
            I64Column::Wide(values) => values[i],
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

    /// Whether the values are held in four bytes each.
    pub fn is_narrow(&self) -> bool {
        matches!(self, I64Column::Narrow { .. })
    }

    /// Appends `v`, widening the column if it does not fit.
    pub fn push(&mut self, v: i64) {
        if let I64Column::Narrow { base, offsets } = self {
            if offsets.is_empty() {
                *base = v.saturating_sub(HALF);
            }
            if let Some(offset) = v.checked_sub(*base).and_then(|d| u32::try_from(d).ok()) {
                offsets.push(offset);
                return;
            }
            self.widen();
        }
        if let I64Column::Wide(values) = self {
            values.push(v);
        }
    }

    /// Replaces the `i`-th value, widening the column if `v` does not fit.
    pub fn set(&mut self, i: usize, v: i64) {
        if let I64Column::Narrow { base, offsets } = self {
            if let Some(offset) = v.checked_sub(*base).and_then(|d| u32::try_from(d).ok()) {
                offsets[i] = offset;
                return;
            }
            self.widen();
        }
        if let I64Column::Wide(values) = self {
            values[i] = v;
        }
    }

    fn widen(&mut self) {
        if let I64Column::Narrow { base, offsets } = self {
            let values = offsets.iter().map(|o| *base + i64::from(*o)).collect();
            *self = I64Column::Wide(values);
        }
    }

    /// Every value in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = i64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The column reordered so that its `i`-th value is the old
    /// `self.get(perm[i])`.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        match self {
            I64Column::Narrow { base, offsets } => I64Column::Narrow {
                base: *base,
                offsets: perm.iter().map(|&i| offsets[i as usize]).collect(),
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

impl crate::space_usage::HeapSize for I64Column {
    fn heap_bytes(&self) -> usize {
        match self {
            I64Column::Narrow { offsets, .. } => offsets.heap_bytes(),
            I64Column::Wide(values) => values.heap_bytes(),
        }
    }
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
        assert!(c.is_narrow());
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            [1_700_000_000, 1_600_000_000, 1_795_000_000]
        );
        // 1900-01-01 is more than 68 years before the first value.
        c.push(-2_208_988_800);
        assert!(!c.is_narrow());
        assert_eq!(c.get(3), -2_208_988_800);
        assert_eq!(c.get(0), 1_700_000_000);
        let mut q = I64Column::from_iter([1, 2, 3]);
        q.set(1, i64::MAX);
        assert_eq!(q.iter().collect::<Vec<_>>(), [1, i64::MAX, 3]);
        assert!(!q.is_narrow());
    }

    proptest! {
        #[test]
        fn holds_any_values_and_survives_a_snapshot(
            values in prop::collection::vec(
                prop_oneof![any::<i64>(), -100i64..100, 1_500_000_000i64..1_900_000_000],
                0..40,
            ),
            perm_seed in any::<u64>(),
        ) {
            let c: I64Column = values.iter().copied().collect();
            prop_assert_eq!(c.iter().collect::<Vec<_>>(), values.clone());
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
