//! Snapshot encoding of the large numeric columns: one byte string of
//! little-endian values per column instead of one serde element (a varint
//! each, in postcard) per value. Decoding a column is then a tight loop
//! over a slice, where element-by-element decoding was a quarter of a
//! restart of a store with 11M orders.
//!
//! Use as `#[serde(with = "crate::columns::column_bytes")]` on a `Vec<T>` of a
//! [`Fixed`] type.

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};
use std::marker::PhantomData;

/// A value with a fixed little-endian width.
pub trait Fixed: Copy {
    /// Bytes per value.
    const WIDTH: usize;
    /// Appends the value's bytes.
    fn put(self, out: &mut Vec<u8>);
    /// The value of exactly [`Fixed::WIDTH`] bytes (`None`: not a value
    /// of this type).
    fn get(bytes: &[u8]) -> Option<Self>;
}

macro_rules! fixed {
    ($($t:ty),*) => {$(
        impl Fixed for $t {
            const WIDTH: usize = size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Option<Self> {
                Some(<$t>::from_le_bytes(bytes.try_into().ok()?))
            }
        }
    )*};
}
fixed!(u8, u16, u32, i32, i64, f64);

/// Writes `column` as one byte string.
pub fn serialize<T: Fixed, S: Serializer>(column: &[T], s: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(column.len() * T::WIDTH);
    for v in column {
        v.put(&mut bytes);
    }
    s.serialize_bytes(&bytes)
}

/// Reads a column written by [`serialize`].
pub fn deserialize<'de, T: Fixed, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Column<T>(PhantomData<T>);

    impl<T: Fixed> Visitor<'_> for Column<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a byte string of {}-byte values", T::WIDTH)
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            if !bytes.len().is_multiple_of(T::WIDTH) {
                return Err(E::custom(format!(
                    "a column of {} bytes does not hold {}-byte values",
                    bytes.len(),
                    T::WIDTH
                )));
            }
            bytes
                .chunks_exact(T::WIDTH)
                .map(|b| T::get(b).ok_or_else(|| E::custom("a value of an unknown kind")))
                .collect()
        }
    }

    d.deserialize_bytes(Column(PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Columns {
        #[serde(with = "super")]
        a: Vec<u32>,
        #[serde(with = "super")]
        b: Vec<i64>,
        #[serde(with = "super")]
        c: Vec<f64>,
        d: u8,
    }

    #[test]
    fn columns_round_trip_and_a_ragged_one_is_refused() {
        let v = Columns {
            a: vec![0, 1, u32::MAX],
            b: vec![i64::MIN, -1, 1_795_000_000],
            c: vec![0.1, -2.5e300, f64::NAN],
            d: 7,
        };
        let bytes = postcard::to_stdvec(&v).unwrap();
        let back: Columns = postcard::from_bytes(&bytes).unwrap();
        assert_eq!((&back.a, &back.b, back.d), (&v.a, &v.b, v.d));
        assert_eq!(back.c[..2], v.c[..2]);
        assert!(back.c[2].is_nan());
        // A column whose length is not a whole number of values.
        let ragged =
            postcard::to_stdvec(&(&[1u8, 2, 3][..], &[0u8; 0][..], &[0u8; 0][..], 7u8)).unwrap();
        assert!(postcard::from_bytes::<Columns>(&ragged).is_err());
    }
}
