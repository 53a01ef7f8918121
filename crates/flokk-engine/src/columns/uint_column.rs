//! A column of small unsigned integers held in one, two or four bytes a
//! value: the narrowest width every value so far fits, widened (once per
//! width, for good) by the first value that does not.
//!
//! Most of the engine's per-record numbers are small: a line's quantity, a
//! line's shape among a few thousand, an order's location among a handful.
//! Holding them as `u32` spent three bytes of every record on zeros. Reads
//! are [`UintColumn::get`], one well-predicted branch on the width.

/// A column of `u32` values in the narrowest width they fit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UintColumn {
    /// Every value is below 2^8.
    U8(#[serde(with = "crate::columns::column_bytes")] Vec<u8>),
    /// Every value is below 2^16.
    U16(#[serde(with = "crate::columns::column_bytes")] Vec<u16>),
    /// Any value.
    U32(#[serde(with = "crate::columns::column_bytes")] Vec<u32>),
}

impl Default for UintColumn {
    fn default() -> Self {
        UintColumn::U8(Vec::new())
    }
}

impl UintColumn {
    /// The `i`-th value.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            UintColumn::U8(v) => u32::from(v[i]),
            UintColumn::U16(v) => u32::from(v[i]),
            UintColumn::U32(v) => v[i],
        }
    }

    /// Asks for the cache line of the `i`-th value (see [`crate::columns::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self, i: usize) {
        crate::uint_slice!(self, s => s.prefetch(i))
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        match self {
            UintColumn::U8(v) => v.len(),
            UintColumn::U16(v) => v.len(),
            UintColumn::U32(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per value now.
    pub fn width(&self) -> usize {
        match self {
            UintColumn::U8(_) => 1,
            UintColumn::U16(_) => 2,
            UintColumn::U32(_) => 4,
        }
    }

    /// Appends `v`, widening the column first when it does not fit.
    pub fn push(&mut self, v: u32) {
        self.make_room_for(v);
        match self {
            UintColumn::U8(values) => values.push(v as u8),
            UintColumn::U16(values) => values.push(v as u16),
            UintColumn::U32(values) => values.push(v),
        }
    }

    /// Replaces the `i`-th value, widening the column first when `v` does
    /// not fit.
    pub fn set(&mut self, i: usize, v: u32) {
        self.make_room_for(v);
        match self {
            UintColumn::U8(values) => values[i] = v as u8,
            UintColumn::U16(values) => values[i] = v as u16,
            UintColumn::U32(values) => values[i] = v,
        }
    }

    fn make_room_for(&mut self, v: u32) {
        let fits = match self {
            UintColumn::U8(_) => v <= u32::from(u8::MAX),
            UintColumn::U16(_) => v <= u32::from(u16::MAX),
            UintColumn::U32(_) => true,
        };
        if fits {
            return;
        }
        *self = if v <= u32::from(u16::MAX) {
            UintColumn::U16(self.iter().map(|x| x as u16).collect())
        } else {
            UintColumn::U32(self.iter().collect())
        };
    }

    /// Every value in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The column reordered so that its `i`-th value is the old
    /// `perm[i]`-th.
    pub fn permuted(&self, perm: &[u32]) -> Self {
        match self {
            UintColumn::U8(v) => UintColumn::U8(perm.iter().map(|&i| v[i as usize]).collect()),
            UintColumn::U16(v) => UintColumn::U16(perm.iter().map(|&i| v[i as usize]).collect()),
            UintColumn::U32(v) => UintColumn::U32(perm.iter().map(|&i| v[i as usize]).collect()),
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            UintColumn::U8(v) => v.shrink_to_fit(),
            UintColumn::U16(v) => v.shrink_to_fit(),
            UintColumn::U32(v) => v.shrink_to_fit(),
        }
    }
}

impl FromIterator<u32> for UintColumn {
    fn from_iter<I: IntoIterator<Item = u32>>(values: I) -> Self {
        let mut column = UintColumn::default();
        for v in values {
            column.push(v);
        }
        column
    }
}

impl crate::columns::heap_size::HeapSize for UintColumn {
    fn heap_bytes(&self) -> usize {
        match self {
            UintColumn::U8(v) => v.capacity(),
            UintColumn::U16(v) => v.capacity() * 2,
            UintColumn::U32(v) => v.capacity() * 4,
        }
    }
}

/// One width of a [`UintColumn`], borrowed: loops over every value are
/// written once, generic over this, and instantiated per width by
/// [`uint_slice!`](crate::uint_slice), so they hold no branch on the width.
pub trait UintSlice: Copy {
    /// The `i`-th value.
    fn at(self, i: usize) -> u32;
    /// Asks for the cache line of the `i`-th value (see [`crate::columns::prefetch`]).
    fn prefetch(self, i: usize);
}

macro_rules! uint_slice_impl {
    ($($t:ty),*) => {$(
        impl UintSlice for &[$t] {
            #[inline(always)]
            fn at(self, i: usize) -> u32 {
                u32::from(self[i])
            }
            #[inline(always)]
            fn prefetch(self, i: usize) {
                crate::columns::prefetch::prefetch(self, i);
            }
        }
    )*};
}
uint_slice_impl!(u8, u16, u32);

/// `uint_slice!(column, s => body)`: `body` with `s` bound to the column's
/// values as a slice of their width (a [`UintSlice`]), instantiated once
/// per width.
#[macro_export]
macro_rules! uint_slice {
    ($column:expr, $s:ident => $body:expr) => {
        match $column {
            $crate::columns::uint_column::UintColumn::U8(v) => {
                let $s: &[u8] = v;
                $body
            }
            $crate::columns::uint_column::UintColumn::U16(v) => {
                let $s: &[u16] = v;
                $body
            }
            $crate::columns::uint_column::UintColumn::U32(v) => {
                let $s: &[u32] = v;
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
    fn widens_once_per_width_and_keeps_every_value() {
        let mut c = UintColumn::default();
        c.push(3);
        c.push(255);
        assert_eq!(c.width(), 1);
        c.push(256);
        assert_eq!(c.width(), 2);
        c.set(0, 70_000);
        assert_eq!(c.width(), 4);
        assert_eq!(c.iter().collect::<Vec<_>>(), [70_000, 255, 256]);
    }

    proptest! {
        #[test]
        fn holds_any_values_permuted_and_through_a_snapshot(
            values in proptest::collection::vec(prop_oneof![0u32..300, any::<u32>()], 0..200),
        ) {
            let c: UintColumn = values.iter().copied().collect();
            prop_assert_eq!(c.iter().collect::<Vec<_>>(), values.clone());
            let back: UintColumn = postcard::from_bytes(&postcard::to_stdvec(&c).unwrap()).unwrap();
            prop_assert_eq!(&back, &c);
            let reversed: Vec<u32> = (0..values.len() as u32).rev().collect();
            let p = c.permuted(&reversed);
            let mut expected = values.clone();
            expected.reverse();
            prop_assert_eq!(p.iter().collect::<Vec<_>>(), expected);
        }
    }
}
