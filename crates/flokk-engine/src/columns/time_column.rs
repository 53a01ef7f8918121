//! A column of optional instants (seconds) that can be set in any order:
//! a customer's first and last order, last abandoned checkout, the date a
//! customer was added. Held as four-byte offsets from a base while every
//! instant is within 136 years of it, as `i64` once one is not.
//!
//! Unlike [`crate::I64Column`], which a table appends to, these columns
//! are written customer by customer, in any order, again and again
//! (patched after a catch-up), so the base is fixed when the column is
//! made (2^31 seconds before the first instant set, so 68 years either
//! side fit) and an instant outside turns the column wide, once, for good.
//! `u32::MAX` stands for "none" ([`crate::NO_TIME`]).

/// A missing instant in a time column.
pub const NO_TIME: i64 = i64::MIN;

const NONE: u32 = u32::MAX;
const HALF: i64 = 1 << 31;

/// Optional instants by row (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeColumn {
    /// `base + offset`, or none for `u32::MAX`; `base` is `None` until the
    /// first instant is set.
    Narrow {
        /// What offset 0 stands for.
        base: Option<i64>,
        /// The offsets.
        #[serde(with = "crate::columns::column_bytes")]
        offsets: Vec<u32>,
    },
    /// The instants themselves ([`NO_TIME`] for none).
    Wide(#[serde(with = "crate::columns::column_bytes")] Vec<i64>),
}

impl Default for TimeColumn {
    fn default() -> Self {
        TimeColumn::Narrow {
            base: None,
            offsets: Vec::new(),
        }
    }
}

impl TimeColumn {
    /// `n` rows of none.
    pub fn none(n: usize) -> Self {
        TimeColumn::Narrow {
            base: None,
            offsets: vec![NONE; n],
        }
    }

    /// The instant of row `i` ([`NO_TIME`] for none).
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        match self {
            TimeColumn::Narrow { base, offsets } => match offsets[i] {
                NONE => NO_TIME,
                o => base.unwrap_or(0) + i64::from(o),
            },
            TimeColumn::Wide(values) => values[i],
        }
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        match self {
            TimeColumn::Narrow { offsets, .. } => offsets.len(),
            TimeColumn::Wide(values) => values.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the instants are held as offsets.
    pub fn is_narrow(&self) -> bool {
        matches!(self, TimeColumn::Narrow { .. })
    }

    /// Sets row `i` to `t` ([`NO_TIME`]: none).
    pub fn set(&mut self, i: usize, t: i64) {
        if let TimeColumn::Narrow { base, offsets } = self {
            if t == NO_TIME {
                offsets[i] = NONE;
                return;
            }
            let b = *base.get_or_insert(t.saturating_sub(HALF));
            if let Some(o) = t
                .checked_sub(b)
                .and_then(|d| u32::try_from(d).ok())
                .filter(|o| *o != NONE)
            {
                offsets[i] = o;
                return;
            }
            let values = offsets
                .iter()
                .map(|&o| if o == NONE { NO_TIME } else { b + i64::from(o) })
                .collect();
            *self = TimeColumn::Wide(values);
        }
        if let TimeColumn::Wide(values) = self {
            values[i] = t;
        }
    }

    /// Grows (or shrinks) to `n` rows, new ones none.
    pub fn resize(&mut self, n: usize) {
        match self {
            TimeColumn::Narrow { offsets, .. } => offsets.resize(n, NONE),
            TimeColumn::Wide(values) => values.resize(n, NO_TIME),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, t: i64) {
        self.resize(self.len() + 1);
        self.set(self.len() - 1, t);
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match self {
            TimeColumn::Narrow { offsets, .. } => offsets.shrink_to_fit(),
            TimeColumn::Wide(values) => values.shrink_to_fit(),
        }
    }
}

impl crate::columns::heap_size::HeapSize for TimeColumn {
    fn heap_bytes(&self) -> usize {
        match self {
            TimeColumn::Narrow { offsets, .. } => offsets.capacity() * 4,
            TimeColumn::Wide(values) => values.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn instants_and_none_in_any_order_and_a_far_one_widens() {
        let mut c = TimeColumn::none(4);
        c.set(2, 1_700_000_000);
        c.set(0, 1_600_000_000);
        assert_eq!(
            (c.get(0), c.get(1), c.get(2)),
            (1_600_000_000, NO_TIME, 1_700_000_000)
        );
        assert!(c.is_narrow());
        c.set(2, NO_TIME);
        c.set(3, i64::MAX);
        assert!(!c.is_narrow());
        assert_eq!(
            (c.get(0), c.get(2), c.get(3)),
            (1_600_000_000, NO_TIME, i64::MAX)
        );
    }

    proptest! {
        /// Whatever is set last in a row is what the row holds.
        #[test]
        fn rows_hold_what_was_set_last(
            sets in proptest::collection::vec(
                (0usize..20, prop_oneof![Just(NO_TIME), any::<i64>(), 1_500_000_000i64..1_900_000_000]),
                0..60,
            ),
        ) {
            let mut c = TimeColumn::none(20);
            let mut want = vec![NO_TIME; 20];
            for (i, t) in sets {
                c.set(i, t);
                want[i] = t;
            }
            prop_assert_eq!((0..20).map(|i| c.get(i)).collect::<Vec<_>>(), want);
            let back: TimeColumn = postcard::from_bytes(&postcard::to_stdvec(&c).unwrap()).unwrap();
            prop_assert_eq!(back, c);
        }
    }
}
