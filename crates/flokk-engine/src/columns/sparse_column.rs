//! A column that most rows leave empty, such as an order's refund (about
//! 4 % of orders have one). Held as the rows that have a value and their
//! values (4 bytes plus the value per such row), not as a value per row:
//! on the 11M-order shape a dense `f64` of refunds is 84 MiB of mostly
//! zeros. A column most rows fill (an order's location or app, which
//! exports give nearly every order) stays dense: here it would cost more.
//!
//! Rows are pushed in ascending order (a table appends), so lookups are a
//! binary search, and a pass over the rows in order reads the column with
//! a [`SparseCursor`] in constant time per row.

/// The values of the rows that have one, by ascending row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SparseColumn<T: crate::columns::column_bytes::Fixed> {
    /// Rows with a value, ascending.
    #[serde(with = "crate::columns::column_bytes")]
    rows: Vec<u32>,
    /// Their values.
    #[serde(with = "crate::columns::column_bytes")]
    values: Vec<T>,
}

impl<T: crate::columns::column_bytes::Fixed> Default for SparseColumn<T> {
    fn default() -> Self {
        SparseColumn {
            rows: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T: crate::columns::column_bytes::Fixed> SparseColumn<T> {
    /// Gives row `row` the value `v`. Rows are set in ascending order, each
    /// at most once (a table appending).
    ///
    /// # Panics
    /// When `row` is not above every row set so far: a caller's bug.
    pub fn set(&mut self, row: u32, v: T) {
        assert!(
            self.rows.last().is_none_or(|last| *last < row),
            "sparse rows are set in ascending order"
        );
        self.rows.push(row);
        self.values.push(v);
    }

    /// The value of row `row`, if it has one.
    pub fn get(&self, row: u32) -> Option<T> {
        self.rows.binary_search(&row).ok().map(|at| self.values[at])
    }

    /// How many rows have a value.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row has one.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// A reader for a pass over rows in ascending order from `row`.
    pub fn cursor_from(&self, row: u32) -> SparseCursor<'_, T> {
        SparseCursor {
            column: self,
            next: self.rows.partition_point(|r| *r < row),
        }
    }

    /// The column after the table's rows moved: old row `r` is now
    /// `new_row[r]`.
    pub fn renumbered(&self, new_row: &[u32]) -> Self {
        let mut pairs: Vec<(u32, T)> = self
            .rows
            .iter()
            .zip(&self.values)
            .map(|(r, v)| (new_row[*r as usize], *v))
            .collect();
        pairs.sort_unstable_by_key(|(r, _)| *r);
        SparseColumn {
            rows: pairs.iter().map(|(r, _)| *r).collect(),
            values: pairs.into_iter().map(|(_, v)| v).collect(),
        }
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.rows.shrink_to_fit();
        self.values.shrink_to_fit();
    }
}

/// Reads a [`SparseColumn`] over rows visited in ascending order.
#[derive(Debug)]
pub struct SparseCursor<'a, T: crate::columns::column_bytes::Fixed> {
    column: &'a SparseColumn<T>,
    next: usize,
}

impl<T: crate::columns::column_bytes::Fixed> SparseCursor<'_, T> {
    /// The value of `row`; rows asked for must not descend.
    pub fn at(&mut self, row: u32) -> Option<T> {
        let rows = &self.column.rows;
        while self.next < rows.len() && rows[self.next] < row {
            self.next += 1;
        }
        (rows.get(self.next) == Some(&row)).then(|| self.column.values[self.next])
    }
}

impl<T: crate::columns::column_bytes::Fixed> crate::columns::heap_size::HeapSize
    for SparseColumn<T>
{
    fn heap_bytes(&self) -> usize {
        self.rows.capacity() * 4 + self.values.capacity() * size_of::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reads_as_the_dense_column_it_stands_for(
            dense in prop::collection::vec(prop::option::weighted(0.2, 1u32..1000), 0..200),
            from in 0u32..210,
        ) {
            let mut c = SparseColumn::default();
            for (row, v) in dense.iter().enumerate() {
                if let Some(v) = v {
                    c.set(row as u32, *v);
                }
            }
            let mut cursor = c.cursor_from(from);
            for row in 0..dense.len() as u32 + 5 {
                let want = dense.get(row as usize).copied().flatten();
                prop_assert_eq!(c.get(row), want);
                if row >= from {
                    prop_assert_eq!(cursor.at(row), want);
                }
            }
            // Reversing the rows.
            let n = dense.len() as u32;
            let new_row: Vec<u32> = (0..n).map(|r| n - 1 - r).collect();
            let r = c.renumbered(&new_row);
            for row in 0..n {
                prop_assert_eq!(r.get(n - 1 - row), dense[row as usize]);
            }
            let bytes = postcard::to_stdvec(&c).unwrap();
            prop_assert_eq!(postcard::from_bytes::<SparseColumn<u32>>(&bytes).unwrap(), c);
        }
    }
}
