//! Columns: the value containers every table is made of.
//!
//! A column holds one kind of value per row, packed as tightly as its
//! values allow (integers narrowed to the fewest bytes, money exact,
//! strings interned, sparse values as runs), plus the few pieces every
//! container shares: the byte encoding of snapshots ([`column_bytes`]),
//! heap-size accounting ([`heap_size`]), bitmap tightening and the
//! prefetch hint.
//!
//! [`value_index`] is here, not in `indexes/`: a customer's single- and
//! multi-valued text attributes are *stored* as value → customers maps
//! (there is no other copy of them), so it is a container the customer
//! table is made of, not an index derived from it.
//!
//! May use: nothing else of the engine (only std and outside crates).

pub mod column_bytes;
pub mod customer_set;
pub mod heap_size;
pub mod held_values;
pub mod i64_column;
pub mod interner;
pub mod money_column;
pub mod number_column;
pub mod prefetch;
pub mod sparse_column;
pub mod sym_column;
pub mod tight_bitmap;
pub mod time_column;
pub mod uint_column;
pub mod value_index;
